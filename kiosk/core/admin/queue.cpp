// Queue urgency and ordering over the SLA engine's clocks.
#include "kiosk/core/admin/queue.hpp"

#include <algorithm>
#include <tuple>

namespace kiosk::core::admin {

namespace {

bool Running(SlaState state) {
    return state == SlaState::OnTrack || state == SlaState::AtRisk || state == SlaState::Breached;
}

// 0: breached, 1: running, 2: paused, 3: no clock.
int Group(const QueueItem& item) {
    switch (item.urgency) {
        case Urgency::Red: return 0;
        case Urgency::Amber:
        case Urgency::Green: return 1;
        case Urgency::Paused: return 2;
        case Urgency::None: return 3;
    }
    return 3;
}

}  // namespace

const SlaClock& LeadingClock(const SlaStatus& status) {
    if (Running(status.firstResponse.state) || status.firstResponse.state == SlaState::Paused) {
        return status.firstResponse;
    }
    return status.resolution;
}

Urgency UrgencyOf(SlaState state) {
    switch (state) {
        case SlaState::OnTrack: return Urgency::Green;
        case SlaState::AtRisk: return Urgency::Amber;
        case SlaState::Breached: return Urgency::Red;
        case SlaState::Paused: return Urgency::Paused;
        case SlaState::MetOnTime:
        case SlaState::MetLate:
        case SlaState::Stopped: return Urgency::None;
    }
    return Urgency::None;
}

void ApplySla(QueueItem& item, const SlaStatus& status, Timestamp now) {
    item.firstResponseState = status.firstResponse.state;
    item.resolutionState = status.resolution.state;
    item.firstResponseDue = status.firstResponse.due;
    item.resolutionDue = status.resolution.due;
    const SlaClock& leading = LeadingClock(status);
    item.urgency = UrgencyOf(leading.state);
    // A breached first response stays red even after the resolution clock takes over.
    if (status.firstResponse.state == SlaState::Breached || status.resolution.state == SlaState::Breached) {
        item.urgency = Urgency::Red;
    }
    item.paused = leading.state == SlaState::Paused;
    item.breached = status.Breached();
    item.nextDue = Running(leading.state) ? leading.due : std::nullopt;
    if (item.urgency == Urgency::Red && !item.nextDue) {
        item.nextDue = status.firstResponse.state == SlaState::Breached ? status.firstResponse.due
                                                                        : status.resolution.due;
    }
    item.remaining = item.nextDue ? std::chrono::duration_cast<std::chrono::seconds>(*item.nextDue - now)
                                  : std::chrono::seconds{0};
}

bool QueueBefore(const QueueItem& a, const QueueItem& b) {
    const int ga = Group(a);
    const int gb = Group(b);
    if (ga != gb) return ga < gb;
    if (ga <= 1 && a.remaining != b.remaining) return a.remaining < b.remaining;
    return std::tie(a.createdAt, a.number) < std::tie(b.createdAt, b.number);
}

void SortQueue(std::vector<QueueItem>& items) {
    std::ranges::sort(items, QueueBefore);
}

bool PassesFilter(const QueueItem& item, bool terminal, const QueueFilter& filter) {
    if (terminal && !filter.includeClosed) return false;
    if (filter.type && item.type != *filter.type) return false;
    if (filter.status && item.status != *filter.status) return false;
    if (filter.assignee && item.assignee != *filter.assignee) return false;
    if (filter.breachedOnly && !item.breached) return false;
    return true;
}

}  // namespace kiosk::core::admin
