// The head-office ingest service: authenticates kiosk requests, applies outbox batches exactly once in
// one transaction each, enrols and revokes kiosks, publishes downstream data. Holds no state of its
// own beyond a per-process rate limiter, so several servers can share one database.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/projection.hpp"
#include "sync/headoffice/sql_session.hpp"
#include "sync/protocol.hpp"

namespace kiosk::sync::headoffice {

struct ServiceLimits {
    std::size_t maxBodyBytes = 16 * 1024 * 1024;    // as received (compressed)
    std::size_t maxDecodedBytes = 64 * 1024 * 1024;  // after decompression
    std::size_t maxBatchRecords = 2000;
    std::chrono::seconds clockWindow{300};  // how far a request's X-Kiosk-Time may be from ours
    double requestsPerSecond = 50;          // per kiosk, per server process
    double burst = 100;
    std::chrono::hours enrolTokenLifetime{7 * 24};
};

// What the HTTP layer hands in, and what it sends back.
struct Request {
    std::string method;
    std::string target;  // path and query, as signed
    std::function<std::string(std::string_view)> header;  // "" when absent
    std::string body;
};

struct Reply {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    Headers headers;
};

struct KioskInfo {
    std::string code;  // STORE-KIOSK
    bool enrolled = false;
    bool revoked = false;
    std::int64_t epoch = 0;
    std::int64_t lastSeq = 0;      // highest sequence committed in the current epoch
    std::int64_t lastSeenMs = 0;   // 0 when never
    std::int64_t backlog = 0;      // as the kiosk last reported it
    std::int64_t records = 0;      // stored, all epochs
    std::int64_t deadLetters = 0;
    std::map<std::string, std::int64_t> datasets;  // applied downstream versions, as the kiosk last reported them
};

// A kiosk further behind than this (in versions of one data set) gets a snapshot instead of a delta.
inline constexpr std::int64_t kMaxDeltaVersions = 10;

using ClockMs = std::function<std::int64_t()>;

class IngestService {
public:
    // Opens the store named by `dbUrl` (see SessionFactoryFor) and creates its tables when missing.
    static Result<std::unique_ptr<IngestService>> Open(std::string_view dbUrl, ServiceLimits limits = {},
                                                       ClockMs clock = {});

    Reply HandleBatch(const Request& request);
    Reply HandleEnrol(const Request& request);
    // A kiosk's pull: records the versions it reports and answers with what changed since.
    Reply HandleDownstream(const Request& request);
    // GET or PUT of /v1/blobs/<sha256> (blob_ingest.cpp): a blob's upload state, or one chunk of it.
    Reply HandleBlob(const Request& request);
    // Prometheus text exposition.
    std::string Metrics();

    // `kiosk add`: registers the kiosk (or re-enrols an existing one) and returns a fresh one-time
    // enrolment token. Fails with InvalidInput for a malformed store or kiosk code.
    Result<std::string> AddKiosk(std::string_view store, std::string_view kiosk);
    // `kiosk revoke`: every later request of the kiosk is refused. NotFound for an unknown kiosk.
    Result<void> RevokeKiosk(std::string_view code);
    Result<std::vector<KioskInfo>> ListKiosks();

    // `publish`: stores `content` as the next version of `dataset` and returns that version. For the
    // row data sets (catalog, staff, sales) `content` is a JSON array of items (wire::Encode*Items),
    // for policy and sla the TOML text; the caller has validated it with the kiosk's own parsers.
    // Fails with InvalidInput for an unknown data set or items that are not an array of keyed objects,
    // Conflict when another publish of the same data set committed first.
    Result<std::int64_t> Publish(std::string_view dataset, std::string_view content, std::string_view source);
    // The latest published version of each data set that has one.
    Result<std::map<std::string, std::int64_t>> CurrentVersions();

    // Which statuses the ticket projection counts as first response and resolution; until set, it
    // records neither. Call before serving.
    void SetProjectionRules(ProjectionRules rules) { m_rules = std::move(rules); }
    // The SLA rules the projection measures tickets with, for the pages that evaluate one ticket at
    // their own now; null until set with the projection rules.
    SlaRulesSource* SlaSource() { return m_rules.sla.get(); }
    // The store's sessions, for the dashboard's reads and its users.
    SessionPool& Pool() { return *m_pool; }

    ~IngestService();
    IngestService(const IngestService&) = delete;
    IngestService& operator=(const IngestService&) = delete;

private:
    // With `groupCommit` (SQLite: one writer at a time anyway), batches are written by one thread that
    // commits the batches waiting together in one transaction, each in its own savepoint.
    IngestService(std::unique_ptr<SessionPool> pool, ServiceLimits limits, ClockMs clock, bool groupCommit);

    struct PendingBatch;  // a batch read and checked, ready for its transaction (batch_ingest.cpp)
    struct BatchOutcome;
    class BatchWriter;

    struct Bucket {
        double tokens = 0;
        std::int64_t updatedMs = 0;
    };
    // A request whose headers and signature check out, with the session it was checked on. The
    // nonce is not yet spent: ClaimNonce does that inside the request's transaction.
    struct Authenticated {
        SessionPool::Lease lease;
        std::string kiosk;
        std::string nonce;
        std::int64_t epoch = 0;  // the kiosk's current epoch
        std::string token;       // the enrolment token this request spends (ClaimNonce), empty when spent
    };
    std::expected<Authenticated, Reply> Authenticate(const Request& request, std::int64_t now);
    std::optional<Reply> ClaimNonce(SqlSession& db, const std::string& kiosk, const std::string& nonce, const std::string& token,
                                    std::int64_t now);
    // Writes a checked batch in the caller's transaction, inside its savepoint "batch" (rolled back to
    // when the batch is refused there). Fails only when the database does.
    Result<BatchOutcome> ApplyBatch(SqlSession& db, const PendingBatch& batch);
    // The counters of a batch whose transaction committed.
    void CountCommitted(const BatchOutcome& outcome);
    bool TakeToken(const std::string& kiosk, std::int64_t nowMs);
    void Count(const std::string& name, std::int64_t by = 1);
    Reply Refuse(int status, std::string reason, std::string metric);
    // 503 with Retry-After for a database failure mid-request.
    Reply DatabaseDown(const core::Error& error, SessionPool::Lease& lease);
    Reply DatabaseDown(const core::Error& error);

    std::unique_ptr<SessionPool> m_pool;
    ProjectionRules m_rules;
    ServiceLimits m_limits;
    ClockMs m_clock;
    std::mutex m_mutex;  // guards the two maps below
    std::map<std::string, Bucket> m_buckets;
    std::map<std::string, std::int64_t> m_counters;
    std::unique_ptr<BatchWriter> m_writer;  // null on PostgreSQL: each request writes its own batch
};

}  // namespace kiosk::sync::headoffice
