// Batch ingest: read the batch, check it against the request, apply it exactly once in one transaction
// (records, dead letters, the ticket projection, the kiosk's status and cursor), then acknowledge.
#include "sync/headoffice/ingest_service.hpp"

#include <algorithm>
#include <set>

#include "sync/codec.hpp"
#include "sync/fault.hpp"
#include "sync/headoffice/ingest_support.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/wire/batch.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

// Rows per multi-row INSERT: 8 parameters each stays far below both engines' parameter limits.
constexpr std::size_t kInsertChunk = 500;

// A record that passed validation, ready to insert.
struct ValidRecord {
    std::string id;
    std::int64_t seq = 0;
    std::string type;
    std::int64_t kioskTime = 0;
    std::string payload;
    std::string sha;
};

struct DeadRecord {
    std::int64_t seq = 0;
    std::string id;
    std::string reason;
    std::string body;
};

std::string Placeholders(std::size_t rows, std::size_t columns) {
    std::string out;
    std::size_t n = 1;
    for (std::size_t r = 0; r < rows; ++r) {
        out += r == 0 ? "(" : ", (";
        for (std::size_t c = 0; c < columns; ++c) out += (c == 0 ? "$" : ", $") + std::to_string(n++);
        out += ")";
    }
    return out;
}

}  // namespace

