// Loads the ticket lifecycle table (statuses, flows, transitions) from TOML.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/lifecycle.hpp"

namespace kiosk::config {

// Fails with InvalidInput "SOURCE:LINE:COLUMN: what" on a syntax error, a missing or unknown key, an
// unknown role or ticket type, or a table core::ValidateLifecycle refuses.
core::Result<core::Lifecycle> ParseLifecycle(std::string_view tomlText, std::string_view sourceName);
core::Result<core::Lifecycle> LoadLifecycleFile(const std::filesystem::path& path);

}  // namespace kiosk::config
