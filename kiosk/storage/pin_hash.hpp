// Staff PINs hashed with argon2id and a random per-hash salt, stored in argon2's encoded form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::storage {

// The cost of one hash. The defaults are OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane):
// a PIN has only 10^4..10^8 values, so the cost per guess, not the keyspace, is what slows an
// attacker with a copy of the database; the online guesser is stopped by the lockout instead.
struct PinHashParams {
    std::uint32_t timeCost = 2;
    std::uint32_t memoryKiB = 19 * 1024;
    std::uint32_t parallelism = 1;
};

// A PIN is 4 to 8 digits. InvalidInput otherwise (the message never repeats the PIN).
core::Result<void> ValidatePin(std::string_view pin);

// "$argon2id$v=19$m=...,t=...,p=...$salt$hash" with a fresh 16-byte salt. Fails with InvalidInput for
// a malformed PIN, Unavailable when the random source or the hash fails.
core::Result<std::string> HashPin(std::string_view pin, const PinHashParams& params = {});

// True when `pin` matches; false for a wrong PIN. Corrupt when `encoded` is not an argon2id hash.
// Costs one hash at the parameters stored in `encoded`.
core::Result<bool> VerifyPin(std::string_view encoded, std::string_view pin);

}  // namespace kiosk::storage
