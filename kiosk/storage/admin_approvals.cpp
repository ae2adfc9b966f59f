// AdminStore: approval requests and decisions against the time limit; each is queued for head office.
#include "kiosk/storage/admin_store_parts.hpp"
#include "sync/wire/ids.hpp"

namespace kiosk::storage {

using namespace admin_detail;

// ---------------------------------------------------------------------------------------------------
// Approvals

Result<std::vector<admin::Approval>> AdminStore::ReadApprovals(std::string_view where, std::string_view bind,
                                                               core::Timestamp now) {
    auto stmt = m_db.Prepare("SELECT " + std::string(kApprovalColumns) + " FROM approvals " + std::string(where));
    if (!stmt) return Forward(stmt);
    if (!bind.empty()) stmt->Bind(1, bind);
    std::vector<admin::Approval> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return Forward(row);
        if (!*row) break;
        admin::Approval a;
        a.id = stmt->Text(0);
        a.ticketNumber = stmt->Text(1);
        auto kind = admin::ParseApprovalKind(stmt->Text(2));
        if (!kind) return core::Fail(ErrorCode::Corrupt, "approval " + a.id + " has an unknown kind");
        a.kind = *kind;
        a.amount = stmt->Int(3);
        a.reason = stmt->Text(4);
        a.requestedBy = stmt->Text(5);
        auto requestedAt = ReadTime(stmt->Text(6), "approval time");
        if (!requestedAt) return Forward(requestedAt);
        a.requestedAt = *requestedAt;
        auto deadline = ReadTime(stmt->Text(7), "approval deadline");
        if (!deadline) return Forward(deadline);
        a.deadline = *deadline;
        const std::string state = stmt->Text(8);
        a.state = state == "approved"  ? admin::ApprovalState::Approved
                  : state == "refused" ? admin::ApprovalState::Refused
                                       : admin::ApprovalState::Pending;
        a.decidedBy = stmt->Text(9);
        auto decidedAt = ReadOptionalTime(*stmt, 10, "decision time");
        if (!decidedAt) return Forward(decidedAt);
        a.decidedAt = *decidedAt;
        a.decisionReason = stmt->Text(11);
        out.push_back(admin::WithCountdown(std::move(a), now));
    }
    return out;
}

Result<admin::Approval> AdminStore::RequestApproval(const core::Actor& actor, const admin::ApprovalRequest& request,
                                                    core::Timestamp now) {
    if (auto ok = Require(actor, action::kApprovalRequest); !ok) return Forward(ok);
    if (auto ok = admin::ValidateApprovalRequest(request); !ok) return Forward(ok);
    auto settings = ReadSettings();
    if (!settings) return Forward(settings);
    if (!admin::NeedsApproval(request.kind, request.amount, settings->escalationThreshold)) {
        return core::Fail(ErrorCode::InvalidInput,
                          "a refund of " + std::to_string(request.amount) + " fen is within the threshold of " +
                              std::to_string(settings->escalationThreshold) + " fen: no approval is needed");
    }
    auto id = wire::RandomUuid();
    if (!id) return Forward(id);

    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto ticket = LoadTicket(request.ticketNumber);
    if (!ticket) return Forward(ticket);
    auto open = ReadApprovals("WHERE ticket_number = ?1 AND state = 'pending'", ticket->number, now);
    if (!open) return Forward(open);
    if (!open->empty()) {
        return core::Fail(ErrorCode::Conflict, "ticket " + ticket->number + " already waits for approval " +
                                                   open->front().id);
    }
    if (ticket->status != "awaiting_approval") {
        core::TicketEvent event;
        event.kind = core::EventKind::StatusChanged;
        event.actor = actor;
        event.at = now;
        event.toStatus = "awaiting_approval";
        event.note = request.reason;
        if (auto moved = AppendEvent(ticket->number, std::move(event), action::kTicketTransition); !moved) {
            return Forward(moved);
        }
    }
    admin::Approval approval;
    approval.id = std::move(*id);
    approval.ticketNumber = ticket->number;
    approval.kind = request.kind;
    approval.amount = request.amount;
    approval.reason = request.reason;
    approval.requestedBy = actor.id;
    approval.requestedAt = now;
    approval.deadline = admin::ApprovalDeadline(now, settings->approvalWindow);
    auto insert = m_db.Cached(
        "INSERT INTO approvals (id, ticket_number, kind, amount, reason, requested_by, requested_at, deadline, state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')");
    if (!insert) return Forward(insert);
    insert->Bind(1, approval.id)
        .Bind(2, approval.ticketNumber)
        .Bind(3, admin::ToString(approval.kind))
        .Bind(4, approval.amount)
        .Bind(5, approval.reason)
        .Bind(6, approval.requestedBy)
        .Bind(7, core::FormatTimestamp(approval.requestedAt))
        .Bind(8, core::FormatTimestamp(approval.deadline));
    if (auto ok = insert->Run(); !ok) return Forward(ok);
    if (auto ok = WriteAudit(m_db, {actor, now, action::kApprovalRequest, "approval", approval.id, std::nullopt,
                             JsonText(ApprovalJson(approval))});
        !ok) {
        return Forward(ok);
    }
    if (auto ok = QueueRecord(m_db, "approval", ApprovalJson(approval), now); !ok) return Forward(ok);
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::WithCountdown(std::move(approval), now);
}

