// What a customer can be offered for a faulty product.
#pragma once

#include <optional>
#include <string_view>

namespace kiosk::core {

enum class Remedy {
    Refund,      // 退货
    Exchange,    // 换货
    Repair,      // 修理 (free)
    PaidRepair,  // 付费维修, with an estimate
    Decline,     // the customer takes the product back as it is
};

std::string_view ToString(Remedy remedy);  // "refund", "exchange", "repair", "paid_repair", "decline"
std::optional<Remedy> ParseRemedy(std::string_view text);

}  // namespace kiosk::core
