// SLA engine: targets per (ticket type, customer tier) as data, measured on the business calendar,
// with the clock paused while a ticket waits for the customer or for parts.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "kiosk/core/business_calendar.hpp"
#include "kiosk/core/customer.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core {

enum class SlaBasis {
    Business,  // only opening hours count (e.g. "complaint acknowledged within 30 minutes")
    Calendar,  // wall-clock time counts; a due time outside opening hours moves to the next opening
};

struct SlaTarget {
    TicketType type = TicketType::Repair;
    Tier tier = Tier::New;
    std::chrono::minutes firstResponse{0};
    SlaBasis firstResponseBasis = SlaBasis::Business;
    std::chrono::minutes resolution{0};
    SlaBasis resolutionBasis = SlaBasis::Calendar;
};

struct SlaPolicy {
    std::vector<SlaTarget> targets;
    // A running clock is "at risk" when less than this share of its target remains.
    double atRiskFraction = 0.25;

    const SlaTarget* Find(TicketType type, Tier tier) const;
};

// Checks that every (type, tier) pair has exactly one target and that targets are positive.
Result<void> ValidateSlaPolicy(const SlaPolicy& policy);

enum class SlaState {
    OnTrack,
    AtRisk,
    Breached,   // running and past due (also while paused, when the breach came first)
    Paused,     // waiting for the customer or parts
    MetOnTime,
    MetLate,    // done, but after the due time (counted as a breach in reports)
    Stopped,    // cancelled or rejected before it was met: not counted
};
std::string_view ToString(SlaState state);

struct SlaClock {
    SlaState state = SlaState::OnTrack;
    std::chrono::seconds target{0};
    std::chrono::seconds consumed{0};          // counted time so far (or until met), pauses excluded
    // The deadline: when a running clock breaches (or breached); for a met clock, the deadline it was
    // measured against. Unknown while paused, once stopped, or when the calendar never opens.
    std::optional<Timestamp> due;
    std::optional<Timestamp> metAt;
};

struct SlaStatus {
    SlaClock firstResponse;
    SlaClock resolution;

    // Either clock breached or met late: the ticket counts as a breach in the queue and the reports.
    bool Breached() const;
};

// Evaluates a ticket's two clocks at `now` from its events (status changes give the pauses, first
// response and resolution; see StatusInfo). Events after `now` are not counted yet, and an event
// stamped earlier than the one before it counts at that one's time. Fails with NotFound when the policy
// has no target for the ticket's type and tier, InvalidInput when the events are empty or do not start
// with the ticket's creation.
Result<SlaStatus> EvaluateSla(const SlaPolicy& policy, const BusinessCalendar& calendar, const Lifecycle& lifecycle,
                              TicketType type, Tier tier, std::span<const TicketEvent> events, Timestamp now);

}  // namespace kiosk::core
