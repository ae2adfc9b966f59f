// SqlSession on SQLite: WAL, synchronous=FULL, a busy timeout, statements cached per connection.
#include <sqlite3.h>

#include <unordered_map>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

class SqliteSession final : public SqlSession {
public:
    explicit SqliteSession(sqlite3* db) : m_db(db) {}
    ~SqliteSession() override {
        for (auto& [sql, stmt] : m_cache) sqlite3_finalize(stmt);
        sqlite3_close(m_db);
    }
    SqliteSession(const SqliteSession&) = delete;
    SqliteSession& operator=(const SqliteSession&) = delete;

    Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
        auto stmt = Prepare(sql);
        if (!stmt) return std::unexpected(std::move(stmt.error()));
        sqlite3_stmt* s = *stmt;
        for (std::size_t i = 0; i < params.size(); ++i) {
            const std::string name = "$" + std::to_string(i + 1);
            const int index = sqlite3_bind_parameter_index(s, name.c_str());
            if (index == 0) continue;
            int rc = SQLITE_OK;
            if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
                rc = sqlite3_bind_int64(s, index, *n);
            } else if (const auto* text = std::get_if<std::string>(&params[i])) {
                rc = sqlite3_bind_text(s, index, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
            } else {
                rc = sqlite3_bind_null(s, index);
            }
            if (rc != SQLITE_OK) return Failure(rc, s);
        }
        std::vector<SqlRow> rows;
        for (;;) {
            const int rc = sqlite3_step(s);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) return Failure(rc, s);
            SqlRow row;
            const int columns = sqlite3_column_count(s);
            for (int c = 0; c < columns; ++c) {
                const auto* text = sqlite3_column_text(s, c);
                row.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text),
                                 static_cast<std::size_t>(sqlite3_column_bytes(s, c)));
            }
            rows.push_back(std::move(row));
        }
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return rows;
    }

    Result<void> Begin() override { return Exec("BEGIN IMMEDIATE"); }
    Result<void> Commit() override { return Exec("COMMIT"); }
    void Rollback() override {
        if (sqlite3_get_autocommit(m_db) == 0) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    std::string_view ForUpdate() const override { return ""; }
    Result<void> EnsureSchema(std::string_view ddl) override {
        if (auto ok = Begin(); !ok) return ok;
        if (auto ok = Exec(std::string(ddl)); !ok) {
            Rollback();
            return ok;
        }
        return Commit();
    }

    Result<void> Exec(const std::string& sql) {
        char* message = nullptr;
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message);
        if (rc == SQLITE_OK) return {};
        std::string text = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return core::Fail(Map(rc), "head-office database: " + text);
    }

private:
    static ErrorCode Map(int rc) {
        switch (rc & 0xFF) {
            case SQLITE_BUSY:
            case SQLITE_LOCKED: return ErrorCode::Busy;
            case SQLITE_CONSTRAINT: return ErrorCode::Conflict;
            case SQLITE_CORRUPT:
            case SQLITE_NOTADB: return ErrorCode::Corrupt;
            default: return ErrorCode::Storage;
        }
    }

    std::unexpected<core::Error> Failure(int rc, sqlite3_stmt* s) {
        std::string message = sqlite3_errmsg(m_db);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return core::Fail(Map(rc), "head-office database: " + message);
    }

    Result<sqlite3_stmt*> Prepare(std::string_view sql) {
        std::string key(sql);
        if (auto found = m_cache.find(key); found != m_cache.end()) return found->second;
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v3(m_db, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK) return core::Fail(Map(rc), "head-office database: " + std::string(sqlite3_errmsg(m_db)));
        // Large generated statements (multi-row inserts) are bounded in number: one per row count.
        m_cache.emplace(std::move(key), stmt);
        return stmt;
    }

    sqlite3* m_db;
    std::unordered_map<std::string, sqlite3_stmt*> m_cache;
};

}  // namespace

Result<SessionFactory> SqliteSessions(std::string path) {
    return SessionFactory([path]() -> Result<std::unique_ptr<SqlSession>> {
        sqlite3* db = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
            sqlite3_close(db);
            return core::Fail(ErrorCode::Storage, "cannot open head-office database " + path + ": " + message);
        }
        sqlite3_busy_timeout(db, 10'000);
        auto session = std::make_unique<SqliteSession>(db);
        // FULL: an acknowledged batch survives a power cut, as the protocol promises.
        if (auto ok = session->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        return std::unique_ptr<SqlSession>(std::move(session));
    });
}

}  // namespace kiosk::sync::headoffice
