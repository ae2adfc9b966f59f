// Head office's projection of kiosk records for the dashboard: one row per ticket (updated in the
// ingest transaction from ticket_event records), an index of each ticket's events with their place in
// the kiosk's hash chain, the fleet's last reported status, self-help counts and the product names.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/sql_session.hpp"
#include "sync/headoffice/ticket_sla.hpp"
#include "sync/protocol.hpp"

namespace kiosk::sync::headoffice {

// Which statuses count as the store's first response and as resolution (the lifecycle's flags).
struct ProjectionRules {
    std::set<std::string> firstResponse;
    std::set<std::string> resolves;
    // The SLA each ticket is measured against (tickets.sla_*); null: those columns stay empty.
    std::shared_ptr<SlaRulesSource> sla;
};

// A record the ingest committed for the first time.
struct NewRecord {
    std::string id;
    std::string type;
    std::string payload;  // JSON object text
    // The payload already read, when the caller has it (the ingest reads it on the request's thread,
    // not on the one that writes); else ProjectRecords reads `payload`.
    const nlohmann::json* parsed = nullptr;
    // With `parsed`: the record's epoch and sequence number (they order a ticket's events for its SLA).
    std::int64_t epoch = 0;
    std::int64_t seq = 0;
};

// CREATE TABLE / INDEX IF NOT EXISTS for the projection tables, in the ingest's dialect.
std::string_view ProjectionSchema();

// After ProjectionSchema: adds the columns a database made by an earlier version lacks (kiosk_status's
// scanner, camera, started_at, frame_failures, refused; tickets' closed_at and SLA columns), keeping its
// rows. Idempotent, on SQLite and PostgreSQL.
Result<void> UpgradeProjection(SqlSession& db);

// Applies `records` (in sequence order) to the tickets of `kiosk`. Records that are not ticket events,
// or whose payload lacks a ticket number, kind or time, are left out of the projection (they stay
// stored as received). Each ticket with a new event has its SLA evaluated again (StoreTicketsSla) with
// the rules in force, and its rollup figures (rollups.hpp) move from its row before to its row after. Fails only with the database's errors; its writes go through SqlSession::Exec,
// so some of those errors are reported by the session's next Flush, Query or Commit.
Result<void> ProjectRecords(SqlSession& db, const ProjectionRules& rules, std::string_view kiosk,
                            const std::vector<NewRecord>& records);

// Evaluates again the SLA of every ticket whose clocks were not measured with `rules` (a database from
// before the SLA columns, events ingested without SLA rules, or under an SLA or calendar version since
// replaced); returns how many, and recomputes the rollups (rollups.hpp) when there were any. Fails
// only with the database's errors.
Result<std::int64_t> RemeasureSla(SqlSession& db, const SlaRules& rules);

// Replaces the kiosk's reported status (through SqlSession::Exec, as ProjectRecords).
Result<void> StoreKioskStatus(SqlSession& db, std::string_view kiosk, const KioskStatus& status, std::int64_t nowMs);

// Upserts product names and categories from published catalog items (JSON array text).
Result<void> StoreProducts(SqlSession& db, std::string_view itemsJson);

// Milliseconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ", or nullopt.
std::optional<std::int64_t> TimestampMs(std::string_view iso);

}  // namespace kiosk::sync::headoffice
