// Claim assessment: proof of purchase from the sales on record, then the policy decision.
#include "kiosk/core/claim.hpp"

#include <algorithm>

namespace kiosk::core {
namespace {

inline constexpr std::string_view kSerialMismatch = "serial_mismatch";

}  // namespace

Result<ClaimAssessment> AssessClaim(CatalogReader& catalog, const PolicyTable& policy, const ClaimFacts& facts) {
    std::optional<Sale> sale;
    bool serialMismatch = false;
    std::optional<Gtin> gtin = facts.gtin;

    if (!facts.orderNumber.empty()) {
        auto found = catalog.FindSale(facts.orderNumber);
        if (!found) return std::unexpected(found.error());
        if (!*found) return Fail(ErrorCode::NotFound, "order " + facts.orderNumber + " is not in the sales on record");
        sale = std::move(**found);
        const auto& lines = sale->lines;
        if (gtin) {
            auto it = std::find_if(lines.begin(), lines.end(), [&](const SaleLine& l) { return l.gtin == *gtin; });
            if (it == lines.end()) {
                return Fail(ErrorCode::InvalidInput,
                            "order " + facts.orderNumber + " does not contain product " + gtin->Display());
            }
        } else if (lines.size() == 1) {
            gtin = lines.front().gtin;
        } else {
            return Fail(ErrorCode::InvalidInput, "order " + facts.orderNumber + " holds " +
                                                     std::to_string(lines.size()) +
                                                     " products: scan or give the product's GTIN");
        }
    } else if (!facts.serial.empty()) {
        auto found = catalog.FindSaleBySerial(facts.serial);
        if (!found) return std::unexpected(found.error());
        if (*found) {
            const auto& lines = (*found)->lines;
            auto line = std::find_if(lines.begin(), lines.end(), [&](const SaleLine& l) { return l.serial == facts.serial; });
            if (gtin && line != lines.end() && line->gtin != *gtin) {
                serialMismatch = true;
            } else {
                if (!gtin && line != lines.end()) gtin = line->gtin;
                sale = std::move(**found);
            }
        }
    }

    if (!gtin) return Fail(ErrorCode::InvalidInput, "no product: scan the product, its serial or the sales receipt");
    auto product = catalog.FindProduct(*gtin);
    if (!product) return std::unexpected(product.error());
    if (!*product) return Fail(ErrorCode::NotFound, "product " + gtin->Display() + " is not in the catalog");
    if (!(*product)->policyId.empty() && (*product)->policyId != policy.id) {
        return Fail(ErrorCode::InvalidInput, "product " + gtin->Display() + " follows policy '" + (*product)->policyId +
                                                 "', but the loaded policy is '" + policy.id + "'");
    }

    Date purchasedOn;
    bool proofToVerify = false;
    if (sale) {
        purchasedOn = sale->soldOn;
    } else if (facts.statedPurchase) {
        purchasedOn = *facts.statedPurchase;
        proofToVerify = true;
    } else {
        return Fail(ErrorCode::InvalidInput,
                    "no sale on record for this product: the purchase date must be stated (and is then checked by staff)");
    }

    WarrantyQuery query;
    query.category = (*product)->category;
    query.productComponents = (*product)->components;
    query.component = facts.component;
    query.purchasedOn = purchasedOn;
    query.today = facts.today;
    query.fault = facts.fault;
    query.exclusions = facts.exclusions;
    query.history = facts.history;
    if (serialMismatch && policy.FindExclusion(kSerialMismatch) != nullptr &&
        std::find(query.exclusions.begin(), query.exclusions.end(), kSerialMismatch) == query.exclusions.end()) {
        query.exclusions.emplace_back(kSerialMismatch);
    }
    auto decision = DecideWarranty(policy, query);
    if (!decision) return std::unexpected(decision.error());
    return ClaimAssessment{std::move(**product), std::move(sale), purchasedOn, proofToVerify, serialMismatch,
                           std::move(*decision)};
}

}  // namespace kiosk::core
