// Pure admin rules: the roles table, lockout delays, queue urgency and order, approvals, settings checks.
#include <catch2/catch.hpp>

#include "admin_test_support.hpp"
#include "kiosk/core/admin/approval.hpp"
#include "kiosk/core/admin/lockout.hpp"
#include "kiosk/core/admin/queue.hpp"

using namespace kiosk;
using namespace kiosk::core::admin;
using namespace kiosk::admin_test;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_CASE("the shipped roles table: a clerk cannot approve, only a supervisor may exit", "[admin]") {
    const RoleTable& roles = Roles();
    CHECK_FALSE(roles.Allows(core::Role::Clerk, action::kApprovalDecide));
    CHECK_FALSE(roles.Allows(core::Role::Technician, action::kApprovalDecide));
    CHECK(roles.Allows(core::Role::Supervisor, action::kApprovalDecide));
    for (auto role : {core::Role::Clerk, core::Role::Technician, core::Role::Customer, core::Role::System}) {
        CHECK_FALSE(roles.Allows(role, action::kAppExit));
        CHECK_FALSE(roles.Allows(role, action::kSettingsEdit));
        CHECK_FALSE(roles.Allows(role, action::kStaffUnlock));
    }
    CHECK(roles.Allows(core::Role::Supervisor, action::kAppExit));
    CHECK(roles.Allows(core::Role::Clerk, action::kQueueView));
    // The supervisor may do everything there is.
    CHECK(roles.ActionsOf(core::Role::Supervisor).size() == action::kAll.size());

    auto denied = Require(roles, core::Actor{core::Role::Clerk, "E1004"}, action::kApprovalDecide);
    REQUIRE_FALSE(denied);
    CHECK(denied.error().code == core::ErrorCode::Forbidden);
    CHECK_THAT(denied.error().message, Catch::Contains("E1004") && Catch::Contains("approval.decide"));
    CHECK_FALSE(Require(roles, core::Actor{core::Role::Supervisor, ""}, action::kQueueView));
}

TEST_CASE("a roles file that grants too much or names unknown things is refused", "[admin]") {
    auto unknown = config::ParseRoles("[clerk]\nactions = [\"queue.view\", \"ticket.explode\"]\n", "roles.toml");
    REQUIRE_FALSE(unknown);
    CHECK_THAT(unknown.error().message, Catch::Contains("roles.toml") && Catch::Contains("ticket.explode"));

    auto exit = config::ParseRoles("[technician]\nactions = [\"app.exit\"]\n", "roles.toml");
    REQUIRE_FALSE(exit);
    CHECK_THAT(exit.error().message, Catch::Contains("only the supervisor"));

    auto role = config::ParseRoles("[customer]\nactions = []\n", "roles.toml");
    REQUIRE_FALSE(role);
    CHECK_THAT(role.error().message, Catch::Contains("customer"));

    auto typo = config::ParseRoles("[clerk]\naction = [\"queue.view\"]\n", "roles.toml");
    REQUIRE_FALSE(typo);
    CHECK(typo.error().code == core::ErrorCode::InvalidInput);

    auto ok = Ok(config::ParseRoles("[clerk]\nactions = [\"queue.view\"]\n", "roles.toml"));
    CHECK(ok.ActionsOf(core::Role::Clerk) == std::vector<std::string>{"queue.view"});
    CHECK(ok.ActionsOf(core::Role::Supervisor).empty());
}

TEST_CASE("lockout delays grow per failure past the free ones and are capped", "[admin]") {
    const LockoutPolicy policy{3, seconds{30}, 2, minutes{10}};
    CHECK(LockoutDelay(policy, 1) == seconds{0});
    CHECK(LockoutDelay(policy, 3) == seconds{0});
    CHECK(LockoutDelay(policy, 4) == seconds{30});
    CHECK(LockoutDelay(policy, 5) == seconds{60});
    CHECK(LockoutDelay(policy, 6) == seconds{120});
    CHECK(LockoutDelay(policy, 9) == minutes{10});   // 960 s capped at 600
    CHECK(LockoutDelay(policy, 500) == minutes{10});

    const auto t0 = At("2026-11-22T02:00:00Z");
    LockoutState state;
    for (int i = 0; i < 3; ++i) state = AfterFailure(policy, state, t0);
    CHECK_FALSE(IsLocked(state, t0));
    CHECK(FailuresBeforeLockout(policy, state, t0) == 0);
    state = AfterFailure(policy, state, t0);
    CHECK(IsLocked(state, t0));
    CHECK(*state.lockedUntil == t0 + seconds{30});
    CHECK_FALSE(IsLocked(state, t0 + seconds{30}));
}

namespace {

QueueItem Item(std::string number, Urgency urgency, seconds remaining, std::string_view created) {
    QueueItem item;
    item.number = std::move(number);
    item.urgency = urgency;
    item.remaining = remaining;
    item.createdAt = At(created);
    return item;
}

}  // namespace

