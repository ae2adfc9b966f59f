// Service-record rollups: the CSAT answers per UTC day answered, store and staff; the follow-up calls
// due per UTC day closed and store; the tickets served with or without a service script per UTC day
// created and scene; and the queue numbers per UTC day taken, store, service and local hour. Kept current in the ingest transaction beside the ticket rollups (rollups.hpp), so
// the service tables of the reports add up a few rows per day instead of scanning every ticket.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

// A follow-up call counts when it concluded within this long after the ticket was closed.
inline constexpr std::int64_t kFollowUpWindowMs = 24 * 3'600'000;

// Creates the summary tables; returns true when they did not exist before (the caller fills them).
// Fails with the database's errors.
Result<bool> EnsureServiceRollups(SqlSession& db);

// The changes one ingest batch makes to the service rollups, as RollupDelta does for the ticket rollups:
// what the touched rows contributed before the batch taken away, what they contribute after it added.
class ServiceRollupDelta {
public:
    // What a batch may change the figures of, per summary.
    struct Touched {
        std::set<std::string> csat;       // tickets with a CSAT answer in the batch
        std::set<std::string> followUps;  // tickets with a ticket event or a follow-up call in the batch
        std::set<std::string> scripts;    // tickets with a ticket event in the batch
        std::set<std::string> queueDays;  // "kiosk\nday": a kiosk's queue numbers of a local day with a queue event in the batch
    };
    // Adds (sign 1) or takes away (sign -1) what `touched` contributes now. Fails with the database's errors.
    Result<void> Count(SqlSession& db, const Touched& touched, int sign);
    // One upsert per key that changed, table by table in key order, through SqlSession::Exec. Clears the
    // changes.
    Result<void> Write(SqlSession& db);

private:
    // (summary index, key) -> figures
    std::map<std::pair<std::size_t, std::vector<std::string>>, std::vector<std::int64_t>> m_changes;
};

// Inside the caller's transaction, before the tickets created in [fromMs, toMs) leave the database (an
// archived month): keeps what they contribute to the summaries made from tickets (follow-ups, script use),
// which RebuildServiceRollups and CheckServiceRollups then count with the raw rows.
Result<void> KeepArchivedContributions(SqlSession& db, std::int64_t fromMs, std::int64_t toMs);

// Recomputes the service rollups from the raw rows, inside the caller's transaction (on PostgreSQL it
// locks the tables first); returns the rows written.
Result<std::int64_t> RebuildServiceRollups(SqlSession& db);

// The service rollups as stored against a recomputation: one line per key that differs
// ("csat_rollups 20425/S001/E7: stored 3 12 ..., recomputed 4 15 ..."); empty when they agree. Rows of
// nothing but zeros count as absent.
Result<std::vector<std::string>> CheckServiceRollups(SqlSession& db);

// For the service reports: queries over [from, to) with whole UTC days from the summaries and the
// period's partial days from the raw rows, the parameters from `ServicePeriodParams`.
//   CsatPeriodSql: store, staff, answers, score sum, answers of 1 .. 5; by store, staff.
//   FollowUpPeriodSql: store, due, done in time, calls; by store.
//   ScriptPeriodSql: scene, part, tickets, CSAT answers, CSAT sum, resolved; by scene, part. Scene ""
//   holds the period's totals in parts "all", "any_used" and the ticket classes of `ScriptSceneClass`;
//   every scene its part "used" (tickets served with its script) and "used_for" (of those, the tickets
//   the scene is for).
std::string CsatPeriodSql();
std::string FollowUpPeriodSql();
std::string ScriptPeriodSql();
//   QueuePeriodSql: store, service, hour, taken, called, served, no-shows, wait ms, service ms; by store, service, hour.
std::string QueuePeriodSql();
std::vector<SqlValue> ServicePeriodParams(std::int64_t fromMs, std::int64_t toMs);

// The tickets a scene's script is for, as a part of ScriptPeriodSql's totals: "complaint",
// "product_resolved", "closed", "all" or "product".
std::string ScriptSceneClass(const std::string& scene);

}  // namespace kiosk::sync::headoffice
