// SLA clocks from ticket events: business and calendar bases, pauses, breaches, met and stopped clocks.
#include <catch2/catch.hpp>

#include "kiosk/core/sla.hpp"
#include "support/timestamps.hpp"

using namespace kiosk::core;
using namespace std::chrono_literals;

namespace {

using kiosk::testing::At;

// Office hours Monday to Friday, Beijing time: a Friday-evening complaint waits for Monday.
BusinessCalendar WeekdayCalendar() {
    BusinessCalendar calendar;
    calendar.utcOffset = 8h;
    for (unsigned day = 1; day <= 5; ++day) calendar.weekly[day] = {{9h, 18h}};
    return calendar;
}

struct Flags {
    bool terminal = false;
    bool pausesSla = false;
    bool firstResponse = false;
    bool resolves = false;
};

StatusInfo Status(std::string id, Flags flags) {
    StatusInfo info;
    info.id = std::move(id);
    info.terminal = flags.terminal;
    info.pausesSla = flags.pausesSla;
    info.firstResponse = flags.firstResponse;
    info.resolves = flags.resolves;
    return info;
}

// Both flows of the standard lifecycle, reduced to what the SLA reads.
Lifecycle TestLifecycle() {
    Lifecycle lifecycle;
    lifecycle.statuses = {
        Status("submitted", {}),
        Status("received", {.firstResponse = true}),
        Status("diagnosing", {.firstResponse = true}),
        Status("awaiting_parts", {.pausesSla = true}),
        Status("awaiting_customer", {.pausesSla = true}),
        Status("in_repair", {}),
        Status("ready_for_pickup", {.resolves = true}),
        Status("in_progress", {.firstResponse = true}),
        Status("resolved", {.resolves = true}),
        Status("closed", {.terminal = true, .resolves = true}),
        Status("rejected", {.terminal = true}),
        Status("cancelled", {.terminal = true}),
    };
    return lifecycle;
}

SlaTarget Target(TicketType type, Tier tier, std::chrono::minutes firstResponse, std::chrono::minutes resolution) {
    // VIP halves (SPEC 3.4).
    const int divisor = tier == Tier::Vip ? 2 : 1;
    return SlaTarget{type, tier, firstResponse / divisor, SlaBasis::Business, resolution / divisor, SlaBasis::Calendar};
}

SlaPolicy TestPolicy() {
    SlaPolicy policy;
    for (Tier tier : {Tier::New, Tier::Returning, Tier::Vip}) {
        policy.targets.push_back(Target(TicketType::Return, tier, 1h, 72h));
        policy.targets.push_back(Target(TicketType::Exchange, tier, 1h, 72h));
        policy.targets.push_back(Target(TicketType::Repair, tier, 4h, 15 * 24h));
        policy.targets.push_back(Target(TicketType::Complaint, tier, 30min, 7 * 24h));
        policy.targets.push_back(Target(TicketType::Inquiry, tier, 2h, 48h));
    }
    return policy;
}

TicketEvent Created(std::string_view at) {
    TicketEvent event;
    event.ticketNumber = "S001-K1-260306-0001";
    event.kind = EventKind::Created;
    event.at = At(at);
    event.toStatus = "submitted";
    return event;
}

TicketEvent Moved(std::string_view from, std::string_view to, std::string_view at) {
    TicketEvent event;
    event.ticketNumber = "S001-K1-260306-0001";
    event.kind = EventKind::StatusChanged;
    event.at = At(at);
    event.fromStatus = from;
    event.toStatus = to;
    return event;
}

struct Fixture {
    SlaPolicy policy = TestPolicy();
    BusinessCalendar calendar = WeekdayCalendar();
    Lifecycle lifecycle = TestLifecycle();

    SlaStatus Evaluate(TicketType type, Tier tier, const std::vector<TicketEvent>& events, std::string_view now) const {
        auto status = EvaluateSla(policy, calendar, lifecycle, type, tier, events, At(now));
        REQUIRE(status);
        return *status;
    }
};

}  // namespace

