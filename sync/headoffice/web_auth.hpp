// Head-office users of the web dashboard: argon2id password hashes, sessions kept in the head-office
// database (so several servers share them) with idle and absolute expiry, and a CSRF token per session.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

enum class WebRole { Viewer, Admin };
std::string_view ToString(WebRole role);
std::optional<WebRole> ParseWebRole(std::string_view text);

struct WebUser {
    std::string name;
    WebRole role = WebRole::Viewer;
    std::int64_t createdAtMs = 0;
};

struct WebSession {
    std::string user;
    WebRole role = WebRole::Viewer;
    std::string csrf;  // every POST form of this session carries it
    std::int64_t expiresAtMs = 0;
};

struct AuthOptions {
    std::chrono::minutes idle{30};       // a session unused this long ends
    std::chrono::hours absolute{12};     // and every session ends this long after sign-in
    std::size_t minPasswordLength = 10;
    // After this many wrong passwords within the window, for one user name or from one client
    // address, sign-in is refused until the oldest of them leaves the window.
    int maxFailures = 5;
    std::chrono::seconds failureWindow{300};
};

class WebAuth {
public:
    // Creates the users and sessions tables when missing; an empty clock is the system clock. Fails
    // with the database's errors.
    static Result<WebAuth> Open(SessionPool& pool, std::function<std::int64_t()> clockMs, AuthOptions options = {});

    // Fails with InvalidInput for a name that is not 1-32 letters, digits, '.', '_' or '-', or a
    // password shorter than minPasswordLength; Conflict when the user exists.
    Result<void> AddUser(std::string_view name, std::string_view password, WebRole role);
    Result<std::vector<WebUser>> ListUsers();
    // Sets a new password and ends the user's sessions. NotFound for an unknown user.
    Result<void> SetPassword(std::string_view name, std::string_view password);

    // Checks the password and opens a session; returns its token (only its hash is stored). Fails
    // with Forbidden for an unknown user or a wrong password (the same message for both), and with
    // Busy ("try again in N s") while the user name or the client `address` is throttled.
    Result<std::string> Login(std::string_view name, std::string_view password, std::string_view address = {});
    // Seconds until a sign-in by `name` from `address` is accepted again; 0 when it is now. The
    // failures are counted in the database, shared by every server on it. Fails with its errors.
    Result<std::int64_t> ThrottledFor(std::string_view name, std::string_view address);
    // The session of a token, its idle expiry moved forward. Forbidden when unknown or expired.
    Result<WebSession> Resume(std::string_view token);
    Result<void> Logout(std::string_view token);

private:
    WebAuth(SessionPool& pool, std::function<std::int64_t()> clockMs, AuthOptions options)
        : m_pool(&pool), m_clock(std::move(clockMs)), m_options(options) {}
    Result<void> CheckPassword(std::string_view password) const;
    Result<std::int64_t> ThrottledFor(SqlSession& db, std::string_view name, std::string_view address);

    SessionPool* m_pool;
    std::function<std::int64_t()> m_clock;
    AuthOptions m_options;
};

// An argon2id hash in the PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded, std::string_view password);

}  // namespace kiosk::sync::headoffice
