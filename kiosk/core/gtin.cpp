// GS1 check-digit validation and normalisation to 14 digits.
#include "kiosk/core/gtin.hpp"

#include <algorithm>

namespace kiosk::core {

int Gs1CheckDigit(std::string_view digits) {
    // Weights 3,1,3,1... counted from the rightmost digit.
    int sum = 0;
    int weight = 3;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        sum += (*it - '0') * weight;
        weight = weight == 3 ? 1 : 3;
    }
    return (10 - sum % 10) % 10;
}

Result<Gtin> Gtin::Parse(std::string_view text) {
    const std::string shown(text);
    if (text.size() != 8 && text.size() != 12 && text.size() != 13 && text.size() != 14) {
        return Fail(ErrorCode::InvalidInput, "GTIN '" + shown + "' has " + std::to_string(text.size()) +
                                                 " characters; expected 8, 12, 13 or 14 digits");
    }
    auto nonDigit = std::find_if(text.begin(), text.end(), [](char c) { return c < '0' || c > '9'; });
    if (nonDigit != text.end()) {
        return Fail(ErrorCode::InvalidInput,
                    "GTIN '" + shown + "' contains a non-digit at position " +
                        std::to_string(nonDigit - text.begin() + 1));
    }
    const int expected = Gs1CheckDigit(text.substr(0, text.size() - 1));
    const int actual = text.back() - '0';
    if (expected != actual) {
        return Fail(ErrorCode::InvalidInput, "GTIN '" + shown + "' has check digit " + std::to_string(actual) +
                                                 ", expected " + std::to_string(expected));
    }
    return Gtin(std::string(14 - text.size(), '0') + shown);
}

std::string Gtin::Display() const {
    if (m_digits14.starts_with("000000")) return m_digits14.substr(6);
    if (m_digits14.front() == '0') return m_digits14.substr(1);
    return m_digits14;
}

}  // namespace kiosk::core
