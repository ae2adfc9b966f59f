// Builds the HID reports a scanner would send for a text, shared by the decoder, fuzz and USB tests.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::testing {

// Press and release reports for each character on a US-layout keyboard scanner ('\n' is Enter).
inline std::vector<std::array<std::uint8_t, 8>> KeyReportsFor(std::string_view text) {
    constexpr std::string_view kPlain = "1234567890\n\x1b\b\t -=[]\\#;'`,./";
    constexpr std::string_view kShifted = "!@#$%^&*()\n\x1b\b\t _+{}|~:\"~<>?";
    std::vector<std::array<std::uint8_t, 8>> reports;
    for (char c : text) {
        std::uint8_t modifiers = 0;
        std::uint8_t usage = 0;
        if (c >= 'a' && c <= 'z') {
            usage = static_cast<std::uint8_t>(0x04 + (c - 'a'));
        } else if (c >= 'A' && c <= 'Z') {
            usage = static_cast<std::uint8_t>(0x04 + (c - 'A'));
            modifiers = 0x02;
        } else if (auto at = kPlain.find(c); at != std::string_view::npos) {
            usage = static_cast<std::uint8_t>(0x1E + at);
        } else if (auto shifted = kShifted.find(c); shifted != std::string_view::npos) {
            usage = static_cast<std::uint8_t>(0x1E + shifted);
            modifiers = 0x20;
        } else {
            throw std::invalid_argument("no key for this character");
        }
        reports.push_back({modifiers, 0, usage, 0, 0, 0, 0, 0});
        reports.push_back({0, 0, 0, 0, 0, 0, 0, 0});
    }
    return reports;
}

// HID POS input reports (report id 2, length, AIM id, 56 data bytes, continuation flag).
inline std::vector<std::array<std::uint8_t, 64>> PosReportsFor(std::string_view text, std::string_view aimId) {
    std::vector<std::array<std::uint8_t, 64>> reports;
    std::size_t offset = 0;
    do {
        std::array<std::uint8_t, 64> report{};
        const std::size_t length = std::min<std::size_t>(56, text.size() - offset);
        report[0] = 0x02;
        report[1] = static_cast<std::uint8_t>(length);
        for (std::size_t i = 0; i < aimId.size() && i < 3; ++i) report[2 + i] = static_cast<std::uint8_t>(aimId[i]);
        for (std::size_t i = 0; i < length; ++i) report[5 + i] = static_cast<std::uint8_t>(text[offset + i]);
        offset += length;
        report[63] = offset < text.size() ? 1 : 0;
        reports.push_back(report);
    } while (offset < text.size());
    return reports;
}

}  // namespace kiosk::testing
