// Reads sla.toml and calendar.toml into core SLA targets and a business calendar, naming file, line and key.
#include "kiosk/config/sla_loader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "kiosk/config/toml_reader.hpp"

namespace kiosk::config {
namespace {

using core::ErrorCode;
using core::Fail;
using std::chrono::minutes;

constexpr std::array kTicketTypes{core::TicketType::Return, core::TicketType::Exchange, core::TicketType::Repair,
                                  core::TicketType::Complaint, core::TicketType::Inquiry};
constexpr std::array kTiers{core::Tier::New, core::Tier::Returning, core::Tier::Vip};
// Indexed like std::chrono::weekday::c_encoding(), as BusinessCalendar::weekly is.
constexpr std::array<std::string_view, 7> kWeekdayKeys{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// A longer target is almost certainly a typo ("15d" written "1500d").
constexpr minutes kLongestTarget{365 * 24 * 60};
// The longest public holiday (Spring Festival) is nine days; a longer range is usually a mistyped month.
constexpr int kLongestHoliday = 31;

std::unexpected<core::Error> FailAt(const TomlReader& reader, const toml::node& node, std::string message) {
    return std::unexpected(reader.ErrorAt(node, std::move(message)));
}

std::unexpected<core::Error> FailWhole(std::string_view source, const core::Error& error) {
    return Fail(error.code, std::string(source) + ": " + error.message);
}

bool AllDigits(std::string_view text) {
    return !text.empty() && std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
}

// "30m", "4h", "15d": a whole positive number and one unit, nothing else.
core::Result<minutes> ParseDuration(std::string_view text) {
    const std::string bad = "\"" + std::string(text) +
                            "\" is not a duration: write a whole number followed by m (minutes), h (hours) or d "
                            "(days), e.g. \"30m\", \"4h\", \"15d\"";
    const std::string_view digits = text.substr(0, text.empty() ? 0 : text.size() - 1);
    if (!AllDigits(digits)) return Fail(ErrorCode::InvalidInput, bad);
    long long perUnit = 0;
    switch (text.back()) {
        case 'm': perUnit = 1; break;
        case 'h': perUnit = 60; break;
        case 'd': perUnit = 24 * 60; break;
        default: return Fail(ErrorCode::InvalidInput, bad);
    }
    long long count = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || count > kLongestTarget.count() / perUnit) {
        return Fail(ErrorCode::InvalidInput, "\"" + std::string(text) + "\" is longer than 365 days");
    }
    if (count == 0) return Fail(ErrorCode::InvalidInput, "\"" + std::string(text) + "\" must be longer than zero");
    return minutes{count * perUnit};
}

// "HH:MM" with 24:00 allowed, so a day can be open until midnight.
core::Result<minutes> ParseClockTime(std::string_view text) {
    const std::string bad = "\"" + std::string(text) + "\" is not a time of day in the form HH:MM (00:00-24:00)";
    if (text.size() != 5 || text[2] != ':' || !AllDigits(text.substr(0, 2)) || !AllDigits(text.substr(3, 2))) {
        return Fail(ErrorCode::InvalidInput, bad);
    }
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int mins = (text[3] - '0') * 10 + (text[4] - '0');
    if (mins > 59 || hours > 24 || (hours == 24 && mins != 0)) return Fail(ErrorCode::InvalidInput, bad);
    return minutes{hours * 60 + mins};
}

core::Result<core::OpeningInterval> ParseInterval(std::string_view text) {
    const std::size_t dash = text.find('-');
    if (dash == std::string_view::npos) {
        return Fail(ErrorCode::InvalidInput,
                    "\"" + std::string(text) + "\" is not opening hours in the form \"09:00-18:00\"");
    }
    auto open = ParseClockTime(text.substr(0, dash));
    if (!open) return std::unexpected(open.error());
    auto close = ParseClockTime(text.substr(dash + 1));
    if (!close) return std::unexpected(close.error());
    return core::OpeningInterval{*open, *close};
}

// "+08:00" or "-03:30".
core::Result<minutes> ParseUtcOffset(std::string_view text) {
    if (text.size() == 6 && (text[0] == '+' || text[0] == '-')) {
        if (auto magnitude = ParseClockTime(text.substr(1)); magnitude && *magnitude <= minutes{14 * 60}) {
            return text[0] == '-' ? -*magnitude : *magnitude;
        }
    }
    return Fail(ErrorCode::InvalidInput,
                "\"" + std::string(text) + "\" is not a UTC offset in the form +HH:MM up to 14:00, e.g. \"+08:00\"");
}

core::Result<core::SlaBasis> ParseBasis(std::string_view text) {
    if (text == "business") return core::SlaBasis::Business;
    if (text == "calendar") return core::SlaBasis::Calendar;
    return Fail(ErrorCode::InvalidInput, "\"" + std::string(text) + "\" is not a basis: use \"business\" (opening "
                                                                    "hours count) or \"calendar\" (all hours count)");
}

// One clock of one ticket type: { basis = "...", new = "...", returning = "...", vip = "..." }.
struct ClockTargets {
    core::SlaBasis basis = core::SlaBasis::Business;
    std::array<minutes, kTiers.size()> byTier{};
};

core::Result<ClockTargets> ReadClockTargets(const TomlReader& reader, const toml::table& typeTable,
                                            std::string_view typeKey, std::string_view clockKey) {
    const std::string path = std::string(typeKey) + "." + std::string(clockKey);
    const toml::node* node = typeTable.get(clockKey);
    if (node == nullptr) {
        return FailAt(reader, typeTable, "'" + std::string(typeKey) + "' needs '" + std::string(clockKey) + "'");
    }
    const toml::table* table = node->as_table();
    if (table == nullptr) {
        return FailAt(reader, *node,
                      "'" + path + "' must be a table { basis = ..., new = ..., returning = ..., vip = ... }");
    }
    if (auto known = reader.OnlyKeys(*table, {"basis", "new", "returning", "vip"}); !known) {
        return std::unexpected(known.error());
    }
    ClockTargets targets;
    const toml::node* basisNode = table->get("basis");
    if (basisNode == nullptr) {
        return FailAt(reader, *table, "'" + path + "' needs a 'basis' (\"business\" or \"calendar\")");
    }
    auto basisText = basisNode->value<std::string>();
    if (!basisText) return FailAt(reader, *basisNode, "'" + path + ".basis' must be a string");
    auto basis = ParseBasis(*basisText);
    if (!basis) return FailAt(reader, *basisNode, "'" + path + ".basis': " + basis.error().message);
    targets.basis = *basis;

    for (std::size_t i = 0; i < kTiers.size(); ++i) {
        const std::string_view tierKey = core::ToString(kTiers[i]);
        const toml::node* tierNode = table->get(tierKey);
        if (tierNode == nullptr) {
            return FailAt(reader, *table, "'" + path + "' needs a target for tier '" + std::string(tierKey) + "'");
        }
        auto text = tierNode->value<std::string>();
        if (!text) {
            return FailAt(reader, *tierNode,
                          "'" + path + "." + std::string(tierKey) + "' must be a duration string such as \"30m\"");
        }
        auto duration = ParseDuration(*text);
        if (!duration) {
            return FailAt(reader, *tierNode,
                          "'" + path + "." + std::string(tierKey) + "': " + duration.error().message);
        }
        targets.byTier[i] = *duration;
    }
    return targets;
}

core::Result<std::vector<core::OpeningInterval>> ReadHours(const TomlReader& reader, const toml::node& node,
                                                           std::string_view key) {
    const toml::array* array = node.as_array();
    if (array == nullptr) {
        return FailAt(reader, node,
                      "'" + std::string(key) + "' must be an array like [\"09:00-18:00\"] ([] when closed)");
    }
    std::vector<core::OpeningInterval> hours;
    for (const toml::node& item : *array) {
        auto text = item.value<std::string>();
        if (!text) return FailAt(reader, item, "'" + std::string(key) + "' must contain strings like \"09:00-18:00\"");
        auto interval = ParseInterval(*text);
        if (!interval) return FailAt(reader, item, "'" + std::string(key) + "': " + interval.error().message);
        hours.push_back(*interval);
    }
    // The order written in the file carries no meaning; overlaps do.
    std::ranges::sort(hours, {}, &core::OpeningInterval::open);
    if (auto ok = core::ValidateOpeningHours(hours); !ok) {
        return FailAt(reader, node, "'" + std::string(key) + "': " + ok.error().message);
    }
    return hours;
}

core::Result<core::Date> ReadDate(const TomlReader& reader, const toml::node& node, std::string_view key) {
    auto text = node.value<std::string>();
    if (!text) return FailAt(reader, node, "'" + std::string(key) + "' must be a date string such as \"2026-10-01\"");
    auto date = core::ParseDate(*text);
    if (!date) return FailAt(reader, node, "'" + std::string(key) + "': " + date.error().message);
    return *date;
}

// One [[holidays]] entry: the days off from `from` to `to` (inclusive) and the make-up working days
// the same notice announces.
core::Result<void> ReadHoliday(const TomlReader& reader, const toml::table& entry, core::BusinessCalendar& calendar) {
    if (auto known = reader.OnlyKeys(entry, {"name", "from", "to", "make_up_workdays"}); !known) {
        return std::unexpected(known.error());
    }
    // The name is for the people who check the file against the official notice.
    if (auto name = reader.OptionalString(entry, "name"); !name) return std::unexpected(name.error());

    const toml::node* fromNode = entry.get("from");
    if (fromNode == nullptr) return FailAt(reader, entry, "a holiday needs 'from' (its first day off)");
    auto from = ReadDate(reader, *fromNode, "from");
    if (!from) return std::unexpected(from.error());
    core::Date to = *from;
    if (const toml::node* toNode = entry.get("to")) {
        auto last = ReadDate(reader, *toNode, "to");
        if (!last) return std::unexpected(last.error());
        const int span = core::DaysBetween(*from, *last);
        if (span < 0) return FailAt(reader, *toNode, "'to' " + core::FormatDate(*last) + " is before 'from'");
        if (span >= kLongestHoliday) {
            return FailAt(reader, *toNode, "'to' " + core::FormatDate(*last) + " makes the holiday longer than " +
                                               std::to_string(kLongestHoliday) + " days");
        }
        to = *last;
    }
    for (core::Date day = *from; core::DaysBetween(day, to) >= 0; day = core::AddDays(day, 1)) {
        calendar.holidays.push_back(day);
    }

    if (const toml::node* makeUpNode = entry.get("make_up_workdays")) {
        const toml::array* array = makeUpNode->as_array();
        if (array == nullptr) {
            return FailAt(reader, *makeUpNode, "'make_up_workdays' must be an array of dates like [\"2026-10-10\"]");
        }
        for (const toml::node& item : *array) {
            auto day = ReadDate(reader, item, "make_up_workdays");
            if (!day) return std::unexpected(day.error());
            calendar.makeUpWorkdays.push_back(*day);
        }
    }
    return {};
}

}  // namespace

core::Result<core::SlaPolicy> ParseSlaPolicy(std::string_view tomlText, std::string_view sourceName) {
    auto root = ParseToml(tomlText, sourceName);
    if (!root) return std::unexpected(root.error());
    const TomlReader reader{std::string(sourceName)};
    if (auto known =
            reader.OnlyKeys(*root, {"at_risk_fraction", "return", "exchange", "repair", "complaint", "inquiry"});
        !known) {
        return std::unexpected(known.error());
    }
    core::SlaPolicy policy;
    auto fraction = reader.NumberOr(*root, "at_risk_fraction", policy.atRiskFraction);
    if (!fraction) return std::unexpected(fraction.error());
    policy.atRiskFraction = *fraction;

    for (core::TicketType type : kTicketTypes) {
        const std::string_view typeKey = core::ToString(type);
        auto typeTable = reader.Table(*root, typeKey);
        if (!typeTable) return std::unexpected(typeTable.error());
        if (auto known = reader.OnlyKeys(**typeTable, {"first_response", "resolution"}); !known) {
            return std::unexpected(known.error());
        }
        auto firstResponse = ReadClockTargets(reader, **typeTable, typeKey, "first_response");
        if (!firstResponse) return std::unexpected(firstResponse.error());
        auto resolution = ReadClockTargets(reader, **typeTable, typeKey, "resolution");
        if (!resolution) return std::unexpected(resolution.error());
        for (std::size_t i = 0; i < kTiers.size(); ++i) {
            policy.targets.push_back(core::SlaTarget{type, kTiers[i], firstResponse->byTier[i], firstResponse->basis,
                                                     resolution->byTier[i], resolution->basis});
        }
    }
    if (auto ok = core::ValidateSlaPolicy(policy); !ok) return FailWhole(sourceName, ok.error());
    return policy;
}

core::Result<core::SlaPolicy> LoadSlaPolicyFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseSlaPolicy(*text, path.string());
}

