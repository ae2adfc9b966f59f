// Approval thresholds, deadlines and decision checks.
#include "kiosk/core/admin/approval.hpp"

namespace kiosk::core::admin {

bool NeedsApproval(ApprovalKind kind, Money amount, Money threshold) {
    return kind == ApprovalKind::PolicyException || amount > threshold;
}

Timestamp ApprovalDeadline(Timestamp requestedAt, std::chrono::minutes window) {
    return requestedAt + window;
}

Approval WithCountdown(Approval approval, Timestamp now) {
    approval.remaining = std::chrono::duration_cast<std::chrono::seconds>(approval.deadline - now);
    approval.overdue = approval.state == ApprovalState::Pending && now >= approval.deadline;
    return approval;
}

Result<void> ValidateApprovalRequest(const ApprovalRequest& request) {
    if (request.ticketNumber.empty()) return Fail(ErrorCode::InvalidInput, "an approval request names no ticket");
    if (request.reason.empty()) {
        return Fail(ErrorCode::InvalidInput, "the approval request for " + request.ticketNumber + " gives no reason");
    }
    if (request.amount < 0) {
        return Fail(ErrorCode::InvalidInput, "the approval request for " + request.ticketNumber +
                                                 " has a negative amount");
    }
    if (request.kind == ApprovalKind::Refund && request.amount == 0) {
        return Fail(ErrorCode::InvalidInput, "the refund approval for " + request.ticketNumber + " has no amount");
    }
    return {};
}

Result<void> CheckDecision(const Approval& approval, const ApprovalDecision& decision) {
    if (approval.state != ApprovalState::Pending) {
        return Fail(ErrorCode::Conflict, "approval " + approval.id + " for " + approval.ticketNumber + " is already " +
                                             std::string(ToString(approval.state)));
    }
    if (decision.reason.empty()) {
        return Fail(ErrorCode::InvalidInput, "the decision on approval " + approval.id + " gives no reason");
    }
    return {};
}

std::string NextStatusAfter(const ApprovalDecision& decision) {
    if (!decision.nextStatus.empty()) return decision.nextStatus;
    return decision.approve ? "in_repair" : "diagnosing";
}

}  // namespace kiosk::core::admin
