// Outbox batches for the sync worker, the sync_state settings and downstream data set versions.
#include "kiosk/storage/outbox.hpp"

#include <string>

#include "kiosk/storage/migrations.hpp"

namespace kiosk::storage {
namespace {

constexpr std::string_view kInflightKey = "inflight_key";
constexpr std::string_view kInflightFirst = "inflight_first_seq";
constexpr std::string_view kInflightLast = "inflight_last_seq";

Result<std::optional<std::string>> ReadSetting(Database& db, std::string_view key) {
    auto stmt = db.Cached("SELECT value FROM sync_state WHERE key = ?1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, key);
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>{stmt->Text(0)};
}

Result<void> WriteSetting(Database& db, std::string_view key, std::string_view value) {
    auto stmt = db.Cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, key).Bind(2, value);
    return stmt->Run();
}

Result<void> DeleteSettings(Database& db) {
    return db.Execute("DELETE FROM sync_state WHERE key IN ('inflight_key', 'inflight_first_seq', 'inflight_last_seq')");
}

Result<std::int64_t> ToSeq(const std::optional<std::string>& text, std::string_view key) {
    try {
        if (text) return std::stoll(*text);
    } catch (const std::exception&) {
    }
    return core::Fail(core::ErrorCode::Corrupt, "sync_state " + std::string(key) + " is not a sequence number");
}

}  // namespace

Result<Outbox> Outbox::Open(Database db) {
    if (auto migrated = Migrate(db); !migrated) return std::unexpected(std::move(migrated.error()));
    return Outbox(std::move(db));
}

Result<std::vector<OutboxRecord>> Outbox::ReadRange(std::int64_t firstSeq, std::int64_t lastSeq) {
    auto stmt = m_db.Cached(
        "SELECT seq, id, epoch, record_type, payload, created_at FROM outbox WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, firstSeq).Bind(2, lastSeq);
    return ReadOutboxRecords(*stmt);
}

Result<std::optional<OutboxBatch>> Outbox::ClaimBatch(int maxRecords, std::size_t maxBytes, std::string_view newKey) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto inflight = ReadSetting(m_db, kInflightKey);
    if (!inflight) return std::unexpected(std::move(inflight.error()));
    OutboxBatch batch;
    if (*inflight) {
        auto first = ReadSetting(m_db, kInflightFirst);
        auto last = ReadSetting(m_db, kInflightLast);
        if (!first) return std::unexpected(std::move(first.error()));
        if (!last) return std::unexpected(std::move(last.error()));
        auto firstSeq = ToSeq(*first, kInflightFirst);
        auto lastSeq = ToSeq(*last, kInflightLast);
        if (!firstSeq) return std::unexpected(std::move(firstSeq.error()));
        if (!lastSeq) return std::unexpected(std::move(lastSeq.error()));
        auto records = ReadRange(*firstSeq, *lastSeq);
        if (!records) return std::unexpected(std::move(records.error()));
        if (records->empty()) {
            return core::Fail(core::ErrorCode::Corrupt, "the batch in flight (" + **inflight + ") has no records");
        }
        batch = OutboxBatch{**inflight, *firstSeq, *lastSeq, std::move(*records)};
        if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
        return batch;
    }

    auto stmt = m_db.Cached(
        "SELECT seq, id, epoch, record_type, payload, created_at FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, std::int64_t{maxRecords > 0 ? maxRecords : 1});
    std::size_t bytes = 0;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        std::string payload = stmt->Text(4);
        if (!batch.records.empty() && bytes + payload.size() > maxBytes) break;
        // A batch is contiguous: an acknowledged record between two unsent ones ends it.
        if (!batch.records.empty() && stmt->Int(0) != batch.records.back().seq + 1) break;
        auto createdAt = core::ParseTimestamp(stmt->Text(5));
        if (!createdAt) {
            return core::Fail(core::ErrorCode::Corrupt, "outbox record " + stmt->Text(1) + ": " + createdAt.error().message);
        }
        bytes += payload.size();
        batch.records.push_back({stmt->Int(0), stmt->Text(1), stmt->Int(2), stmt->Text(3), std::move(payload), *createdAt});
    }
    if (batch.records.empty()) return std::optional<OutboxBatch>{};
    batch.key = std::string(newKey);
    batch.firstSeq = batch.records.front().seq;
    batch.lastSeq = batch.records.back().seq;
    auto mark = m_db.Cached("UPDATE outbox SET batch_key = ?1 WHERE seq BETWEEN ?2 AND ?3");
    if (!mark) return std::unexpected(std::move(mark.error()));
    mark->Bind(1, newKey).Bind(2, batch.firstSeq).Bind(3, batch.lastSeq);
    if (auto ok = mark->Run(); !ok) return std::unexpected(std::move(ok.error()));
    for (const auto& [key, value] : {std::pair{kInflightKey, batch.key}, std::pair{kInflightFirst, std::to_string(batch.firstSeq)},
                                     std::pair{kInflightLast, std::to_string(batch.lastSeq)}}) {
        if (auto ok = WriteSetting(m_db, key, value); !ok) return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return batch;
}

Result<void> Outbox::Acknowledge(std::string_view key, std::int64_t ackedThroughSeq, core::Timestamp now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto mark = m_db.Cached("UPDATE outbox SET sent_at = ?1 WHERE seq <= ?2 AND sent_at IS NULL");
    if (!mark) return std::unexpected(std::move(mark.error()));
    mark->Bind(1, core::FormatTimestamp(now)).Bind(2, ackedThroughSeq);
    if (auto ok = mark->Run(); !ok) return std::unexpected(std::move(ok.error()));
    auto inflight = ReadSetting(m_db, kInflightKey);
    if (!inflight) return std::unexpected(std::move(inflight.error()));
    if (*inflight && **inflight == key) {
        if (auto ok = DeleteSettings(m_db); !ok) return ok;
    }
    if (auto ok = WriteSetting(m_db, "acked_through_seq", std::to_string(ackedThroughSeq)); !ok) return ok;
    return tx->Commit();
}

Result<void> Outbox::ResendFrom(std::int64_t fromSeq) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto kept = m_db.Cached("SELECT count(*) FROM outbox WHERE seq = ?1");
    if (!kept) return std::unexpected(std::move(kept.error()));
    kept->Bind(1, fromSeq);
    auto row = kept->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row || kept->Int(0) == 0) {
        return core::Fail(core::ErrorCode::NotFound,
                          "head office asks for records from sequence " + std::to_string(fromSeq) + ", which this kiosk no longer has");
    }
    auto reset = m_db.Cached("UPDATE outbox SET sent_at = NULL, batch_key = NULL WHERE seq >= ?1");
    if (!reset) return std::unexpected(std::move(reset.error()));
    reset->Bind(1, fromSeq);
    if (auto ok = reset->Run(); !ok) return ok;
    if (auto ok = DeleteSettings(m_db); !ok) return ok;
    return tx->Commit();
}

