// Date parsing and arithmetic on std::chrono's civil calendar.
#include "kiosk/core/date.hpp"

#include <charconv>
#include <cstdio>

namespace kiosk::core {
namespace {

bool ParseDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > text.size()) return false;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + count, out);
    return ec == std::errc{} && ptr == text.data() + pos + count;
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, y) ||
        !ParseDigits(text, 5, 2, m) || !ParseDigits(text, 8, 2, d)) {
        return Fail(ErrorCode::InvalidInput, "'" + std::string(text) + "' is not a date in the form YYYY-MM-DD");
    }
    Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
    if (!date.ok()) {
        return Fail(ErrorCode::InvalidInput, "'" + std::string(text) + "' is not a calendar date");
    }
    return date;
}

std::string FormatDate(Date date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buf;
}

Result<Timestamp> ParseTimestamp(std::string_view text) {
    auto bad = [&] {
        return Fail(ErrorCode::InvalidInput,
                    "'" + std::string(text) + "' is not a time in the form YYYY-MM-DDTHH:MM:SSZ");
    };
    if (text.size() < 20) return bad();
    auto date = ParseDate(text.substr(0, 10));
    int hh = 0, mm = 0, ss = 0;
    if (!date || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':' ||
        !ParseDigits(text, 11, 2, hh) || !ParseDigits(text, 14, 2, mm) || !ParseDigits(text, 17, 2, ss) ||
        hh > 23 || mm > 59 || ss > 59) {
        return bad();
    }
    std::chrono::minutes offset{0};
    std::string_view zone = text.substr(19);
    if (zone == "Z") {
        offset = std::chrono::minutes{0};
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        int oh = 0, om = 0;
        if (!ParseDigits(zone, 1, 2, oh) || !ParseDigits(zone, 4, 2, om) || oh > 14 || om > 59) return bad();
        offset = std::chrono::minutes{(zone[0] == '-' ? -1 : 1) * (oh * 60 + om)};
    } else {
        return bad();
    }
    auto local = std::chrono::sys_days{*date} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
                 std::chrono::seconds{ss};
    return Timestamp{local - offset};
}

std::string FormatTimestamp(Timestamp t) {
    auto days = std::chrono::floor<std::chrono::days>(t);
    std::chrono::hh_mm_ss time{t - days};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", FormatDate(Date{days}).c_str(),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buf;
}

std::string FormatLocalTime(Timestamp t, std::chrono::minutes utcOffset) {
    const auto local = t + utcOffset;
    const auto days = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::hh_mm_ss time{local - days};
    const long offset = static_cast<long>(utcOffset.count());
    const long absOffset = offset < 0 ? -offset : offset;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s %02d:%02d %c%02ld:%02ld", FormatDate(Date{days}).c_str(),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  offset < 0 ? '-' : '+', absOffset / 60, absOffset % 60);
    return buf;
}

Date AddDays(Date date, int days) { return Date{std::chrono::sys_days{date} + std::chrono::days{days}}; }

Date AddMonths(Date date, int months) {
    std::chrono::year_month ym = date.year() / date.month();
    ym += std::chrono::months{months};
    Date candidate{ym / date.day()};
    if (candidate.ok()) return candidate;
    return Date{ym / std::chrono::last};
}

int DaysBetween(Date from, Date to) {
    return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}

Date LocalDate(Timestamp t, std::chrono::minutes utcOffset) {
    return Date{std::chrono::floor<std::chrono::days>(t + utcOffset)};
}

}  // namespace kiosk::core