core::Result<core::BusinessCalendar> ParseCalendar(std::string_view tomlText, std::string_view sourceName) {
    auto root = ParseToml(tomlText, sourceName);
    if (!root) return std::unexpected(root.error());
    const TomlReader reader{std::string(sourceName)};
    if (auto known = reader.OnlyKeys(*root, {"utc_offset", "weekly", "make_up_hours", "holidays"}); !known) {
        return std::unexpected(known.error());
    }
    core::BusinessCalendar calendar;

    const toml::node* offsetNode = root->get("utc_offset");
    if (offsetNode == nullptr) return FailAt(reader, *root, "missing 'utc_offset' (the store's, e.g. \"+08:00\")");
    auto offsetText = offsetNode->value<std::string>();
    if (!offsetText) return FailAt(reader, *offsetNode, "'utc_offset' must be a string such as \"+08:00\"");
    auto offset = ParseUtcOffset(*offsetText);
    if (!offset) return FailAt(reader, *offsetNode, "'utc_offset': " + offset.error().message);
    calendar.utcOffset = *offset;

    auto weekly = reader.Table(*root, "weekly");
    if (!weekly) return std::unexpected(weekly.error());
    if (auto known = reader.OnlyKeys(**weekly, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}); !known) {
        return std::unexpected(known.error());
    }
    // Monday first, as the file lists them, so the first mistake reported is the first one written.
    for (std::size_t day : {1u, 2u, 3u, 4u, 5u, 6u, 0u}) {
        const std::string key = "weekly." + std::string(kWeekdayKeys[day]);
        // Every day must be written out, so a forgotten day is not silently closed.
        const toml::node* node = (*weekly)->get(kWeekdayKeys[day]);
        if (node == nullptr) return FailAt(reader, **weekly, "missing '" + key + "' (write [] for a closed day)");
        auto hours = ReadHours(reader, *node, key);
        if (!hours) return std::unexpected(hours.error());
        calendar.weekly[day] = std::move(*hours);
    }

    if (const toml::node* node = root->get("make_up_hours")) {
        auto hours = ReadHours(reader, *node, "make_up_hours");
        if (!hours) return std::unexpected(hours.error());
        calendar.makeUpHours = std::move(*hours);
    }

    auto holidays = reader.Tables(*root, "holidays");
    if (!holidays) return std::unexpected(holidays.error());
    for (const toml::table* entry : *holidays) {
        if (auto ok = ReadHoliday(reader, *entry, calendar); !ok) return std::unexpected(ok.error());
    }

    if (auto ok = core::ValidateCalendar(calendar); !ok) return FailWhole(sourceName, ok.error());
    return calendar;
}

core::Result<core::BusinessCalendar> LoadCalendarFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseCalendar(*text, path.string());
}

}  // namespace kiosk::config
