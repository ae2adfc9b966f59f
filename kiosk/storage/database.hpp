// RAII wrappers over one SQLite connection: Database, Statement and Transaction. SQLite's handles and
// result codes never leave this module; callers see core::Error values.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace kiosk::storage {

using core::Result;

namespace detail {
struct CacheSlot;  // a cached prepared statement and whether it is lent out
}

struct OpenOptions {
    // How long a writer waits for another connection's write lock before the call fails with Busy.
    std::chrono::milliseconds busyTimeout{5000};
    // Create the file when it does not exist. When false, a missing file fails with NotFound.
    bool create = true;
};

class Database;

// A prepared statement. Owned statements are finalized on destruction; statements borrowed from the
// connection's cache are reset and unbound instead, ready for the next use.
//
// Binding never fails on the spot: the first bind error is kept and returned by the next Step/Run,
// so a run of Bind calls needs one check, not one per value.
class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are numbered from 1, as in SQL's ?1, ?2, ...
    Statement& Bind(int index, std::int64_t value);
    Statement& Bind(int index, std::string_view value);
    Statement& BindOptional(int index, const std::optional<std::string>& value);  // NULL for std::nullopt
    Statement& BindNull(int index);
    Statement& BindBlob(int index, std::span<const std::uint8_t> value);

    // Advances to the next row: true when a row is ready to read, false when the statement is done.
    // Fails with the mapped SQLite error (Busy, Storage, Conflict, Corrupt) or a deferred bind error.
    Result<bool> Step();
    // Steps until the statement is done, ignoring any rows. Same failures as Step.
    Result<void> Run();

    // Columns are numbered from 0. Reading a NULL gives 0 or an empty string.
    std::int64_t Int(int column) const;
    std::string Text(int column) const;
    std::vector<std::uint8_t> Blob(int column) const;
    bool IsNull(int column) const;

private:
    friend class Database;
    Statement(sqlite3_stmt* stmt, detail::CacheSlot* slot) : m_stmt(stmt), m_slot(slot) {}
    void Release();
    void NoteBind(int rc, int index);

    sqlite3_stmt* m_stmt = nullptr;
    detail::CacheSlot* m_slot = nullptr;  // non-null when borrowed from the cache
    std::optional<core::Error> m_bindError;
};

// One connection to a kiosk database file (or ":memory:"). A connection belongs to one thread at a
// time; other threads and processes open their own. Statements must not outlive their Database. Opening sets WAL journaling, synchronous=FULL
// (a committed transaction survives a power cut), foreign keys and the busy timeout.
class Database {
public:
    // Fails with NotFound when the file is missing and `create` is off, Corrupt when the file is not
    // a SQLite database, Busy when it is locked, Storage for any other failure to open (a missing
    // directory, no permission, a file system without shared memory for WAL).
    static Result<Database> Open(const std::filesystem::path& path, const OpenOptions& options = {});

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Runs one or more statements without parameters (schema scripts, pragmas). Fails with the
    // mapped SQLite error; statements before the failing one stay applied unless a transaction is open.
    Result<void> Execute(std::string_view sql);
    // A statement of its own, finalized when the Statement goes. Fails on SQL errors (Storage).
    Result<Statement> Prepare(std::string_view sql);
    // A statement from the connection's cache, prepared on first use: for the hot paths. While a
    // cached statement is in use, a second request for the same SQL gets a fresh owned statement.
    Result<Statement> Cached(std::string_view sql);
    // The first column of the first row as an integer (0 when there is no row).
    Result<std::int64_t> QueryInt(std::string_view sql);
    // The first column of the first row as text (empty when there is no row).
    Result<std::string> QueryText(std::string_view sql);

    bool InTransaction() const;

private:
    struct Connection;
    explicit Database(std::unique_ptr<Connection> connection);

    std::unique_ptr<Connection> m_connection;
};

// A write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so a transaction never
// fails half-way because another connection wrote first). Rolled back on destruction unless
// committed, so an early return or a failure on the way leaves the database as it was.
class Transaction {
public:
    enum class Mode { Immediate, Deferred };  // Deferred: a consistent snapshot for reading

    // Fails with Busy when another connection holds the write lock past the busy timeout.
    static Result<Transaction> Begin(Database& db, Mode mode = Mode::Immediate);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    // Fails with the mapped SQLite error; the transaction is then rolled back by the destructor.
    Result<void> Commit();

private:
    explicit Transaction(Database& db) : m_db(&db) {}
    Database* m_db = nullptr;  // null once committed or moved from
};

}  // namespace kiosk::storage
