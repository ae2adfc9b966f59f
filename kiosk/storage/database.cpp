// SQLite connection, statements and transactions; the one place SQLite result codes become core errors.
#include "kiosk/storage/database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <limits>
#include <unordered_map>
#include <utility>

namespace kiosk::storage {

using core::ErrorCode;

namespace detail {
struct CacheSlot {
    sqlite3_stmt* stmt = nullptr;
    bool lent = false;
};
}  // namespace detail

namespace {

ErrorCode CodeFor(int rc) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return ErrorCode::Busy;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return ErrorCode::Corrupt;
        // A unique or foreign-key violation means the data contradicts what is stored already.
        case SQLITE_CONSTRAINT: return ErrorCode::Conflict;
        default: return ErrorCode::Storage;  // FULL, IOERR, CANTOPEN, READONLY, and SQL the program got wrong
    }
}

// The single mapping from a SQLite result code to a core error. `db` may be null (no connection yet).
core::Error SqliteError(sqlite3* db, int rc, std::string_view what) {
    std::string message(what);
    message += ": ";
    // sqlite3_errmsg describes the most recent failure on the connection, which is this one.
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    message += " (";
    message += sqlite3_errstr(rc);
    message += ")";
    return core::Error{CodeFor(rc), std::move(message)};
}

std::string Abbreviated(std::string_view sql) {
    constexpr std::size_t kShown = 80;
    std::string shown(sql.substr(0, kShown));
    for (char& c : shown) {
        if (c == '\n') c = ' ';
    }
    if (sql.size() > kShown) shown += "...";
    return shown;
}

Result<sqlite3_stmt*> PrepareRaw(sqlite3* db, std::string_view sql, unsigned flags) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return core::Fail(ErrorCode::InvalidInput, "SQL text too long");
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        return std::unexpected(SqliteError(db, rc, "preparing '" + Abbreviated(sql) + "'"));
    }
    if (stmt == nullptr) {
        return core::Fail(ErrorCode::InvalidInput, "no SQL statement in '" + Abbreviated(sql) + "'");
    }
    return stmt;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Statement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)),
      m_slot(std::exchange(other.m_slot, nullptr)),
      m_bindError(std::move(other.m_bindError)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        Release();
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_slot = std::exchange(other.m_slot, nullptr);
        m_bindError = std::move(other.m_bindError);
    }
    return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
    if (m_stmt == nullptr) return;
    if (m_slot != nullptr) {
        // Resetting ends the statement's read of the database; clearing drops references to the
        // caller's strings before the next borrower binds its own.
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
        m_slot->lent = false;
    } else {
        sqlite3_finalize(m_stmt);
    }
    m_stmt = nullptr;
    m_slot = nullptr;
}

void Statement::NoteBind(int rc, int index) {
    if (rc == SQLITE_OK || m_bindError) return;
    m_bindError = SqliteError(sqlite3_db_handle(m_stmt), rc, "binding parameter " + std::to_string(index));
}

