// Byte-level building blocks of the sync protocol: SHA-256, HMAC-SHA256 request signatures, random
// keys and nonces, and zstd bodies. OpenSSL and libzstd stay inside this module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::sync {

using core::Result;

// Lower-case hex, 64 characters.
std::string Sha256Hex(std::string_view data);
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// Compares two strings in time independent of where they differ (for signatures).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// `bytes` random bytes as lower-case hex. Fails with Unavailable when the random source fails.
Result<std::string> RandomHex(std::size_t bytes);

Result<std::string> ZstdCompress(std::string_view data);
// Fails with InvalidInput for a body that is not zstd, or one that would expand past `maxSize`.
Result<std::string> ZstdDecompress(std::string_view data, std::size_t maxSize);

// What a request signature covers, one field per line (docs/sync-protocol.md, "Signing").
std::string CanonicalRequest(std::string_view method, std::string_view target, std::string_view kiosk,
                             std::int64_t timeMs, std::string_view nonce, std::string_view body);

}  // namespace kiosk::sync
