// Ticket lifecycle as data: statuses, which transitions each ticket type allows and which roles may
// make them; plus the projection of a ticket from its events.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"
#include "kiosk/core/staff.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core {

struct StatusInfo {
    std::string id;               // "submitted", "received", ...
    LocalizedText label;
    bool terminal = false;        // closed, rejected, cancelled: no transition leaves it
    bool pausesSla = false;       // awaiting parts / customer: the SLA clock stops
    bool firstResponse = false;   // entering it counts as the first response
    bool resolves = false;        // entering it counts as resolution
};

struct TransitionRule {
    std::string flow;             // "standard" or "short"
    std::string from;
    std::string to;
    std::vector<Role> roles;      // who may make it
};

struct Lifecycle {
    std::vector<StatusInfo> statuses;
    std::string initialStatus = "submitted";
    // Which flow each ticket type follows (return, exchange, repair -> standard; complaint, inquiry -> short).
    std::vector<std::pair<TicketType, std::string>> flows;
    std::vector<TransitionRule> transitions;

    const StatusInfo* FindStatus(std::string_view id) const;
    std::string_view FlowOf(TicketType type) const;

    // Ok when `role` may move a ticket of `type` from `from` to `to`. Fails with InvalidInput for an
    // unknown status, Conflict when the flow has no such transition, Forbidden when the role may not.
    Result<void> CheckTransition(TicketType type, std::string_view from, std::string_view to, Role role) const;
    // The statuses `role` may move a ticket of `type` to from `from`, in table order.
    std::vector<std::string> NextStatuses(TicketType type, std::string_view from, Role role) const;
};

// Checks internal consistency: unique status ids, the initial status exists, every transition names
// known statuses and flows, no transition leaves a terminal status, every ticket type has a flow.
Result<void> ValidateLifecycle(const Lifecycle& lifecycle);

// Applies one event to a ticket. The first event must be Created; transitions are checked against the
// lifecycle. Fails with Corrupt when the events do not form a valid history.
Result<void> ApplyEvent(Ticket& ticket, const TicketEvent& event, const Lifecycle& lifecycle);
Result<Ticket> ProjectTicket(std::span<const TicketEvent> events, const Lifecycle& lifecycle);

}  // namespace kiosk::core
