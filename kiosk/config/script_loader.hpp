// Reads the script library (assets/scripts.toml, or the version head office published) into the core's
// ScriptLibrary.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/error.hpp"
#include "kiosk/core/scripts.hpp"

namespace kiosk::config {

// Fails with NotFound when the file cannot be read, InvalidInput "FILE:LINE:COLUMN: what" for bad TOML,
// a script without an id, scene or steps, an unknown scene, a missing translation, an unknown
// {placeholder} or an id used twice.
core::Result<core::ScriptLibrary> LoadScriptsFile(const std::filesystem::path& path);
// The same for a text (a version head office published); `sourceName` stands for FILE.
core::Result<core::ScriptLibrary> ParseScripts(std::string_view tomlText, std::string_view sourceName);

}  // namespace kiosk::config
