// What head-office users did (publish, enrol, revoke, user and token changes, phone reveals), kept in
// the head-office database so every server and the admin's audit page see the same record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

struct AuditEntry {
    std::int64_t atMs = 0;
    std::string actor;    // "web:NAME" for a dashboard user, "cli:NAME" for the command line
    std::string action;   // publish, kiosk_add, kiosk_revoke, user_add, user_passwd, token_add, token_revoke, phone_reveal
    std::string subject;  // what it was done to: a data set, kiosk, user, token or ticket
    std::string detail;   // the version published, the reason given for a reveal, ...
};

// Creates the audit table when missing (SQLite and PostgreSQL alike). Fails with the database's errors.
Result<void> EnsureAuditSchema(SqlSession& db);
// Appends one entry (IngestService::Open created the table). Fails with the database's errors.
Result<void> WriteAudit(SqlSession& db, const AuditEntry& entry);
Result<void> WriteAudit(SessionPool& pool, const AuditEntry& entry);
// Newest first, at most `limit` entries.
Result<std::vector<AuditEntry>> LoadAudit(SqlSession& db, int limit);

// Who runs a command-line action: "cli:" and the login name ($USER), "cli:unknown" without one.
std::string CommandLineActor();

}  // namespace kiosk::sync::headoffice