Result<std::vector<admin::Approval>> AdminStore::Approvals(const core::Actor& actor, bool pendingOnly,
                                                           core::Timestamp now) {
    if (auto ok = Require(actor, action::kQueueView); !ok) return Forward(ok);
    return ReadApprovals(pendingOnly ? "WHERE state = 'pending' ORDER BY deadline, id"
                                     : "ORDER BY requested_at DESC, id",
                         "", now);
}

Result<admin::Approval> AdminStore::Decide(const core::Actor& actor, std::string_view approvalId,
                                           const admin::ApprovalDecision& decision, core::Timestamp now) {
    if (auto ok = Require(actor, action::kApprovalDecide); !ok) return Forward(ok);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto found = ReadApprovals("WHERE id = ?1", approvalId, now);
    if (!found) return Forward(found);
    if (found->empty()) return core::Fail(ErrorCode::NotFound, "no approval " + std::string(approvalId));
    const admin::Approval before = found->front();
    if (auto ok = admin::CheckDecision(before, decision); !ok) return Forward(ok);
    admin::Approval after = before;
    after.state = decision.approve ? admin::ApprovalState::Approved : admin::ApprovalState::Refused;
    after.decidedBy = actor.id;
    after.decidedAt = now;
    after.decisionReason = decision.reason;
    auto update = m_db.Cached(
        "UPDATE approvals SET state = ?2, decided_by = ?3, decided_at = ?4, decision_reason = ?5 WHERE id = ?1");
    if (!update) return Forward(update);
    update->Bind(1, after.id)
        .Bind(2, admin::ToString(after.state))
        .Bind(3, after.decidedBy)
        .Bind(4, core::FormatTimestamp(now))
        .Bind(5, after.decisionReason);
    if (auto ok = update->Run(); !ok) return Forward(ok);
    if (auto ok = WriteAudit(m_db, {actor, now, action::kApprovalDecide, "approval", after.id, JsonText(ApprovalJson(before)),
                             JsonText(ApprovalJson(after))});
        !ok) {
        return Forward(ok);
    }
    if (auto ok = QueueRecord(m_db, "approval", ApprovalJson(after), now); !ok) return Forward(ok);
    auto ticket = LoadTicket(after.ticketNumber);
    if (!ticket) return Forward(ticket);
    // Staff may have moved the ticket on by hand meanwhile; then the decision is recorded only.
    if (ticket->status == "awaiting_approval") {
        core::TicketEvent event;
        event.kind = core::EventKind::StatusChanged;
        event.actor = actor;
        event.at = now;
        event.toStatus = admin::NextStatusAfter(decision);
        event.note = std::string(decision.approve ? "approved: " : "refused: ") + decision.reason;
        if (auto moved = AppendEvent(ticket->number, std::move(event), action::kTicketTransition); !moved) {
            return Forward(moved);
        }
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::WithCountdown(std::move(after), now);
}

}  // namespace kiosk::storage
