// Customer tiers and phone numbers.
#include "kiosk/core/customer.hpp"

#include <algorithm>

namespace kiosk::core {

std::string_view ToString(Tier tier) {
    switch (tier) {
        case Tier::New: return "new";
        case Tier::Returning: return "returning";
        case Tier::Vip: return "vip";
    }
    return "new";
}

std::optional<Tier> ParseTier(std::string_view text) {
    if (text == "new") return Tier::New;
    if (text == "returning") return Tier::Returning;
    if (text == "vip" || text == "VIP") return Tier::Vip;
    return std::nullopt;
}

Tier DeriveTier(const CustomerHistory& history, const TierThresholds& thresholds) {
    if (history.visits >= thresholds.vipMinVisits || history.spend >= thresholds.vipMinSpend) return Tier::Vip;
    if (history.visits >= thresholds.returningMinVisits && history.visits > 0) return Tier::Returning;
    return Tier::New;
}

Result<std::string> NormalizePhone(std::string_view text) {
    std::string prefix;
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '-') continue;
        if (c == '+' && i == 0) {
            prefix.push_back('+');
            continue;
        }
        if (c < '0' || c > '9') {
            return Fail(ErrorCode::InvalidInput, "phone number '" + std::string(text) +
                                                     "' contains '" + std::string(1, c) + "'");
        }
        digits += c;
    }
    if (!prefix.empty()) {
        for (std::string_view cc : {"86", "852", "853", "886"}) {
            if (digits.starts_with(cc)) {
                prefix += cc;
                digits.erase(0, cc.size());
                break;
            }
        }
        if (prefix == "+") {
            return Fail(ErrorCode::InvalidInput,
                        "phone number '" + std::string(text) + "' has an unsupported country code");
        }
    }
    const bool mainland = digits.size() == 11 && digits[0] == '1';
    const bool hkMacau = digits.size() == 8 && (prefix.empty() || prefix == "+852" || prefix == "+853");
    const bool taiwan = digits.size() == 10 && digits.starts_with("09");
    if (!mainland && !hkMacau && !taiwan) {
        return Fail(ErrorCode::InvalidInput, "phone number '" + std::string(text) +
                                                 "' is not an 11-digit mobile number (or 8 digits in Hong Kong "
                                                 "and Macau, 09 + 8 digits in Taiwan)");
    }
    return prefix + digits;
}

std::string MaskPhone(std::string_view phone) {
    if (phone.size() <= 7) return std::string(phone.size(), '*');
    const std::size_t hidden = phone.size() - 7;
    return std::string(phone.substr(0, 3)) + std::string(hidden, '*') + std::string(phone.substr(phone.size() - 4));
}

}  // namespace kiosk::core
