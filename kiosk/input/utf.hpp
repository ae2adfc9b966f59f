// UTF-8 ↔ UTF-16 for the engines' buffers (the Basic Multilingual Plane is all they use).
#pragma once

#include <string>
#include <string_view>

namespace kiosk::input {

inline std::string Utf16ToUtf8(const char16_t* s) {
    std::string out;
    for (; s != nullptr && *s != 0; ++s) {
        const auto c = static_cast<unsigned>(*s);
        if (c < 0x80U) {
            out += static_cast<char>(c);
        } else if (c < 0x800U) {
            out += static_cast<char>(0xC0U | (c >> 6U));
            out += static_cast<char>(0x80U | (c & 0x3FU));
        } else {
            out += static_cast<char>(0xE0U | (c >> 12U));
            out += static_cast<char>(0x80U | ((c >> 6U) & 0x3FU));
            out += static_cast<char>(0x80U | (c & 0x3FU));
        }
    }
    return out;
}

inline std::string Utf16ToUtf8(const std::u16string& s) { return Utf16ToUtf8(s.c_str()); }

inline std::string Utf16ToUtf8(const unsigned short* s) { return Utf16ToUtf8(reinterpret_cast<const char16_t*>(s)); }

inline std::u16string Utf8ToUtf16(std::string_view s) {
    std::u16string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        unsigned code = c;
        std::size_t length = 1;
        if (c >= 0xE0U) {
            length = 3;
            code = c & 0x0FU;
        } else if (c >= 0xC0U) {
            length = 2;
            code = c & 0x1FU;
        }
        if (c >= 0xF0U || i + length > s.size()) break;  // outside the BMP or truncated
        for (std::size_t k = 1; k < length; ++k) code = (code << 6U) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
        out += static_cast<char16_t>(code);
        i += length;
    }
    return out;
}

}  // namespace kiosk::input
