// CSV files head office or a store clerk prepares: catalog, sales and staff. Parsing only; the rows go
// to the store in one transaction after every line has been checked.
//
// Files are UTF-8 (a leading byte-order mark is allowed), RFC 4180 quoting, a header row naming the
// columns in any order. A file with any bad line is refused as a whole: the error lists every bad line
// (up to kMaxReportedProblems) as "FILE:LINE: what", so the person fixing it sees all of them at once.
#pragma once

#include <string_view>
#include <vector>

#include "kiosk/core/catalog.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/staff.hpp"

namespace kiosk::importer {

inline constexpr int kMaxReportedProblems = 20;

template <class T>
struct Row {
    int line = 0;  // physical line where the record starts (the header is line 1)
    T value;
};

// Columns: gtin, sku, name_zh_hans, name_zh_hant, name_en, category, price, policy_id, serial_required,
// components. price in yuan ("4999" or "4999.00"); serial_required yes/no; components "body:12;battery:6"
// (months) or empty for the category's defaults. A GTIN may appear once per file.
core::Result<std::vector<Row<core::Product>>> ParseCatalogCsv(std::string_view text, std::string_view source);

// Columns: order_number, store_code, sold_on, customer_phone, gtin, serial, price. One row per sale line;
// rows sharing an order number form one sale and must agree on store, date and phone.
core::Result<std::vector<Row<core::Sale>>> ParseSalesCsv(std::string_view text, std::string_view source);

// Columns: staff_no, name, role, badge, active. role: clerk, technician or supervisor; active yes/no.
// Staff numbers and badges are unique in the file.
core::Result<std::vector<Row<core::Staff>>> ParseStaffCsv(std::string_view text, std::string_view source);

}  // namespace kiosk::importer
