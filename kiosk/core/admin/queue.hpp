// The admin queue: a ticket's countdown and colour from its SLA clocks, and the urgency order.
#pragma once

#include <span>
#include <vector>

#include "kiosk/core/admin/admin_port.hpp"
#include "kiosk/core/sla.hpp"

namespace kiosk::core::admin {

// The clock the countdown follows: first response until it is met or stopped, then resolution.
const SlaClock& LeadingClock(const SlaStatus& status);
Urgency UrgencyOf(SlaState state);

// Fills the SLA fields of `item` (states, due times, nextDue, remaining, urgency, breached, paused).
void ApplySla(QueueItem& item, const SlaStatus& status, Timestamp now);

// Breached first (most overdue first), then running clocks by least time remaining, then paused and
// clock-less items; ties and the last group oldest first, then by number so the order is total.
bool QueueBefore(const QueueItem& a, const QueueItem& b);
void SortQueue(std::vector<QueueItem>& items);

// Whether an item passes the filter's type/status/assignee/breached/closed tests (`terminal`: its
// status is terminal). The search text is matched by the store, which knows phones and serials.
bool PassesFilter(const QueueItem& item, bool terminal, const QueueFilter& filter);

}  // namespace kiosk::core::admin
