// AdminStore: the 24-hour follow-up list and calls, and customers' CSAT answers.
#include "kiosk/storage/admin_store_parts.hpp"

namespace kiosk::storage {

using namespace admin_detail;

// ---------------------------------------------------------------------------------------------------
// Follow-up and CSAT

Result<std::vector<admin::FollowUp>> AdminStore::FollowUps(const core::Actor& actor, core::Timestamp now) {
    if (auto ok = Require(actor, action::kFollowUpView); !ok) return Forward(ok);
    auto stmt = m_db.Cached(
        "SELECT t.number, t.type, t.customer_phone, t.assignee, max(e.at), t.language, coalesce(p.name_zh_hans, ''), "
        "coalesce(p.name_zh_hant, ''), coalesce(p.name_en, '') FROM tickets t "
        "JOIN ticket_events e ON e.ticket_number = t.number AND e.kind = 'status_changed' AND e.to_status = 'closed' "
        "LEFT JOIN products p ON p.gtin = t.gtin "
        "WHERE t.status = 'closed' AND t.customer_phone <> '' AND t.updated_at >= ?1 "
        "AND NOT EXISTS (SELECT 1 FROM csat_answers a WHERE a.ticket_number = t.number) "
        "AND NOT EXISTS (SELECT 1 FROM followup_calls f WHERE f.ticket_number = t.number "
        "AND f.outcome IN ('reached', 'wrong_number', 'declined')) "
        "GROUP BY t.number HAVING max(e.at) >= ?1 AND max(e.at) <= ?2 ORDER BY max(e.at), t.number");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, core::FormatTimestamp(now - kFollowUpWindow)).Bind(2, core::FormatTimestamp(now));
    std::vector<admin::FollowUp> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return Forward(row);
        if (!*row) break;
        admin::FollowUp f;
        f.ticketNumber = stmt->Text(0);
        auto type = core::ParseTicketType(stmt->Text(1));
        if (!type) return core::Fail(ErrorCode::Corrupt, "ticket " + f.ticketNumber + " has an unknown type");
        f.type = *type;
        f.phone = stmt->Text(2);
        f.maskedPhone = core::MaskPhone(f.phone);
        f.assignee = stmt->Text(3);
        auto closedAt = ReadTime(stmt->Text(4), "closing time");
        if (!closedAt) return Forward(closedAt);
        f.closedAt = *closedAt;
        f.callBy = *closedAt + kFollowUpWindow;
        f.language = core::ParseLanguage(stmt->Text(5)).value_or(core::Language::ZhHans);
        f.product = core::LocalizedText{stmt->Text(6), stmt->Text(7), stmt->Text(8)};
        out.push_back(std::move(f));
    }
    for (admin::FollowUp& f : out) {
        auto calls = m_db.Cached(
            "SELECT staff_no, outcome, note, at FROM followup_calls WHERE ticket_number = ?1 ORDER BY id");
        if (!calls) return Forward(calls);
        calls->Bind(1, f.ticketNumber);
        for (;;) {
            auto row = calls->Step();
            if (!row) return Forward(row);
            if (!*row) break;
            auto outcome = admin::ParseCallOutcome(calls->Text(1));
            auto at = ReadTime(calls->Text(3), "call time");
            if (!outcome || !at) {
                return core::Fail(ErrorCode::Corrupt, "a follow-up call of " + f.ticketNumber + " does not parse");
            }
            f.calls.push_back(admin::FollowUpCall{calls->Text(0), *outcome, calls->Text(2), *at});
        }
    }
    return out;
}

Result<admin::FollowUpCall> AdminStore::RecordCall(const core::Actor& actor, std::string_view number,
                                                   admin::CallOutcome outcome, std::string_view note,
                                                   core::Timestamp now) {
    if (auto ok = Require(actor, action::kFollowUpRecord); !ok) return Forward(ok);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto ticket = LoadTicket(number);
    if (!ticket) return Forward(ticket);
    auto insert = m_db.Cached(
        "INSERT INTO followup_calls (ticket_number, staff_no, outcome, note, at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) return Forward(insert);
    insert->Bind(1, ticket->number)
        .Bind(2, actor.id)
        .Bind(3, admin::ToString(outcome))
        .Bind(4, note)
        .Bind(5, core::FormatTimestamp(now));
    if (auto ok = insert->Run(); !ok) return Forward(ok);
    const Json after = {{"outcome", admin::ToString(outcome)}, {"note", std::string(note)}};
    if (auto ok = WriteAudit(m_db, {actor, now, action::kFollowUpRecord, "ticket", ticket->number, std::nullopt,
                             JsonText(after)});
        !ok) {
        return Forward(ok);
    }
    // Head office measures the call against the ticket's closing time (the last move to closed).
    auto events = ReadEvents(ticket->number);
    if (!events) return Forward(events);
    Json closedAt = nullptr;
    for (const core::TicketEvent& e : *events) {
        if (e.kind == core::EventKind::StatusChanged && e.toStatus == "closed") closedAt = core::FormatTimestamp(e.at);
    }
    const Json record = {{"ticketNumber", ticket->number}, {"staffNo", actor.id}, {"outcome", admin::ToString(outcome)},
                         {"note", std::string(note)}, {"at", core::FormatTimestamp(now)}, {"closedAt", closedAt}};
    if (auto ok = QueueRecord(m_db, "followup_call", record, now); !ok) return Forward(ok);
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::FollowUpCall{actor.id, outcome, std::string(note), now};
}

Result<std::optional<admin::ClosedTicket>> AdminStore::LastClosed(core::Timestamp now, std::chrono::minutes maxAge) {
    if (!m_lastClosed || now - m_lastClosed->closedAt > maxAge) return std::optional<admin::ClosedTicket>{};
    auto answered = m_db.Cached("SELECT 1 FROM csat_answers WHERE ticket_number = ?1");
    if (!answered) return Forward(answered);
    answered->Bind(1, m_lastClosed->number);
    auto row = answered->Step();
    if (!row) return Forward(row);
    if (*row) {
        if (auto done = answered->Run(); !done) return Forward(done);
        return std::optional<admin::ClosedTicket>{};
    }
    return m_lastClosed;
}

Result<admin::CsatAnswer> AdminStore::RecordCsat(std::string_view number, int score, std::string_view comment,
                                                 core::Timestamp now) {
    auto rated = m_tickets->RateTicket(number, score, comment, now);
    if (!rated) return Forward(rated);
    return admin::CsatAnswer{rated->number, score, std::string(comment), now};
}

}  // namespace kiosk::storage
