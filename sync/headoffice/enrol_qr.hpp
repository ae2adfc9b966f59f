// The enrolment token as a QR code image, for staff to scan at the kiosk in admin mode.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::sync::headoffice {

// Writes `text` as a QR code PNG of about `size` pixels square. Fails with InvalidInput when the text
// cannot be encoded, Storage when the file cannot be written.
core::Result<void> WriteQrPng(std::string_view text, const std::filesystem::path& file, int size = 400);

}  // namespace kiosk::sync::headoffice
