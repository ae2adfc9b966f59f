// Lockout arithmetic: a growing delay per failure past the free ones, capped.
#include "kiosk/core/admin/lockout.hpp"

#include <algorithm>

namespace kiosk::core::admin {

std::chrono::seconds LockoutDelay(const LockoutPolicy& policy, int failures) {
    if (failures <= policy.freeFailures) return std::chrono::seconds{0};
    std::chrono::seconds delay = policy.firstDelay;
    for (int i = policy.freeFailures + 1; i < failures && delay < policy.maxDelay; ++i) {
        delay *= std::max(policy.growth, 1);
    }
    return std::min(delay, policy.maxDelay);
}

bool IsLocked(const LockoutState& state, Timestamp now) {
    return state.lockedUntil && now < *state.lockedUntil;
}

LockoutState AfterFailure(const LockoutPolicy& policy, LockoutState state, Timestamp now) {
    state.consecutiveFailures += 1;
    const auto delay = LockoutDelay(policy, state.consecutiveFailures);
    if (delay > std::chrono::seconds{0}) {
        state.lockedUntil = now + delay;
    }
    return state;
}

int FailuresBeforeLockout(const LockoutPolicy& policy, const LockoutState& state, Timestamp now) {
    if (IsLocked(state, now)) return 0;
    return std::max(policy.freeFailures - state.consecutiveFailures, 0);
}

}  // namespace kiosk::core::admin
