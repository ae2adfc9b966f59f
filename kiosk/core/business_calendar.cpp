// Opening-hours arithmetic on a store's business calendar: open time between instants and deadlines.
#include "kiosk/core/business_calendar.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace kiosk::core {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

// How far ahead a search for opening time goes: longer than any SLA target or store closure, short
// enough that a calendar that never opens answers at once instead of looping.
constexpr int kSearchDays = 1100;

constexpr minutes kDayLength{24 * 60};

constexpr std::array<const char*, 7> kWeekdayNames{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};

// The rule order matters: a holiday closes even a make-up day listed by mistake, and a make-up day
// opens even a weekday the weekly hours leave closed.
std::span<const OpeningInterval> HoursOfDay(const BusinessCalendar& calendar, Date localDate) {
    if (std::ranges::find(calendar.holidays, localDate) != calendar.holidays.end()) return {};
    if (std::ranges::find(calendar.makeUpWorkdays, localDate) != calendar.makeUpWorkdays.end()) {
        return calendar.makeUpHours;
    }
    return calendar.weekly[std::chrono::weekday{sys_days{localDate}}.c_encoding()];
}

// The UTC instant of local midnight starting `localDay`.
Timestamp LocalMidnight(sys_days localDay, minutes utcOffset) { return Timestamp{localDay} - utcOffset; }

std::string FormatMinutes(minutes m) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(m.count() / 60),
                  static_cast<long long>(m.count() % 60));
    return buf;
}

std::string FormatInterval(const OpeningInterval& interval) {
    return FormatMinutes(interval.open) + "-" + FormatMinutes(interval.close);
}

}  // namespace

std::vector<OpeningInterval> BusinessCalendar::HoursOn(Date localDate) const {
    std::span<const OpeningInterval> hours = HoursOfDay(*this, localDate);
    return {hours.begin(), hours.end()};
}

bool BusinessCalendar::IsOpen(Timestamp t) const {
    const sys_days day{LocalDate(t, utcOffset)};
    const Timestamp midnight = LocalMidnight(day, utcOffset);
    return std::ranges::any_of(HoursOfDay(*this, Date{day}), [&](const OpeningInterval& interval) {
        return midnight + interval.open <= t && t < midnight + interval.close;
    });
}

std::chrono::seconds BusinessCalendar::OpenTimeBetween(Timestamp from, Timestamp to) const {
    seconds total{0};
    if (to <= from) return total;
    const sys_days last{LocalDate(to, utcOffset)};
    for (sys_days day{LocalDate(from, utcOffset)}; day <= last; day += days{1}) {
        const Timestamp midnight = LocalMidnight(day, utcOffset);
        for (const OpeningInterval& interval : HoursOfDay(*this, Date{day})) {
            const Timestamp start = std::max(from, midnight + interval.open);
            const Timestamp end = std::min(to, midnight + interval.close);
            if (start < end) total += end - start;
        }
    }
    return total;
}

std::optional<Timestamp> BusinessCalendar::AddOpenTime(Timestamp from, std::chrono::seconds amount) const {
    if (amount <= seconds{0}) return from;
    seconds left = amount;
    const sys_days first{LocalDate(from, utcOffset)};
    for (int i = 0; i < kSearchDays; ++i) {
        const sys_days day = first + days{i};
        const Timestamp midnight = LocalMidnight(day, utcOffset);
        for (const OpeningInterval& interval : HoursOfDay(*this, Date{day})) {
            const Timestamp start = std::max(from, midnight + interval.open);
            const Timestamp end = midnight + interval.close;
            if (start >= end) continue;
            if (end - start >= left) return start + left;
            left -= end - start;
        }
    }
    return std::nullopt;
}

std::optional<Timestamp> BusinessCalendar::NextOpenInstant(Timestamp t) const {
    const sys_days first{LocalDate(t, utcOffset)};
    for (int i = 0; i < kSearchDays; ++i) {
        const sys_days day = first + days{i};
        const Timestamp midnight = LocalMidnight(day, utcOffset);
        for (const OpeningInterval& interval : HoursOfDay(*this, Date{day})) {
            if (interval.open >= interval.close) continue;
            if (midnight + interval.close > t) return std::max(t, midnight + interval.open);
        }
    }
    return std::nullopt;
}

Result<void> ValidateOpeningHours(std::span<const OpeningInterval> hours) {
    for (std::size_t i = 0; i < hours.size(); ++i) {
        const OpeningInterval& interval = hours[i];
        if (interval.open < minutes{0} || interval.close > kDayLength || interval.open >= interval.close) {
            return Fail(ErrorCode::InvalidInput, FormatInterval(interval) +
                                                     " is not an interval within 00:00-24:00 that opens "
                                                     "before it closes");
        }
        if (i == 0) continue;
        const OpeningInterval& previous = hours[i - 1];
        if (interval.open < previous.open) {
            return Fail(ErrorCode::InvalidInput, FormatInterval(interval) + " is listed after " +
                                                     FormatInterval(previous) + "; list hours in order");
        }
        if (interval.open < previous.close) {
            return Fail(ErrorCode::InvalidInput,
                        FormatInterval(interval) + " overlaps " + FormatInterval(previous));
        }
    }
    return {};
}

Result<void> ValidateCalendar(const BusinessCalendar& calendar) {
    if (calendar.utcOffset < -minutes{14 * 60} || calendar.utcOffset > minutes{14 * 60}) {
        return Fail(ErrorCode::InvalidInput, "UTC offset " + std::to_string(calendar.utcOffset.count()) +
                                                 " minutes is outside -14:00..+14:00");
    }
    bool opensSomeWeekday = false;
    for (std::size_t day = 0; day < calendar.weekly.size(); ++day) {
        if (auto ok = ValidateOpeningHours(calendar.weekly[day]); !ok) {
            return Fail(ErrorCode::InvalidInput,
                        std::string("weekly hours for ") + kWeekdayNames[day] + ": " + ok.error().message);
        }
        opensSomeWeekday = opensSomeWeekday || !calendar.weekly[day].empty();
    }
    // Make-up days and holidays are finite lists: without weekly hours the store would run out of
    // opening time and every deadline would be unknown.
    if (!opensSomeWeekday) {
        return Fail(ErrorCode::InvalidInput, "the store is never open: the weekly hours are empty for every day");
    }
    if (auto ok = ValidateOpeningHours(calendar.makeUpHours); !ok) {
        return Fail(ErrorCode::InvalidInput, "make-up day hours: " + ok.error().message);
    }
    if (!calendar.makeUpWorkdays.empty() && calendar.makeUpHours.empty()) {
        return Fail(ErrorCode::InvalidInput,
                    "make-up working days are listed but their opening hours (make-up hours) are empty");
    }
    for (const Date& day : calendar.makeUpWorkdays) {
        if (std::ranges::find(calendar.holidays, day) != calendar.holidays.end()) {
            return Fail(ErrorCode::InvalidInput,
                        FormatDate(day) + " is listed both as a holiday and as a make-up working day");
        }
    }
    return {};
}

}  // namespace kiosk::core
