// Monthly partitions of tickets and ticket_events on PostgreSQL, their conversion from an unpartitioned
// database, and the archiving of old months to CSV files.
#include "sync/headoffice/partitions.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>

#include "sync/headoffice/audit_log.hpp"
#include "sync/headoffice/projection.hpp"
#include "sync/headoffice/service_rollups.hpp"
#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

constexpr std::string_view kArchiveSchema = R"sql(
CREATE TABLE IF NOT EXISTS archived_months (
    month       TEXT PRIMARY KEY,  -- YYYY-MM, UTC
    first_ms    BIGINT NOT NULL,   -- the month's tickets were created in [first_ms, end_ms)
    end_ms      BIGINT NOT NULL,
    file        TEXT NOT NULL,     -- the tickets' CSV file
    events_file TEXT NOT NULL,
    tickets     BIGINT NOT NULL,
    events      BIGINT NOT NULL,
    archived_at BIGINT NOT NULL
);
)sql";

// The partitioned tables, each with the column it is partitioned on and its primary key (PostgreSQL
// wants the partition key in every unique constraint).
struct PartitionedTable {
    std::string_view name, key, primaryKey;
};
constexpr PartitionedTable kPartitionedTables[] = {
    {"tickets", "created_at", "number, created_at"},
    {"ticket_events", "ticket_created", "record_id, ticket_created"},
};

// Held for the transaction by whoever creates, converts or archives partitions: two servers starting
// together convert the tables once, and an hourly check never races an archive.
constexpr std::string_view kPartitionLock = "SELECT pg_advisory_xact_lock(7301121)";

// Which engine: only PostgreSQL locks rows with FOR UPDATE (SqlSession::ForUpdate).
bool OnPostgres(SqlSession& db) { return !db.ForUpdate().empty(); }

Result<void> RunSql(SqlSession& db, const std::string& sql) {
    auto done = db.Query(sql);
    if (!done) return std::unexpected(std::move(done.error()));
    return {};
}

std::string PartitionName(std::string_view table, Month m) {
    std::string text = MonthText(m);
    text[4] = '_';
    return std::string(table) + "_p" + text;
}

// The UTC month of a millisecond column, as YYYY-MM, in PostgreSQL's SQL.
std::string MonthSql(std::string_view column) {
    return "to_char(to_timestamp(" + std::string(column) + " / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')";
}

Result<std::set<Month>> MonthsIn(SqlSession& db, const std::string& sql) {
    auto rows = db.Query(sql);
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::set<Month> months;
    for (const SqlRow& r : *rows) {
        if (auto m = ParseMonth(r[0])) months.insert(*m);
    }
    return months;
}

// 'r' for a plain table, 'p' for a partitioned one, "" when there is none.
Result<std::string> TableKind(SqlSession& db, std::string_view table) {
    auto rows = db.Query("SELECT relkind FROM pg_class WHERE oid = to_regclass('" + std::string(table) + "')");
    if (!rows) return std::unexpected(std::move(rows.error()));
    return rows->empty() ? std::string() : rows->front()[0];
}

