// The head-office store as seen by the ingest service: SQL sessions over SQLite or PostgreSQL that take
// the same statements ($1-style parameters, ON CONFLICT, RETURNING), handed out by a small pool.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kiosk/core/error.hpp"

namespace kiosk::sync::headoffice {

using core::Result;

// Bytes for a BLOB (SQLite) or bytea (PostgreSQL) column: sent as binary, so they may hold any byte.
struct SqlBytes {
    std::string_view bytes;  // not owned: the caller keeps them alive until the statement has run
};
using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string, SqlBytes>;
// Each column as text; NULL reads as "". A BLOB or bytea column reads as its raw bytes.
using SqlRow = std::vector<std::string>;

// One connection. Errors from the engine come back as Busy (lock timeouts, serialisation), Conflict
// (constraint violations), Unavailable (connection lost) or Storage (anything else).
class SqlSession {
public:
    virtual ~SqlSession() = default;
    virtual Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
    // A read run very often with the same text (the ingest's): prepared once per connection on
    // PostgreSQL, whose planner then stops planning it again for each run; else as Query.
    virtual Result<std::vector<SqlRow>> QueryPrepared(std::string_view sql, const std::vector<SqlValue>& params) {
        return Query(sql, params);
    }
    // A write whose rows are not needed. PostgreSQL sends it without waiting for the answer (several
    // such writes travel in one round trip), so its failure may be reported by the next Exec, Query
    // or Flush instead; SQLite runs it at once.
    virtual Result<void> Exec(std::string_view sql, const std::vector<SqlValue>& params) {
        auto rows = Query(sql, params);
        if (!rows) return std::unexpected(std::move(rows.error()));
        return {};
    }
    // Waits for every write Exec sent; fails with the first one's failure.
    virtual Result<void> Flush() { return {}; }
    // Begin takes the write lock up front on SQLite; PostgreSQL locks rows with ForUpdate() instead.
    virtual Result<void> Begin() = 0;
    virtual Result<void> Commit() = 0;
    virtual void Rollback() = 0;
    virtual std::string_view ForUpdate() const = 0;
    // Creates the tables when missing, safe when several servers start at once.
    virtual Result<void> EnsureSchema(std::string_view ddl) = 0;
    // PostgreSQL's COPY ... TO STDOUT: hands its output to `sink` chunk by chunk and returns the rows
    // copied. A sink's failure is returned once the copy has been read to its end. Unavailable on SQLite.
    virtual Result<std::int64_t> CopyOut(std::string_view sql, const std::function<Result<void>(std::string_view)>& sink) {
        (void)sql;
        (void)sink;
        return core::Fail(core::ErrorCode::Unavailable, "COPY needs PostgreSQL");
    }
};

using SessionFactory = std::function<Result<std::unique_ptr<SqlSession>>()>;

// Connections are opened on demand and kept for reuse; any thread may Acquire.
class SessionPool {
public:
    class Lease {
    public:
        Lease(SessionPool* pool, std::unique_ptr<SqlSession> session) : m_pool(pool), m_session(std::move(session)) {}
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() {
            if (m_session) m_pool->Return(std::move(m_session));
        }
        SqlSession& operator*() const { return *m_session; }
        SqlSession* operator->() const { return m_session.get(); }
        // A session whose connection failed is closed rather than handed out again.
        void Discard() { m_session.reset(); }
        // Hands the session back to the pool before the lease ends.
        void Release() {
            if (m_session) m_pool->Return(std::move(m_session));
        }

    private:
        SessionPool* m_pool;
        std::unique_ptr<SqlSession> m_session;
    };

    explicit SessionPool(SessionFactory factory) : m_factory(std::move(factory)) {}
    Result<Lease> Acquire();

private:
    void Return(std::unique_ptr<SqlSession> session);

    SessionFactory m_factory;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<SqlSession>> m_idle;
};

// "sqlite:PATH" (or a bare path) and "postgresql://..." / "postgres://..." connection strings.
// Fails with InvalidInput for anything else; the factory's sessions fail as their engine does.
Result<SessionFactory> SessionFactoryFor(std::string_view url);
// Whether SessionFactoryFor takes `url` for PostgreSQL.
bool IsPostgresUrl(std::string_view url);

// `values` as one PostgreSQL text[] literal, for a `column = ANY($n::text[])` parameter: a statement
// whose text does not change with the number of values is prepared and planned once.
std::string TextArrayLiteral(const std::vector<std::string>& values);
// The same with NULL for each empty element, as text[] and as bigint[] literals (for unnest($n::...[])).
std::string ArrayLiteral(const std::vector<std::optional<std::string>>& values);
std::string ArrayLiteral(const std::vector<std::optional<std::int64_t>>& values);

// Runs `sqlBefore` + a condition that `column` is one of `keys`, a few hundred keys a statement, and hands
// each row to `take`. On PostgreSQL the keys are one array parameter (column = ANY($1::text[])) of a
// statement prepared once per connection: planned for each run, with an IN list of hundreds of
// placeholders across every month partition of the tickets, these reads cost more to plan than to run.
// SQLite takes the IN list. Fails with the database's errors.
template <class Take>
Result<void> ForKeysInChunks(SqlSession& db, const std::set<std::string>& keys, const std::string& sqlBefore, std::string_view column,
                             const Take& take) {
    constexpr std::size_t kChunk = 500;  // under every engine's parameter limit
    const bool asArray = !db.ForUpdate().empty();
    std::vector<std::string> chunk;
    for (auto key = keys.begin(); key != keys.end();) {
        chunk.push_back(*key);
        if (++key != keys.end() && chunk.size() < kChunk) continue;
        Result<std::vector<SqlRow>> rows;
        if (asArray) {
            rows = db.QueryPrepared(sqlBefore + std::string(column) + " = ANY($1::text[])", {TextArrayLiteral(chunk)});
        } else {
            std::vector<SqlValue> params(chunk.begin(), chunk.end());
            std::string list;
            for (std::size_t i = 1; i <= chunk.size(); ++i) list += (i == 1 ? "$" : ", $") + std::to_string(i);
            rows = db.Query(sqlBefore + std::string(column) + " IN (" + list + ")", params);
        }
        if (!rows) return std::unexpected(std::move(rows.error()));
        for (const SqlRow& r : *rows) take(r);
        chunk.clear();
    }
    return {};
}

Result<SessionFactory> SqliteSessions(std::string path);
Result<SessionFactory> PostgresSessions(std::string conninfo);

}  // namespace kiosk::sync::headoffice
