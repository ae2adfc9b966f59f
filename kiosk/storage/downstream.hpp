// Data head office publishes to kiosks (catalog, policy, SLA targets, staff, sales): the JSON form of
// the row data sets and applying a pull's updates to the kiosk database in one transaction.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/catalog.hpp"
#include "kiosk/core/date.hpp"
#include "kiosk/core/staff.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

// Row data sets are published as items (upserted by key); document data sets as one whole TOML text.
inline constexpr std::array<std::string_view, 7> kDatasets{"catalog", "policy", "sla", "calendar", "faq", "staff", "sales"};
bool IsDataset(std::string_view name);
bool IsDocumentDataset(std::string_view name);  // policy, sla, calendar, faq
// The item field that identifies a row: gtin, staff_no or order_number. Empty for document data sets.
std::string_view DatasetKey(std::string_view dataset);

// Items as a JSON array text, in the form the kiosk applies (docs/sync-protocol.md, "Downstream").
// Fail with InvalidInput when a text field is not valid UTF-8.
Result<std::string> EncodeCatalogItems(std::span<const core::Product> products);
Result<std::string> EncodeSalesItems(std::span<const core::Sale> sales);
Result<std::string> EncodeStaffItems(std::span<const core::Staff> staff);

// What head office sends for one data set in answer to a pull.
struct DatasetUpdate {
    std::string dataset;
    bool snapshot = false;         // the whole data set (replaces) rather than the changes since fromVersion
    std::int64_t fromVersion = 0;  // a delta applies only on top of exactly this version
    std::int64_t toVersion = 0;
    std::string items;     // row data sets: JSON array of items
    std::string document;  // document data sets: the TOML text
};

struct AppliedDataset {
    std::string dataset;
    std::int64_t version = 0;
    std::string appliedAt;  // ISO-8601 UTC
};

// Applies every update and records the new versions, all in one transaction: either the kiosk has all
// of them or none. A catalog snapshot removes products it does not list; a staff snapshot deactivates
// staff it does not list (their history stays); sales are only ever added or updated. Fails with
// InvalidInput naming the data set and item for a malformed item, Conflict when a delta does not start
// at the applied version or an item clashes with local data (a badge held by someone else), Busy or
// Storage when the database fails; nothing is changed then.
Result<void> ApplyDownstream(Database& db, std::span<const DatasetUpdate> updates, core::Timestamp now);

// Versions applied so far, by data set name.
Result<std::vector<AppliedDataset>> AppliedDatasets(Database& db);
// The applied text of a document data set (policy, sla, calendar, faq); std::nullopt when none was received.
Result<std::optional<std::string>> DownstreamDocument(Database& db, std::string_view dataset);

}  // namespace kiosk::storage
