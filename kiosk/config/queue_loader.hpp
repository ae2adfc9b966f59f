// Reads the queue services file (assets/queue.toml) into the core's QueueServices.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/error.hpp"
#include "kiosk/core/queue_numbers.hpp"

namespace kiosk::config {

// Fails with NotFound when the file cannot be read, InvalidInput "FILE:LINE:COLUMN: what" for bad
// TOML, an unknown key, a service without id or name, a prefix that is not one upper-case letter, an
// id or prefix used twice, a minutes_per_customer outside 1..240, or no service at all.
core::Result<core::QueueServices> LoadQueueServicesFile(const std::filesystem::path& path);
// The same for a text; `sourceName` stands for FILE.
core::Result<core::QueueServices> ParseQueueServices(std::string_view tomlText, std::string_view sourceName);

}  // namespace kiosk::config