// Inside a transaction holding kPartitionLock: month `m`'s partition of `t` unless it exists, made as a
// table of its own, given the rows the default partition holds for the month, then attached.
Result<void> CreateMonthPartition(SqlSession& db, const PartitionedTable& t, Month m) {
    const std::string name = PartitionName(t.name, m);
    auto kind = TableKind(db, name);
    if (!kind) return std::unexpected(std::move(kind.error()));
    if (!kind->empty()) return {};
    const std::string from = std::to_string(MonthStartMs(m));
    const std::string to = std::to_string(MonthStartMs(NextMonth(m)));
    const std::string table(t.name), key(t.key);
    if (auto ok = RunSql(db, "CREATE TABLE " + name + " (LIKE " + table + " INCLUDING DEFAULTS)"); !ok) return ok;
    if (auto ok = RunSql(db, "WITH moved AS (DELETE FROM " + table + "_default WHERE " + key + " >= " + from + " AND " + key + " < " +
                                 to + " RETURNING *) INSERT INTO " + name + " SELECT * FROM moved");
        !ok) {
        return ok;
    }
    return RunSql(db, "ALTER TABLE " + table + " ATTACH PARTITION " + name + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
}

Result<std::set<Month>> ArchivedMonthSet(SqlSession& db) {
    auto rows = db.Query("SELECT month FROM archived_months");
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::set<Month> months;
    for (const SqlRow& r : *rows) {
        if (auto m = ParseMonth(r[0])) months.insert(*m);
    }
    return months;
}

// The months kept ready: last month, this one and kMonthsAhead after it.
std::vector<Month> MonthsKeptReady(std::int64_t nowMs) {
    std::vector<Month> months{PreviousMonth(MonthOf(nowMs))};
    for (int i = 0; i <= kMonthsAhead; ++i) months.push_back(NextMonth(months.back()));
    return months;
}

// Inside a transaction holding kPartitionLock: `t` as a partitioned table with the rows it had, with
// partitions for each month they fall in and for `ready`.
Result<void> ConvertTable(SqlSession& db, const PartitionedTable& t, const std::vector<Month>& ready) {
    const std::string table(t.name), key(t.key), old = std::string(t.name) + "_unpartitioned";
    if (t.name == "ticket_events") {
        // Each event goes to its ticket's month; an event without a ticket row stays in the default partition.
        if (auto ok = RunSql(db, "UPDATE ticket_events te SET ticket_created = t.created_at FROM tickets t "
                                 "WHERE t.number = te.ticket AND te.ticket_created = 0");
            !ok) {
            return ok;
        }
    }
    auto months = MonthsIn(db, "SELECT DISTINCT " + MonthSql(key) + " FROM " + table + " WHERE " + key + " > 0");
    if (!months) return std::unexpected(std::move(months.error()));
    months->insert(ready.begin(), ready.end());
    for (const std::string& sql :
         {"ALTER TABLE " + table + " RENAME TO " + old,
          "CREATE TABLE " + table + " (LIKE " + old + " INCLUDING DEFAULTS) PARTITION BY RANGE (" + key + ")",
          "CREATE TABLE " + table + "_default PARTITION OF " + table + " DEFAULT"}) {
        if (auto ok = RunSql(db, sql); !ok) return ok;
    }
    for (const Month m : *months) {
        if (auto ok = CreateMonthPartition(db, t, m); !ok) return ok;
    }
    // The old table's indexes go with it; ProjectionSchema makes them again on the new one.
    for (const std::string& sql : {"INSERT INTO " + table + " SELECT * FROM " + old, "DROP TABLE " + old,
                                   "ALTER TABLE " + table + " ADD PRIMARY KEY (" + std::string(t.primaryKey) + ")"}) {
        if (auto ok = RunSql(db, sql); !ok) return ok;
    }
    return {};
}

Result<void> ConvertTables(SqlSession& db, std::int64_t nowMs) {
    if (auto ok = db.Begin(); !ok) return ok;
    const auto fail = [&db](core::Error error) -> Result<void> {
        db.Rollback();
        return std::unexpected(std::move(error));
    };
    if (auto ok = RunSql(db, std::string(kPartitionLock)); !ok) return fail(std::move(ok.error()));
    bool converted = false;
    for (const PartitionedTable& t : kPartitionedTables) {
        auto kind = TableKind(db, t.name);  // asked again under the lock: another server may have done it
        if (!kind) return fail(std::move(kind.error()));
        if (*kind != "r") continue;
        if (auto ok = ConvertTable(db, t, MonthsKeptReady(nowMs)); !ok) return fail(std::move(ok.error()));
        converted = true;
    }
    if (converted) {
        if (auto ok = RunSql(db, std::string(ProjectionSchema())); !ok) return fail(std::move(ok.error()));
    }
    if (auto ok = db.Commit(); !ok) return fail(std::move(ok.error()));
    // The indexes UpgradeProjection adds on added columns, made again on the new tables.
    return converted ? UpgradeProjection(db) : Result<void>{};
}

// Writes `sql`'s COPY output to `file` through a temporary file beside it, synced before it is renamed.
Result<std::int64_t> CopyToFile(SqlSession& db, const std::string& sql, const std::filesystem::path& file) {
    const std::filesystem::path partial = file.string() + ".partial";
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return core::Fail(ErrorCode::Storage, "cannot write " + partial.string() + ": " + std::strerror(errno));
    auto rows = db.CopyOut(sql, [fd, &partial](std::string_view chunk) -> Result<void> {
        while (!chunk.empty()) {
            const ssize_t written = ::write(fd, chunk.data(), chunk.size());
            if (written < 0 && errno == EINTR) continue;
            if (written < 0) return core::Fail(ErrorCode::Storage, "cannot write " + partial.string() + ": " + std::strerror(errno));
            chunk.remove_prefix(static_cast<std::size_t>(written));
        }
        return {};
    });
    const bool synced = rows && ::fsync(fd) == 0;
    const int syncError = errno;
    ::close(fd);
    std::error_code ec;
    if (!rows) {
        std::filesystem::remove(partial, ec);
        return rows;
    }
    if (!synced) {
        std::filesystem::remove(partial, ec);
        return core::Fail(ErrorCode::Storage, "cannot sync " + partial.string() + ": " + std::strerror(syncError));
    }
    std::filesystem::rename(partial, file, ec);
    if (ec) return core::Fail(ErrorCode::Storage, "cannot rename " + partial.string() + ": " + ec.message());
    return rows;
}

// So the renames survive a power cut.
void SyncDirectory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::fsync(fd);
    ::close(fd);
}

