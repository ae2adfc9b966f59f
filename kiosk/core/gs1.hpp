// GS1 element strings: Application Identifiers (AIs) and their values, from raw scanner data or the
// parenthesised human-readable form, checked against the AI table we know.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/error.hpp"

namespace kiosk::core {

// FNC1 as scanners transmit it inside GS1 data: the ASCII group separator. It ends a variable-length
// field; a leading one (FNC1 in first position, sent by some scanners) is ignored.
inline constexpr char kGs1Separator = '\x1D';

// One GS1 Application Identifier and its value, in the order they appeared.
struct Gs1Element {
    std::string ai;       // "01", "10", "17", "21", "3103", ...
    std::string value;
    friend bool operator==(const Gs1Element&, const Gs1Element&) = default;
};

// Parses raw GS1 data: AI, value, AI, value... A fixed-length field (01, 11, 17, ...) takes exactly its
// length; a variable-length field (10, 21, ...) runs to the next GS (0x1D) or the end of the data.
// Known AIs: 00 (SSCC), 01/02 (GTIN, check digit verified), 10 (batch), 11/12/13/15/16/17 (dates
// YYMMDD, day 00 = the month's last day), 20, 21 (serial), 22, 240, 241, 250, 30, 37, 310n-369n
// (measures), 400, 410-417, 420, 421, 8020. Fails with InvalidInput naming the position and why: an
// unknown AI, a truncated or overlong field, an empty field, a wrong check digit, an invalid date, a
// non-digit in a numeric field, or a character outside the GS1 character set (control characters).
Result<std::vector<Gs1Element>> ParseGs1ElementString(std::string_view raw);

// Parses "(01)09501101530003(17)260630(10)AB-123": the same checks, each value bounded by brackets.
Result<std::vector<Gs1Element>> ParseGs1HumanReadable(std::string_view text);

// "(01)09501101530003(10)AB-123": the human-readable form of parsed elements.
std::string FormatGs1HumanReadable(const std::vector<Gs1Element>& elements);

// A GS1 date YYMMDD. The year is 20YY (a kiosk reads codes of this century); day 00 means the last
// day of the month, as GS1 specifies for best-before and expiry dates.
Result<Date> ParseGs1Date(std::string_view yymmdd);

}  // namespace kiosk::core
