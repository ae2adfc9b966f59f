// Calendar dates and UTC instants, with the parsing and arithmetic the domain rules need.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::core {

using Date = std::chrono::year_month_day;
using Timestamp = std::chrono::sys_seconds;  // always UTC

// "YYYY-MM-DD", a real calendar date. Fails with InvalidInput naming the text.
Result<Date> ParseDate(std::string_view text);
std::string FormatDate(Date date);

// "YYYY-MM-DDTHH:MM:SSZ" (also accepts a "+HH:MM" offset instead of Z).
Result<Timestamp> ParseTimestamp(std::string_view text);
std::string FormatTimestamp(Timestamp t);

Date AddDays(Date date, int days);
// Adds calendar months; a day that does not exist in the target month becomes that month's last day
// (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year), as civil law counts periods.
Date AddMonths(Date date, int months);
// Whole days from `from` to `to` (negative when `to` is earlier).
int DaysBetween(Date from, Date to);

// "2026-11-22 14:00 +08:00": an instant as people in the store read it.
std::string FormatLocalTime(Timestamp t, std::chrono::minutes utcOffset);

// The local calendar date of an instant at a fixed UTC offset.
Date LocalDate(Timestamp t, std::chrono::minutes utcOffset);

}  // namespace kiosk::core
