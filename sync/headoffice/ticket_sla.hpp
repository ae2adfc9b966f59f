// A ticket's SLA at head office, measured by the kiosk's own engine (core::EvaluateSla) on the events
// as ingested, with the SLA targets and business calendar head office publishes to the stores (or the
// defaults in assets/ while none is published), so both ends show the same due times and verdict.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/business_calendar.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/sla.hpp"
#include "kiosk/core/ticket.hpp"
#include "sync/headoffice/sql_session.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::sync::headoffice {

// What the SLA is measured with, and which published versions it came from (0: the default file).
struct SlaRules {
    core::SlaPolicy policy;
    core::BusinessCalendar calendar;
    core::Lifecycle lifecycle;
    std::int64_t slaVersion = 0;
    std::int64_t calendarVersion = 0;

    // "sla v2, calendar v0": which versions, stored beside the clocks they measured.
    std::string Versions() const;
};

// A published document of a data set; version 0 and no text: none is published, use the default.
struct PublishedDocument {
    std::int64_t version = 0;
    std::string text;
};

// The kiosk's parsers for the two documents (head office's library does not know TOML; the program
// and the tests hand them in). Each fails as the kiosk's loader does for a document it refuses.
struct SlaParsers {
    std::function<Result<core::SlaPolicy>(const PublishedDocument&)> sla;
    std::function<Result<core::BusinessCalendar>(const PublishedDocument&)> calendar;
};

// The rules in force, read again only when head office has published another version (a `headoffice
// publish` in another process is seen on the next call). Thread-safe.
class SlaRulesSource {
public:
    SlaRulesSource(core::Lifecycle lifecycle, SlaParsers parsers);

    // The newest published version of each document that its parser accepts (a kiosk refuses the others
    // and keeps the one before), else the default. Fails with the database's errors, or when the
    // default itself does not parse.
    Result<std::shared_ptr<const SlaRules>> Current(SqlSession& db);

private:
    Result<PublishedDocument> Newest(SqlSession& db, const char* dataset, bool calendar);

    core::Lifecycle m_lifecycle;
    SlaParsers m_parsers;
    std::mutex m_mutex;
    std::int64_t m_slaLatest = -1;  // the newest published versions the cache was built from
    std::int64_t m_calendarLatest = -1;
    std::shared_ptr<const SlaRules> m_rules;
};

// A ticket_event record's payload (as stored) as the columns the kiosk's events are read from.
wire::EventRow EventRowOf(const nlohmann::json& payload);

// The ticket's events as head office holds them (the ticket_event payloads, in chain order), parsed
// as the kiosk stores them. NotFound when head office has no events of the ticket; Corrupt when a
// stored payload does not parse.
Result<std::vector<core::TicketEvent>> LoadTicketEvents(SqlSession& db, std::string_view number);

// The kiosk's SLA of a ticket at `now`; type and tier come from its creation event. Fails as
// core::EvaluateSla does (InvalidInput without a creation event, NotFound without a target).
Result<core::SlaStatus> EvaluateTicketSla(const SlaRules& rules, std::span<const core::TicketEvent> events, core::Timestamp now);

// A ticket's SLA as a page shows it: evaluated at the page's now, with the rules it was measured by.
struct TicketSla {
    core::SlaStatus status;
    std::shared_ptr<const SlaRules> rules;
};
// NotFound when head office has no events of the ticket; else fails as the functions above.
Result<TicketSla> LoadTicketSla(SqlSession& db, SlaRulesSource& source, std::string_view number, std::int64_t nowMs);

// A record of the batch being ingested whose payload the caller has already read (its epoch and sequence
// number order it among the ticket's other events).
struct HeldRecord {
    std::int64_t epoch = 0;
    std::int64_t seq = 0;
    const nlohmann::json* payload = nullptr;
};

// Evaluates each ticket of `rows` (number -> its row's created_at) at its latest event and stores both
// clocks' due times and states in its projection row (tickets.sla_*, with rules.Versions() in
// sla_rules), which the reports read. A ticket without a creation event yet, or without a target, gets
// empty states (not counted). The tickets' events are read together: the index rows of all of them by
// one statement, then the records not in `held` (by record id), a few hundred keys a statement. On
// PostgreSQL every ticket's clocks are stored by one statement. Fails only with the database's errors
// (some reported by the session's next statement: the writes go through SqlSession::Exec).
//
// Why at its latest event: from then on, until the next event, the clocks' deadlines do not move (a
// running clock's due time is fixed, a paused clock has none unless it breached before the pause), so
// the stored due times are valid at any later "now"; the reports compare them with their own now.
Result<void> StoreTicketsSla(SqlSession& db, const SlaRules& rules, const std::map<std::string, std::int64_t>& rows,
                             const std::map<std::string, HeldRecord>& held);

// SQL over the stored columns of `tickets t` for the reports, as the kiosk's reports count: a ticket is
// measured when its resolution clock was met (on time or late) or breached by `nowParam`, and meets the
// SLA when met on time. Stopped clocks (cancelled, rejected) and tickets never evaluated do not count.
std::string SlaMeasuredSql(std::string_view nowParam);
std::string SlaMetSql();

}  // namespace kiosk::sync::headoffice
