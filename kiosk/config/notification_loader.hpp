// Reads the customer notifications file (assets/notifications.toml, or the version head office
// published) into the core's NotificationPolicy.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/error.hpp"
#include "kiosk/core/notifications.hpp"

namespace kiosk::config {

// Fails with NotFound when the file cannot be read, InvalidInput "FILE:LINE:COLUMN: what" for bad
// TOML, an unknown key, a bad quiet_hours or utc_offset, a message without id or without a status to
// react to, an id used twice, a missing translation or an unknown {placeholder}.
core::Result<core::NotificationPolicy> LoadNotificationsFile(const std::filesystem::path& path);
// The same for a text (a version head office published); `sourceName` stands for FILE.
core::Result<core::NotificationPolicy> ParseNotifications(std::string_view tomlText, std::string_view sourceName);

}  // namespace kiosk::config
