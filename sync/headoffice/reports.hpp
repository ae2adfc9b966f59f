// What the dashboard reads: the fleet with each kiosk's reported status, ticket search, a ticket's
// timeline with its hash-chain check, and service-quality figures over a period, all from the
// projection tables (one aggregate query per table of figures; quality figures add up the ticket
// rollups, rollups.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

struct FleetRow {
    std::string code;
    std::string store;
    bool enrolled = false;
    bool revoked = false;
    std::int64_t lastSeenMs = 0;  // 0: never
    std::int64_t backlog = 0;
    std::int64_t lastSeq = 0;
    std::string software;         // empty until the kiosk reports its status
    std::string printer;
    std::string paper;
    std::int64_t scannerSeenMs = 0;
    bool silent = false;          // enrolled and not heard from within the threshold
    std::map<std::string, std::int64_t> datasets;  // applied versions
    std::string scanner;          // ok, missing, none; empty until the kiosk reports it
    std::string camera;           // ok, failed, off; empty until the kiosk reports it
    std::int64_t startedAtMs = 0;     // when the kiosk application started, 0 until reported
    std::int64_t frameFailures = 0;   // frames its frame guard caught since then
    std::string refused;              // published versions it refused, "policy v3: why" per line; empty: none
};

// Every kiosk, silent ones first. `silentAfterMs`: how long without contact counts as silent.
Result<std::vector<FleetRow>> LoadFleet(SqlSession& db, std::int64_t nowMs, std::int64_t silentAfterMs);

struct TicketFilter {
    std::string number;  // prefix
    std::string phone;   // exact, as stored
    std::string serial;  // exact
    std::string product; // GTIN, or part of a product name
    std::string store;
    std::string status;
    std::int64_t fromMs = 0;  // created at or after (0: no bound)
    std::int64_t toMs = 0;    // created before (0: no bound)
    int limit = 100;
    std::int64_t offset = 0;  // rows of the same order skipped first (paging)
};

struct TicketRow {
    std::string number, kiosk, store, type, status, gtin, product, serial, phone, tier, category, channel, staff;
    std::int64_t createdAtMs = 0;
    std::int64_t updatedAtMs = 0;
    std::int64_t firstResponseAtMs = 0;  // 0: not yet
    std::int64_t resolvedAtMs = 0;
    std::int64_t csat = 0;               // 0: not rated
    std::int64_t events = 0;
};

// Newest first, at most filter.limit rows after the first filter.offset.
Result<std::vector<TicketRow>> SearchTickets(SqlSession& db, const TicketFilter& filter);

// 138****5678: the first three and last four digits; shorter numbers keep only their last two.
std::string MaskPhone(std::string_view phone);

struct TimelineEvent {
    std::string recordId;
    std::int64_t epoch = 0;
    std::int64_t seq = 0;       // upload sequence
    std::int64_t chainSeq = 0;  // place in the kiosk's event chain
    std::string kind, actorRole, actorId, at, fromStatus, toStatus, note, value;
    std::int64_t kioskTimeMs = 0;
    std::int64_t receivedAtMs = 0;
    std::string hash;
    std::string prevHash;
    // "ok", "hash mismatch" (the event was changed after it was hashed), "link broken" (the previous
    // event of the chain has another hash) or "previous event not received".
    std::string check;
};

struct TicketDetail {
    TicketRow ticket;
    std::vector<TimelineEvent> events;
    bool chainIntact = true;  // every event "ok"
    // As filed at the kiosk (the creation event): the customer's words, the remedy and the clause.
    std::string description, remedy, clauseId;
    std::string policyVersion;  // the warranty policy it was decided under ("published v3", "file sanbao.toml")
};

// NotFound when head office has no such ticket; its message names the archive file when the ticket
// belongs to an archived month (ArchivedTicketNote).
Result<TicketDetail> LoadTicket(SqlSession& db, std::string_view number);

enum class Dimension { Store, Region, Product, Category, Channel, Staff };
std::string_view ToString(Dimension dimension);
std::optional<Dimension> ParseDimension(std::string_view text);

struct QualityRow {
    std::string key;
    std::string label;
    std::int64_t tickets = 0;
    std::int64_t slaCounted = 0;   // resolution clock met, or breached by now (the kiosk's SLA engine)
    std::int64_t slaMet = 0;       // resolution clock met on time
    std::int64_t firstResponses = 0;
    std::int64_t firstResponseMsSum = 0;
    std::int64_t resolved = 0;
    std::int64_t resolutionMsSum = 0;
    std::int64_t csatCount = 0;
    std::int64_t csatSum = 0;
    std::array<std::int64_t, 5> csatDistribution{};  // answers of 1..5
    std::int64_t complaints = 0;
    std::int64_t repeatRepairs = 0;  // repairs of a serial that had an earlier repair (by creation, anywhere)

    double SlaCompliance() const;    // share in 0..1, or -1 when nothing counted
    double FirstResponseMinutes() const;  // average, -1 when none
    double ResolutionHours() const;
    double CsatAverage() const;
    double ComplaintRate() const;
};

struct QualityReport {
    Dimension by = Dimension::Store;
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::vector<QualityRow> rows;  // most tickets first
    QualityRow total;
    std::vector<QualityRow> channels;  // channel evaluation: quality (SLA), speed, satisfaction
    std::int64_t selfHelpOffered = 0;
    std::int64_t selfHelpSolved = 0;
    double Deflection() const;  // solved / offered, -1 when nothing offered
};

// Figures for tickets created in [fromMs, toMs). SLA compliance is the resolution clock as the kiosk
// measures it (business calendar, pauses; ticket_sla.hpp), stored per ticket at ingest: met on time out
// of met or breached, an open ticket counted once its stored deadline is at or before `nowMs`.
Result<QualityReport> LoadQualityReport(SqlSession& db, Dimension by, std::int64_t fromMs, std::int64_t toMs,
                                        std::int64_t nowMs);
// The totals row only (the dashboard's front page).
Result<QualityRow> LoadTotals(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs);

// One line per row plus the total, figures as plain numbers; text fields quoted as RFC 4180 says, and
// a leading = + - @ neutralised so a spreadsheet does not run it as a formula.
std::string QualityCsv(const QualityReport& report);
// The same, a line at a time (for a streamed answer): the header line, then one line per row.
std::string QualityCsvHeader(Dimension by);
std::string QualityCsvLine(const QualityRow& row);

}  // namespace kiosk::sync::headoffice