TEST_CASE("A complaint filed just before Friday's closing is due on Monday morning", "[sla]") {
    const Fixture f;
    const std::vector events{Created("2026-03-06T17:50:00+08:00")};

    SlaStatus status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-06T17:55:00+08:00");
    CHECK(status.firstResponse.state == SlaState::OnTrack);
    CHECK(status.firstResponse.target == 30min);
    CHECK(status.firstResponse.consumed == 5min);
    CHECK(status.firstResponse.due == At("2026-03-09T09:20:00+08:00"));
    // Resolution counts calendar days: seven of them, ending during Friday's opening hours.
    CHECK(status.resolution.state == SlaState::OnTrack);
    CHECK(status.resolution.due == At("2026-03-13T17:50:00+08:00"));

    // The weekend does not count.
    status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-08T12:00:00+08:00");
    CHECK(status.firstResponse.state == SlaState::OnTrack);
    CHECK(status.firstResponse.consumed == 10min);
    CHECK(status.firstResponse.due == At("2026-03-09T09:20:00+08:00"));
}

TEST_CASE("A clock is at risk when less than the at-risk share of its target remains", "[sla]") {
    const Fixture f;
    const std::vector events{Created("2026-03-06T17:50:00+08:00")};
    // 7.5 of 30 minutes left: exactly a quarter, not yet less.
    SlaStatus status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-09T09:12:30+08:00");
    CHECK(status.firstResponse.state == SlaState::OnTrack);
    status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-09T09:13:00+08:00");
    CHECK(status.firstResponse.state == SlaState::AtRisk);
    CHECK(status.firstResponse.due == At("2026-03-09T09:20:00+08:00"));
}

TEST_CASE("A breached clock reports when it was due", "[sla]") {
    const Fixture f;
    const std::vector events{Created("2026-03-06T17:50:00+08:00")};
    const SlaStatus status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-09T10:00:00+08:00");
    CHECK(status.firstResponse.state == SlaState::Breached);
    CHECK(status.firstResponse.due == At("2026-03-09T09:20:00+08:00"));
    CHECK(status.firstResponse.consumed == 70min);
    CHECK(status.resolution.state == SlaState::OnTrack);
}

TEST_CASE("A first response is met on time or late", "[sla]") {
    const Fixture f;
    std::vector events{Created("2026-03-06T17:50:00+08:00"),
                       Moved("submitted", "in_progress", "2026-03-09T09:15:00+08:00")};
    SlaStatus status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-09T11:00:00+08:00");
    CHECK(status.firstResponse.state == SlaState::MetOnTime);
    CHECK(status.firstResponse.metAt == At("2026-03-09T09:15:00+08:00"));
    CHECK(status.firstResponse.consumed == 25min);
    CHECK(status.firstResponse.due == At("2026-03-09T09:20:00+08:00"));
    CHECK(status.resolution.state == SlaState::OnTrack);
    CHECK_FALSE(status.resolution.metAt.has_value());

    events[1] = Moved("submitted", "in_progress", "2026-03-09T09:45:00+08:00");
    status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-09T11:00:00+08:00");
    CHECK(status.firstResponse.state == SlaState::MetLate);
    CHECK(status.firstResponse.consumed == 55min);
    CHECK(status.firstResponse.due == At("2026-03-09T09:20:00+08:00"));

    // Resolving also answers: a complaint settled on the spot needs no separate acknowledgement.
    events[1] = Moved("submitted", "resolved", "2026-03-09T09:10:00+08:00");
    status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-09T11:00:00+08:00");
    CHECK(status.firstResponse.state == SlaState::MetOnTime);
    CHECK(status.resolution.state == SlaState::MetOnTime);
    CHECK(status.resolution.metAt == At("2026-03-09T09:10:00+08:00"));
}

TEST_CASE("Waiting for parts pauses the clock", "[sla]") {
    const Fixture f;
    const std::vector events{
        Created("2026-03-02T10:00:00+08:00"),  // Monday
        Moved("submitted", "received", "2026-03-02T10:30:00+08:00"),
        Moved("received", "diagnosing", "2026-03-02T11:00:00+08:00"),
        Moved("diagnosing", "awaiting_parts", "2026-03-03T10:00:00+08:00"),
        Moved("awaiting_parts", "in_repair", "2026-03-08T10:00:00+08:00"),
    };

    SlaStatus status = f.Evaluate(TicketType::Repair, Tier::New, events, "2026-03-05T10:00:00+08:00");
    CHECK(status.firstResponse.state == SlaState::MetOnTime);
    CHECK(status.firstResponse.consumed == 30min);
    CHECK(status.resolution.state == SlaState::Paused);
    CHECK(status.resolution.consumed == 24h);
    CHECK_FALSE(status.resolution.due.has_value());

    // One day before the parts came, one day after: 13 of 15 days left, ending on Sunday Mar 22 at
    // 10:00, when the store is closed, so the deadline moves to Monday's opening.
    status = f.Evaluate(TicketType::Repair, Tier::New, events, "2026-03-09T10:00:00+08:00");
    CHECK(status.resolution.state == SlaState::OnTrack);
    CHECK(status.resolution.consumed == 48h);
    CHECK(status.resolution.due == At("2026-03-23T09:00:00+08:00"));
}

