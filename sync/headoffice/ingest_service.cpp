// Batch ingest (authenticate, validate, apply in one transaction, then answer), enrolment and the
// kiosk register, on one SQL dialect that both SQLite and PostgreSQL accept.
#include "sync/headoffice/ingest_service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "sync/codec.hpp"
#include "sync/fault.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/wire/batch.hpp"
#include "sync/wire/datasets.hpp"

namespace kiosk::sync::headoffice {
namespace {

using Json = nlohmann::json;
using core::ErrorCode;

constexpr std::string_view kRegistrySchema = R"sql(
CREATE TABLE IF NOT EXISTS kiosks (
    code        TEXT PRIMARY KEY,
    store_code  TEXT NOT NULL,
    kiosk_code  TEXT NOT NULL,
    secret      TEXT NOT NULL DEFAULT '',
    token_sha   TEXT UNIQUE,
    token_until BIGINT,
    epoch       BIGINT NOT NULL DEFAULT 0,
    kiosk_uuid  TEXT NOT NULL DEFAULT '',
    revoked     INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    enrolled_at BIGINT,
    last_seen   BIGINT,
    backlog     BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS cursors (
    kiosk    TEXT NOT NULL,
    epoch    BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (kiosk, epoch)
);
CREATE TABLE IF NOT EXISTS batches (
    kiosk       TEXT NOT NULL,
    batch_key   TEXT NOT NULL,
    body_sha    TEXT NOT NULL,
    epoch       BIGINT NOT NULL,
    first_seq   BIGINT NOT NULL,
    last_seq    BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (kiosk, batch_key)
);
CREATE TABLE IF NOT EXISTS records (
    id          TEXT PRIMARY KEY,
    kiosk       TEXT NOT NULL,
    epoch       BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    type        TEXT NOT NULL,
    kiosk_time  BIGINT NOT NULL,
    payload     TEXT NOT NULL,
    payload_sha TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    UNIQUE (kiosk, epoch, seq)
);
CREATE TABLE IF NOT EXISTS dead_letters (
    kiosk       TEXT NOT NULL,
    epoch       BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    record_id   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (kiosk, epoch, seq)
);
CREATE TABLE IF NOT EXISTS dataset_versions (
    dataset      TEXT NOT NULL,
    version      BIGINT NOT NULL,
    items        TEXT NOT NULL,
    document     TEXT NOT NULL,
    source       TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (dataset, version)
);
CREATE TABLE IF NOT EXISTS kiosk_datasets (
    kiosk       TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    version     BIGINT NOT NULL,
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (kiosk, dataset)
);
CREATE TABLE IF NOT EXISTS nonces (
    kiosk   TEXT NOT NULL,
    nonce   TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (kiosk, nonce)
);
CREATE TABLE IF NOT EXISTS enrolments (
    token_sha   TEXT PRIMARY KEY,
    kiosk       TEXT NOT NULL,
    kiosk_uuid  TEXT NOT NULL,
    epoch       BIGINT NOT NULL,
    answered_at BIGINT NOT NULL
);
)sql";

// Rows per multi-row INSERT: 8 parameters each stays far below both engines' parameter limits.
constexpr std::size_t kInsertChunk = 500;

std::int64_t SystemNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool ValidCode(std::string_view code) {
    return !code.empty() && code.size() <= 16 &&
           std::all_of(code.begin(), code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

Reply JsonReply(int status, std::string body) { return Reply{status, std::move(body), "application/json", {}}; }

Reply ErrorJson(int status, ErrorReply error) { return JsonReply(status, EncodeError(error)); }

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

std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Folds versions (oldest first) into one items array: a later version's item replaces an earlier one
// with the same key, in the position the key first appeared.
Result<std::string> MergeItems(std::string_view dataset, const std::vector<SqlRow>& versions) {
    Json merged = Json::array();
    std::map<std::string, std::size_t> where;
    for (const SqlRow& row : versions) {
        auto items = wire::KeyedItems(dataset, row[0]);
        if (!items) return std::unexpected(std::move(items.error()));
        for (auto& [key, item] : *items) {
            if (auto found = where.find(key); found != where.end()) {
                merged[found->second] = std::move(item);
            } else {
                where.emplace(key, merged.size());
                merged.push_back(std::move(item));
            }
        }
    }
    return merged.dump();
}

}  // namespace

Result<std::unique_ptr<IngestService>> IngestService::Open(std::string_view dbUrl, ServiceLimits limits, ClockMs clock) {
    auto factory = SessionFactoryFor(dbUrl);
    if (!factory) return std::unexpected(std::move(factory.error()));
    auto pool = std::make_unique<SessionPool>(std::move(*factory));
    {
        auto lease = pool->Acquire();
        if (!lease) return std::unexpected(std::move(lease.error()));
        if (auto ok = (*lease)->EnsureSchema(kRegistrySchema); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = (*lease)->EnsureSchema(ProjectionSchema()); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = UpgradeProjection(**lease); !ok) return std::unexpected(std::move(ok.error()));
    }
    if (!clock) clock = SystemNowMs;
    return std::unique_ptr<IngestService>(new IngestService(std::move(pool), limits, std::move(clock)));
}

bool IngestService::TakeToken(const std::string& kiosk, std::int64_t nowMs) {
    std::lock_guard lock(m_mutex);
    auto [it, fresh] = m_buckets.try_emplace(kiosk, Bucket{m_limits.burst, nowMs});
    Bucket& b = it->second;
    if (!fresh) {
        const double elapsed = static_cast<double>(std::max<std::int64_t>(nowMs - b.updatedMs, 0)) / 1000.0;
        b.tokens = std::min(m_limits.burst, b.tokens + elapsed * m_limits.requestsPerSecond);
        b.updatedMs = nowMs;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

void IngestService::Count(const std::string& name, std::int64_t by) {
    std::lock_guard lock(m_mutex);
    m_counters[name] += by;
}

Reply IngestService::DatabaseDown(const core::Error& error, SessionPool::Lease& lease) {
    // A lost connection is not returned to the pool; the kiosk retries the same request shortly.
    if (error.code == ErrorCode::Unavailable) lease.Discard();
    Reply reply = Refuse(503, "head-office database: " + error.message, "database");
    reply.headers.emplace_back("Retry-After", "1");
    return reply;
}

Reply IngestService::Refuse(int status, std::string reason, std::string metric) {
    Count("kiosk_ingest_refused_total{reason=\"" + metric + "\"}");
    return ErrorJson(status, {std::move(reason), std::nullopt, std::nullopt});
}

std::expected<IngestService::Authenticated, Reply> IngestService::Authenticate(const Request& request, std::int64_t now) {
    const std::string kiosk = request.header(kHeaderKiosk);
    const std::string timeText = request.header(kHeaderTime);
    const std::string nonce = request.header(kHeaderNonce);
    const std::string signature = request.header(kHeaderSignature);
    if (kiosk.empty() || timeText.empty() || nonce.empty() || signature.empty()) {
        return std::unexpected(Refuse(401, "missing authentication headers (X-Kiosk, X-Kiosk-Time, X-Kiosk-Nonce, X-Kiosk-Signature)",
                                      "unauthenticated"));
    }
    if (!TakeToken(kiosk, now)) {
        Reply reply = Refuse(429, "too many requests from kiosk " + kiosk, "rate_limited");
        reply.headers.emplace_back("Retry-After", "1");
        return std::unexpected(std::move(reply));
    }
    const std::int64_t sentAt = ToInt(timeText);
    const std::int64_t windowMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.clockWindow).count();
    if (sentAt <= 0 || std::abs(now - sentAt) > windowMs) {
        Count("kiosk_ingest_refused_total{reason=\"stale_timestamp\"}");
        return std::unexpected(ErrorJson(401, {"stale timestamp: X-Kiosk-Time " + timeText + " is more than " +
                                                   std::to_string(m_limits.clockWindow.count()) + " s from head office time",
                                               std::nullopt, now}));
    }
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(Refuse(503, "head-office database unavailable: " + lease.error().message, "database"));
    // The token column is returned only while it is the one this epoch was enrolled with: the first
    // signed request under it proves the kiosk has its answer, and spends it.
    auto found = (*lease)->Query("SELECT k.secret, k.revoked, k.epoch, coalesce(e.token_sha, '') FROM kiosks k "
                                 "LEFT JOIN enrolments e ON e.token_sha = k.token_sha AND e.epoch = k.epoch WHERE k.code = $1",
                                 {kiosk});
    if (!found) return std::unexpected(DatabaseDown(found.error(), *lease));
    if (found->empty()) return std::unexpected(Refuse(401, "unknown kiosk " + kiosk, "unknown_kiosk"));
    const SqlRow row = found->front();
    if (row[1] != "0") return std::unexpected(Refuse(403, "kiosk " + kiosk + " is revoked", "revoked"));
    if (row[0].empty()) return std::unexpected(Refuse(401, "kiosk " + kiosk + " is not enrolled", "not_enrolled"));
    const std::string expected =
        HmacSha256Hex(row[0], CanonicalRequest(request.method, request.target, kiosk, sentAt, nonce, request.body));
    if (!ConstantTimeEqual(expected, Lower(signature))) return std::unexpected(Refuse(401, "bad signature", "bad_signature"));
    if (!row[3].empty()) {
        auto spent = (*lease)->Query("UPDATE kiosks SET token_sha = NULL, token_until = NULL WHERE code = $1 AND token_sha = $2",
                                     {kiosk, row[3]});
        if (!spent) return std::unexpected(DatabaseDown(spent.error(), *lease));
    }
    return Authenticated{std::move(*lease), kiosk, nonce, ToInt(row[2])};
}

// Called inside the request's transaction, so the nonce becomes durable with what the request did
// (one commit per request). Replays racing each other serialise on the nonce's primary key.
std::optional<Reply> IngestService::ClaimNonce(SqlSession& db, const std::string& kiosk, const std::string& nonce,
                                               std::int64_t now) {
    auto fresh = db.Query("INSERT INTO nonces (kiosk, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING nonce",
                          {kiosk, nonce, now});
    if (!fresh) return Refuse(503, "head-office database unavailable: " + fresh.error().message, "database");
    if (fresh->empty()) return Refuse(401, "replayed request (nonce already used)", "replayed");
    if (nonce.back() == '0') {
        // Now and then: nonces older than twice the window can no longer be replayed (the timestamp check refuses them).
        const std::int64_t windowMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.clockWindow).count();
        if (auto pruned = db.Query("DELETE FROM nonces WHERE seen_at < $1", {now - 2 * windowMs}); !pruned) {
            return Refuse(503, "head-office database unavailable: " + pruned.error().message, "database");
        }
    }
    return std::nullopt;
}

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

Reply IngestService::HandleEnrol(const Request& request) {
    const std::int64_t now = m_clock();
    auto parsed = ParseEnrolRequest(request.body);
    if (!parsed) return Refuse(400, parsed.error().message, "bad_json");
    if (!wire::IsUuid(parsed->kioskUuid) || parsed->resumeAfterSeq < 0) {
        return Refuse(400, "kiosk_uuid must be a UUID and resume_after_seq not negative", "bad_json");
    }
    auto secret = RandomHex(32);
    if (!secret) return Refuse(503, secret.error().message, "database");
    auto lease = m_pool->Acquire();
    if (!lease) return Refuse(503, "head-office database unavailable: " + lease.error().message, "database");
    SqlSession& db = **lease;
    if (auto ok = db.Begin(); !ok) return Refuse(503, ok.error().message, "database");
    // An answered token stays on the kiosk's row until the kiosk's first signed request (Authenticate):
    // an answer lost on the way is given again to the same kiosk key, never to another one.
    const std::string tokenSha = Sha256Hex(parsed->token);
    auto found = db.Query("SELECT code, revoked, epoch, token_until, secret FROM kiosks WHERE token_sha = $1" + std::string(db.ForUpdate()),
                          {tokenSha});
    if (!found) return Refuse(503, found.error().message, "database");
    if (found->empty()) return Refuse(401, "unknown or already used enrolment token", "bad_token");
    const SqlRow row = found->front();
    if (ToInt(row[3]) < now) return Refuse(401, "the enrolment token has expired: issue a new one with `headoffice kiosk add`", "bad_token");
    auto answered = db.Query("SELECT kiosk_uuid, epoch FROM enrolments WHERE token_sha = $1", {tokenSha});
    if (!answered) return Refuse(503, answered.error().message, "database");
    if (!answered->empty()) {
        const SqlRow& earlier = answered->front();
        if (earlier[0] != parsed->kioskUuid) {
            return Refuse(401, "this enrolment token was used by another kiosk: issue a new one with `headoffice kiosk add`", "bad_token");
        }
        if (ToInt(earlier[1]) != ToInt(row[2])) return Refuse(401, "unknown or already used enrolment token", "bad_token");
        if (auto ok = db.Commit(); !ok) return Refuse(503, ok.error().message, "database");
        Count("kiosk_ingest_enrolments_replayed_total");
        return JsonReply(200, EncodeEnrolReply({row[0], row[4], ToInt(row[2]), now}));
    }
    const std::int64_t epoch = ToInt(row[2]) + 1;
    for (auto [sql, params] :
         {std::pair{std::string("UPDATE kiosks SET secret = $2, epoch = $3, kiosk_uuid = $4, revoked = 0, "
                                "enrolled_at = $5, last_seen = $5 WHERE code = $1"),
                    std::vector<SqlValue>{row[0], *secret, epoch, parsed->kioskUuid, now}},
          std::pair{std::string("INSERT INTO cursors (kiosk, epoch, last_seq) VALUES ($1, $2, $3)"),
                    std::vector<SqlValue>{row[0], epoch, parsed->resumeAfterSeq}},
          std::pair{std::string("INSERT INTO enrolments (token_sha, kiosk, kiosk_uuid, epoch, answered_at) VALUES ($1, $2, $3, $4, $5)"),
                    std::vector<SqlValue>{tokenSha, row[0], parsed->kioskUuid, epoch, now}}}) {
        if (auto ok = db.Query(sql, params); !ok) return Refuse(503, ok.error().message, "database");
    }
    if (auto ok = db.Commit(); !ok) return Refuse(503, ok.error().message, "database");
    Count("kiosk_ingest_enrolments_total");
    return JsonReply(200, EncodeEnrolReply({row[0], *secret, epoch, now}));
}

Reply IngestService::HandleDownstream(const Request& request) {
    const std::int64_t now = m_clock();
    Count("kiosk_downstream_requests_total");
    if (request.body.size() > m_limits.maxBodyBytes) return Refuse(413, "body too large", "too_large");
    auto auth = Authenticate(request, now);
    if (!auth) return std::move(auth.error());
    auto& lease = auth->lease;
    SqlSession& db = *lease;
    auto parsed = ParseDownstreamRequest(request.body);
    if (!parsed) return Refuse(400, parsed.error().message, "bad_json");
    if (parsed->kiosk != auth->kiosk) return Refuse(400, "kiosk in the body does not match X-Kiosk", "bad_json");
    for (const auto& [dataset, version] : parsed->have) {
        if (!wire::IsDataset(dataset) || version < 0) {
            return Refuse(400, "have: unknown data set '" + dataset + "' or a negative version", "bad_json");
        }
    }
    const auto databaseDown = [&](const core::Error& error) { return DatabaseDown(error, lease); };
    if (auto ok = db.Begin(); !ok) return databaseDown(ok.error());
    if (auto refused = ClaimNonce(db, auth->kiosk, auth->nonce, now)) return std::move(*refused);
    if (parsed->status) {
        if (auto ok = StoreKioskStatus(db, auth->kiosk, *parsed->status, now); !ok) return databaseDown(ok.error());
        auto seen = db.Query("UPDATE kiosks SET last_seen = $2, backlog = $3 WHERE code = $1",
                             {auth->kiosk, now, parsed->status->backlog});
        if (!seen) return databaseDown(seen.error());
    }
    DownstreamReply reply;
    reply.serverTimeMs = now;
    for (std::string_view name : wire::kDatasets) {
        const std::string dataset(name);
        const std::int64_t have = parsed->have.contains(dataset) ? parsed->have.at(dataset) : 0;
        if (have > 0) {
            auto ok = db.Query("INSERT INTO kiosk_datasets (kiosk, dataset, version, reported_at) VALUES ($1, $2, $3, $4) "
                               "ON CONFLICT (kiosk, dataset) DO UPDATE SET version = excluded.version, reported_at = excluded.reported_at",
                               {auth->kiosk, dataset, have, now});
            if (!ok) return databaseDown(ok.error());
        }
        auto latest = db.Query("SELECT coalesce(max(version), 0) FROM dataset_versions WHERE dataset = $1", {dataset});
        if (!latest) return databaseDown(latest.error());
        const std::int64_t current = ToInt(latest->front()[0]);
        if (current == 0 || have == current) continue;
        // Ahead of head office (its database was restored from a backup) or too far behind: the whole
        // data set. Its version is head office's, so the next pull is a plain delta again.
        wire::DatasetUpdate update{dataset, false, have, current, {}, {}};
        update.snapshot = wire::IsDocumentDataset(dataset) || have == 0 || have > current || current - have > kMaxDeltaVersions;
        if (update.snapshot) update.fromVersion = 0;
        if (wire::IsDocumentDataset(dataset)) {
            auto doc = db.Query("SELECT document FROM dataset_versions WHERE dataset = $1 AND version = $2", {dataset, current});
            if (!doc) return databaseDown(doc.error());
            update.document = doc->front()[0];
        } else {
            auto versions = db.Query("SELECT items FROM dataset_versions WHERE dataset = $1 AND version > $2 ORDER BY version",
                                     {dataset, update.fromVersion});
            if (!versions) return databaseDown(versions.error());
            auto merged = MergeItems(dataset, *versions);
            if (!merged) return Refuse(500, merged.error().message, "bad_dataset");
            update.items = std::move(*merged);
        }
        Count("kiosk_downstream_updates_total{mode=\"" + std::string(update.snapshot ? "snapshot" : "delta") + "\"}");
        reply.updates.push_back(std::move(update));
    }
    if (auto ok = db.Commit(); !ok) return databaseDown(ok.error());
    auto body = EncodeDownstreamReply(reply);
    if (!body) return Refuse(500, body.error().message, "bad_dataset");
    return JsonReply(200, std::move(*body));
}

Result<std::int64_t> IngestService::Publish(std::string_view dataset, std::string_view content, std::string_view source) {
    if (!wire::IsDataset(dataset)) {
        return core::Fail(ErrorCode::InvalidInput, "unknown data set '" + std::string(dataset) + "' (catalog, policy, sla, calendar, faq, staff or sales)");
    }
    const bool document = wire::IsDocumentDataset(dataset);
    if (!document) {
        if (auto items = wire::KeyedItems(dataset, content); !items) return std::unexpected(std::move(items.error()));
    }
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    SqlSession& db = **lease;
    if (auto ok = db.Begin(); !ok) return std::unexpected(std::move(ok.error()));
    auto latest = db.Query("SELECT coalesce(max(version), 0) FROM dataset_versions WHERE dataset = $1", {std::string(dataset)});
    if (!latest) return std::unexpected(std::move(latest.error()));
    const std::int64_t version = ToInt(latest->front()[0]) + 1;
    auto ok = db.Query("INSERT INTO dataset_versions (dataset, version, items, document, source, published_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6)",
                       {std::string(dataset), version, document ? std::string() : std::string(content),
                        document ? std::string(content) : std::string(), std::string(source), m_clock()});
    if (ok && dataset == "catalog") {
        if (auto stored = StoreProducts(db, content); !stored) return std::unexpected(std::move(stored.error()));
    }
    if (!ok) {
        if (ok.error().code == ErrorCode::Conflict) {
            return core::Fail(ErrorCode::Conflict, "another publish of " + std::string(dataset) + " committed first: publish again");
        }
        return std::unexpected(std::move(ok.error()));
    }
    if (auto committed = db.Commit(); !committed) return std::unexpected(std::move(committed.error()));
    return version;
}

Result<std::map<std::string, std::int64_t>> IngestService::CurrentVersions() {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto rows = (*lease)->Query("SELECT dataset, max(version) FROM dataset_versions GROUP BY dataset");
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::map<std::string, std::int64_t> out;
    for (const SqlRow& r : *rows) out[r[0]] = ToInt(r[1]);
    return out;
}

std::string IngestService::Metrics() {
    std::lock_guard lock(m_mutex);
    std::string out;
    std::string lastName;
    for (const auto& [name, value] : m_counters) {
        const std::string bare = name.substr(0, name.find('{'));
        if (bare != lastName) out += "# TYPE " + bare + " counter\n";
        lastName = bare;
        out += name + " " + std::to_string(value) + "\n";
    }
    return out;
}

Result<std::string> IngestService::AddKiosk(std::string_view store, std::string_view kiosk) {
    if (!ValidCode(store) || !ValidCode(kiosk)) {
        return core::Fail(ErrorCode::InvalidInput, "store and kiosk codes are 1-16 letters or digits: got '" + std::string(store) +
                                                       "' and '" + std::string(kiosk) + "'");
    }
    auto token = RandomHex(24);
    if (!token) return std::unexpected(std::move(token.error()));
    const std::int64_t now = m_clock();
    const std::int64_t until = now + std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.enrolTokenLifetime).count();
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    const std::string code = std::string(store) + "-" + std::string(kiosk);
    auto ok = (*lease)->Query("INSERT INTO kiosks (code, store_code, kiosk_code, token_sha, token_until, created_at) "
                              "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO UPDATE SET token_sha = $4, token_until = $5",
                              {code, std::string(store), std::string(kiosk), Sha256Hex(*token), until, now});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return *token;
}

Result<void> IngestService::RevokeKiosk(std::string_view code) {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto rows = (*lease)->Query("UPDATE kiosks SET revoked = 1, token_sha = NULL WHERE code = $1 RETURNING code", {std::string(code)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return core::Fail(ErrorCode::NotFound, "no kiosk " + std::string(code) + " at head office");
    return {};
}

Result<std::vector<KioskInfo>> IngestService::ListKiosks() {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto rows = (*lease)->Query(
        "SELECT k.code, CASE WHEN k.secret <> '' THEN 1 ELSE 0 END, k.revoked, k.epoch, coalesce(c.last_seq, 0), "
        "coalesce(k.last_seen, 0), k.backlog, (SELECT count(*) FROM records r WHERE r.kiosk = k.code), "
        "(SELECT count(*) FROM dead_letters d WHERE d.kiosk = k.code) "
        "FROM kiosks k LEFT JOIN cursors c ON c.kiosk = k.code AND c.epoch = k.epoch ORDER BY k.code");
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<KioskInfo> out;
    for (const SqlRow& r : *rows) {
        out.push_back({r[0], r[1] == "1", r[2] != "0", ToInt(r[3]), ToInt(r[4]), ToInt(r[5]), ToInt(r[6]), ToInt(r[7]), ToInt(r[8]), {}});
    }
    auto applied = (*lease)->Query("SELECT kiosk, dataset, version FROM kiosk_datasets");
    if (!applied) return std::unexpected(std::move(applied.error()));
    for (const SqlRow& r : *applied) {
        for (KioskInfo& k : out) {
            if (k.code == r[0]) k.datasets[r[1]] = ToInt(r[2]);
        }
    }
    return out;
}

}  // namespace kiosk::sync::headoffice
