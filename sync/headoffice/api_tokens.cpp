// API tokens in the head-office database, looked up by the SHA-256 of the secret.
#include "sync/headoffice/api_tokens.hpp"

#include <algorithm>
#include <cctype>

#include "sync/codec.hpp"
#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

constexpr std::string_view kTokenSchema = R"sql(
CREATE TABLE IF NOT EXISTS api_tokens (
    name          TEXT PRIMARY KEY,
    token_sha     TEXT NOT NULL UNIQUE,
    reveal_phone  INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    revoked_at    BIGINT NOT NULL
);
)sql";

constexpr std::string_view kTokenPrefix = "hoapi_";

bool ValidTokenName(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    });
}

ApiToken ReadToken(const SqlRow& r) { return {r[0], ToInt(r[1]) != 0, ToInt(r[2]), ToInt(r[3])}; }

}  // namespace

Result<void> EnsureApiTokenSchema(SqlSession& db) { return db.EnsureSchema(kTokenSchema); }

Result<std::string> AddApiToken(SqlSession& db, std::string_view name, bool revealPhone, std::int64_t nowMs) {
    if (!ValidTokenName(name)) {
        return core::Fail(ErrorCode::InvalidInput, "a token name is 1-64 letters, digits, '.', '_' or '-': got '" + std::string(name) + "'");
    }
    auto secret = RandomHex(32);
    if (!secret) return std::unexpected(std::move(secret.error()));
    const std::string token = std::string(kTokenPrefix) + *secret;
    auto rows = db.Query("INSERT INTO api_tokens (name, token_sha, reveal_phone, created_at, revoked_at) VALUES ($1, $2, $3, $4, 0) "
                         "ON CONFLICT DO NOTHING RETURNING name",
                         {std::string(name), Sha256Hex(token), std::int64_t{revealPhone ? 1 : 0}, nowMs});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return core::Fail(ErrorCode::Conflict, "a token named " + std::string(name) + " exists already");
    return token;
}

Result<std::vector<ApiToken>> ListApiTokens(SqlSession& db) {
    auto rows = db.Query("SELECT name, reveal_phone, created_at, revoked_at FROM api_tokens ORDER BY name");
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<ApiToken> out;
    for (const SqlRow& r : *rows) out.push_back(ReadToken(r));
    return out;
}

Result<void> RevokeApiToken(SqlSession& db, std::string_view name, std::int64_t nowMs) {
    auto rows = db.Query("SELECT revoked_at FROM api_tokens WHERE name = $1", {std::string(name)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return core::Fail(ErrorCode::NotFound, "no token named " + std::string(name) + " (see `token list`)");
    if (ToInt(rows->front()[0]) != 0) return core::Fail(ErrorCode::Conflict, "token " + std::string(name) + " was revoked already");
    auto ok = db.Query("UPDATE api_tokens SET revoked_at = $2 WHERE name = $1", {std::string(name), nowMs});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

Result<std::optional<ApiToken>> FindApiToken(SqlSession& db, std::string_view secret) {
    if (!secret.starts_with(kTokenPrefix) || secret.size() != kTokenPrefix.size() + 64) return std::optional<ApiToken>{};
    auto rows = db.Query("SELECT name, reveal_phone, created_at, revoked_at FROM api_tokens WHERE token_sha = $1 AND revoked_at = 0",
                         {Sha256Hex(secret)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return std::optional<ApiToken>{};
    return std::optional<ApiToken>{ReadToken(rows->front())};
}

}  // namespace kiosk::sync::headoffice