Statement& Statement::Bind(int index, std::int64_t value) {
    NoteBind(sqlite3_bind_int64(m_stmt, index, value), index);
    return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
    // SQLITE_TRANSIENT: SQLite copies the text, so the caller's string may go before Step. A null
    // pointer would bind SQL NULL, so an empty view with no data binds "" instead.
    const char* text = value.data() != nullptr ? value.data() : "";
    NoteBind(sqlite3_bind_text64(m_stmt, index, text, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
    return *this;
}

Statement& Statement::BindOptional(int index, const std::optional<std::string>& value) {
    if (!value) return BindNull(index);
    return Bind(index, std::string_view(*value));
}

Statement& Statement::BindNull(int index) {
    NoteBind(sqlite3_bind_null(m_stmt, index), index);
    return *this;
}

Statement& Statement::BindBlob(int index, std::span<const std::uint8_t> value) {
    // SQLite copies the bytes; an empty span binds a zero-length blob, not NULL.
    static constexpr std::uint8_t kNone = 0;
    const void* data = value.data() != nullptr ? static_cast<const void*>(value.data()) : &kNone;
    NoteBind(sqlite3_bind_blob64(m_stmt, index, data, value.size(), SQLITE_TRANSIENT), index);
    return *this;
}

Result<bool> Statement::Step() {
    if (m_bindError) return std::unexpected(*m_bindError);
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3* db = sqlite3_db_handle(m_stmt);
    auto error = SqliteError(db, rc, "running '" + Abbreviated(sqlite3_sql(m_stmt)) + "'");
    sqlite3_reset(m_stmt);
    return std::unexpected(std::move(error));
}

Result<void> Statement::Run() {
    for (;;) {
        auto row = Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
    }
    sqlite3_reset(m_stmt);
    return {};
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(m_stmt, column); }

std::string Statement::Text(int column) const {
    const auto* text = sqlite3_column_text(m_stmt, column);
    if (text == nullptr) return {};
    const int size = sqlite3_column_bytes(m_stmt, column);
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::vector<std::uint8_t> Statement::Blob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    if (data == nullptr) return {};
    const int size = sqlite3_column_bytes(m_stmt, column);
    return std::vector<std::uint8_t>(data, data + size);
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

// ---------------------------------------------------------------------------------------------------
// Database

struct Database::Connection {
    sqlite3* db = nullptr;
    std::unordered_map<std::string, std::unique_ptr<detail::CacheSlot>> cache;

    ~Connection() {
        for (auto& [sql, slot] : cache) sqlite3_finalize(slot->stmt);
        // sqlite3_close_v2 defers the close until any statement a caller still holds is finalized.
        sqlite3_close_v2(db);
    }
};

Database::Database(std::unique_ptr<Connection> connection) : m_connection(std::move(connection)) {}

Database::Database(Database&& other) noexcept = default;
Database& Database::operator=(Database&& other) noexcept = default;
Database::~Database() = default;

Result<Database> Database::Open(const std::filesystem::path& path, const OpenOptions& options) {
    const std::string name = path.string();
    auto connection = std::make_unique<Connection>();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
    // A new database holds customers' phone numbers: created readable by its owner only, where SQLite
    // would use 0644.
    if (options.create && !name.starts_with(':') && !name.starts_with("file:")) {
        if (const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
    }
    const int rc = sqlite3_open_v2(name.c_str(), &connection->db, flags, nullptr);
    if (rc != SQLITE_OK) {
        auto error = SqliteError(connection->db, rc, "opening database '" + name + "'");
        if (!options.create && (rc & 0xff) == SQLITE_CANTOPEN) error.code = ErrorCode::NotFound;
        return std::unexpected(std::move(error));
    }
    Database db(std::move(connection));
    sqlite3_busy_timeout(db.m_connection->db, static_cast<int>(options.busyTimeout.count()));

    // journal_mode answers with the mode in force; an in-memory database stays "memory".
    auto mode = db.QueryText("PRAGMA journal_mode=WAL");
    if (!mode) {
        mode.error().message = "database '" + name + "': " + mode.error().message;
        return std::unexpected(std::move(mode.error()));
    }
    if (*mode != "wal" && *mode != "memory") {
        return core::Fail(ErrorCode::Storage,
                          "database '" + name + "' cannot use write-ahead logging (journal mode '" + *mode + "')");
    }
    if (auto ok = db.Execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return db;
}

Result<void> Database::Execute(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_connection->db, text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(m_connection->db, rc, "running '" + Abbreviated(sql) + "'"));
    return {};
}

Result<Statement> Database::Prepare(std::string_view sql) {
    auto stmt = PrepareRaw(m_connection->db, sql, 0);
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    return Statement(*stmt, nullptr);
}

Result<Statement> Database::Cached(std::string_view sql) {
    auto& cache = m_connection->cache;
    auto it = cache.find(std::string(sql));
    if (it == cache.end()) {
        auto stmt = PrepareRaw(m_connection->db, sql, SQLITE_PREPARE_PERSISTENT);
        if (!stmt) return std::unexpected(std::move(stmt.error()));
        auto slot = std::make_unique<detail::CacheSlot>();
        slot->stmt = *stmt;
        it = cache.emplace(std::string(sql), std::move(slot)).first;
    }
    detail::CacheSlot& slot = *it->second;
    if (slot.lent) return Prepare(sql);
    slot.lent = true;
    return Statement(slot.stmt, &slot);
}

Result<std::int64_t> Database::QueryInt(std::string_view sql) {
    auto stmt = Prepare(sql);
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    return *row ? stmt->Int(0) : 0;
}

Result<std::string> Database::QueryText(std::string_view sql) {
    auto stmt = Prepare(sql);
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    return *row ? stmt->Text(0) : std::string();
}

bool Database::InTransaction() const { return sqlite3_get_autocommit(m_connection->db) == 0; }

// ---------------------------------------------------------------------------------------------------
// Transaction

Result<Transaction> Transaction::Begin(Database& db, Mode mode) {
    auto begin = db.Cached(mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    if (!begin) return std::unexpected(std::move(begin.error()));
    if (auto ok = begin->Run(); !ok) return std::unexpected(std::move(ok.error()));
    return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Transaction::~Transaction() {
    // SQLite may already have rolled back on its own (after an I/O error); then there is nothing to do.
    if (m_db == nullptr || !m_db->InTransaction()) return;
    if (auto rollback = m_db->Cached("ROLLBACK")) {
        // A failed rollback leaves nothing to do here: SQLite rolls back the hot journal on next open.
        (void)rollback->Run();
    }
}

Result<void> Transaction::Commit() {
    if (m_db == nullptr) return core::Fail(ErrorCode::InvalidInput, "transaction already committed");
    auto commit = m_db->Cached("COMMIT");
    if (!commit) return std::unexpected(std::move(commit.error()));
    if (auto ok = commit->Run(); !ok) return std::unexpected(std::move(ok.error()));
    m_db = nullptr;
    return {};
}

}  // namespace kiosk::storage
