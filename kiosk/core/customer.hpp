// Customers are known by phone number; their tier comes from their purchase history.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/catalog.hpp"
#include "kiosk/core/error.hpp"

namespace kiosk::core {

enum class Tier { New, Returning, Vip };

std::string_view ToString(Tier tier);
std::optional<Tier> ParseTier(std::string_view text);

struct CustomerHistory {
    int visits = 0;     // distinct purchases (orders) on record
    Money spend = 0;    // total of those purchases
};

// Configurable per chain. A customer is VIP when either VIP threshold is reached, returning when they
// have at least `returningMinVisits` purchases, and new otherwise.
struct TierThresholds {
    int returningMinVisits = 1;
    int vipMinVisits = 10;
    Money vipMinSpend = 2000000;  // 20,000 yuan
};

Tier DeriveTier(const CustomerHistory& history, const TierThresholds& thresholds);

// Mainland mobile numbers (11 digits starting with 1), Hong Kong / Macau (8 digits) and Taiwan
// (09 + 8 digits). Spaces and dashes are removed; an optional +86/+852/+853/+886 prefix is kept.
Result<std::string> NormalizePhone(std::string_view text);
// "13812345678" -> "138****5678": only the first three and last four digits stay visible.
std::string MaskPhone(std::string_view phone);

}  // namespace kiosk::core