Result<std::int64_t> Outbox::Backlog() { return m_db.QueryInt("SELECT count(*) FROM outbox WHERE sent_at IS NULL"); }

Result<std::int64_t> Outbox::LastSeq() { return m_db.QueryInt("SELECT coalesce(max(seq), 0) FROM outbox"); }

Result<std::optional<std::string>> Outbox::Setting(std::string_view key) { return ReadSetting(m_db, key); }

Result<void> Outbox::SetSetting(std::string_view key, std::string_view value) { return WriteSetting(m_db, key, value); }

Result<void> Outbox::SetSettings(const std::vector<std::pair<std::string, std::string>>& values) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    for (const auto& [key, value] : values) {
        if (auto ok = WriteSetting(m_db, key, value); !ok) return ok;
    }
    return tx->Commit();
}

Result<std::int64_t> Outbox::DatasetVersion(std::string_view dataset) {
    auto stmt = m_db.Cached("SELECT version FROM downstream_versions WHERE dataset = ?1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, dataset);
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    return *row ? stmt->Int(0) : 0;
}

Result<void> Outbox::SetDatasetVersion(std::string_view dataset, std::int64_t version, core::Timestamp now) {
    auto stmt = m_db.Cached(
        "INSERT INTO downstream_versions (dataset, version, applied_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (dataset) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, dataset).Bind(2, version).Bind(3, core::FormatTimestamp(now));
    return stmt->Run();
}

}  // namespace kiosk::storage
