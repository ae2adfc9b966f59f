// Transition checks per role and the projection of tickets from their events.
#include <catch2/catch.hpp>

#include "kiosk/core/lifecycle.hpp"

using namespace kiosk::core;

namespace {

Lifecycle SmallLifecycle() {
    Lifecycle l;
    auto status = [](const char* id, bool terminal = false, bool pauses = false, bool first = false,
                     bool resolves = false) {
        return StatusInfo{id, LocalizedText{id, id, id}, terminal, pauses, first, resolves};
    };
    l.statuses = {status("submitted"), status("received", false, false, true), status("awaiting_parts", false, true),
                  status("ready_for_pickup", false, false, false, true), status("closed", true, false, false, true),
                  status("cancelled", true), status("in_progress", false, false, true),
                  status("resolved", false, false, false, true)};
    l.flows = {{TicketType::Return, "standard"}, {TicketType::Exchange, "standard"}, {TicketType::Repair, "standard"},
               {TicketType::Complaint, "short"}, {TicketType::Inquiry, "short"}};
    const std::vector<Role> staff{Role::Clerk, Role::Technician, Role::Supervisor};
    l.transitions = {
        {"standard", "submitted", "received", staff},
        {"standard", "received", "awaiting_parts", {Role::Technician, Role::Supervisor}},
        {"standard", "awaiting_parts", "ready_for_pickup", {Role::Technician, Role::Supervisor}},
        {"standard", "received", "ready_for_pickup", {Role::Technician, Role::Supervisor}},
        {"standard", "ready_for_pickup", "closed", staff},
        {"standard", "submitted", "cancelled", {Role::Customer, Role::Clerk, Role::Supervisor}},
        {"short", "submitted", "in_progress", staff},
        {"short", "in_progress", "resolved", staff},
        {"short", "resolved", "closed", staff},
    };
    return l;
}

Timestamp At(const char* text) { return ParseTimestamp(text).value(); }

TicketEvent Created(const char* number, TicketType type, const char* at) {
    TicketEvent e;
    e.id = std::string("e-") + at;
    e.ticketNumber = number;
    e.kind = EventKind::Created;
    e.actor = Actor{Role::Customer, "customer"};
    e.at = At(at);
    e.toStatus = "submitted";
    NewTicket filed;
    filed.type = type;
    filed.serial = "SN1";
    e.created = filed;
    return e;
}

TicketEvent Moved(const char* number, const char* from, const char* to, const char* at, Role role = Role::Technician) {
    TicketEvent e;
    e.id = std::string("e-") + at;
    e.ticketNumber = number;
    e.kind = EventKind::StatusChanged;
    e.actor = Actor{role, "E1"};
    e.at = At(at);
    e.fromStatus = from;
    e.toStatus = to;
    return e;
}

}  // namespace

TEST_CASE("a hand-built lifecycle validates", "[lifecycle]") { CHECK(ValidateLifecycle(SmallLifecycle())); }

TEST_CASE("transitions are checked against the ticket type's flow and the role", "[lifecycle]") {
    const Lifecycle l = SmallLifecycle();
    CHECK(l.CheckTransition(TicketType::Repair, "submitted", "received", Role::Clerk));
    CHECK(l.CheckTransition(TicketType::Repair, "received", "awaiting_parts", Role::Clerk).error().code ==
          ErrorCode::Forbidden);
    auto wrongFlow = l.CheckTransition(TicketType::Complaint, "submitted", "received", Role::Clerk);
    REQUIRE_FALSE(wrongFlow);
    CHECK(wrongFlow.error().code == ErrorCode::Conflict);
    CHECK_THAT(wrongFlow.error().message, Catch::Contains("allowed: in_progress"));
    CHECK(l.CheckTransition(TicketType::Repair, "closed", "received", Role::Supervisor).error().code ==
          ErrorCode::Conflict);
    CHECK(l.CheckTransition(TicketType::Repair, "submitted", "nowhere", Role::Supervisor).error().code ==
          ErrorCode::InvalidInput);
    CHECK(l.CheckTransition(TicketType::Repair, "submitted", "cancelled", Role::Customer));
    CHECK(l.NextStatuses(TicketType::Repair, "received", Role::Technician) ==
          std::vector<std::string>{"awaiting_parts", "ready_for_pickup"});
    CHECK(l.NextStatuses(TicketType::Repair, "received", Role::Clerk).empty());
}

