// Loads SLA targets (sla.toml) and a store's business calendar (calendar.toml); the schemas are
// described at the top of the default files in assets/.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/business_calendar.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/sla.hpp"

namespace kiosk::config {

// Parses and validates SLA targets. Fails with InvalidInput "SOURCE:LINE:COLUMN: what" naming the key
// (a bad duration, an unknown key, a missing tier or ticket type), or "SOURCE: what" when the policy as
// a whole is inconsistent (see core::ValidateSlaPolicy).
core::Result<core::SlaPolicy> ParseSlaPolicy(std::string_view tomlText, std::string_view sourceName);
// Reads and parses a file; also fails with NotFound or Storage when it cannot be read.
core::Result<core::SlaPolicy> LoadSlaPolicyFile(const std::filesystem::path& path);

// Parses and validates a business calendar. Fails with InvalidInput naming the position and key of a
// bad time, date, offset or overlapping hours, or "SOURCE: what" from core::ValidateCalendar.
core::Result<core::BusinessCalendar> ParseCalendar(std::string_view tomlText, std::string_view sourceName);
// Reads and parses a file; also fails with NotFound or Storage when it cannot be read.
core::Result<core::BusinessCalendar> LoadCalendarFile(const std::filesystem::path& path);

}  // namespace kiosk::config
