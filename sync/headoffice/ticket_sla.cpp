// Head office's SLA of a ticket: the published rules, the ingested events, the kiosk's engine.
#include "sync/headoffice/ticket_sla.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "kiosk/core/date.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::sync::headoffice {
namespace {

using EventJson = nlohmann::json;

std::int64_t EpochMs(core::Timestamp t) { return std::int64_t{t.time_since_epoch().count()} * 1000; }

SqlValue OptionalMs(const std::optional<core::Timestamp>& t) {
    if (t) return EpochMs(*t);
    return SqlValue{};
}

}  // namespace

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
    // The ticket's events, then their records by id, each read by its own index: prepared on PostgreSQL
    // (planned once, not for each ticket across every month partition), and never a join the planner
    // could turn into a scan of every record while a table's statistics are missing (a partition just filled).
    auto indexed = db.QueryPrepared("SELECT record_id, chain_seq FROM ticket_events WHERE ticket = $1", {std::string(number)});
    if (!indexed) return std::unexpected(std::move(indexed.error()));
    if (indexed->empty()) return core::Fail(core::ErrorCode::NotFound, "head office has no events of ticket " + std::string(number));
    std::map<std::string, std::int64_t> chainSeq;
    std::vector<std::string> ids;
    for (const SqlRow& r : *indexed) {
        chainSeq[r[0]] = ToInt(r[1]);
        ids.push_back(r[0]);
    }
    Result<std::vector<SqlRow>> rows;
    if (!db.ForUpdate().empty()) {
        rows = db.QueryPrepared("SELECT id, payload, epoch, seq FROM records WHERE id = ANY($1::text[])", {TextArrayLiteral(ids)});
    } else {
        std::string list;
        std::vector<SqlValue> params;
        for (const std::string& id : ids) {
            params.emplace_back(std::in_place_type<std::string>, id);
            list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
        }
        rows = db.Query("SELECT id, payload, epoch, seq FROM records WHERE id IN (" + list + ")", params);
    }
    if (!rows) return std::unexpected(std::move(rows.error()));
    // In the ticket's chain order, then as the kiosk sent them.
    std::sort(rows->begin(), rows->end(), [&chainSeq](const SqlRow& a, const SqlRow& b) {
        return std::tuple(chainSeq[a[0]], ToInt(a[2]), ToInt(a[3])) < std::tuple(chainSeq[b[0]], ToInt(b[2]), ToInt(b[3]));
    });
    std::vector<core::TicketEvent> events;
    events.reserve(rows->size());
    for (const SqlRow& r : *rows) {
        auto payload = wire::ParseStoredJson(r[1], "ticket event of " + std::string(number));
        if (!payload) return std::unexpected(std::move(payload.error()));
        wire::EventRow row;
        row.id = Text(*payload, "id");
        row.ticketNumber = Text(*payload, "ticketNumber");
        row.kind = Text(*payload, "kind");
        row.actorRole = Text(*payload, "actorRole");
        row.actorId = Text(*payload, "actorId");
        row.at = Text(*payload, "at");
        row.fromStatus = Text(*payload, "fromStatus");
        row.toStatus = Text(*payload, "toStatus");
        row.note = Text(*payload, "note");
        row.value = Text(*payload, "value");
        row.payload = wire::PayloadFromCanonical(*payload);
        auto event = wire::FromEventRow(row);
        if (!event) return std::unexpected(std::move(event.error()));
        events.push_back(std::move(*event));
    }
    return events;
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

Result<void> StoreTicketSla(SqlSession& db, const SlaRules& rules, std::string_view number, std::optional<std::int64_t> createdAt) {
    std::optional<core::SlaStatus> status;
    auto events = LoadTicketEvents(db, number);
    if (!events && events.error().code != core::ErrorCode::Corrupt && events.error().code != core::ErrorCode::NotFound) {
        return std::unexpected(std::move(events.error()));
    }
    if (events) {
        core::Timestamp latest{};
        for (const core::TicketEvent& e : *events) latest = std::max(latest, e.at);
        if (auto evaluated = EvaluateTicketSla(rules, *events, latest)) status = *evaluated;
    }
    const auto state = [&](const core::SlaClock& clock) { return std::string(core::ToString(clock.state)); };
    // Sent as the projection's other writes are (prepared and pipelined on PostgreSQL): a failure shows
    // at the session's next statement.
    std::vector<SqlValue> params{std::string(number), status ? OptionalMs(status->firstResponse.due) : SqlValue{},
                                 status ? state(status->firstResponse) : std::string(),
                                 status ? OptionalMs(status->resolution.due) : SqlValue{},
                                 status ? state(status->resolution) : std::string(), rules.Versions()};
    std::string sql = "UPDATE tickets SET sla_response_due = $2, sla_response_state = $3, sla_resolution_due = $4, "
                      "sla_resolution_state = $5, sla_rules = $6 WHERE number = $1";
    if (createdAt) {
        sql += " AND created_at = $7";
        params.emplace_back(std::in_place_type<std::int64_t>, *createdAt);
    }
    auto ok = db.Exec(sql, params);
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

std::string SlaMeasuredSql(std::string_view nowParam) {
    return "(t.sla_resolution_state IN ('met_on_time', 'met_late') OR (t.sla_resolution_state IN ('on_track', 'at_risk', "
           "'breached', 'paused') AND t.sla_resolution_due <= " +
           std::string(nowParam) + "))";
}

std::string SlaMetSql() { return "(t.sla_resolution_state = 'met_on_time')"; }

}  // namespace kiosk::sync::headoffice
