// A store's business calendar: weekly opening hours, public holidays and make-up working days (调休).
// All instants are UTC; the calendar knows the store's fixed UTC offset (China, Hong Kong, Macau and
// Taiwan keep no daylight saving time).
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/error.hpp"

namespace kiosk::core {

// Local opening hours within one day, in minutes since midnight; open < close <= 24 * 60.
struct OpeningInterval {
    std::chrono::minutes open{0};
    std::chrono::minutes close{0};
    friend bool operator==(const OpeningInterval&, const OpeningInterval&) = default;
};

struct BusinessCalendar {
    std::chrono::minutes utcOffset{8 * 60};
    // Indexed by std::chrono::weekday::c_encoding(): 0 = Sunday ... 6 = Saturday. Empty: closed.
    std::array<std::vector<OpeningInterval>, 7> weekly;
    std::vector<Date> holidays;                // closed all day, whatever the weekday says
    std::vector<Date> makeUpWorkdays;          // 调休: open with `makeUpHours` even on a closed weekday
    std::vector<OpeningInterval> makeUpHours;  // hours of a make-up working day

    // The opening intervals of a local date, sorted (holidays first, then make-up days, then weekly).
    std::vector<OpeningInterval> HoursOn(Date localDate) const;
    bool IsOpen(Timestamp t) const;
    // Time the store is open between `from` and `to` (zero when to <= from).
    std::chrono::seconds OpenTimeBetween(Timestamp from, Timestamp to) const;
    // The instant when `amount` of open time has passed after `from`. Searches at most ~3 years ahead
    // and returns nullopt if the calendar has no opening time there. An amount used up exactly at a
    // closing gives that closing instant; a zero or negative amount gives `from` itself.
    std::optional<Timestamp> AddOpenTime(Timestamp from, std::chrono::seconds amount) const;
    // `t` itself when the store is open at `t`, else the next opening; nullopt as above.
    std::optional<Timestamp> NextOpenInstant(Timestamp t) const;
};

// Checks one day's hours: each interval within 00:00-24:00 and opening before closing, the intervals
// sorted and not overlapping (touching is fine: closing is exclusive). The message quotes the
// offending intervals ("11:00-18:00 overlaps 09:00-12:00") so a loader can prefix where they came from.
Result<void> ValidateOpeningHours(std::span<const OpeningInterval> hours);

// Checks intervals (in range, not overlapping, sorted) and that the calendar opens at all.
Result<void> ValidateCalendar(const BusinessCalendar& calendar);

}  // namespace kiosk::core