// One month, in one transaction holding kPartitionLock.
Result<ArchivedMonth> ArchiveMonth(SqlSession& db, Month m, const std::filesystem::path& dir, std::int64_t nowMs,
                                   const std::string& actor) {
    ArchivedMonth out;
    out.month = MonthText(m);
    out.ticketsFile = (dir / ("tickets-" + out.month + ".csv")).string();
    out.eventsFile = (dir / ("ticket_events-" + out.month + ".csv")).string();
    if (auto ok = db.Begin(); !ok) return std::unexpected(std::move(ok.error()));
    const auto fail = [&db](core::Error error) -> Result<ArchivedMonth> {
        db.Rollback();
        return std::unexpected(std::move(error));
    };
    if (auto ok = RunSql(db, std::string(kPartitionLock)); !ok) return fail(std::move(ok.error()));
    // The service summaries made from these tickets keep their figures through a later rebuild.
    if (auto ok = KeepArchivedContributions(db, MonthStartMs(m), MonthStartMs(NextMonth(m))); !ok) return fail(std::move(ok.error()));
    std::int64_t* counts[] = {&out.tickets, &out.events};
    const std::string* files[] = {&out.ticketsFile, &out.eventsFile};
    for (std::size_t i = 0; i < std::size(kPartitionedTables); ++i) {
        const PartitionedTable& t = kPartitionedTables[i];
        const std::string name = PartitionName(t.name, m);
        if (auto ok = CreateMonthPartition(db, t, m); !ok) return fail(std::move(ok.error()));
        if (auto ok = RunSql(db, "ALTER TABLE " + std::string(t.name) + " DETACH PARTITION " + name); !ok) {
            return fail(std::move(ok.error()));
        }
        auto rows = CopyToFile(db, "COPY " + name + " TO STDOUT WITH (FORMAT csv, HEADER true)", *files[i]);
        if (!rows) return fail(std::move(rows.error()));
        *counts[i] = *rows;
        if (auto ok = RunSql(db, "DROP TABLE " + name); !ok) return fail(std::move(ok.error()));
    }
    SyncDirectory(dir);
    if (auto ok = db.Query("INSERT INTO archived_months (month, first_ms, end_ms, file, events_file, tickets, events, archived_at) "
                           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                           {out.month, MonthStartMs(m), MonthStartMs(NextMonth(m)), out.ticketsFile, out.eventsFile, out.tickets,
                            out.events, nowMs});
        !ok) {
        return fail(std::move(ok.error()));
    }
    const std::string detail = std::to_string(out.tickets) + " tickets to " + out.ticketsFile + ", " + std::to_string(out.events) +
                               " events to " + out.eventsFile;
    if (auto ok = WriteAudit(db, {nowMs, actor, "archive", out.month, detail}); !ok) return fail(std::move(ok.error()));
    if (auto ok = db.Commit(); !ok) return fail(std::move(ok.error()));
    return out;
}