Reply IngestService::HandleBatch(const Request& request) {
    const std::int64_t now = m_clock();
    Count("kiosk_ingest_requests_total");
    if (request.body.size() > m_limits.maxBodyBytes) {
        return Refuse(413, "body of " + std::to_string(request.body.size()) + " bytes exceeds the limit of " +
                               std::to_string(m_limits.maxBodyBytes), "too_large");
    }
    auto auth = Authenticate(request, now);
    if (!auth) return std::move(auth.error());
    auto& lease = auth->lease;
    SqlSession& db = *lease;
    const std::string& kiosk = auth->kiosk;

    std::string text;
    const std::string encoding = Lower(request.header("Content-Encoding"));
    if (encoding == "zstd") {
        auto decoded = ZstdDecompress(request.body, m_limits.maxDecodedBytes);
        if (!decoded) return Refuse(400, decoded.error().message, "bad_body");
        text = std::move(*decoded);
    } else if (encoding.empty() || encoding == "identity") {
        text = request.body;
    } else {
        return Refuse(415, "unsupported Content-Encoding '" + encoding + "' (zstd or none)", "bad_body");
    }
    auto batch = wire::ParseBatch(text);
    if (!batch) return Refuse(400, batch.error().message, batch.error().field.empty() ? "bad_json" : "bad_batch");
    if (batch->kiosk != kiosk) return Refuse(400, "kiosk in the body does not match X-Kiosk", "bad_batch");
    const std::string key = request.header(kHeaderIdempotencyKey);
    if (batch->batchKey != key || !wire::IsUuid(key)) {
        return Refuse(400, "batch_key must be a UUID equal to the Idempotency-Key header", "bad_batch");
    }
    std::optional<KioskStatus> status;
    if (batch->status) {
        auto parsed = ParseKioskStatus(*batch->status);
        if (!parsed) return Refuse(400, parsed.error().message, "bad_batch");
        status = std::move(*parsed);
    }
    std::vector<wire::BatchRecord>& records = batch->records;
    if (records.size() > m_limits.maxBatchRecords) {
        return Refuse(413, "batch of " + std::to_string(records.size()) + " records exceeds the limit of " +
                               std::to_string(m_limits.maxBatchRecords), "too_large");
    }
    const std::int64_t epoch = batch->epoch;
    const std::int64_t firstSeq = batch->firstSeq;
    const std::int64_t lastSeq = batch->lastSeq;
    std::vector<ValidRecord> valid;
    std::vector<DeadRecord> dead;
    std::string fingerprint;
    for (wire::BatchRecord& r : records) {
        fingerprint += Sha256Hex(r.text);
        if (!r.problem.empty()) {
            dead.push_back({r.seq, std::move(r.id), std::move(r.problem), std::move(r.text)});
            continue;
        }
        std::string sha = Sha256Hex(r.type + "\n" + r.payload);
        valid.push_back({Lower(std::move(r.id)), r.seq, std::move(r.type), r.kioskTimeMs, std::move(r.payload), std::move(sha)});
    }
    const std::string bodySha = Sha256Hex(fingerprint);
    if (epoch != auth->epoch) {
        return Refuse(409, "epoch " + std::to_string(epoch) + " is not kiosk " + kiosk + "'s current epoch " + std::to_string(auth->epoch) +
                               ": enrol again", "stale_epoch");
    }

    // The batch, in one transaction. Any failure below rolls back (the lease does it when dropped).
    const auto databaseDown = [&](const core::Error& error) { return DatabaseDown(error, lease); };
    if (auto ok = db.Begin(); !ok) return databaseDown(ok.error());
    if (auto refused = ClaimNonce(db, kiosk, auth->nonce, now)) return std::move(*refused);
    auto cursorRows = db.Query("SELECT last_seq FROM cursors WHERE kiosk = $1 AND epoch = $2" + std::string(db.ForUpdate()),
                               {kiosk, epoch});
    if (!cursorRows) return databaseDown(cursorRows.error());
    const std::int64_t cursor = cursorRows->empty() ? 0 : ToInt(cursorRows->front()[0]);
    if (cursorRows->empty()) {
        if (auto ok = db.Query("INSERT INTO cursors (kiosk, epoch, last_seq) VALUES ($1, $2, 0)", {kiosk, epoch}); !ok) {
            return databaseDown(ok.error());
        }
    }
    auto known = db.Query("SELECT body_sha FROM batches WHERE kiosk = $1 AND batch_key = $2", {kiosk, key});
    if (!known) return databaseDown(known.error());
    BatchAck ack{key, std::max(cursor, lastSeq), 0, 0, {}, now};
    if (!known->empty()) {
        // Nothing but the nonce (and perhaps an empty cursor) was written: keep the nonce.
        if (auto ok = db.Commit(); !ok) return databaseDown(ok.error());
        if (known->front()[0] != bodySha) {
            return Refuse(422, "batch key " + key + " was used before with a different body", "key_reused");
        }
        Count("kiosk_ingest_batches_replayed_total");
        ack.ackedThroughSeq = cursor;
        ack.duplicates = static_cast<std::int64_t>(records.size());
        return JsonReply(200, EncodeAck(ack));
    }
    if (firstSeq > cursor + 1) {
        if (auto ok = db.Commit(); !ok) return databaseDown(ok.error());
        Count("kiosk_ingest_refused_total{reason=\"sequence_gap\"}");
        return ErrorJson(409, {"sequence gap: batch starts at " + std::to_string(firstSeq) + " but head office has up to " +
                                   std::to_string(cursor),
                               cursor + 1, std::nullopt});
    }

    std::set<std::string> inserted;
    for (std::size_t start = 0; start < valid.size(); start += kInsertChunk) {
        const std::size_t count = std::min(kInsertChunk, valid.size() - start);
        std::vector<SqlValue> params;
        params.reserve(count * 9);
        for (std::size_t i = start; i < start + count; ++i) {
            const ValidRecord& r = valid[i];
            for (SqlValue v : {SqlValue{r.id}, SqlValue{kiosk}, SqlValue{epoch}, SqlValue{r.seq}, SqlValue{r.type},
                               SqlValue{r.kioskTime}, SqlValue{r.payload}, SqlValue{r.sha}, SqlValue{now}}) {
                params.push_back(std::move(v));
            }
        }
        auto rows = db.Query("INSERT INTO records (id, kiosk, epoch, seq, type, kiosk_time, payload, payload_sha, received_at) "
                             "VALUES " + Placeholders(count, 9) + " ON CONFLICT DO NOTHING RETURNING id",
                             params);
        if (!rows) return databaseDown(rows.error());
        for (auto& row : *rows) inserted.insert(std::move(row[0]));
    }
    // Records already here: the same body is a harmless duplicate, a different one is refused.
    for (const ValidRecord& r : valid) {
        if (inserted.contains(r.id)) continue;
        auto stored = db.Query("SELECT payload_sha FROM records WHERE id = $1", {r.id});
        if (!stored) return databaseDown(stored.error());
        if (stored->empty() || stored->front()[0] != r.sha) {
            db.Rollback();
            // The batch is undone; the nonce is still spent, on its own.
            if (auto refused = ClaimNonce(db, kiosk, auth->nonce, now)) return std::move(*refused);
            return Refuse(422, stored->empty() ? "sequence " + std::to_string(r.seq) + " of epoch " + std::to_string(epoch) +
                                                     " already holds another record"
                                               : "record " + r.id + " (seq " + std::to_string(r.seq) +
                                                     ") was received before with a different body",
                          "changed_record");
        }
        ++ack.duplicates;
    }
    ack.inserted = static_cast<std::int64_t>(inserted.size());
    std::vector<NewRecord> fresh;
    for (const ValidRecord& r : valid) {
        if (inserted.contains(r.id)) fresh.push_back({r.id, r.type, r.payload});
    }
    if (auto ok = ProjectRecords(db, m_rules, kiosk, fresh); !ok) return databaseDown(ok.error());
    if (status) {
        if (auto ok = StoreKioskStatus(db, kiosk, *status, now); !ok) return databaseDown(ok.error());
    }
    for (const DeadRecord& d : dead) {
        auto ok = db.Query("INSERT INTO dead_letters (kiosk, epoch, seq, record_id, reason, body, received_at) "
                           "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                           {kiosk, epoch, d.seq, d.id, d.reason, d.body, now});
        if (!ok) return databaseDown(ok.error());
        ack.rejected.push_back({d.seq, d.id, d.reason});
    }
    for (auto [sql, params] : {std::pair{std::string("INSERT INTO batches (kiosk, batch_key, body_sha, epoch, first_seq, last_seq, "
                                                     "received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"),
                                         std::vector<SqlValue>{kiosk, key, bodySha, epoch, firstSeq, lastSeq, now}},
                               std::pair{std::string("UPDATE cursors SET last_seq = $3 WHERE kiosk = $1 AND epoch = $2"),
                                         std::vector<SqlValue>{kiosk, epoch, ack.ackedThroughSeq}},
                               std::pair{std::string("UPDATE kiosks SET last_seen = $2, backlog = $3 WHERE code = $1"),
                                         std::vector<SqlValue>{kiosk, now, batch->backlog}}}) {
        if (auto ok = db.Query(sql, params); !ok) return databaseDown(ok.error());
    }
    if (auto ok = db.Commit(); !ok) return databaseDown(ok.error());
    FaultPoint("server-after-commit");
    Count("kiosk_ingest_batches_total");
    Count("kiosk_ingest_records_inserted_total", ack.inserted);
    Count("kiosk_ingest_records_duplicate_total", ack.duplicates);
    Count("kiosk_ingest_records_dead_letter_total", static_cast<std::int64_t>(ack.rejected.size()));
    return JsonReply(200, EncodeAck(ack));
}

}  // namespace kiosk::sync::headoffice
