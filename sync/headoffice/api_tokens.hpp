// Read-only tokens for integrations with head office's /api/v1/: one per integration, named, shown
// once when added; only the SHA-256 of the secret is stored, and a revoked token stays listed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

struct ApiToken {
    std::string name;
    bool revealPhone = false;      // answers carry customers' whole phone numbers
    std::int64_t createdAtMs = 0;
    std::int64_t revokedAtMs = 0;  // 0: in force
};

// Creates the tokens table when missing (IngestService::Open does).
Result<void> EnsureApiTokenSchema(SqlSession& db);

// Adds a token named `name` (1-64 letters, digits, '.', '_' or '-'); returns its secret, "hoapi_"
// and 64 hex digits, which is never stored. InvalidInput for a bad name, Conflict when it exists.
Result<std::string> AddApiToken(SqlSession& db, std::string_view name, bool revealPhone, std::int64_t nowMs);
Result<std::vector<ApiToken>> ListApiTokens(SqlSession& db);
// NotFound for an unknown name; Conflict when it was revoked already.
Result<void> RevokeApiToken(SqlSession& db, std::string_view name, std::int64_t nowMs);
// The token in force whose secret this is; nullopt for anything else (unknown, revoked, malformed).
Result<std::optional<ApiToken>> FindApiToken(SqlSession& db, std::string_view secret);

}  // namespace kiosk::sync::headoffice