TEST_CASE("A calendar-basis deadline at night moves to the next opening", "[sla]") {
    const Fixture f;
    // Two days from Friday 17:00 is Sunday 17:00; the store next opens on Monday at 09:00.
    std::vector events{Created("2026-03-06T17:00:00+08:00"),
                       Moved("submitted", "in_progress", "2026-03-06T17:10:00+08:00")};
    SlaStatus status = f.Evaluate(TicketType::Inquiry, Tier::New, events, "2026-03-08T20:00:00+08:00");
    CHECK(status.resolution.due == At("2026-03-09T09:00:00+08:00"));
    CHECK(status.resolution.consumed == 51h);
    CHECK(status.resolution.state == SlaState::AtRisk);

    status = f.Evaluate(TicketType::Inquiry, Tier::New, events, "2026-03-09T09:00:00+08:00");
    CHECK(status.resolution.state == SlaState::Breached);
    CHECK(status.resolution.due == At("2026-03-09T09:00:00+08:00"));

    events.push_back(Moved("in_progress", "resolved", "2026-03-09T09:00:00+08:00"));
    status = f.Evaluate(TicketType::Inquiry, Tier::New, events, "2026-03-09T12:00:00+08:00");
    CHECK(status.resolution.state == SlaState::MetOnTime);
}

TEST_CASE("A breach before a pause stays a breach", "[sla]") {
    const Fixture f;
    const std::vector events{
        Created("2026-03-02T10:00:00+08:00"),
        Moved("submitted", "in_progress", "2026-03-02T10:30:00+08:00"),
        Moved("in_progress", "awaiting_customer", "2026-03-05T10:00:00+08:00"),
    };
    const SlaStatus status = f.Evaluate(TicketType::Inquiry, Tier::New, events, "2026-03-06T10:00:00+08:00");
    CHECK(status.resolution.state == SlaState::Breached);
    CHECK(status.resolution.due == At("2026-03-04T10:00:00+08:00"));
    CHECK(status.resolution.consumed == 72h);
}

TEST_CASE("Cancelling or rejecting stops the clocks that are still running", "[sla]") {
    const Fixture f;
    std::vector events{Created("2026-03-09T10:00:00+08:00"),
                       Moved("submitted", "cancelled", "2026-03-09T10:05:00+08:00")};
    SlaStatus status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-20T10:00:00+08:00");
    CHECK(status.firstResponse.state == SlaState::Stopped);
    CHECK(status.firstResponse.consumed == 5min);
    CHECK_FALSE(status.firstResponse.due.has_value());
    CHECK_FALSE(status.firstResponse.metAt.has_value());
    CHECK(status.resolution.state == SlaState::Stopped);

    events = {Created("2026-03-09T10:00:00+08:00"), Moved("submitted", "received", "2026-03-09T10:20:00+08:00"),
              Moved("received", "rejected", "2026-03-09T11:00:00+08:00")};
    status = f.Evaluate(TicketType::Repair, Tier::New, events, "2026-03-20T10:00:00+08:00");
    CHECK(status.firstResponse.state == SlaState::MetOnTime);
    CHECK(status.resolution.state == SlaState::Stopped);
    CHECK(status.resolution.consumed == 1h);
}

TEST_CASE("VIP targets are half of a new customer's", "[sla]") {
    const Fixture f;
    const SlaTarget* vip = f.policy.Find(TicketType::Complaint, Tier::Vip);
    const SlaTarget* regular = f.policy.Find(TicketType::Complaint, Tier::New);
    REQUIRE(vip != nullptr);
    REQUIRE(regular != nullptr);
    CHECK(vip->firstResponse * 2 == regular->firstResponse);
    CHECK(vip->resolution * 2 == regular->resolution);

    const std::vector events{Created("2026-03-06T17:50:00+08:00")};
    const SlaStatus status = f.Evaluate(TicketType::Complaint, Tier::Vip, events, "2026-03-06T17:55:00+08:00");
    CHECK(status.firstResponse.target == 15min);
    CHECK(status.firstResponse.due == At("2026-03-09T09:05:00+08:00"));
}

