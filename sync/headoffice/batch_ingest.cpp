// Batch ingest: read the batch and check it against the request, then apply it exactly once in one
// transaction (records, dead letters, the ticket projection, the kiosk's status and cursor), then
// acknowledge. On SQLite the transactions are written by one thread, which commits the batches that
// arrived together at once, each in its own savepoint, and answers each only after that commit.
#include "sync/headoffice/ingest_service.hpp"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <set>
#include <thread>

#include "sync/codec.hpp"
#include "sync/fault.hpp"
#include "sync/headoffice/ingest_support.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/wire/batch.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

// Rows per multi-row INSERT: 9 parameters each stays far below both engines' parameter limits.
constexpr std::size_t kInsertChunk = 500;
// Records one group commit takes at most, so no single transaction grows without bound.
constexpr std::int64_t kMaxGroupRecords = 20'000;

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

std::string InsertRecordsSql(std::size_t rows) {
    return "INSERT INTO records (id, kiosk, epoch, seq, type, kiosk_time, payload, payload_sha, received_at) VALUES " +
           Placeholders(rows, 9) + " ON CONFLICT DO NOTHING RETURNING id";
}

}  // namespace

struct IngestService::PendingBatch {
    // A record that passed validation, ready to insert.
    struct Valid {
        std::string id;
        std::int64_t seq = 0;
        std::string type;
        std::int64_t kioskTime = 0;
        std::string payload;
        std::string sha;
        nlohmann::json parsed;  // the payload, read on the request's thread
    };
    struct Dead {
        std::int64_t seq = 0;
        std::string id;
        std::string reason;
        std::string body;
    };
    std::string kiosk;
    std::string nonce;
    std::string token;
    std::string key;
    std::string bodySha;
    std::int64_t epoch = 0;
    std::int64_t firstSeq = 0;
    std::int64_t lastSeq = 0;
    std::int64_t backlog = 0;
    std::int64_t now = 0;
    std::int64_t records = 0;
    std::vector<Valid> valid;
    std::vector<Dead> dead;
    std::optional<KioskStatus> status;
};

struct IngestService::BatchOutcome {
    Reply reply;
    bool applied = false;   // records written (or found already there): the counters of a batch
    bool replayed = false;  // a batch key seen before with the same body
    std::int64_t inserted = 0;
    std::int64_t duplicates = 0;
    std::int64_t rejected = 0;
};

// The one thread that writes batches on SQLite. A request hands in its checked batch and waits; the
// thread takes every batch waiting, writes each in its own savepoint of one transaction, commits, and
// only then answers them all. A batch the database fails on is rolled back to its savepoint and
// answered 503 without holding back the others; a failed commit answers every batch in it 503.
class IngestService::BatchWriter {
public:
    explicit BatchWriter(IngestService& service) : m_service(service), m_thread([this] { Run(); }) {}
    ~BatchWriter() {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    BatchWriter(const BatchWriter&) = delete;
    BatchWriter& operator=(const BatchWriter&) = delete;

    Reply Write(const PendingBatch& batch) {
        Job job{&batch, {}};
        std::future<Reply> reply = job.reply.get_future();
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(&job);
        }
        m_wake.notify_one();
        return reply.get();
    }

private:
    struct Job {
        const PendingBatch* batch;
        std::promise<Reply> reply;
    };