// The archive's rows, oldest month first; an error other than a lost connection or a lock timeout
// (a database made before archived_months) reads as none.
Result<std::vector<SqlRow>> ArchivedRows(SqlSession& db) {
    auto rows = db.Query("SELECT month, file, first_ms, end_ms FROM archived_months ORDER BY month");
    if (rows) return rows;
    if (rows.error().code == ErrorCode::Unavailable || rows.error().code == ErrorCode::Busy) return std::unexpected(std::move(rows.error()));
    return std::vector<SqlRow>{};
}

// The local date a ticket number carries (STORE-KIOSK-YYMMDD-NNNN), or nullopt.
std::optional<std::chrono::year_month_day> TicketNumberDate(std::string_view number) {
    for (int field = 0; field < 2; ++field) {
        const std::size_t dash = number.find('-');
        if (dash == std::string_view::npos) return std::nullopt;
        number.remove_prefix(dash + 1);
    }
    const std::string_view digits = number.substr(0, number.find('-'));
    if (digits.size() != 6 || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    const auto two = [&digits](std::size_t at) { return (digits[at] - '0') * 10 + (digits[at + 1] - '0'); };
    const std::chrono::year_month_day date{std::chrono::year{2000 + two(0)}, std::chrono::month{static_cast<unsigned>(two(2))},
                                           std::chrono::day{static_cast<unsigned>(two(4))}};
    if (!date.ok()) return std::nullopt;
    return date;
}

}  // namespace

std::optional<Month> ParseMonth(std::string_view text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u}) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const int month = std::stoi(std::string(text.substr(5, 2)));
    if (year < 1970 || month < 1 || month > 12) return std::nullopt;
    return Month{year, month};
}

std::string MonthText(Month m) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d", m.year, m.month);
    return text;
}

Month MonthOf(std::int64_t ms) {
    const auto days = std::chrono::floor<std::chrono::days>(std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms)));
    const std::chrono::year_month_day date{days};
    return {static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month()))};
}

Month NextMonth(Month m) { return m.month == 12 ? Month{m.year + 1, 1} : Month{m.year, m.month + 1}; }
Month PreviousMonth(Month m) { return m.month == 1 ? Month{m.year - 1, 12} : Month{m.year, m.month - 1}; }

std::int64_t MonthStartMs(Month m) {
    const std::chrono::sys_days day{std::chrono::year{m.year} / std::chrono::month{static_cast<unsigned>(m.month)} / 1};
    return std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()).count();
}

Result<void> EnsureTicketPartitions(SqlSession& db, std::int64_t nowMs) {
    if (auto ok = db.EnsureSchema(kArchiveSchema); !ok) return ok;
    if (!OnPostgres(db)) return {};
    for (const PartitionedTable& t : kPartitionedTables) {
        auto kind = TableKind(db, t.name);
        if (!kind) return std::unexpected(std::move(kind.error()));
        if (*kind == "r") {
            if (auto ok = ConvertTables(db, nowMs); !ok) return ok;
            break;
        }
    }
    return EnsureMonthPartitions(db, nowMs);
}

Result<void> EnsureMonthPartitions(SqlSession& db, std::int64_t nowMs) {
    if (!OnPostgres(db)) return {};
    auto archived = ArchivedMonthSet(db);
    if (!archived) return std::unexpected(std::move(archived.error()));
    std::vector<Month> wanted;
    for (const Month m : MonthsKeptReady(nowMs)) {
        if (!archived->contains(m)) wanted.push_back(m);
    }
    bool missing = false;
    for (const PartitionedTable& t : kPartitionedTables) {
        auto present = PartitionMonths(db, t.name);
        if (!present) return std::unexpected(std::move(present.error()));
        for (const Month m : wanted) missing = missing || std::find(present->begin(), present->end(), m) == present->end();
    }
    if (!missing) return {};
    if (auto ok = db.Begin(); !ok) return ok;
    if (auto ok = RunSql(db, std::string(kPartitionLock)); !ok) {
        db.Rollback();
        return ok;
    }
    for (const PartitionedTable& t : kPartitionedTables) {
        for (const Month m : wanted) {
            if (auto ok = CreateMonthPartition(db, t, m); !ok) {
                db.Rollback();
                return ok;
            }
        }
    }
    if (auto ok = db.Commit(); !ok) {
        db.Rollback();
        return ok;
    }
    return {};
}

