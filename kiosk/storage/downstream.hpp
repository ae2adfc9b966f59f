// Data head office publishes to kiosks (catalog, policy, SLA targets, staff, sales): applying a pull's
// updates (sync/wire/datasets.hpp) to the kiosk database in one transaction, and what was applied.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/storage/database.hpp"
#include "sync/wire/datasets.hpp"

namespace kiosk::storage {

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
Result<void> ApplyDownstream(Database& db, std::span<const wire::DatasetUpdate> updates, core::Timestamp now);

// Versions applied so far, by data set name.
Result<std::vector<AppliedDataset>> AppliedDatasets(Database& db);
// The applied text of a document data set (policy, sla, calendar, faq); std::nullopt when none was received.
Result<std::optional<std::string>> DownstreamDocument(Database& db, std::string_view dataset);

}  // namespace kiosk::storage
