// GS1 Application Identifier parsing: raw element strings and the bracketed human-readable form.
#include <catch2/catch.hpp>

#include "kiosk/core/gs1.hpp"

using namespace kiosk::core;

namespace {
const std::string kGs = std::string(1, kGs1Separator);
}

TEST_CASE("a raw element string splits into its AIs", "[gs1]") {
    auto parsed = ParseGs1ElementString("0109501101530003" "17260600" "10AB-123" + kGs + "21S1");
    REQUIRE(parsed);
    CHECK(*parsed == std::vector<Gs1Element>{{"01", "09501101530003"}, {"17", "260600"}, {"10", "AB-123"}, {"21", "S1"}});
}

TEST_CASE("a leading FNC1 and a trailing separator are ignored", "[gs1]") {
    auto parsed = ParseGs1ElementString(kGs + "0109501101530003" "21XYZ" + kGs);
    REQUIRE(parsed);
    REQUIRE(parsed->size() == 2);
    CHECK((*parsed)[1] == Gs1Element{"21", "XYZ"});
}

TEST_CASE("four-digit measure AIs are recognised", "[gs1]") {
    auto parsed = ParseGs1ElementString("01095011015300033103001250");
    REQUIRE(parsed);
    CHECK((*parsed)[1] == Gs1Element{"3103", "001250"});
}

TEST_CASE("the human-readable form parses to the same elements", "[gs1]") {
    auto hri = ParseGs1HumanReadable("(01)09501101530003(17)260600(10)AB-123(21)S1");
    auto raw = ParseGs1ElementString("010950110153000317260600" "10AB-123" + kGs + "21S1");
    REQUIRE(hri);
    REQUIRE(raw);
    CHECK(*hri == *raw);
    CHECK(FormatGs1HumanReadable(*hri) == "(01)09501101530003(17)260600(10)AB-123(21)S1");
}

TEST_CASE("GS1 dates: day 00 is the month's last day", "[gs1]") {
    using namespace std::chrono;
    CHECK(ParseGs1Date("260600").value() == Date{year{2026}, June, day{30}});
    CHECK(ParseGs1Date("280200").value() == Date{year{2028}, February, day{29}});
    CHECK(ParseGs1Date("261231").value() == Date{year{2026}, December, day{31}});
    CHECK_FALSE(ParseGs1Date("261301"));
    CHECK_FALSE(ParseGs1Date("260231"));
    CHECK_FALSE(ParseGs1Date("26061"));
}

TEST_CASE("malformed GS1 data is rejected with the reason and position", "[gs1]") {
    struct Case { std::string input; const char* reason; };
    for (const Case& c : {Case{"010950110153", "truncated"},
                          Case{"0109501101530004", "check digit"},
                          Case{"0109501101530003" "99ABC", "unknown AI"},
                          Case{"0109501101530003" "21" + std::string(21, 'A'), "overlong"},
                          Case{"0109501101530003" "17261301", "month"},
                          Case{"0109501101530003" "21A\x01" "B", "control character 0x01"},
                          Case{"01095011015300" + kGs + "21A", "truncated"},
                          Case{"0109501101530003" "21" + kGs + "10A", "empty"},
                          Case{"0109501101530003" "1", "truncated"},
                          Case{"01A9501101530003", "digits only"}}) {
        INFO(c.input);
        auto parsed = ParseGs1ElementString(c.input);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::InvalidInput);
        CHECK_THAT(parsed.error().message, Catch::Contains(c.reason));
        CHECK_THAT(parsed.error().message, Catch::Contains("position"));
    }
}

TEST_CASE("malformed human-readable GS1 is rejected", "[gs1]") {
    CHECK_FALSE(ParseGs1HumanReadable("(01)0950110153000"));        // truncated
    CHECK_FALSE(ParseGs1HumanReadable("(99)ABC"));                  // unknown AI
    CHECK_FALSE(ParseGs1HumanReadable("(01)09501101530003(21"));    // no closing bracket
    CHECK_FALSE(ParseGs1HumanReadable("x(01)09501101530003"));      // not starting with an AI
    CHECK_FALSE(ParseGs1HumanReadable(""));
}
