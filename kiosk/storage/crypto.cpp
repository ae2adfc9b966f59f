// UUIDs from OpenSSL's random source.
#include "crypto.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

namespace kiosk::storage {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendHex(std::string& out, std::uint8_t byte) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
}

}  // namespace

core::Result<std::string> RandomUuid() {
    std::array<std::uint8_t, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        return core::Fail(core::ErrorCode::Unavailable, "the system random source failed; cannot make a record id");
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4: random
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        AppendHex(text, bytes[i]);
    }
    return text;
}

}  // namespace kiosk::storage
