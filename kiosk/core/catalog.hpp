// Products, their components and the sales that prove a purchase.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/gtin.hpp"
#include "kiosk/core/language.hpp"

namespace kiosk::core {

using Money = std::int64_t;  // in fen (1/100 yuan)

// A part of a product with its own warranty period, e.g. a phone's battery (6 months).
struct Component {
    std::string id;  // "body", "battery", "headset", ...
    int warrantyMonths = 0;
    friend bool operator==(const Component&, const Component&) = default;
};

struct Product {
    Gtin gtin;
    std::string sku;
    LocalizedText name;
    std::string category;  // a category id of the warranty policy table: "phone", "computer", ...
    Money price = 0;
    std::string policyId;  // which policy table applies
    bool serialRequired = false;
    // Components with periods of their own. Empty means the category's defaults in the policy table.
    std::vector<Component> components;
};

struct SaleLine {
    Gtin gtin;
    std::string serial;  // empty when the product has none
    Money price = 0;
};

struct Sale {
    std::string orderNumber;
    std::string storeCode;
    Date soldOn;
    std::string customerPhone;  // empty for anonymous sales
    std::vector<SaleLine> lines;
};

}  // namespace kiosk::core
