// Escalation rules: which requests need a supervisor, by when, and how a decision is checked.
#pragma once

#include <chrono>

#include "kiosk/core/admin/admin_port.hpp"

namespace kiosk::core::admin {

// A refund above the threshold needs approval; a policy exception always does.
bool NeedsApproval(ApprovalKind kind, Money amount, Money threshold);
Timestamp ApprovalDeadline(Timestamp requestedAt, std::chrono::minutes window);
// Fills `remaining` and `overdue` for `now`.
Approval WithCountdown(Approval approval, Timestamp now);
// InvalidInput for an empty reason, a negative amount, or a refund of nothing.
Result<void> ValidateApprovalRequest(const ApprovalRequest& request);
// InvalidInput without a reason; Conflict when the approval is already decided.
Result<void> CheckDecision(const Approval& approval, const ApprovalDecision& decision);
// The status a decided ticket moves to: the decision's own, or the default for its outcome.
std::string NextStatusAfter(const ApprovalDecision& decision);

}  // namespace kiosk::core::admin
