// Loads the admin roles table (role -> allowed actions) from TOML.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/admin/permissions.hpp"

namespace kiosk::config {

// Fails with InvalidInput "SOURCE:LINE:COLUMN: what" on a syntax error, an unknown role or key, a
// non-string action, or "SOURCE: what" when core::admin::ValidateRoleTable refuses the table.
core::Result<core::admin::RoleTable> ParseRoles(std::string_view tomlText, std::string_view sourceName);
// Reads and parses a file; also fails with NotFound or Storage when it cannot be read.
core::Result<core::admin::RoleTable> LoadRolesFile(const std::filesystem::path& path);

}  // namespace kiosk::config
