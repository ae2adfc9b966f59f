// GS1 Application Identifier parsing against a table of the AIs a retail kiosk meets.
#include "kiosk/core/gs1.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "kiosk/core/gtin.hpp"

namespace kiosk::core {
namespace {

enum class Charset { Numeric, Alphanumeric };
enum class Check { None, Gtin, Sscc, Date };

struct AiSpec {
    std::string_view prefix;  // the digits that identify the AI; the rest of aiLength is any digit
    std::size_t aiLength;
    std::size_t length;       // exact length when fixed, maximum otherwise
    bool fixed;
    Charset charset;
    Check check;
};

constexpr std::array kAiTable{
    AiSpec{"00", 2, 18, true, Charset::Numeric, Check::Sscc},
    AiSpec{"01", 2, 14, true, Charset::Numeric, Check::Gtin},
    AiSpec{"02", 2, 14, true, Charset::Numeric, Check::Gtin},
    AiSpec{"10", 2, 20, false, Charset::Alphanumeric, Check::None},
    AiSpec{"11", 2, 6, true, Charset::Numeric, Check::Date},
    AiSpec{"12", 2, 6, true, Charset::Numeric, Check::Date},
    AiSpec{"13", 2, 6, true, Charset::Numeric, Check::Date},
    AiSpec{"15", 2, 6, true, Charset::Numeric, Check::Date},
    AiSpec{"16", 2, 6, true, Charset::Numeric, Check::Date},
    AiSpec{"17", 2, 6, true, Charset::Numeric, Check::Date},
    AiSpec{"20", 2, 2, true, Charset::Numeric, Check::None},
    AiSpec{"21", 2, 20, false, Charset::Alphanumeric, Check::None},
    AiSpec{"22", 2, 20, false, Charset::Alphanumeric, Check::None},
    AiSpec{"240", 3, 30, false, Charset::Alphanumeric, Check::None},
    AiSpec{"241", 3, 30, false, Charset::Alphanumeric, Check::None},
    AiSpec{"250", 3, 30, false, Charset::Alphanumeric, Check::None},
    AiSpec{"30", 2, 8, false, Charset::Numeric, Check::None},
    AiSpec{"31", 4, 6, true, Charset::Numeric, Check::None},
    AiSpec{"32", 4, 6, true, Charset::Numeric, Check::None},
    AiSpec{"33", 4, 6, true, Charset::Numeric, Check::None},
    AiSpec{"34", 4, 6, true, Charset::Numeric, Check::None},
    AiSpec{"35", 4, 6, true, Charset::Numeric, Check::None},
    AiSpec{"36", 4, 6, true, Charset::Numeric, Check::None},
    AiSpec{"37", 2, 8, false, Charset::Numeric, Check::None},
    AiSpec{"400", 3, 30, false, Charset::Alphanumeric, Check::None},
    AiSpec{"41", 3, 13, true, Charset::Numeric, Check::Gtin},
    AiSpec{"420", 3, 20, false, Charset::Alphanumeric, Check::None},
    AiSpec{"421", 3, 12, false, Charset::Alphanumeric, Check::None},
    AiSpec{"8020", 4, 25, false, Charset::Alphanumeric, Check::None},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1).
bool IsCharset82(char c) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c)) return true;
    return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
}

std::string Describe(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) {
        constexpr std::string_view kHex = "0123456789ABCDEF";
        return std::string("control character 0x") + kHex[byte >> 4] + kHex[byte & 0xF];
    }
    return std::string("character '") + c + "'";
}

std::unexpected<Error> Invalid(std::size_t position, const std::string& why) {
    return Fail(ErrorCode::InvalidInput, "GS1 data at position " + std::to_string(position + 1) + ": " + why);
}

// The table entry for the AI at the start of `data`, if any.
const AiSpec* FindAi(std::string_view data) {
    for (const AiSpec& spec : kAiTable) {
        if (data.size() < spec.aiLength || !data.starts_with(spec.prefix)) continue;
        const std::string_view ai = data.substr(0, spec.aiLength);
        if (std::all_of(ai.begin(), ai.end(), IsDigit)) return &spec;
    }
    return nullptr;
}

// Checks one value against its AI's rules; `position` is where the value starts, for the message.
std::optional<std::string> CheckValue(const AiSpec& spec, std::string_view ai, std::string_view value,
                                      std::size_t& badOffset) {
    const std::string label = "(" + std::string(ai) + ")";
    if (value.empty()) return label + " is empty";
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        const bool ok = spec.charset == Charset::Numeric ? IsDigit(c) : IsCharset82(c);
        if (!ok) {
            badOffset = i;
            return label + " contains " + Describe(c) +
                   (spec.charset == Charset::Numeric ? " (digits only)" : " (outside the GS1 character set)");
        }
    }
    if (spec.fixed && value.size() < spec.length) {
        return label + " is truncated: " + std::to_string(value.size()) + " of " + std::to_string(spec.length) +
               " characters";
    }
    if (value.size() > spec.length) {
        return label + " is overlong: " + std::to_string(value.size()) + " characters, at most " +
               std::to_string(spec.length);
    }
    switch (spec.check) {
        case Check::None: break;
        case Check::Gtin:
        case Check::Sscc: {
            const int expected = Gs1CheckDigit(value.substr(0, value.size() - 1));
            if (value.back() - '0' != expected) {
                return label + " has a wrong check digit " + std::string(1, value.back()) + ", expected " +
                       std::to_string(expected);
            }
            break;
        }
        case Check::Date:
            if (auto date = ParseGs1Date(value); !date) return label + " " + date.error().message;
            break;
    }
    return std::nullopt;
}

}  // namespace

