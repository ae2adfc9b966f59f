// The port behind "search by name" and "browse by category": the customer who has no barcode to scan.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/error.hpp"
#include "kiosk/core/gtin.hpp"
#include "kiosk/core/language.hpp"

namespace kiosk::core::flow {

struct ProductSummary {
    Gtin gtin;
    LocalizedText name;
    std::string category;
};

class ProductDirectory {
public:
    virtual ~ProductDirectory() = default;
    // Category ids that have at least one product, sorted. Fails with Storage/Busy.
    virtual Result<std::vector<std::string>> Categories() = 0;
    // Products of a category, by name; at most `limit`. Fails with Storage/Busy.
    virtual Result<std::vector<ProductSummary>> InCategory(std::string_view category, int limit) = 0;
    // Products whose name (in any language) or SKU contains `text`, case-insensitively for Latin
    // letters; at most `limit`. An empty text finds nothing. Fails with Storage/Busy.
    virtual Result<std::vector<ProductSummary>> Search(std::string_view text, int limit) = 0;
};

}  // namespace kiosk::core::flow
