// Reading a whole text file, with errors that name the path.
#pragma once

#include <filesystem>
#include <string>

#include "kiosk/core/error.hpp"

namespace kiosk::config {

// The whole file. Fails with NotFound when it does not exist, Storage when it cannot be read.
core::Result<std::string> ReadTextFile(const std::filesystem::path& path);

}  // namespace kiosk::config
