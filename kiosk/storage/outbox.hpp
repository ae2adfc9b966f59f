// The sync worker's view of the kiosk database: claiming outbox batches that survive a restart, marking
// them sent on acknowledgement, the sync_state settings and the applied downstream data set versions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/storage/database.hpp"
#include "kiosk/storage/kiosk_store.hpp"

namespace kiosk::storage {

// Records claimed for one upload under one idempotency key. The key and range are stored before the
// batch is sent, so after a crash the same records go out again under the same key.
struct OutboxBatch {
    std::string key;
    std::int64_t firstSeq = 0;
    std::int64_t lastSeq = 0;
    std::vector<OutboxRecord> records;
};

// Not thread-safe: one Outbox per thread, on its own connection to the kiosk database.
class Outbox {
public:
    // Brings the schema up to date (see Migrate) on `db`.
    static Result<Outbox> Open(Database db);

    // The batch in flight if there is one (the same records under the same key), otherwise a new batch
    // of the oldest unsent records, at most `maxRecords` and about `maxBytes` of payload (always at
    // least one record) claimed under `newKey`. std::nullopt when nothing is waiting. Fails with
    // Busy/Storage when the database fails, Corrupt when a stored row does not parse.
    Result<std::optional<OutboxBatch>> ClaimBatch(int maxRecords, std::size_t maxBytes, std::string_view newKey);
    // Head office committed everything up to `ackedThroughSeq`: those records are marked sent and the
    // batch `key` is no longer in flight, and sync_state acked_through_seq is set, in one transaction
    // (one durable commit per batch). Acknowledging a batch no longer in flight only marks records.
    Result<void> Acknowledge(std::string_view key, std::int64_t ackedThroughSeq, core::Timestamp now);
    // Head office has nothing from `fromSeq` on (it answered with a sequence gap): records from there
    // are unsent again and the batch in flight is dropped. Fails with NotFound when `fromSeq` is no
    // longer kept here.
    Result<void> ResendFrom(std::int64_t fromSeq);
    // Records not yet acknowledged.
    Result<std::int64_t> Backlog();
    // The highest sequence number ever written (0 for an empty outbox).
    Result<std::int64_t> LastSeq();

    // sync_state: small named settings (credentials, cursors, last outcome). Absent keys give nullopt.
    Result<std::optional<std::string>> Setting(std::string_view key);
    Result<void> SetSetting(std::string_view key, std::string_view value);
    Result<void> SetSettings(const std::vector<std::pair<std::string, std::string>>& values);

    // The applied version of a downstream data set (0 when never applied).
    Result<std::int64_t> DatasetVersion(std::string_view dataset);
    // Records a version; call inside the transaction that applied the data.
    Result<void> SetDatasetVersion(std::string_view dataset, std::int64_t version, core::Timestamp now);

    Database& Db() { return m_db; }

private:
    explicit Outbox(Database db) : m_db(std::move(db)) {}
    Result<std::vector<OutboxRecord>> ReadRange(std::int64_t firstSeq, std::int64_t lastSeq);

    Database m_db;
};

}  // namespace kiosk::storage
