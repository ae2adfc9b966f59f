// Head office's SLA of a ticket: the published rules, the ingested events, the kiosk's engine.
#include "sync/headoffice/ticket_sla.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <tuple>

#include "kiosk/core/date.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::sync::headoffice {
namespace {

using EventJson = nlohmann::json;

std::int64_t EpochMs(core::Timestamp t) { return std::int64_t{t.time_since_epoch().count()} * 1000; }

// A ticket_event record's payload as the kiosk's event.
Result<core::TicketEvent> EventFromPayload(const EventJson& payload) { return wire::FromEventRow(EventRowOf(payload)); }

// Tickets' events as head office holds them: the index rows of all the tickets by one statement, then
// their records by id (a few hundred keys a statement; prepared on PostgreSQL, planned once rather than
// for each ticket across every month partition, and never a join the planner could turn into a scan of
// every record while a table's statistics are missing), except those the caller holds.
class TicketEventsReader {
public:
    // `held` (the records the caller holds, by id) must outlive the reader.
    explicit TicketEventsReader(const std::map<std::string, HeldRecord>& held) : m_held(held) {}

    Result<void> Read(SqlSession& db, const std::set<std::string>& numbers) {
        std::set<std::string> unread;
        auto ok = ForKeysInChunks(db, numbers, "SELECT ticket, record_id, chain_seq FROM ticket_events WHERE ", "ticket",
                                  [&](const SqlRow& r) {
                                      m_indexed[r[0]].push_back({r[1], ToInt(r[2])});
                                      if (!m_held.contains(r[1])) unread.insert(r[1]);
                                  });
        if (!ok) return ok;
        return ForKeysInChunks(db, unread, "SELECT id, payload, epoch, seq FROM records WHERE ", "id",
                               [this](const SqlRow& r) { m_read[r[0]] = {ToInt(r[2]), ToInt(r[3]), r[1]}; });
    }

    // One ticket's events in its chain order, then as the kiosk sent them. NotFound when head office
    // has none; Corrupt when a stored payload does not parse.
    Result<std::vector<core::TicketEvent>> Events(const std::string& number) const {
        const auto found = m_indexed.find(number);
        if (found == m_indexed.end()) return core::Fail(core::ErrorCode::NotFound, "head office has no events of ticket " + number);
        struct Ordered {
            std::tuple<std::int64_t, std::int64_t, std::int64_t> key;
            const EventJson* payload = nullptr;
            const std::string* text = nullptr;
        };
        std::vector<Ordered> ordered;
        for (const Indexed& i : found->second) {
            if (const auto h = m_held.find(i.recordId); h != m_held.end()) {
                ordered.push_back({{i.chainSeq, h->second.epoch, h->second.seq}, h->second.payload, nullptr});
            } else if (const auto r = m_read.find(i.recordId); r != m_read.end()) {
                ordered.push_back({{i.chainSeq, r->second.epoch, r->second.seq}, nullptr, &r->second.payload});
            }
        }
        std::sort(ordered.begin(), ordered.end(), [](const Ordered& a, const Ordered& b) { return a.key < b.key; });
        std::vector<core::TicketEvent> out;
        out.reserve(ordered.size());
        for (const Ordered& o : ordered) {
            Result<core::TicketEvent> event;
            if (o.payload) {
                event = EventFromPayload(*o.payload);
            } else {
                auto payload = wire::ParseStoredJson(*o.text, "ticket event of " + number);
                if (!payload) return std::unexpected(std::move(payload.error()));
                event = EventFromPayload(*payload);
            }
            if (!event) return std::unexpected(std::move(event.error()));
            out.push_back(std::move(*event));
        }
        return out;
    }

private:
    struct Indexed {
        std::string recordId;
        std::int64_t chainSeq = 0;
    };
    struct Stored {
        std::int64_t epoch = 0;
        std::int64_t seq = 0;
        std::string payload;
    };
    const std::map<std::string, HeldRecord>& m_held;
    std::map<std::string, std::vector<Indexed>> m_indexed;  // ticket -> its events' records
    std::map<std::string, Stored> m_read;                    // record id -> as stored
};

// The clocks at the ticket's latest event, or none (no creation event, no target).
std::optional<core::SlaStatus> SlaAtLatest(const SlaRules& rules, const std::vector<core::TicketEvent>& events) {
    core::Timestamp latest{};
    for (const core::TicketEvent& e : events) latest = std::max(latest, e.at);
    if (auto evaluated = EvaluateTicketSla(rules, events, latest)) return *evaluated;
    return std::nullopt;
}

// Reading a ticket's events failed in a way that only leaves its clocks empty.
bool LeavesClocksEmpty(const core::Error& error) {
    return error.code == core::ErrorCode::Corrupt || error.code == core::ErrorCode::NotFound;
}

std::string ClockState(const core::SlaClock& clock) { return std::string(core::ToString(clock.state)); }

}  // namespace

