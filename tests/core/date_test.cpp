// Date parsing, formatting and the month arithmetic warranty periods rely on.
#include <catch2/catch.hpp>

#include "kiosk/core/date.hpp"

using namespace kiosk::core;
using namespace std::chrono;

namespace {
Date D(const char* text) { return ParseDate(text).value(); }
}  // namespace

TEST_CASE("dates parse and format round trip", "[date]") {
    CHECK(FormatDate(D("2026-11-22")) == "2026-11-22");
    CHECK(FormatDate(D("2024-02-29")) == "2024-02-29");
}

TEST_CASE("malformed or impossible dates are rejected with the text in the message", "[date]") {
    for (const char* bad : {"2023-02-29", "2026-13-01", "2026-1-01", "26-11-22", "2026/11/22", "", "2026-11-22x"}) {
        INFO(bad);
        auto parsed = ParseDate(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::InvalidInput);
        CHECK_THAT(parsed.error().message, Catch::Contains(std::string("'") + bad + "'"));
    }
}

TEST_CASE("adding months clamps to the end of a shorter month", "[date]") {
    CHECK(AddMonths(D("2024-01-31"), 1) == D("2024-02-29"));  // leap year
    CHECK(AddMonths(D("2025-01-31"), 1) == D("2025-02-28"));
    CHECK(AddMonths(D("2024-02-29"), 12) == D("2025-02-28"));
    CHECK(AddMonths(D("2024-02-29"), 48) == D("2028-02-29"));
    CHECK(AddMonths(D("2026-11-22"), 6) == D("2027-05-22"));
    CHECK(AddMonths(D("2026-08-31"), 6) == D("2027-02-28"));
}

TEST_CASE("days between and adding days cross month and year ends", "[date]") {
    CHECK(DaysBetween(D("2024-02-25"), D("2024-03-03")) == 7);
    CHECK(DaysBetween(D("2023-02-25"), D("2023-03-03")) == 6);
    CHECK(DaysBetween(D("2026-11-22"), D("2026-11-22")) == 0);
    CHECK(DaysBetween(D("2026-11-22"), D("2026-11-21")) == -1);
    CHECK(AddDays(D("2026-12-28"), 7) == D("2027-01-04"));
}

TEST_CASE("timestamps parse with Z or an offset and format as UTC", "[date]") {
    auto utc = ParseTimestamp("2026-11-22T08:30:00Z");
    REQUIRE(utc);
    CHECK(FormatTimestamp(*utc) == "2026-11-22T08:30:00Z");
    auto beijing = ParseTimestamp("2026-11-22T16:30:00+08:00");
    REQUIRE(beijing);
    CHECK(*beijing == *utc);
    CHECK_FALSE(ParseTimestamp("2026-11-22T24:00:00Z"));
    CHECK_FALSE(ParseTimestamp("2026-11-22 08:30"));
}

TEST_CASE("the local date depends on the store's offset", "[date]") {
    auto t = ParseTimestamp("2026-11-22T16:30:00Z").value();
    CHECK(LocalDate(t, minutes{0}) == D("2026-11-22"));
    CHECK(LocalDate(t, minutes{8 * 60}) == D("2026-11-23"));
}

TEST_CASE("local times show the store's clock and offset", "[date]") {
    auto t = ParseTimestamp("2026-11-22T16:30:00Z").value();
    CHECK(FormatLocalTime(t, minutes{8 * 60}) == "2026-11-23 00:30 +08:00");
    CHECK(FormatLocalTime(t, minutes{-(5 * 60 + 30)}) == "2026-11-22 11:00 -05:30");
}
