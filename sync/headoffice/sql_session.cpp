// The session pool and the choice of engine from a --db connection string.
#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

Result<SessionPool::Lease> SessionPool::Acquire() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto session = std::move(m_idle.back());
            m_idle.pop_back();
            return Lease(this, std::move(session));
        }
    }
    auto session = m_factory();
    if (!session) return std::unexpected(std::move(session.error()));
    return Lease(this, std::move(*session));
}

void SessionPool::Return(std::unique_ptr<SqlSession> session) {
    session->Rollback();
    std::lock_guard lock(m_mutex);
    m_idle.push_back(std::move(session));
}

namespace {

void AppendArrayElement(std::string& out, const std::string& value) {
    out += out.size() == 1 ? "\"" : ",\"";
    for (const char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

}  // namespace

std::string TextArrayLiteral(const std::vector<std::string>& values) {
    std::string out = "{";
    for (const std::string& value : values) AppendArrayElement(out, value);
    return out + "}";
}

std::string ArrayLiteral(const std::vector<std::optional<std::string>>& values) {
    std::string out = "{";
    for (const std::optional<std::string>& value : values) {
        if (value) {
            AppendArrayElement(out, *value);
        } else {
            out += out.size() == 1 ? "NULL" : ",NULL";
        }
    }
    return out + "}";
}

std::string ArrayLiteral(const std::vector<std::optional<std::int64_t>>& values) {
    std::string out = "{";
    for (const std::optional<std::int64_t>& value : values) {
        if (out.size() > 1) out += ',';
        out += value ? std::to_string(*value) : "NULL";
    }
    return out + "}";
}

bool IsPostgresUrl(std::string_view url) { return url.starts_with("postgresql://") || url.starts_with("postgres://"); }

Result<SessionFactory> SessionFactoryFor(std::string_view url) {
    if (IsPostgresUrl(url)) return PostgresSessions(std::string(url));
    if (url.starts_with("sqlite:")) url.remove_prefix(7);
    if (url.empty() || url.find("://") != std::string_view::npos) {
        return core::Fail(core::ErrorCode::InvalidInput, "--db must be sqlite:PATH or postgresql://...; got '" + std::string(url) + "'");
    }
    return SqliteSessions(std::string(url));
}

}  // namespace kiosk::sync::headoffice
