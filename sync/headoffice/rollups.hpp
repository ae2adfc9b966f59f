// Ticket rollups: the service-quality figures of the tickets added up per UTC day of creation, store,
// ticket type, product, problem category, channel, staff and (open clocks) due day, kept current in the ingest transaction so
// the front page and the reports add up a few rows per day instead of scanning every ticket.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

inline constexpr std::int64_t kRollupDayMs = 86'400'000;

// Creates the rollup tables (these and the service rollups, service_rollups.hpp) and the indexes the
// reports read beside them; when a table is new and tickets or answers exist (a database from before
// it), fills them all from the raw rows. Fails with the database's errors.
Result<void> EnsureRollups(SqlSession& db);

// The changes one ingest batch makes to the rollups: the touched tickets' contributions taken away as
// they stood before the batch and added as they stand after it, then written once per key.
class RollupDelta {
public:
    // `numbers` and, of each serial they are repairs of or that one of `serials` names (those filed with
    // them), the first repair not among them: the only other tickets whose repeat-repair figure can
    // change when those change. `createdAt`, when given, gets the created_at of each of `numbers` stored.
    static Result<std::set<std::string>> WithSameSerialRepairs(SqlSession& db, const std::set<std::string>& numbers,
                                                               std::set<std::string> serials,
                                                               std::map<std::string, std::int64_t>* createdAt = nullptr);
    // Adds (sign 1) or takes away (sign -1) what `numbers` contribute now. Fails with the database's
    // errors.
    Result<void> Count(SqlSession& db, const std::set<std::string>& numbers, int sign);
    // One upsert per key that changed, in key order (concurrent batches lock rows in the same order),
    // through SqlSession::Exec. Clears the changes.
    Result<void> Write(SqlSession& db);

    using Key = std::array<std::string, 8>;  // day, store, type, gtin, category, channel, staff, due day
    using Figures = std::array<std::int64_t, 16>;

private:
    std::map<Key, Figures> m_changes;
};

// Recomputes the rollups, the service rollups included, from the raw rows in one transaction; returns
// the rows written. The rows of archived months (partitions.hpp) stay as they are: their tickets are gone.
Result<std::int64_t> RebuildRollups(SqlSession& db);

// The rollups (the service rollups included) as stored against a recomputation from the raw rows: one
// line per key that differs
// ("day 20425 S001/repair/6901.../battery/in_store/E7 due day -1: stored 3 1 ..., recomputed 4 1 ..."); empty
// when they agree. Rows of nothing but zeros count as absent; archived months are not compared.
Result<std::vector<std::string>> CheckRollups(SqlSession& db);

// For the reports: SQL of a row source (to be aliased `t`) over tickets created in [$1, $2) with the
// columns store, type, gtin, channel, staff, tickets, sla_counted, sla_met, first_responses,
// first_response_ms, resolved, resolution_ms, csat_count, csat_sum, csat_1 .. csat_5, complaints,
// repeat_repairs (repairs of a serial with an earlier repair, by creation time, anywhere).
// Whole UTC days come from the rollups, the period's partial days from the tickets; of the open clocks
// due on now's own day only those due by $3 are counted, read from the tickets. `RollupPeriodParams`
// gives $1 .. $9.
std::string RollupPeriodSql();
std::vector<SqlValue> RollupPeriodParams(std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs);

}  // namespace kiosk::sync::headoffice
