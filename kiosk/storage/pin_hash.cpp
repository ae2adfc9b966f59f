// argon2id PIN hashing over libargon2; its error codes stay in this file.
#include "kiosk/storage/pin_hash.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <argon2.h>
#include <openssl/rand.h>

namespace kiosk::storage {

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

}  // namespace

core::Result<void> ValidatePin(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 8 || !std::ranges::all_of(pin, [](char c) { return c >= '0' && c <= '9'; })) {
        return core::Fail(core::ErrorCode::InvalidInput, "a PIN is 4 to 8 digits");
    }
    return {};
}

core::Result<std::string> HashPin(std::string_view pin, const PinHashParams& params) {
    if (auto ok = ValidatePin(pin); !ok) return std::unexpected(std::move(ok.error()));
    std::array<unsigned char, kSaltBytes> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
        return core::Fail(core::ErrorCode::Unavailable,
                          "no random salt for a PIN hash: the system random source failed");
    }
    const std::size_t length = argon2_encodedlen(params.timeCost, params.memoryKiB, params.parallelism,
                                                 static_cast<std::uint32_t>(salt.size()), kHashBytes, Argon2_id);
    std::vector<char> encoded(length);
    const int rc = argon2id_hash_encoded(params.timeCost, params.memoryKiB, params.parallelism, pin.data(), pin.size(),
                                         salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) {
        return core::Fail(core::ErrorCode::Unavailable,
                          std::string("argon2id hashing failed: ") + argon2_error_message(rc));
    }
    return std::string(encoded.data());
}

core::Result<bool> VerifyPin(std::string_view encoded, std::string_view pin) {
    if (!encoded.starts_with("$argon2id$")) {
        return core::Fail(core::ErrorCode::Corrupt, "a stored PIN hash is not in argon2id form");
    }
    const std::string text(encoded);  // argon2 wants a NUL-terminated string
    const int rc = argon2id_verify(text.c_str(), pin.data(), pin.size());
    if (rc == ARGON2_OK) return true;
    if (rc == ARGON2_VERIFY_MISMATCH) return false;
    if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) {
        return core::Fail(core::ErrorCode::Unavailable, "argon2id could not allocate memory to check a PIN");
    }
    return core::Fail(core::ErrorCode::Corrupt,
                      std::string("a stored PIN hash does not decode: ") + argon2_error_message(rc));
}

}  // namespace kiosk::storage
