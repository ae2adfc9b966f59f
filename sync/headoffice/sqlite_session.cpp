// SqlSession on SQLite: WAL, synchronous=FULL, a busy timeout, statements cached per connection, and one
// queue for the write lock among the sessions of a process.
#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

// The write lock of one database file among this process's sessions, handed out first come, first
// served. Without it, writers waiting for SQLite's lock poll it in sleeps of up to 100 ms, and under
// load some of them wait out the whole busy timeout while others get in again and again. SQLite's own
// lock (and the busy timeout) still orders this process against other processes on the same file.
class WriteQueue {
public:
    void Lock() {
        std::unique_lock lock(m_mutex);
        const std::uint64_t ticket = m_next++;
        m_turn.wait(lock, [&] { return m_serving == ticket; });
    }
    void Unlock() {
        {
            std::lock_guard lock(m_mutex);
            ++m_serving;
        }
        m_turn.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_turn;
    std::uint64_t m_next = 0;
    std::uint64_t m_serving = 0;
};

class SqliteSession final : public SqlSession {
public:
    SqliteSession(sqlite3* db, std::shared_ptr<WriteQueue> writers) : m_db(db), m_writers(std::move(writers)) {}
    ~SqliteSession() override {
        Rollback();
        for (auto& [sql, statement] : m_cache) sqlite3_finalize(statement.stmt);
        sqlite3_close(m_db);
    }
    SqliteSession(const SqliteSession&) = delete;
    SqliteSession& operator=(const SqliteSession&) = delete;

    Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
        auto prepared = Prepare(sql);
        if (!prepared) return std::unexpected(std::move(prepared.error()));
        sqlite3_stmt* s = (*prepared)->stmt;
        const std::vector<int>& indexOf = (*prepared)->indexOf;
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int index = i < indexOf.size() ? indexOf[i] : 0;
            if (index == 0) continue;
            int rc = SQLITE_OK;
            if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
                rc = sqlite3_bind_int64(s, index, *n);
            } else if (const auto* text = std::get_if<std::string>(&params[i])) {
                // Not copied: `params` outlives the statement's use of it (bindings are cleared below).
                rc = sqlite3_bind_text(s, index, text->data(), static_cast<int>(text->size()), SQLITE_STATIC);
            } else if (const auto* bytes = std::get_if<SqlBytes>(&params[i])) {
                rc = sqlite3_bind_blob(s, index, bytes->bytes.data(), static_cast<int>(bytes->bytes.size()), SQLITE_STATIC);
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

    Result<void> Begin() override {
        if (!m_writing) {
            m_writers->Lock();
            m_writing = true;
        }
        auto ok = Run("BEGIN IMMEDIATE");
        if (!ok) LeaveWriters();
        return ok;
    }
    Result<void> Commit() override {
        auto ok = Run("COMMIT");
        LeaveWriters();
        return ok;
    }
    void Rollback() override {
        if (sqlite3_get_autocommit(m_db) == 0) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        LeaveWriters();
    }
    std::string_view ForUpdate() const override { return ""; }
    Result<void> EnsureSchema(std::string_view ddl) override {
        if (auto ok = Begin(); !ok) return ok;
        if (auto ok = Run(std::string(ddl)); !ok) {
            Rollback();
            return ok;
        }
        return Commit();
    }

    Result<void> Run(const std::string& sql) {
        char* message = nullptr;
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message);
        if (rc == SQLITE_OK) return {};
        std::string text = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return core::Fail(Map(rc), "head-office database: " + text);
    }

private:
    // Gives up this session's turn once its transaction has ended (a failed COMMIT may leave it open).
    void LeaveWriters() {
        if (m_writing && sqlite3_get_autocommit(m_db) != 0) {
            m_writing = false;
            m_writers->Unlock();
        }
    }

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

    // A prepared statement and, for each $N, the index SQLite gave it: sqlite3_bind_parameter_index
    // searches the names one by one, which a multi-row insert with thousands of them cannot afford.
    struct Statement {
        sqlite3_stmt* stmt = nullptr;
        std::vector<int> indexOf;  // [N - 1]: the index of $N, 0 when the statement does not use it
    };
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    Result<const Statement*> Prepare(std::string_view sql) {
        if (auto found = m_cache.find(sql); found != m_cache.end()) return &found->second;
        Statement statement;
        const int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                          &statement.stmt, nullptr);
        if (rc != SQLITE_OK) return core::Fail(Map(rc), "head-office database: " + std::string(sqlite3_errmsg(m_db)));
        const int count = sqlite3_bind_parameter_count(statement.stmt);
        for (int index = 1; index <= count; ++index) {
            const char* name = sqlite3_bind_parameter_name(statement.stmt, index);
            if (name == nullptr || name[0] != '$') continue;
            const int n = std::atoi(name + 1);
            if (n < 1) continue;
            if (statement.indexOf.size() < static_cast<std::size_t>(n)) statement.indexOf.resize(static_cast<std::size_t>(n), 0);
            statement.indexOf[static_cast<std::size_t>(n - 1)] = index;
        }
        // Large generated statements (multi-row inserts) are bounded in number: one per row count.
        return &m_cache.emplace(std::string(sql), statement).first->second;
    }

    sqlite3* m_db;
    std::shared_ptr<WriteQueue> m_writers;
    bool m_writing = false;  // holds its turn in m_writers
    std::unordered_map<std::string, Statement, TextHash, std::equal_to<>> m_cache;
};

}  // namespace

Result<SessionFactory> SqliteSessions(std::string path) {
    return SessionFactory([path, writers = std::make_shared<WriteQueue>()]() -> Result<std::unique_ptr<SqlSession>> {
        sqlite3* db = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
            sqlite3_close(db);
            return core::Fail(ErrorCode::Storage, "cannot open head-office database " + path + ": " + message);
        }
        sqlite3_busy_timeout(db, 10'000);
        auto session = std::make_unique<SqliteSession>(db, writers);
        // FULL: an acknowledged batch survives a power cut, as the protocol promises. The records'
        // random ids land on random index pages: a page cache of 64 MB and reads through mmap keep
        // the ingest from reading each page back through a system call, batch after batch, and a
        // checkpoint every 64 MB of log (not 4 MB) copies a page the ingest rewrites often only once.
        // Savepoints (one per batch of a group commit) keep the pages they change in memory, not in a
        // temporary file.
        if (auto ok = session->Run("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; "
                                   "PRAGMA mmap_size=1073741824; PRAGMA wal_autocheckpoint=16384; PRAGMA temp_store=MEMORY;");
            !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        return std::unique_ptr<SqlSession>(std::move(session));
    });
}

}  // namespace kiosk::sync::headoffice
