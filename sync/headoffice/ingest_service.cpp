// The ingest service's store: the tables of the kiosk register, batches, records and published data
// sets, in one SQL dialect that both SQLite and PostgreSQL accept; and the refusals every handler shares.
#include "sync/headoffice/ingest_service.hpp"

#include <chrono>

#include "sync/headoffice/api_tokens.hpp"
#include "sync/headoffice/audit_log.hpp"
#include "sync/headoffice/blobs.hpp"
#include "sync/headoffice/ingest_support.hpp"
#include "sync/headoffice/notifications.hpp"
#include "sync/headoffice/partitions.hpp"
#include "sync/headoffice/rollups.hpp"

namespace kiosk::sync::headoffice {
namespace {

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

std::int64_t WallClockMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
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
        if (auto ok = EnsureTicketPartitions(**lease, clock ? clock() : WallClockMs()); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = EnsureBlobSchema(**lease); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = EnsureRollups(**lease); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = EnsureAuditSchema(**lease); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = EnsureApiTokenSchema(**lease); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = EnsureNotificationSchema(**lease); !ok) return std::unexpected(std::move(ok.error()));
    }
    if (!clock) clock = WallClockMs;
    return std::unique_ptr<IngestService>(new IngestService(std::move(pool), limits, std::move(clock), !IsPostgresUrl(dbUrl)));
}

Reply IngestService::DatabaseDown(const core::Error& error, SessionPool::Lease& lease) {
    // A lost connection is not returned to the pool; the kiosk retries the same request shortly.
    if (error.code == ErrorCode::Unavailable) lease.Discard();
    return DatabaseDown(error);
}

Reply IngestService::DatabaseDown(const core::Error& error) {
    Reply reply = Refuse(503, "head-office database: " + error.message, "database");
    reply.headers.emplace_back("Retry-After", "1");
    return reply;
}

Reply IngestService::Refuse(int status, std::string reason, std::string metric) {
    Count("kiosk_ingest_refused_total{reason=\"" + metric + "\"}");
    return ErrorJson(status, {std::move(reason), std::nullopt, std::nullopt});
}

}  // namespace kiosk::sync::headoffice
