// PIN lockout: how many wrong PINs are free, and how long each further failure locks the badge.
#pragma once

#include <chrono>
#include <optional>

#include "kiosk/core/date.hpp"

namespace kiosk::core::admin {

struct LockoutPolicy {
    int freeFailures = 3;                          // wrong PINs in a row before the first lockout
    std::chrono::seconds firstDelay{30};           // the first lockout
    int growth = 2;                                // each further failure multiplies the delay
    std::chrono::seconds maxDelay{std::chrono::hours{1}};
};

// What is stored per staff member; survives restarts because it lives in the database.
struct LockoutState {
    int consecutiveFailures = 0;
    std::optional<Timestamp> lockedUntil;
    friend bool operator==(const LockoutState&, const LockoutState&) = default;
};

// The delay the `failures`-th failure in a row earns: zero up to freeFailures, then firstDelay,
// growing by `growth` per failure and capped at maxDelay.
std::chrono::seconds LockoutDelay(const LockoutPolicy& policy, int failures);

bool IsLocked(const LockoutState& state, Timestamp now);
// The state after one more wrong PIN at `now`.
LockoutState AfterFailure(const LockoutPolicy& policy, LockoutState state, Timestamp now);
// How many more wrong PINs are accepted before a lockout starts (0 when the next one locks or it is locked).
int FailuresBeforeLockout(const LockoutPolicy& policy, const LockoutState& state, Timestamp now);

}  // namespace kiosk::core::admin