    void Run() {
        for (;;) {
            std::vector<Job*> group;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
                if (m_queue.empty()) return;  // stopping, and nothing left to write
                std::int64_t records = 0;
                std::size_t taken = 0;
                while (taken < m_queue.size() && (taken == 0 || records + m_queue[taken]->batch->records <= kMaxGroupRecords)) {
                    records += m_queue[taken]->batch->records;
                    ++taken;
                }
                group.assign(m_queue.begin(), m_queue.begin() + static_cast<std::ptrdiff_t>(taken));
                m_queue.erase(m_queue.begin(), m_queue.begin() + static_cast<std::ptrdiff_t>(taken));
            }
            WriteGroup(group);
        }
    }

    void WriteGroup(const std::vector<Job*>& group) {
        if (!m_lease) {
            auto lease = m_service.m_pool->Acquire();
            if (!lease) return AnswerAll(group, m_service.DatabaseDown(lease.error()));
            m_lease.emplace(std::move(*lease));
        }
        SqlSession& db = **m_lease;
        if (auto ok = db.Begin(); !ok) return Abort(group, ok.error());
        std::vector<std::optional<BatchOutcome>> outcomes(group.size());
        std::vector<std::optional<Reply>> failed(group.size());
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (auto ok = db.Query("SAVEPOINT batch"); !ok) return Abort(group, ok.error());
            auto outcome = m_service.ApplyBatch(db, *group[i]->batch);
            if (!outcome) {
                if (outcome.error().code == ErrorCode::Unavailable) return Abort(group, outcome.error());
                if (auto ok = db.Query("ROLLBACK TO SAVEPOINT batch"); !ok) return Abort(group, ok.error());
                failed[i] = m_service.DatabaseDown(outcome.error());
            } else {
                outcomes[i] = std::move(*outcome);
            }
            if (auto ok = db.Query("RELEASE SAVEPOINT batch"); !ok) return Abort(group, ok.error());
        }
        if (auto ok = db.Commit(); !ok) return Abort(group, ok.error());
        FaultPoint("server-after-commit");
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (failed[i]) {
                group[i]->reply.set_value(std::move(*failed[i]));
                continue;
            }
            m_service.CountCommitted(*outcomes[i]);
            group[i]->reply.set_value(std::move(outcomes[i]->reply));
        }
    }

    // Nothing of the group is committed: every batch in it is answered 503 and sent again.
    void Abort(const std::vector<Job*>& group, const core::Error& error) {
        if (error.code == ErrorCode::Unavailable) {
            m_lease->Discard();
            m_lease.reset();
        } else {
            (*m_lease)->Rollback();
        }
        AnswerAll(group, m_service.DatabaseDown(error));
    }

    static void AnswerAll(const std::vector<Job*>& group, const Reply& reply) {
        for (Job* job : group) job->reply.set_value(reply);
    }

    IngestService& m_service;
    std::optional<SessionPool::Lease> m_lease;  // the writer's own session, kept between groups
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Job*> m_queue;
    bool m_stopping = false;
    std::thread m_thread;  // last: started once everything it uses exists
};

IngestService::IngestService(std::unique_ptr<SessionPool> pool, ServiceLimits limits, ClockMs clock, bool groupCommit)
    : m_pool(std::move(pool)), m_limits(limits), m_clock(std::move(clock)) {
    if (groupCommit) m_writer = std::make_unique<BatchWriter>(*this);
}

IngestService::~IngestService() = default;

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
    PendingBatch pending;
    if (batch->status) {
        auto parsed = ParseKioskStatus(*batch->status);
        if (!parsed) return Refuse(400, parsed.error().message, "bad_batch");
        pending.status = std::move(*parsed);
    }
    std::vector<wire::BatchRecord>& records = batch->records;
    if (records.size() > m_limits.maxBatchRecords) {
        return Refuse(413, "batch of " + std::to_string(records.size()) + " records exceeds the limit of " +
                               std::to_string(m_limits.maxBatchRecords), "too_large");
    }
    if (batch->epoch != auth->epoch) {
        return Refuse(409, "epoch " + std::to_string(batch->epoch) + " is not kiosk " + kiosk + "'s current epoch " +
                               std::to_string(auth->epoch) + ": enrol again", "stale_epoch");
    }
    pending.kiosk = kiosk;
    pending.nonce = auth->nonce;
    pending.token = auth->token;
    pending.key = key;
    pending.epoch = batch->epoch;
    pending.firstSeq = batch->firstSeq;
    pending.lastSeq = batch->lastSeq;
    pending.backlog = batch->backlog;
    pending.now = now;
    pending.records = static_cast<std::int64_t>(records.size());
    std::string fingerprint;
    fingerprint.reserve(records.size() * 64);
    for (wire::BatchRecord& r : records) {
        fingerprint += Sha256Hex(r.text);
        if (!r.problem.empty()) {
            pending.dead.push_back({r.seq, std::move(r.id), std::move(r.problem), std::move(r.text)});
            continue;
        }
        std::string sha = Sha256Hex(r.type + "\n" + r.payload);
        pending.valid.push_back(
            {Lower(std::move(r.id)), r.seq, std::move(r.type), r.kioskTimeMs, std::move(r.payload), std::move(sha), std::move(r.parsedPayload)});
    }
    pending.bodySha = Sha256Hex(fingerprint);

    if (m_writer) {
        lease.Release();  // back to the pool before the wait: the writer has its own session
        return m_writer->Write(pending);
    }
    // The batch, in one transaction. Any failure below rolls back (the lease does it when dropped).
    SqlSession& db = *lease;
    if (auto ok = db.Begin(); !ok) return DatabaseDown(ok.error(), lease);
    if (auto ok = db.Query("SAVEPOINT batch"); !ok) return DatabaseDown(ok.error(), lease);
    auto outcome = ApplyBatch(db, pending);
    if (!outcome) return DatabaseDown(outcome.error(), lease);
    if (auto ok = db.Commit(); !ok) return DatabaseDown(ok.error(), lease);
    FaultPoint("server-after-commit");
    CountCommitted(*outcome);
    return std::move(outcome->reply);
}

