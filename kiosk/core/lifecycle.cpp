// Transition checks over the lifecycle table, and the projection of a ticket from its events.
#include "kiosk/core/lifecycle.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace kiosk::core {

const StatusInfo* Lifecycle::FindStatus(std::string_view id) const {
    auto it = std::find_if(statuses.begin(), statuses.end(), [&](const StatusInfo& s) { return s.id == id; });
    return it == statuses.end() ? nullptr : &*it;
}

std::string_view Lifecycle::FlowOf(TicketType type) const {
    for (const auto& [t, flow] : flows) {
        if (t == type) return flow;
    }
    return {};
}

Result<void> Lifecycle::CheckTransition(TicketType type, std::string_view from, std::string_view to,
                                        Role role) const {
    for (std::string_view status : {from, to}) {
        if (FindStatus(status) == nullptr) {
            return Fail(ErrorCode::InvalidInput, "unknown status '" + std::string(status) + "'");
        }
    }
    const std::string_view flow = FlowOf(type);
    const TransitionRule* rule = nullptr;
    for (const TransitionRule& r : transitions) {
        if (r.flow == flow && r.from == from && r.to == to) rule = &r;
    }
    if (rule == nullptr) {
        std::string allowed;
        for (const TransitionRule& r : transitions) {
            if (r.flow == flow && r.from == from) allowed += (allowed.empty() ? "" : ", ") + r.to;
        }
        return Fail(ErrorCode::Conflict, "a " + std::string(ToString(type)) + " ticket cannot go from '" +
                                             std::string(from) + "' to '" + std::string(to) + "'" +
                                             (allowed.empty() ? std::string(" (no transition leaves it)")
                                                              : " (allowed: " + allowed + ")"));
    }
    if (std::find(rule->roles.begin(), rule->roles.end(), role) == rule->roles.end()) {
        return Fail(ErrorCode::Forbidden, "a " + std::string(ToString(role)) + " may not move a ticket from '" +
                                              std::string(from) + "' to '" + std::string(to) + "'");
    }
    return {};
}

std::vector<std::string> Lifecycle::NextStatuses(TicketType type, std::string_view from, Role role) const {
    std::vector<std::string> next;
    const std::string_view flow = FlowOf(type);
    for (const TransitionRule& r : transitions) {
        if (r.flow == flow && r.from == from && std::find(r.roles.begin(), r.roles.end(), role) != r.roles.end()) {
            next.push_back(r.to);
        }
    }
    return next;
}

Result<void> ValidateLifecycle(const Lifecycle& lifecycle) {
    std::set<std::string> ids;
    for (const StatusInfo& s : lifecycle.statuses) {
        if (s.id.empty()) return Fail(ErrorCode::InvalidInput, "a status has an empty id");
        if (!ids.insert(s.id).second) return Fail(ErrorCode::InvalidInput, "status '" + s.id + "' is defined twice");
    }
    if (lifecycle.FindStatus(lifecycle.initialStatus) == nullptr) {
        return Fail(ErrorCode::InvalidInput, "the initial status '" + lifecycle.initialStatus + "' is not defined");
    }
    std::set<std::string> flows;
    for (TicketType type : {TicketType::Return, TicketType::Exchange, TicketType::Repair, TicketType::Complaint,
                            TicketType::Inquiry}) {
        const std::string_view flow = lifecycle.FlowOf(type);
        if (flow.empty()) {
            return Fail(ErrorCode::InvalidInput, "ticket type '" + std::string(ToString(type)) + "' has no flow");
        }
        flows.insert(std::string(flow));
    }
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (const TransitionRule& r : lifecycle.transitions) {
        const std::string name = r.flow + ": " + r.from + " -> " + r.to;
        if (!flows.contains(r.flow)) {
            return Fail(ErrorCode::InvalidInput, "transition " + name + " names a flow no ticket type uses");
        }
        const StatusInfo* from = lifecycle.FindStatus(r.from);
        if (from == nullptr || lifecycle.FindStatus(r.to) == nullptr) {
            return Fail(ErrorCode::InvalidInput, "transition " + name + " names an unknown status");
        }
        if (from->terminal) {
            return Fail(ErrorCode::InvalidInput, "transition " + name + " leaves a terminal status");
        }
        if (r.roles.empty()) return Fail(ErrorCode::InvalidInput, "transition " + name + " allows no role");
        if (!seen.insert({r.flow, r.from, r.to}).second) {
            return Fail(ErrorCode::InvalidInput, "transition " + name + " is listed twice");
        }
    }
    return {};
}

