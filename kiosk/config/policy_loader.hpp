// Loading warranty policy tables (assets/policy/*.toml) into core::PolicyTable.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/error.hpp"
#include "kiosk/core/warranty.hpp"

namespace kiosk::config {

// Parses a policy table from TOML text (the schema is described at the top of assets/policy/sanbao.toml).
// Every error is InvalidInput "SOURCE:LINE:COL: what": a syntax error, an unknown or missing key, a value
// out of range, a duplicate id, a clause without text in one language. A table that parses is then
// checked with core::ValidatePolicy; its errors read "SOURCE: policy 'ID': what".
core::Result<core::PolicyTable> ParsePolicy(std::string_view tomlText, std::string_view sourceName);

// Reads and parses a policy file; fails with NotFound or Storage when the file cannot be read, otherwise
// as ParsePolicy with the path as source name.
core::Result<core::PolicyTable> LoadPolicyFile(const std::filesystem::path& path);

}  // namespace kiosk::config