TEST_CASE("the queue puts breaches first, then the least time left, paused and clock-less last", "[admin]") {
    std::vector<QueueItem> items{
        Item("none-old", Urgency::None, seconds{0}, "2026-11-20T00:00:00Z"),
        Item("green-far", Urgency::Green, hours{20}, "2026-11-22T00:00:00Z"),
        Item("paused", Urgency::Paused, seconds{0}, "2026-11-21T00:00:00Z"),
        Item("red-just", Urgency::Red, seconds{-60}, "2026-11-22T00:00:00Z"),
        Item("amber", Urgency::Amber, minutes{10}, "2026-11-22T00:00:00Z"),
        Item("red-long", Urgency::Red, hours{-5}, "2026-11-22T00:00:00Z"),
        Item("green-near", Urgency::Green, hours{2}, "2026-11-22T00:00:00Z"),
    };
    SortQueue(items);
    std::vector<std::string> order;
    for (const auto& item : items) order.push_back(item.number);
    CHECK(order ==
          std::vector<std::string>{"red-long", "red-just", "amber", "green-near", "green-far", "paused", "none-old"});
}

TEST_CASE("urgency follows the leading SLA clock", "[admin]") {
    const auto now = At("2026-11-22T02:00:00Z");
    core::SlaStatus status;
    status.firstResponse.state = core::SlaState::MetOnTime;
    status.resolution.state = core::SlaState::AtRisk;
    status.resolution.due = now + minutes{30};
    QueueItem item;
    ApplySla(item, status, now);
    CHECK(item.urgency == Urgency::Amber);
    CHECK(item.nextDue == now + minutes{30});
    CHECK(item.remaining == minutes{30});
    CHECK_FALSE(item.breached);

    status.firstResponse.state = core::SlaState::MetLate;
    status.resolution.state = core::SlaState::Paused;
    status.resolution.due.reset();
    ApplySla(item, status, now);
    CHECK(item.urgency == Urgency::Paused);
    CHECK(item.paused);
    CHECK(item.breached);  // the late first response still counts

    status.firstResponse.state = core::SlaState::Breached;
    status.firstResponse.due = now - minutes{5};
    ApplySla(item, status, now);
    CHECK(item.urgency == Urgency::Red);
    CHECK(item.remaining == minutes{-5});
}

TEST_CASE("approvals: thresholds, deadlines and decisions", "[admin]") {
    CHECK_FALSE(NeedsApproval(ApprovalKind::Refund, 100000, 100000));
    CHECK(NeedsApproval(ApprovalKind::Refund, 100001, 100000));
    CHECK(NeedsApproval(ApprovalKind::PolicyException, 0, 100000));

    const auto t0 = At("2026-11-22T02:00:00Z");
    Approval approval;
    approval.id = "a1";
    approval.deadline = ApprovalDeadline(t0, minutes{30});
    CHECK(approval.deadline == t0 + minutes{30});
    CHECK(WithCountdown(approval, t0 + minutes{10}).remaining == minutes{20});
    CHECK_FALSE(WithCountdown(approval, t0 + minutes{10}).overdue);
    CHECK(WithCountdown(approval, t0 + minutes{31}).overdue);

    CHECK_FALSE(ValidateApprovalRequest(ApprovalRequest{"T1", ApprovalKind::Refund, 0, "broken"}));
    CHECK_FALSE(ValidateApprovalRequest(ApprovalRequest{"T1", ApprovalKind::Refund, 5000, ""}));
    CHECK(ValidateApprovalRequest(ApprovalRequest{"T1", ApprovalKind::PolicyException, 0, "water damage, goodwill"}));

    CHECK_FALSE(CheckDecision(approval, ApprovalDecision{true, "", ""}));
    CHECK(CheckDecision(approval, ApprovalDecision{true, "ok", ""}));
    approval.state = ApprovalState::Refused;
    auto again = CheckDecision(approval, ApprovalDecision{true, "ok", ""});
    REQUIRE_FALSE(again);
    CHECK(again.error().code == core::ErrorCode::Conflict);
    CHECK(NextStatusAfter(ApprovalDecision{true, "ok", ""}) == "in_repair");
    CHECK(NextStatusAfter(ApprovalDecision{false, "no", ""}) == "diagnosing");
    CHECK(NextStatusAfter(ApprovalDecision{true, "ok", "ready_for_pickup"}) == "ready_for_pickup");
}

TEST_CASE("settings are validated field by field", "[admin]") {
    Settings good;
    good.storeName = "S012 Xujiahui";
    CHECK(ValidateSettings(good).empty());

    Settings bad = good;
    bad.storeName.clear();
    bad.customerIdleTimeout = seconds{5};
    bad.printerUri = "http://printer";
    bad.printerProfile = "Bad Profile";
    bad.escalationThreshold = -1;
    bad.approvalWindow = minutes{0};
    bad.storePhone = "call me";
    std::vector<std::string> fields;
    for (const FieldError& e : ValidateSettings(bad)) fields.push_back(e.field);
    CHECK(fields == std::vector<std::string>{"storeName", "storePhone", "customerIdleTimeout", "printerUri",
                                             "printerProfile", "escalationThreshold", "approvalWindow"});
}
