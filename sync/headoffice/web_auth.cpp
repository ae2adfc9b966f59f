// Users and sessions of the dashboard on libargon2 and the head-office store.
#include "sync/headoffice/web_auth.hpp"

#include <argon2.h>

#include <algorithm>
#include <cctype>

#include "sync/codec.hpp"
#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS web_users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_sessions (
    token_sha   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
-- Wrong passwords by key ("user:NAME", "addr:ADDRESS"), in the database so that every server behind a
-- balancer counts the same attempts.
CREATE TABLE IF NOT EXISTS web_login_failures (
    key       TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_login_failures_key ON web_login_failures (key, failed_at);
CREATE INDEX IF NOT EXISTS web_login_failures_at ON web_login_failures (failed_at);
)sql";

// OWASP's argon2id baseline: 19 MiB, 2 passes, one lane.
constexpr std::uint32_t kTimeCost = 2;
constexpr std::uint32_t kMemoryKiB = 19 * 1024;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

bool ValidName(std::string_view name) {
    return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    });
}

// A hash of a random password, verified against when the user is unknown, so a sign-in takes as long
// for a name that does not exist as for a wrong password.
const std::string& DecoyHash() {
    static const std::string decoy = [] {
        auto hash = HashPassword("decoy password that matches nothing");
        return hash ? *hash : std::string();
    }();
    return decoy;
}

// The keys a sign-in's wrong passwords are counted under: its user name, and its client address when known.
std::vector<std::string> FailureKeys(std::string_view name, std::string_view address) {
    std::vector<std::string> keys{"user:" + std::string(name)};
    if (!address.empty()) keys.push_back("addr:" + std::string(address));
    return keys;
}

}  // namespace

std::string_view ToString(WebRole role) { return role == WebRole::Admin ? "admin" : "viewer"; }

std::optional<WebRole> ParseWebRole(std::string_view text) {
    if (text == "admin") return WebRole::Admin;
    if (text == "viewer") return WebRole::Viewer;
    return std::nullopt;
}

Result<std::string> HashPassword(std::string_view password) {
    auto saltHex = RandomHex(kSaltBytes);
    if (!saltHex) return std::unexpected(std::move(saltHex.error()));
    const std::string salt = saltHex->substr(0, kSaltBytes);
    std::string encoded(argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, static_cast<std::uint32_t>(salt.size()),
                                          static_cast<std::uint32_t>(kHashBytes), Argon2_id),
                        '\0');
    const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.data(), password.size(), salt.data(),
                                         salt.size(), kHashBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) return core::Fail(ErrorCode::Unavailable, std::string("password hashing failed: ") + argon2_error_message(rc));
    encoded.resize(encoded.find('\0'));
    return encoded;
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
    if (encoded.empty()) return false;
    const std::string text(encoded);
    return argon2id_verify(text.c_str(), password.data(), password.size()) == ARGON2_OK;
}

Result<WebAuth> WebAuth::Open(SessionPool& pool, std::function<std::int64_t()> clockMs, AuthOptions options) {
    auto lease = pool.Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    if (auto ok = (*lease)->EnsureSchema(kSchema); !ok) return std::unexpected(std::move(ok.error()));
    if (!clockMs) {
        clockMs = [] {
            return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        };
    }
    return WebAuth(pool, std::move(clockMs), options);
}

Result<void> WebAuth::CheckPassword(std::string_view password) const {
    if (password.size() < m_options.minPasswordLength) {
        return core::Fail(ErrorCode::InvalidInput,
                          "the password must have at least " + std::to_string(m_options.minPasswordLength) + " characters");
    }
    return {};
}

Result<void> WebAuth::AddUser(std::string_view name, std::string_view password, WebRole role) {
    if (!ValidName(name)) {
        return core::Fail(ErrorCode::InvalidInput, "a user name is 1-32 letters, digits, '.', '_' or '-': got '" + std::string(name) + "'");
    }
    if (auto ok = CheckPassword(password); !ok) return ok;
    auto hash = HashPassword(password);
    if (!hash) return std::unexpected(std::move(hash.error()));
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto rows = (*lease)->Query("INSERT INTO web_users (name, password_hash, role, created_at) VALUES ($1, $2, $3, $4) "
                                "ON CONFLICT DO NOTHING RETURNING name",
                                {std::string(name), *hash, std::string(ToString(role)), m_clock()});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return core::Fail(ErrorCode::Conflict, "user " + std::string(name) + " already exists (use `user passwd`)");
    return {};
}

Result<std::vector<WebUser>> WebAuth::ListUsers() {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto rows = (*lease)->Query("SELECT name, role, created_at FROM web_users ORDER BY name");
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<WebUser> users;
    for (const SqlRow& r : *rows) users.push_back({r[0], ParseWebRole(r[1]).value_or(WebRole::Viewer), ToInt(r[2])});
    return users;
}

