// Assessing a warranty claim: from what the customer scanned or typed (a product, a serial, a sales
// receipt) to the product, the proof of purchase and the policy's decision.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/catalog.hpp"
#include "kiosk/core/ports.hpp"
#include "kiosk/core/warranty.hpp"

namespace kiosk::core {

struct ClaimFacts {
    std::optional<Gtin> gtin;
    std::string serial;                 // serial number or IMEI, if given
    std::string orderNumber;            // from a scanned sales receipt, if given
    std::optional<Date> statedPurchase; // what the customer says, used when no sale is on record
    Date today;
    std::string fault = "performance";
    std::string component;
    std::vector<std::string> exclusions;
    RepairHistory history;
};

struct ClaimAssessment {
    Product product;
    std::optional<Sale> sale;           // the sale on record that proves the purchase
    Date purchasedOn;
    bool proofToVerify = false;         // no sale on record: the date is the customer's word
    bool serialMismatch = false;        // the serial on record belongs to another product
    WarrantyDecision decision;
};

// Finds the sale (by order number, else by serial), the product (the GTIN given, else the sale's), and
// decides. A serial recorded against another product adds the policy's "serial_mismatch" exclusion.
// Fails with NotFound when the product or order is unknown, InvalidInput when there is neither a sale
// nor a stated purchase date, or when an order holds several products and no GTIN says which, and
// with the errors of DecideWarranty.
Result<ClaimAssessment> AssessClaim(CatalogReader& catalog, const PolicyTable& policy, const ClaimFacts& facts);

}  // namespace kiosk::core
