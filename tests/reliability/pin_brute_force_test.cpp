// PIN brute force: an attacker at the kiosk tries 4-digit PINs in order, as fast as the lockout lets them.
#include "admin/admin_test_support.hpp"
#include "reliability_support.hpp"

using namespace kiosk;
using namespace kiosk::admin_test;
using core::admin::SignInOutcome;

TEST_CASE("security: guessing a 4-digit PIN is locked out long before it succeeds", "[reliability][security]") {
    AdminFixture f;
    const core::Timestamp start = At("2026-11-22T02:00:00Z");
    core::Timestamp now = start;
    int checked = 0;
    int lockouts = 0;
    bool found = false;
    // E1002's PIN is 1002: the 1003rd guess in order. A guess is made the moment the last lockout ends.
    for (int guess = 0; guess < 10000 && now - start < std::chrono::hours{24}; ++guess) {
        std::string pin = std::to_string(guess);
        pin.insert(0, 4 - pin.size(), '0');
        auto result = Ok(f.Admin().SignIn("E1002", pin, now));
        if (result.outcome == SignInOutcome::Locked) {
            REQUIRE(result.lockedUntil);
            now = *result.lockedUntil + std::chrono::seconds{1};
            --guess;
            continue;
        }
        ++checked;
        if (result.outcome == SignInOutcome::SignedIn) {
            found = true;
            break;
        }
        REQUIRE(result.outcome == SignInOutcome::WrongPin);
        if (result.lockedUntil) {
            ++lockouts;
            now = *result.lockedUntil;
        }
        now += std::chrono::seconds{1};
    }
    // With the lockout capped at an hour, about 24 guesses a day get through after the first hours: a
    // random 4-digit PIN takes months on average, every attempt audited and visible to supervisors.
    WARN("PIN brute force: " << checked << " PINs checked and " << lockouts << " lockouts in 24 hours of trying; found: "
                             << (found ? "yes" : "no"));
    CHECK_FALSE(found);
    CHECK(checked < 40);
}