Result<std::vector<Month>> PartitionMonths(SqlSession& db, std::string_view table) {
    if (!OnPostgres(db)) return std::vector<Month>{};
    auto rows = db.Query("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                         "WHERE i.inhparent = to_regclass('" + std::string(table) + "') ORDER BY c.relname");
    if (!rows) return std::unexpected(std::move(rows.error()));
    const std::string prefix = std::string(table) + "_p";
    std::vector<Month> months;
    for (const SqlRow& r : *rows) {
        if (!r[0].starts_with(prefix)) continue;
        std::string text = r[0].substr(prefix.size());
        if (text.size() == 7) text[4] = '-';
        if (auto m = ParseMonth(text)) months.push_back(*m);
    }
    return months;
}

Result<std::vector<ArchivedMonth>> ArchiveMonthsBefore(SqlSession& db, Month before, const std::filesystem::path& dir,
                                                       std::int64_t nowMs, const std::string& actor) {
    if (!OnPostgres(db)) return core::Fail(ErrorCode::InvalidInput, "archiving needs PostgreSQL; this head office runs on SQLite");
    const Month current = MonthOf(nowMs);
    if (before > current) {
        return core::Fail(ErrorCode::InvalidInput, "--before " + MonthText(before) + " would archive the current month (" +
                                                       MonthText(current) + ") or a later one; the latest allowed is " +
                                                       MonthText(current));
    }
    auto archived = ArchivedMonthSet(db);
    if (!archived) return std::unexpected(std::move(archived.error()));
    // Months with partitions, and those whose rows wait in a default partition (their partitions are made
    // while archiving them).
    std::set<Month> months;
    for (const PartitionedTable& t : kPartitionedTables) {
        auto present = PartitionMonths(db, t.name);
        if (!present) return std::unexpected(std::move(present.error()));
        months.insert(present->begin(), present->end());
        const std::string key(t.key);
        auto waiting = MonthsIn(db, "SELECT DISTINCT " + MonthSql(key) + " FROM " + std::string(t.name) + "_default WHERE " + key +
                                        " > 0 AND " + key + " < " + std::to_string(MonthStartMs(before)));
        if (!waiting) return std::unexpected(std::move(waiting.error()));
        months.insert(waiting->begin(), waiting->end());
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return core::Fail(ErrorCode::Storage, "cannot create " + dir.string() + ": " + ec.message());
    std::vector<ArchivedMonth> out;
    for (const Month m : months) {
        if (m >= before || archived->contains(m)) continue;
        auto done = ArchiveMonth(db, m, dir, nowMs, actor);
        if (!done) return std::unexpected(std::move(done.error()));
        out.push_back(std::move(*done));
    }
    return out;
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> ArchivedDays(SqlSession& db) {
    auto rows = ArchivedRows(db);
    if (!rows) return std::unexpected(std::move(rows.error()));
    constexpr std::int64_t kDayMs = 86'400'000;
    std::vector<std::pair<std::int64_t, std::int64_t>> days;
    for (const SqlRow& r : *rows) days.emplace_back(ToInt(r[2]) / kDayMs, ToInt(r[3]) / kDayMs);
    return days;
}

Result<std::string> ArchivedTicketNote(SqlSession& db, std::string_view number) {
    auto rows = ArchivedRows(db);
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return std::string();
    const std::string ticket(number);
    const auto date = TicketNumberDate(number);
    if (!date) {
        return "no ticket " + ticket + " at head office; tickets created in " + rows->front()[0] +
               (rows->size() > 1 ? " to " + rows->back()[0] : std::string()) + " are archived (headoffice archive)";
    }
    // The number carries the store's local date, which may fall in the next or the previous UTC month.
    const Month local{static_cast<int>(date->year()), static_cast<int>(static_cast<unsigned>(date->month()))};
    std::vector<Month> candidates{local};
    if (static_cast<unsigned>(date->day()) == 1) candidates.push_back(PreviousMonth(local));
    if (static_cast<unsigned>(date->day()) >= 28) candidates.push_back(NextMonth(local));
    for (const Month m : candidates) {
        for (const SqlRow& r : *rows) {
            if (r[0] == MonthText(m)) {
                return "ticket " + ticket + " was created in " + r[0] + ", which is archived to " + r[1] + " (headoffice archive)";
            }
        }
    }
    return std::string();
}

}  // namespace kiosk::sync::headoffice
