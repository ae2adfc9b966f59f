// Customer tiers from history, phone normalisation and masking.
#include <catch2/catch.hpp>

#include "kiosk/core/customer.hpp"

using namespace kiosk::core;

TEST_CASE("tiers come from visits and spend against configurable thresholds", "[customer]") {
    TierThresholds t;
    t.returningMinVisits = 1;
    t.vipMinVisits = 10;
    t.vipMinSpend = 2000000;
    CHECK(DeriveTier({0, 0}, t) == Tier::New);
    CHECK(DeriveTier({1, 5000}, t) == Tier::Returning);
    CHECK(DeriveTier({9, 1999999}, t) == Tier::Returning);
    CHECK(DeriveTier({10, 100}, t) == Tier::Vip);
    CHECK(DeriveTier({1, 2000000}, t) == Tier::Vip);
    t.returningMinVisits = 3;
    CHECK(DeriveTier({2, 5000}, t) == Tier::New);
}

TEST_CASE("phone numbers are normalised and checked", "[customer]") {
    CHECK(NormalizePhone("138 1234 5678").value() == "13812345678");
    CHECK(NormalizePhone("+86 138-1234-5678").value() == "+8613812345678");
    CHECK(NormalizePhone("9123 4567").value() == "91234567");
    CHECK(NormalizePhone("0912345678").value() == "0912345678");
    CHECK(NormalizePhone("1381234567").error().code == ErrorCode::InvalidInput);
    CHECK_THAT(NormalizePhone("138x2345678").error().message, Catch::Contains("'x'"));
    CHECK_FALSE(NormalizePhone("+1 415 555 0100"));
}

TEST_CASE("masked phones show only the first three and last four digits", "[customer]") {
    CHECK(MaskPhone("13812345678") == "138****5678");
    CHECK(MaskPhone("+8613812345678") == "+86*******5678");
    CHECK(MaskPhone("91234567") == "912*4567");
    CHECK(MaskPhone("1234") == "****");
}
