// GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) as a validated value; the catalog key.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::core {

class Gtin {
public:
    // Accepts 8, 12, 13 or 14 digits with a correct GS1 mod-10 check digit. Fails with InvalidInput
    // saying whether the length, a character or the check digit is wrong.
    static Result<Gtin> Parse(std::string_view text);

    // The 14-digit form every GTIN has in GS1 terms; used as the storage key.
    const std::string& Digits14() const { return m_digits14; }
    // The form people read: EAN-8 when it is one, otherwise EAN-13 (GTIN-14 when it needs 14 digits).
    std::string Display() const;

    friend bool operator==(const Gtin&, const Gtin&) = default;

private:
    explicit Gtin(std::string digits14) : m_digits14(std::move(digits14)) {}
    std::string m_digits14;
};

// The GS1 mod-10 check digit for the given digits (without the check digit). Digits only.
int Gs1CheckDigit(std::string_view digitsWithoutCheck);

}  // namespace kiosk::core