TEST_CASE("validation rejects inconsistent tables", "[lifecycle]") {
    Lifecycle l = SmallLifecycle();
    l.transitions.push_back({"standard", "closed", "received", {Role::Supervisor}});
    CHECK_THAT(ValidateLifecycle(l).error().message, Catch::Contains("leaves a terminal status"));

    l = SmallLifecycle();
    l.initialStatus = "new";
    CHECK_THAT(ValidateLifecycle(l).error().message, Catch::Contains("initial status"));

    l = SmallLifecycle();
    l.flows.pop_back();
    CHECK_THAT(ValidateLifecycle(l).error().message, Catch::Contains("'inquiry' has no flow"));

    l = SmallLifecycle();
    l.statuses.push_back(l.statuses.front());
    CHECK_THAT(ValidateLifecycle(l).error().message, Catch::Contains("defined twice"));
}

TEST_CASE("a ticket is the projection of its events", "[lifecycle]") {
    const Lifecycle l = SmallLifecycle();
    std::vector<TicketEvent> events{Created("T-1", TicketType::Repair, "2026-11-22T02:00:00Z"),
                                    Moved("T-1", "submitted", "received", "2026-11-22T02:10:00Z"),
                                    Moved("T-1", "received", "awaiting_parts", "2026-11-22T03:00:00Z"),
                                    Moved("T-1", "awaiting_parts", "ready_for_pickup", "2026-11-25T03:00:00Z")};
    TicketEvent note;
    note.id = "n1";
    note.ticketNumber = "T-1";
    note.kind = EventKind::NoteAdded;
    note.at = At("2026-11-23T01:00:00Z");
    note.note = "screen ordered";
    events.insert(events.begin() + 3, note);
    TicketEvent channel = note;
    channel.id = "c1";
    channel.kind = EventKind::ChannelSet;
    channel.value = "authorised_centre";
    events.insert(events.begin() + 4, channel);

    auto ticket = ProjectTicket(events, l);
    REQUIRE(ticket);
    CHECK(ticket->number == "T-1");
    CHECK(ticket->status == "ready_for_pickup");
    CHECK(ticket->filed.serial == "SN1");
    CHECK(ticket->firstResponseAt == At("2026-11-22T02:10:00Z"));
    CHECK(ticket->resolvedAt == At("2026-11-25T03:00:00Z"));
    CHECK(ticket->notes == std::vector<std::string>{"screen ordered"});
    CHECK(ticket->channel == ServiceChannel::AuthorisedCentre);
    CHECK(ticket->eventCount == 6);
    CHECK(ticket->createdAt == At("2026-11-22T02:00:00Z"));
    CHECK(ticket->updatedAt == At("2026-11-25T03:00:00Z"));
}

TEST_CASE("an inconsistent history is reported as corrupt", "[lifecycle]") {
    const Lifecycle l = SmallLifecycle();
    std::vector<TicketEvent> skipped{Created("T-1", TicketType::Repair, "2026-11-22T02:00:00Z"),
                                     Moved("T-1", "received", "ready_for_pickup", "2026-11-22T03:00:00Z")};
    auto result = ProjectTicket(skipped, l);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::Corrupt);
    CHECK_THAT(result.error().message, Catch::Contains("ticket is 'submitted'"));

    std::vector<TicketEvent> noCreate{Moved("T-1", "submitted", "received", "2026-11-22T03:00:00Z")};
    CHECK(ProjectTicket(noCreate, l).error().code == ErrorCode::Corrupt);

    std::vector<TicketEvent> foreign{Created("T-1", TicketType::Repair, "2026-11-22T02:00:00Z"),
                                     Moved("T-2", "submitted", "received", "2026-11-22T03:00:00Z")};
    CHECK_THAT(ProjectTicket(foreign, l).error().message, Catch::Contains("another ticket"));
    CHECK(ProjectTicket({}, l).error().code == ErrorCode::InvalidInput);
}