wire::EventRow EventRowOf(const nlohmann::json& payload) {
    wire::EventRow row;
    row.id = Text(payload, "id");
    row.ticketNumber = Text(payload, "ticketNumber");
    row.kind = Text(payload, "kind");
    row.actorRole = Text(payload, "actorRole");
    row.actorId = Text(payload, "actorId");
    row.at = Text(payload, "at");
    row.fromStatus = Text(payload, "fromStatus");
    row.toStatus = Text(payload, "toStatus");
    row.note = Text(payload, "note");
    row.value = Text(payload, "value");
    row.payload = wire::PayloadFromCanonical(payload);
    return row;
}

std::string SlaRules::Versions() const {
    return "sla v" + std::to_string(slaVersion) + ", calendar v" + std::to_string(calendarVersion);
}

SlaRulesSource::SlaRulesSource(core::Lifecycle lifecycle, SlaParsers parsers)
    : m_lifecycle(std::move(lifecycle)), m_parsers(std::move(parsers)) {}

Result<PublishedDocument> SlaRulesSource::Newest(SqlSession& db, const char* dataset, bool calendar) {
    auto rows = db.Query("SELECT version, document FROM dataset_versions WHERE dataset = $1 ORDER BY version DESC",
                         {std::string(dataset)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    for (const SqlRow& r : *rows) {
        PublishedDocument doc{ToInt(r[0]), r[1]};
        const bool accepted = calendar ? m_parsers.calendar(doc).has_value() : m_parsers.sla(doc).has_value();
        if (accepted) return doc;
    }
    return PublishedDocument{};
}

Result<std::shared_ptr<const SlaRules>> SlaRulesSource::Current(SqlSession& db) {
    auto latest = db.Query("SELECT dataset, max(version) FROM dataset_versions WHERE dataset IN ('sla', 'calendar') GROUP BY dataset");
    if (!latest) return std::unexpected(std::move(latest.error()));
    std::int64_t slaLatest = 0, calendarLatest = 0;
    for (const SqlRow& r : *latest) (r[0] == "sla" ? slaLatest : calendarLatest) = ToInt(r[1]);

    std::lock_guard lock(m_mutex);
    if (m_rules && slaLatest == m_slaLatest && calendarLatest == m_calendarLatest) return m_rules;
    auto slaDoc = Newest(db, "sla", false);
    if (!slaDoc) return std::unexpected(std::move(slaDoc.error()));
    auto calendarDoc = Newest(db, "calendar", true);
    if (!calendarDoc) return std::unexpected(std::move(calendarDoc.error()));
    auto policy = m_parsers.sla(*slaDoc);
    if (!policy) return std::unexpected(std::move(policy.error()));
    auto calendar = m_parsers.calendar(*calendarDoc);
    if (!calendar) return std::unexpected(std::move(calendar.error()));
    m_rules = std::make_shared<const SlaRules>(
        SlaRules{std::move(*policy), std::move(*calendar), m_lifecycle, slaDoc->version, calendarDoc->version});
    m_slaLatest = slaLatest;
    m_calendarLatest = calendarLatest;
    return m_rules;
}

Result<std::vector<core::TicketEvent>> LoadTicketEvents(SqlSession& db, std::string_view number) {
    const std::map<std::string, HeldRecord> none;
    TicketEventsReader reader(none);
    if (auto ok = reader.Read(db, {std::string(number)}); !ok) return std::unexpected(std::move(ok.error()));
    return reader.Events(std::string(number));
}

Result<core::SlaStatus> EvaluateTicketSla(const SlaRules& rules, std::span<const core::TicketEvent> events, core::Timestamp now) {
    if (events.empty() || !events.front().created) {
        return core::Fail(core::ErrorCode::InvalidInput, "the SLA starts at the ticket's creation, which head office has not received");
    }
    const core::NewTicket& filed = *events.front().created;
    return core::EvaluateSla(rules.policy, rules.calendar, rules.lifecycle, filed.type, filed.customerTier, events, now);
}

Result<TicketSla> LoadTicketSla(SqlSession& db, SlaRulesSource& source, std::string_view number, std::int64_t nowMs) {
    auto rules = source.Current(db);
    if (!rules) return std::unexpected(std::move(rules.error()));
    auto events = LoadTicketEvents(db, number);
    if (!events) return std::unexpected(std::move(events.error()));
    auto status = EvaluateTicketSla(**rules, *events, core::Timestamp{std::chrono::seconds{nowMs / 1000}});
    if (!status) return std::unexpected(std::move(status.error()));
    return TicketSla{*status, *rules};
}

Result<void> StoreTicketsSla(SqlSession& db, const SlaRules& rules, const std::map<std::string, std::int64_t>& rows,
                             const std::map<std::string, HeldRecord>& held) {
    if (rows.empty()) return {};
    std::set<std::string> numbers;
    for (const auto& [number, createdAt] : rows) numbers.insert(number);
    TicketEventsReader reader(held);
    if (auto ok = reader.Read(db, numbers); !ok) return ok;

    const bool asArrays = !db.ForUpdate().empty();
    std::vector<std::optional<std::string>> arrayNumbers, responseStates, resolutionStates;
    std::vector<std::optional<std::int64_t>> arrayCreated, responseDue, resolutionDue;
    for (const auto& [number, createdAt] : rows) {
        std::optional<core::SlaStatus> status;
        auto ticketEvents = reader.Events(number);
        if (!ticketEvents && !LeavesClocksEmpty(ticketEvents.error())) return std::unexpected(std::move(ticketEvents.error()));
        if (ticketEvents) status = SlaAtLatest(rules, *ticketEvents);
        const auto due = [](const std::optional<core::Timestamp>& t) -> std::optional<std::int64_t> {
            if (t) return EpochMs(*t);
            return std::nullopt;
        };
        const std::optional<std::int64_t> responseMs = status ? due(status->firstResponse.due) : std::nullopt;
        const std::optional<std::int64_t> resolutionMs = status ? due(status->resolution.due) : std::nullopt;
        const std::string responseState = status ? ClockState(status->firstResponse) : std::string();
        const std::string resolutionState = status ? ClockState(status->resolution) : std::string();
        if (asArrays) {
            arrayNumbers.emplace_back(number);
            arrayCreated.emplace_back(createdAt);
            responseDue.push_back(responseMs);
            responseStates.emplace_back(responseState);
            resolutionDue.push_back(resolutionMs);
            resolutionStates.emplace_back(resolutionState);
            continue;
        }
        auto ok = db.Exec("UPDATE tickets SET sla_response_due = $2, sla_response_state = $3, sla_resolution_due = $4, "
                     "sla_resolution_state = $5, sla_rules = $6 WHERE number = $1 AND created_at = $7",
                     {number, responseMs ? SqlValue(*responseMs) : SqlValue{}, responseState,
                      resolutionMs ? SqlValue(*resolutionMs) : SqlValue{}, resolutionState, rules.Versions(), createdAt});
        if (!ok) return ok;
    }
    if (!asArrays) return {};
    // PostgreSQL: every ticket's clocks by one statement.
    return db.Exec("UPDATE tickets AS t SET sla_response_due = u.response_due, sla_response_state = u.response_state, "
                   "sla_resolution_due = u.resolution_due, sla_resolution_state = u.resolution_state, sla_rules = $1 "
                   "FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::text[]) "
                   "AS u(number, created_at, response_due, response_state, resolution_due, resolution_state) "
                   "WHERE t.number = u.number AND t.created_at = u.created_at",
                   {rules.Versions(), ArrayLiteral(arrayNumbers), ArrayLiteral(arrayCreated), ArrayLiteral(responseDue),
                    ArrayLiteral(responseStates), ArrayLiteral(resolutionDue), ArrayLiteral(resolutionStates)});
}

std::string SlaMeasuredSql(std::string_view nowParam) {
    return "(t.sla_resolution_state IN ('met_on_time', 'met_late') OR (t.sla_resolution_state IN ('on_track', 'at_risk', "
           "'breached', 'paused') AND t.sla_resolution_due <= " +
           std::string(nowParam) + "))";
}

std::string SlaMetSql() { return "(t.sla_resolution_state = 'met_on_time')"; }

}  // namespace kiosk::sync::headoffice