Result<void> ApplyEvent(Ticket& ticket, const TicketEvent& event, const Lifecycle& lifecycle) {
    auto corrupt = [&](const std::string& why) {
        return Fail(ErrorCode::Corrupt, "event " + event.id + " of ticket " + event.ticketNumber + ": " + why);
    };
    if (ticket.eventCount == 0) {
        if (event.kind != EventKind::Created || !event.created) return corrupt("the first event is not 'created'");
        if (lifecycle.FindStatus(event.toStatus) == nullptr) return corrupt("unknown status '" + event.toStatus + "'");
        ticket = Ticket{};
        ticket.number = event.ticketNumber;
        ticket.filed = *event.created;
        ticket.status = event.toStatus;
        ticket.createdAt = event.at;
        ticket.updatedAt = event.at;
        ticket.eventCount = 1;
        return {};
    }
    if (event.ticketNumber != ticket.number) return corrupt("belongs to another ticket");
    switch (event.kind) {
        case EventKind::Created:
            return corrupt("a second 'created' event");
        case EventKind::StatusChanged: {
            if (event.fromStatus != ticket.status) {
                return corrupt("moves from '" + event.fromStatus + "' but the ticket is '" + ticket.status + "'");
            }
            const StatusInfo* to = lifecycle.FindStatus(event.toStatus);
            if (to == nullptr) return corrupt("unknown status '" + event.toStatus + "'");
            ticket.status = to->id;
            if ((to->firstResponse || to->resolves) && !ticket.firstResponseAt) ticket.firstResponseAt = event.at;
            if (to->resolves && !ticket.resolvedAt) ticket.resolvedAt = event.at;
            if (!event.note.empty()) ticket.notes.push_back(event.note);
            break;
        }
        case EventKind::NoteAdded:
            ticket.notes.push_back(event.note);
            break;
        case EventKind::Assigned:
            ticket.assignee = event.value;
            break;
        case EventKind::ChannelSet: {
            auto channel = ParseServiceChannel(event.value);
            if (!channel) return corrupt("unknown service channel '" + event.value + "'");
            ticket.channel = channel;
            break;
        }
        case EventKind::Rated:
            if (event.value.size() != 1 || event.value[0] < '1' || event.value[0] > '5') {
                return corrupt("a rating of '" + event.value + "', not 1 to 5");
            }
            break;
        case EventKind::ScriptUsed:
            if (event.value.empty()) return corrupt("a script use without the script's id");
            break;
        case EventKind::Attached:
            if (event.attachments.empty() || event.attachments.size() > kMaxAttachmentsPerEvent) {
                return corrupt("an attachment event with " + std::to_string(event.attachments.size()) + " files");
            }
            for (const Attachment& a : event.attachments) {
                if (auto ok = ValidateAttachment(a); !ok) return corrupt(ok.error().message);
            }
            break;
    }
    ticket.updatedAt = event.at;
    ++ticket.eventCount;
    return {};
}

Result<Ticket> ProjectTicket(std::span<const TicketEvent> events, const Lifecycle& lifecycle) {
    if (events.empty()) return Fail(ErrorCode::InvalidInput, "a ticket needs at least its 'created' event");
    Ticket ticket;
    for (const TicketEvent& event : events) {
        if (auto applied = ApplyEvent(ticket, event, lifecycle); !applied) return std::unexpected(applied.error());
    }
    return ticket;
}

}  // namespace kiosk::core