Result<IngestService::BatchOutcome> IngestService::ApplyBatch(SqlSession& db, const PendingBatch& batch) {
    const std::string& kiosk = batch.kiosk;
    const std::int64_t epoch = batch.epoch;
    const std::int64_t now = batch.now;
    BatchOutcome outcome;
    if (auto refused = ClaimNonce(db, kiosk, batch.nonce, batch.token, now)) {
        // Nothing of the request may stay: back to the savepoint.
        if (auto ok = db.Query("ROLLBACK TO SAVEPOINT batch"); !ok) return std::unexpected(std::move(ok.error()));
        outcome.reply = std::move(*refused);
        return outcome;
    }
    auto cursorRows = db.Query("SELECT last_seq FROM cursors WHERE kiosk = $1 AND epoch = $2" + std::string(db.ForUpdate()),
                               {kiosk, epoch});
    if (!cursorRows) return std::unexpected(std::move(cursorRows.error()));
    const std::int64_t cursor = cursorRows->empty() ? 0 : ToInt(cursorRows->front()[0]);
    if (cursorRows->empty()) {
        if (auto ok = db.Query("INSERT INTO cursors (kiosk, epoch, last_seq) VALUES ($1, $2, 0)", {kiosk, epoch}); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
    }
    auto known = db.Query("SELECT body_sha FROM batches WHERE kiosk = $1 AND batch_key = $2", {kiosk, batch.key});
    if (!known) return std::unexpected(std::move(known.error()));
    BatchAck ack{batch.key, std::max(cursor, batch.lastSeq), 0, 0, {}, now};
    if (!known->empty()) {
        // Nothing but the nonce (and perhaps an empty cursor) was written: keep the nonce.
        if (known->front()[0] != batch.bodySha) {
            outcome.reply = Refuse(422, "batch key " + batch.key + " was used before with a different body", "key_reused");
            return outcome;
        }
        outcome.replayed = true;
        ack.ackedThroughSeq = cursor;
        ack.duplicates = batch.records;
        outcome.reply = JsonReply(200, EncodeAck(ack));
        return outcome;
    }
    if (batch.firstSeq > cursor + 1) {
        Count("kiosk_ingest_refused_total{reason=\"sequence_gap\"}");
        outcome.reply = ErrorJson(409, {"sequence gap: batch starts at " + std::to_string(batch.firstSeq) + " but head office has up to " +
                                            std::to_string(cursor),
                                        cursor + 1, std::nullopt});
        return outcome;
    }

    const std::vector<PendingBatch::Valid>& valid = batch.valid;
    std::set<std::string> inserted;
    for (std::size_t start = 0; start < valid.size(); start += kInsertChunk) {
        const std::size_t count = std::min(kInsertChunk, valid.size() - start);
        std::vector<SqlValue> params;
        params.reserve(count * 9);
        for (std::size_t i = start; i < start + count; ++i) {
            const PendingBatch::Valid& r = valid[i];
            for (SqlValue v : {SqlValue{r.id}, SqlValue{kiosk}, SqlValue{epoch}, SqlValue{r.seq}, SqlValue{r.type},
                               SqlValue{r.kioskTime}, SqlValue{r.payload}, SqlValue{r.sha}, SqlValue{now}}) {
                params.push_back(std::move(v));
            }
        }
        auto rows = db.Query(InsertRecordsSql(count), params);
        if (!rows) return std::unexpected(std::move(rows.error()));
        for (auto& row : *rows) inserted.insert(std::move(row[0]));
    }
    // Records already here: the same body is a harmless duplicate, a different one is refused.
    for (const PendingBatch::Valid& r : valid) {
        if (inserted.contains(r.id)) continue;
        auto stored = db.Query("SELECT payload_sha FROM records WHERE id = $1", {r.id});
        if (!stored) return std::unexpected(std::move(stored.error()));
        if (stored->empty() || stored->front()[0] != r.sha) {
            // The batch is undone; the nonce is still spent, on its own.
            if (auto ok = db.Query("ROLLBACK TO SAVEPOINT batch"); !ok) return std::unexpected(std::move(ok.error()));
            if (auto refused = ClaimNonce(db, kiosk, batch.nonce, batch.token, now)) {
                if (auto ok = db.Query("ROLLBACK TO SAVEPOINT batch"); !ok) return std::unexpected(std::move(ok.error()));
                outcome.reply = std::move(*refused);
                return outcome;
            }
            outcome.reply = Refuse(422, stored->empty() ? "sequence " + std::to_string(r.seq) + " of epoch " + std::to_string(epoch) +
                                                              " already holds another record"
                                                        : "record " + r.id + " (seq " + std::to_string(r.seq) +
                                                              ") was received before with a different body",
                                   "changed_record");
            return outcome;
        }
        ++ack.duplicates;
    }
    ack.inserted = static_cast<std::int64_t>(inserted.size());
    std::vector<NewRecord> fresh;
    fresh.reserve(inserted.size());
    for (const PendingBatch::Valid& r : valid) {
        if (inserted.contains(r.id)) fresh.push_back({r.id, r.type, r.payload, &r.parsed, epoch, r.seq});
    }
    if (auto ok = ProjectRecords(db, m_rules, kiosk, fresh); !ok) return std::unexpected(std::move(ok.error()));
    if (batch.status) {
        if (auto ok = StoreKioskStatus(db, kiosk, *batch.status, now); !ok) return std::unexpected(std::move(ok.error()));
    }
    for (const PendingBatch::Dead& d : batch.dead) {
        auto ok = db.Exec("INSERT INTO dead_letters (kiosk, epoch, seq, record_id, reason, body, received_at) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                          {kiosk, epoch, d.seq, d.id, d.reason, d.body, now});
        if (!ok) return std::unexpected(std::move(ok.error()));
        ack.rejected.push_back({d.seq, d.id, d.reason});
    }
    for (auto [sql, params] : {std::pair{std::string("INSERT INTO batches (kiosk, batch_key, body_sha, epoch, first_seq, last_seq, "
                                                     "received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"),
                                         std::vector<SqlValue>{kiosk, batch.key, batch.bodySha, epoch, batch.firstSeq, batch.lastSeq, now}},
                               std::pair{std::string("UPDATE cursors SET last_seq = $3 WHERE kiosk = $1 AND epoch = $2"),
                                         std::vector<SqlValue>{kiosk, epoch, ack.ackedThroughSeq}},
                               std::pair{std::string("UPDATE kiosks SET last_seen = $2, backlog = $3 WHERE code = $1"),
                                         std::vector<SqlValue>{kiosk, now, batch.backlog}}}) {
        if (auto ok = db.Exec(sql, params); !ok) return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = db.Flush(); !ok) return std::unexpected(std::move(ok.error()));
    outcome.applied = true;
    outcome.inserted = ack.inserted;
    outcome.duplicates = ack.duplicates;
    outcome.rejected = static_cast<std::int64_t>(ack.rejected.size());
    outcome.reply = JsonReply(200, EncodeAck(ack));
    return outcome;
}

void IngestService::CountCommitted(const BatchOutcome& outcome) {
    if (outcome.replayed) Count("kiosk_ingest_batches_replayed_total");
    if (!outcome.applied) return;
    Count("kiosk_ingest_batches_total");
    Count("kiosk_ingest_records_inserted_total", outcome.inserted);
    Count("kiosk_ingest_records_duplicate_total", outcome.duplicates);
    Count("kiosk_ingest_records_dead_letter_total", outcome.rejected);
}

}  // namespace kiosk::sync::headoffice
