// Tickets and their events by UTC month on PostgreSQL: monthly partitions made ahead of time, a database
// from before them converted once, and old months archived to CSV files and dropped (README, "Tickets by
// month, and their retention").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

// A UTC calendar month; month is 1 .. 12.
struct Month {
    int year = 1970;
    int month = 1;
    auto operator<=>(const Month&) const = default;
};

// "YYYY-MM" (year 1970 .. 9999), or nullopt.
std::optional<Month> ParseMonth(std::string_view text);
std::string MonthText(Month m);
Month MonthOf(std::int64_t ms);
Month NextMonth(Month m);
Month PreviousMonth(Month m);
std::int64_t MonthStartMs(Month m);

// How many months after the current one have their partitions made ahead.
inline constexpr int kMonthsAhead = 3;

// After UpgradeProjection: creates archived_months (both engines). On PostgreSQL, converts unpartitioned
// tickets and ticket_events (a database from before the partitions) in one transaction under an advisory
// lock, every row kept, then makes the partitions of EnsureMonthPartitions. Fails with the database's
// errors; a failed conversion changes nothing.
Result<void> EnsureTicketPartitions(SqlSession& db, std::int64_t nowMs);

// PostgreSQL: the partitions of last month through kMonthsAhead months ahead, for both tables; rows a
// new month's partition takes are moved out of the default partition in the same transaction. Nothing on
// SQLite. Fails with the database's errors.
Result<void> EnsureMonthPartitions(SqlSession& db, std::int64_t nowMs);

// The month partitions of `table` ("tickets" or "ticket_events"), oldest first; empty on SQLite.
Result<std::vector<Month>> PartitionMonths(SqlSession& db, std::string_view table);

struct ArchivedMonth {
    std::string month;  // YYYY-MM
    std::string ticketsFile;
    std::string eventsFile;
    std::int64_t tickets = 0;
    std::int64_t events = 0;
};

// Archives every month before `before` that still has tickets or events: detaches its partitions, writes
// them as CSV (with a header line) into `dir` ("tickets-YYYY-MM.csv", "ticket_events-YYYY-MM.csv",
// written to a temporary name, synced, then renamed), drops them and records the month in
// archived_months with an audit entry by `actor`, one transaction per month. InvalidInput when `before`
// is later than now's month (the current month is never archived) or on SQLite; the database's and the
// file system's errors otherwise (the month being archived is then left as it was).
Result<std::vector<ArchivedMonth>> ArchiveMonthsBefore(SqlSession& db, Month before, const std::filesystem::path& dir,
                                                       std::int64_t nowMs, const std::string& actor);

// The archived months as UTC days [first, end) of ticket_rollups.day, for the rollups to leave alone.
// Empty when none (or on a database without archived_months). Fails with the database's errors.
Result<std::vector<std::pair<std::int64_t, std::int64_t>>> ArchivedDays(SqlSession& db);

// For a ticket number head office does not have: why, when it may be archived ("ticket S001-K1-250114-0001
// was created in 2025-01, archived to /srv/archive/tickets-2025-01.csv"; with a number whose date cannot
// be read, which months are archived). Empty when nothing is archived. Fails with the database's errors.
Result<std::string> ArchivedTicketNote(SqlSession& db, std::string_view number);

}  // namespace kiosk::sync::headoffice
