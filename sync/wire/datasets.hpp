// Data sets head office publishes to kiosks (catalog, policy, SLA targets, calendar, self-help, scripts, staff,
// sales): their names, the key of their items, the JSON form of the row data sets' items, and one
// published update as it travels (docs/sync-protocol.md, "Downstream").
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/catalog.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/staff.hpp"

namespace kiosk::wire {

// Row data sets are published as items (upserted by key); document data sets as one whole TOML text.
inline constexpr std::array<std::string_view, 9> kDatasets{"catalog", "policy", "sla", "calendar", "faq", "scripts", "notifications", "staff", "sales"};
bool IsDataset(std::string_view name);
bool IsDocumentDataset(std::string_view name);  // policy, sla, calendar, faq, scripts, notifications
// The item field that identifies a row: gtin, staff_no or order_number. Empty for document data sets.
std::string_view DatasetKey(std::string_view dataset);

// Items as a JSON array text, in the form the kiosk applies. Fail with InvalidInput when a text field
// is not valid UTF-8.
core::Result<std::string> EncodeCatalogItems(std::span<const core::Product> products);
core::Result<std::string> EncodeSalesItems(std::span<const core::Sale> sales);
core::Result<std::string> EncodeStaffItems(std::span<const core::Staff> staff);

// Each item of a row data set's items text with its key, in order. Fails with InvalidInput when the
// text is not a JSON array, or an item is not an object with the data set's key as a string.
core::Result<std::vector<std::pair<std::string, nlohmann::json>>> KeyedItems(std::string_view dataset, std::string_view text);

// What head office sends for one data set in answer to a pull.
struct DatasetUpdate {
    std::string dataset;
    bool snapshot = false;         // the whole data set (replaces) rather than the changes since fromVersion
    std::int64_t fromVersion = 0;  // a delta applies only on top of exactly this version
    std::int64_t toVersion = 0;
    std::string items;     // row data sets: JSON array of items
    std::string document;  // document data sets: the TOML text
};

}  // namespace kiosk::wire
