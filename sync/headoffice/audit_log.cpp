// The audit table: one row per action, with a random id so servers never collide on a sequence.
#include "sync/headoffice/audit_log.hpp"

#include <algorithm>
#include <cstdlib>

#include "sync/codec.hpp"
#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

constexpr std::string_view kAuditSchema = R"sql(
CREATE TABLE IF NOT EXISTS audit_log (
    id       TEXT PRIMARY KEY,
    at       BIGINT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
)sql";

}  // namespace

Result<void> EnsureAuditSchema(SqlSession& db) { return db.EnsureSchema(kAuditSchema); }

Result<void> WriteAudit(SqlSession& db, const AuditEntry& entry) {
    auto id = RandomHex(16);
    if (!id) return std::unexpected(std::move(id.error()));
    auto ok = db.Query("INSERT INTO audit_log (id, at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
                       {*id, entry.atMs, entry.actor, entry.action, entry.subject, entry.detail});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

Result<void> WriteAudit(SessionPool& pool, const AuditEntry& entry) {
    auto lease = pool.Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    return WriteAudit(**lease, entry);
}

Result<std::vector<AuditEntry>> LoadAudit(SqlSession& db, int limit) {
    auto rows = db.Query("SELECT at, actor, action, subject, detail FROM audit_log ORDER BY at DESC, id LIMIT $1",
                         {std::int64_t{std::clamp(limit, 1, 10'000)}});
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<AuditEntry> out;
    for (const SqlRow& r : *rows) out.push_back({ToInt(r[0]), r[1], r[2], r[3], r[4]});
    return out;
}

std::string CommandLineActor() {
    const char* user = std::getenv("USER");
    return std::string("cli:") + (user != nullptr && *user != '\0' ? user : "unknown");
}

}  // namespace kiosk::sync::headoffice
