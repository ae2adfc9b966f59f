// GTIN check digits and normalisation.
#include <catch2/catch.hpp>

#include "kiosk/core/gtin.hpp"

using namespace kiosk::core;

TEST_CASE("valid GTINs of every length normalise to 14 digits", "[gtin]") {
    struct Case { const char* input; const char* digits14; const char* display; };
    for (const Case& c : {Case{"6901234567892", "06901234567892", "6901234567892"},   // EAN-13
                          Case{"036000291452", "00036000291452", "0036000291452"},    // UPC-A
                          Case{"96385074", "00000096385074", "96385074"},             // EAN-8
                          Case{"10614141000415", "10614141000415", "10614141000415"}}) {  // GTIN-14
        INFO(c.input);
        auto gtin = Gtin::Parse(c.input);
        REQUIRE(gtin);
        CHECK(gtin->Digits14() == c.digits14);
        CHECK(gtin->Display() == c.display);
    }
}

TEST_CASE("UPC-A and its EAN-13 form are the same GTIN", "[gtin]") {
    CHECK(Gtin::Parse("036000291452").value() == Gtin::Parse("0036000291452").value());
}

TEST_CASE("a wrong check digit names the expected digit", "[gtin]") {
    auto gtin = Gtin::Parse("6901234567893");
    REQUIRE_FALSE(gtin);
    CHECK(gtin.error().code == ErrorCode::InvalidInput);
    CHECK_THAT(gtin.error().message, Catch::Contains("expected 2"));
}

TEST_CASE("wrong lengths and non-digits are rejected", "[gtin]") {
    CHECK_THAT(Gtin::Parse("123").error().message, Catch::Contains("3 characters"));
    CHECK_THAT(Gtin::Parse("69012345678A2").error().message, Catch::Contains("position 12"));
    CHECK_FALSE(Gtin::Parse(""));
    CHECK_FALSE(Gtin::Parse(" 6901234567892"));
}

TEST_CASE("the GS1 check digit follows the 3-1 weighting", "[gtin]") {
    CHECK(Gs1CheckDigit("690123456789") == 2);
    CHECK(Gs1CheckDigit("03600029145") == 2);
    CHECK(Gs1CheckDigit("9638507") == 4);
}
