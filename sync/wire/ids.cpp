// UUIDs from OpenSSL's random source.
#include "sync/wire/ids.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

namespace kiosk::wire {

bool IsUuid(std::string_view text) {
    constexpr std::string_view kHexDigits = "0123456789abcdef";
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (text[i] == '-')) return false;
        if (!dash && kHexDigits.find(static_cast<char>(text[i] | 0x20)) == std::string_view::npos) return false;
    }
    return true;
}

core::Result<std::string> RandomUuid() {
    std::array<std::uint8_t, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        return core::Fail(core::ErrorCode::Unavailable, "the system random source failed; cannot make a record id");
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4: random
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
    constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += kHex[bytes[i] >> 4];
        text += kHex[bytes[i] & 0x0f];
    }
    return text;
}

}  // namespace kiosk::wire