Result<void> WebAuth::SetPassword(std::string_view name, std::string_view password) {
    if (auto ok = CheckPassword(password); !ok) return ok;
    auto hash = HashPassword(password);
    if (!hash) return std::unexpected(std::move(hash.error()));
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    SqlSession& db = **lease;
    if (auto ok = db.Begin(); !ok) return ok;
    auto rows = db.Query("UPDATE web_users SET password_hash = $2 WHERE name = $1 RETURNING name", {std::string(name), *hash});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return core::Fail(ErrorCode::NotFound, "no user " + std::string(name));
    if (auto ok = db.Query("DELETE FROM web_sessions WHERE name = $1", {std::string(name)}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return db.Commit();
}

Result<std::int64_t> WebAuth::ThrottledFor(std::string_view name, std::string_view address) {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    return ThrottledFor(**lease, name, address);
}

Result<std::int64_t> WebAuth::ThrottledFor(SqlSession& db, std::string_view name, std::string_view address) {
    const std::int64_t now = m_clock();
    const std::int64_t window = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.failureWindow).count();
    std::int64_t waitMs = 0;
    for (const std::string& key : FailureKeys(name, address)) {
        // The newest maxFailures failures in the window; the oldest of them has to leave it.
        auto rows = db.Query("SELECT failed_at FROM web_login_failures WHERE key = $1 AND failed_at > $2 "
                             "ORDER BY failed_at DESC LIMIT $3",
                             {key, now - window, static_cast<std::int64_t>(m_options.maxFailures)});
        if (!rows) return std::unexpected(std::move(rows.error()));
        if (static_cast<int>(rows->size()) >= m_options.maxFailures) waitMs = std::max(waitMs, ToInt(rows->back()[0]) + window - now);
    }
    return waitMs <= 0 ? 0 : (waitMs + 999) / 1000;
}

Result<std::string> WebAuth::Login(std::string_view name, std::string_view password, std::string_view address) {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto wait = ThrottledFor(**lease, name, address);
    if (!wait) return std::unexpected(std::move(wait.error()));
    if (*wait > 0) return core::Fail(ErrorCode::Busy, "too many wrong passwords; try again in " + std::to_string(*wait) + " s");
    auto rows = (*lease)->Query("SELECT password_hash FROM web_users WHERE name = $1", {std::string(name)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    const bool known = !rows->empty();
    const bool matches = VerifyPassword(known ? rows->front()[0] : DecoyHash(), password);
    if (!known || !matches) {
        // Names that do not exist are counted too; failures that left the window go.
        const std::int64_t failedAt = m_clock();
        const std::int64_t window = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.failureWindow).count();
        SqlSession& db = **lease;
        if (auto ok = db.Begin(); !ok) return std::unexpected(std::move(ok.error()));
        for (const std::string& key : FailureKeys(name, address)) {
            if (auto ok = db.Query("INSERT INTO web_login_failures (key, failed_at) VALUES ($1, $2)", {key, failedAt}); !ok) {
                return std::unexpected(std::move(ok.error()));
            }
        }
        if (auto ok = db.Query("DELETE FROM web_login_failures WHERE failed_at <= $1", {failedAt - window}); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        if (auto ok = db.Commit(); !ok) return std::unexpected(std::move(ok.error()));
        return core::Fail(ErrorCode::Forbidden, "wrong user name or password");
    }
    if (auto ok = (*lease)->Query("DELETE FROM web_login_failures WHERE key = $1", {"user:" + std::string(name)}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    auto token = RandomHex(32);
    if (!token) return std::unexpected(std::move(token.error()));
    auto csrf = RandomHex(32);
    if (!csrf) return std::unexpected(std::move(csrf.error()));
    const std::int64_t now = m_clock();
    const std::int64_t idle = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.idle).count();
    // Now and then, sessions that ended long ago are removed.
    if (token->back() == '0') {
        if (auto ok = (*lease)->Query("DELETE FROM web_sessions WHERE expires_at < $1", {now}); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
    }
    auto ok = (*lease)->Query("INSERT INTO web_sessions (token_sha, name, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                              {Sha256Hex(*token), std::string(name), *csrf, now, now + idle});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return *token;
}

Result<WebSession> WebAuth::Resume(std::string_view token) {
    if (token.empty()) return core::Fail(ErrorCode::Forbidden, "not signed in");
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    const std::string sha = Sha256Hex(token);
    auto rows = (*lease)->Query("SELECT s.name, u.role, s.csrf, s.created_at, s.expires_at FROM web_sessions s "
                                "JOIN web_users u ON u.name = s.name WHERE s.token_sha = $1",
                                {sha});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return core::Fail(ErrorCode::Forbidden, "not signed in");
    const SqlRow& r = rows->front();
    const std::int64_t now = m_clock();
    const std::int64_t absolute = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.absolute).count();
    const std::int64_t idle = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.idle).count();
    if (now >= ToInt(r[4]) || now >= ToInt(r[3]) + absolute) return core::Fail(ErrorCode::Forbidden, "the session has expired");
    const std::int64_t expires = std::min(now + idle, ToInt(r[3]) + absolute);
    if (auto ok = (*lease)->Query("UPDATE web_sessions SET expires_at = $2 WHERE token_sha = $1", {sha, expires}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return WebSession{r[0], ParseWebRole(r[1]).value_or(WebRole::Viewer), r[2], expires};
}

Result<void> WebAuth::Logout(std::string_view token) {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    if (auto ok = (*lease)->Query("DELETE FROM web_sessions WHERE token_sha = $1", {Sha256Hex(token)}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return {};
}

}  // namespace kiosk::sync::headoffice