Result<Date> ParseGs1Date(std::string_view yymmdd) {
    if (yymmdd.size() != 6 || !std::all_of(yymmdd.begin(), yymmdd.end(), IsDigit)) {
        return Fail(ErrorCode::InvalidInput, "date '" + std::string(yymmdd) + "' is not YYMMDD");
    }
    auto two = [&](std::size_t at) { return (yymmdd[at] - '0') * 10 + (yymmdd[at + 1] - '0'); };
    const std::chrono::year year{2000 + two(0)};
    const std::chrono::month month{static_cast<unsigned>(two(2))};
    if (!month.ok()) return Fail(ErrorCode::InvalidInput, "date '" + std::string(yymmdd) + "' has month " + std::to_string(two(2)));
    if (two(4) == 0) return Date{std::chrono::year_month_day_last{year, std::chrono::month_day_last{month}}};
    const Date date{year, month, std::chrono::day{static_cast<unsigned>(two(4))}};
    if (!date.ok()) return Fail(ErrorCode::InvalidInput, "date '" + std::string(yymmdd) + "' does not exist");
    return date;
}

Result<std::vector<Gs1Element>> ParseGs1ElementString(std::string_view raw) {
    std::vector<Gs1Element> elements;
    std::size_t pos = 0;
    if (!raw.empty() && raw.front() == kGs1Separator) pos = 1;
    if (pos == raw.size()) return Invalid(pos, "no element");
    while (pos < raw.size()) {
        const std::string_view rest = raw.substr(pos);
        const AiSpec* spec = FindAi(rest);
        if (spec == nullptr) {
            const std::size_t shown = std::min<std::size_t>(rest.size(), 4);
            if (rest.size() < 2) return Invalid(pos, "truncated: an AI needs at least two digits");
            return Invalid(pos, "unknown AI at '" + std::string(rest.substr(0, shown)) + "'");
        }
        const std::string_view ai = rest.substr(0, spec->aiLength);
        const std::size_t valueStart = pos + spec->aiLength;
        std::size_t valueEnd = 0;
        if (spec->fixed) {
            valueEnd = std::min(raw.size(), valueStart + spec->length);
            // A fixed field shortened by a separator is truncated, not a shorter value.
            const std::size_t gs = raw.find(kGs1Separator, valueStart);
            if (gs != std::string_view::npos && gs < valueEnd) valueEnd = gs;
        } else {
            const std::size_t gs = raw.find(kGs1Separator, valueStart);
            valueEnd = gs == std::string_view::npos ? raw.size() : gs;
        }
        const std::string_view value = raw.substr(valueStart, valueEnd - valueStart);
        std::size_t badOffset = 0;
        if (auto why = CheckValue(*spec, ai, value, badOffset)) return Invalid(valueStart + badOffset, *why);
        elements.push_back({std::string(ai), std::string(value)});
        pos = valueEnd;
        if (pos < raw.size() && raw[pos] == kGs1Separator) {
            ++pos;
            if (pos == raw.size()) break;  // a trailing separator is harmless
        }
    }
    return elements;
}

Result<std::vector<Gs1Element>> ParseGs1HumanReadable(std::string_view text) {
    std::vector<Gs1Element> elements;
    std::size_t pos = 0;
    if (text.empty()) return Invalid(0, "no element");
    while (pos < text.size()) {
        if (text[pos] != '(') return Invalid(pos, "expected '(' before an AI, found " + Describe(text[pos]));
        const std::size_t close = text.find(')', pos);
        if (close == std::string_view::npos) return Invalid(pos, "truncated: '(' without ')'");
        const std::string_view ai = text.substr(pos + 1, close - pos - 1);
        const AiSpec* spec = FindAi(ai);
        if (spec == nullptr || spec->aiLength != ai.size()) return Invalid(pos, "unknown AI (" + std::string(ai) + ")");
        const std::size_t valueStart = close + 1;
        std::size_t valueEnd = text.find('(', valueStart);
        if (valueEnd == std::string_view::npos) valueEnd = text.size();
        const std::string_view value = text.substr(valueStart, valueEnd - valueStart);
        std::size_t badOffset = 0;
        if (auto why = CheckValue(*spec, ai, value, badOffset)) return Invalid(valueStart + badOffset, *why);
        if (spec->fixed && value.size() != spec->length) {
            return Invalid(valueStart, "(" + std::string(ai) + ") must have " + std::to_string(spec->length) + " characters");
        }
        elements.push_back({std::string(ai), std::string(value)});
        pos = valueEnd;
    }
    return elements;
}

std::string FormatGs1HumanReadable(const std::vector<Gs1Element>& elements) {
    std::string text;
    for (const Gs1Element& e : elements) text += "(" + e.ai + ")" + e.value;
    return text;
}

}  // namespace kiosk::core