TEST_CASE("Only status changes up to now count", "[sla]") {
    const Fixture f;
    TicketEvent note = Moved("", "", "2026-03-09T09:05:00+08:00");
    note.kind = EventKind::NoteAdded;
    const std::vector events{
        Created("2026-03-09T09:00:00+08:00"),
        note,
        Moved("submitted", "on_hold", "2026-03-09T09:10:00+08:00"),  // a status the table does not know
        Moved("on_hold", "in_progress", "2026-03-09T10:00:00+08:00"),
    };
    const SlaStatus status = f.Evaluate(TicketType::Complaint, Tier::New, events, "2026-03-09T09:40:00+08:00");
    // The note answers nothing, the unknown status pauses nothing, and the response lies in the future.
    CHECK(status.firstResponse.state == SlaState::Breached);
    CHECK(status.firstResponse.consumed == 40min);
    CHECK(status.firstResponse.due == At("2026-03-09T09:30:00+08:00"));
}

TEST_CASE("EvaluateSla fails on no events, a history without creation, or no target", "[sla]") {
    const Fixture f;
    const Timestamp now = At("2026-03-09T10:00:00+08:00");
    auto empty = EvaluateSla(f.policy, f.calendar, f.lifecycle, TicketType::Repair, Tier::New, {}, now);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == ErrorCode::InvalidInput);

    const std::vector headless{Moved("submitted", "received", "2026-03-09T09:00:00+08:00")};
    auto noStart = EvaluateSla(f.policy, f.calendar, f.lifecycle, TicketType::Repair, Tier::New, headless, now);
    REQUIRE_FALSE(noStart);
    CHECK(noStart.error().code == ErrorCode::InvalidInput);

    const std::vector events{Created("2026-03-09T09:00:00+08:00")};
    SlaPolicy partial = f.policy;
    std::erase_if(partial.targets, [](const SlaTarget& t) { return t.type == TicketType::Repair; });
    auto missing = EvaluateSla(partial, f.calendar, f.lifecycle, TicketType::Repair, Tier::Vip, events, now);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK_THAT(missing.error().message, Catch::Contains("repair") && Catch::Contains("vip"));
}

TEST_CASE("ValidateSlaPolicy wants one positive target per type and tier", "[sla]") {
    const SlaPolicy good = TestPolicy();
    CHECK(ValidateSlaPolicy(good));

    SlaPolicy missing = good;
    std::erase_if(missing.targets, [](const SlaTarget& t) {
        return t.type == TicketType::Inquiry && t.tier == Tier::Returning;
    });
    auto error = ValidateSlaPolicy(missing);
    REQUIRE_FALSE(error);
    CHECK_THAT(error.error().message, Catch::Contains("(inquiry, returning)"));

    SlaPolicy duplicated = good;
    duplicated.targets.push_back(duplicated.targets.front());
    error = ValidateSlaPolicy(duplicated);
    REQUIRE_FALSE(error);
    CHECK_THAT(error.error().message, Catch::Contains("2 SLA targets"));

    SlaPolicy zero = good;
    zero.targets.back().resolution = 0min;
    CHECK_FALSE(ValidateSlaPolicy(zero));

    SlaPolicy fraction = good;
    fraction.atRiskFraction = 1.0;
    CHECK_FALSE(ValidateSlaPolicy(fraction));
    fraction.atRiskFraction = -0.1;
    CHECK_FALSE(ValidateSlaPolicy(fraction));
    fraction.atRiskFraction = 0.0;
    CHECK(ValidateSlaPolicy(fraction));
}

TEST_CASE("SLA states have stable names", "[sla]") {
    CHECK(ToString(SlaState::OnTrack) == "on_track");
    CHECK(ToString(SlaState::AtRisk) == "at_risk");
    CHECK(ToString(SlaState::Breached) == "breached");
    CHECK(ToString(SlaState::Paused) == "paused");
    CHECK(ToString(SlaState::MetOnTime) == "met_on_time");
    CHECK(ToString(SlaState::MetLate) == "met_late");
    CHECK(ToString(SlaState::Stopped) == "stopped");
}
