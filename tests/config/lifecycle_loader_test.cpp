// The lifecycle data file: the shipped table and the errors a broken one produces.
#include <catch2/catch.hpp>

#include "kiosk/config/lifecycle_loader.hpp"

using namespace kiosk;
using core::Role;
using core::TicketType;

TEST_CASE("the shipped lifecycle loads and encodes the standard and short paths", "[lifecycle-config]") {
    auto lifecycle = config::LoadLifecycleFile(KIOSK_TEST_ASSET_DIR "/lifecycle.toml");
    REQUIRE(lifecycle);
    const std::vector<std::pair<const char*, const char*>> standardPath{
        {"submitted", "received"}, {"received", "diagnosing"}, {"diagnosing", "awaiting_approval"},
        {"awaiting_approval", "in_repair"}, {"in_repair", "awaiting_parts"}, {"awaiting_parts", "in_repair"},
        {"in_repair", "ready_for_pickup"}, {"ready_for_pickup", "closed"}};
    for (auto [from, to] : standardPath) {
        INFO(from << " -> " << to);
        CHECK(lifecycle->CheckTransition(TicketType::Repair, from, to, Role::Supervisor));
    }
    for (auto [from, to] : std::vector<std::pair<const char*, const char*>>{
             {"submitted", "in_progress"}, {"in_progress", "resolved"}, {"resolved", "closed"}}) {
        INFO(from << " -> " << to);
        CHECK(lifecycle->CheckTransition(TicketType::Complaint, from, to, Role::Clerk));
    }
    // Only a supervisor approves an escalation.
    CHECK(lifecycle->CheckTransition(TicketType::Return, "awaiting_approval", "ready_for_pickup", Role::Technician)
              .error().code == core::ErrorCode::Forbidden);
    // A customer may cancel only what nobody has touched yet.
    CHECK(lifecycle->CheckTransition(TicketType::Repair, "submitted", "cancelled", Role::Customer));
    CHECK_FALSE(lifecycle->CheckTransition(TicketType::Repair, "received", "cancelled", Role::Customer));
    // Every open status can be cancelled by a supervisor.
    for (const core::StatusInfo& s : lifecycle->statuses) {
        if (s.terminal || s.id == "in_progress" || s.id == "resolved" || s.id == "ready_for_pickup") continue;
        INFO(s.id);
        CHECK(lifecycle->CheckTransition(TicketType::Repair, s.id, "cancelled", Role::Supervisor));
    }
    CHECK(lifecycle->FindStatus("awaiting_parts")->pausesSla);
    CHECK(lifecycle->FindStatus("awaiting_customer")->pausesSla);
    CHECK(lifecycle->FindStatus("closed")->terminal);
    CHECK(lifecycle->FindStatus("diagnosing")->label.zhHant == "檢測中");
}

TEST_CASE("a broken lifecycle file is rejected with its position", "[lifecycle-config]") {
    const std::string head = R"(initial_status = "submitted"
[flows]
return = "standard"
exchange = "standard"
repair = "standard"
complaint = "standard"
inquiry = "standard"
[[status]]
id = "submitted"
label = { zh-Hans = "已提交", zh-Hant = "已提交", en = "Submitted" }
[[status]]
id = "closed"
label = { zh-Hans = "已结案", zh-Hant = "已結案", en = "Closed" }
terminal = true
)";
    REQUIRE(config::ParseLifecycle(head, "t.toml"));

    auto unknownRole = config::ParseLifecycle(
        head + "[[transition]]\nflow = \"standard\"\nfrom = \"submitted\"\nto = \"closed\"\nroles = [\"boss\"]\n", "t.toml");
    REQUIRE_FALSE(unknownRole);
    CHECK_THAT(unknownRole.error().message, Catch::StartsWith("t.toml:19:") && Catch::Contains("unknown role 'boss'"));

    auto typo = config::ParseLifecycle(head + "[[status]]\nid = \"x\"\nlabel = { zh-Hans = \"x\", zh-Hant = \"x\", en = \"x\" }\npause_sla = true\n", "t.toml");
    CHECK_THAT(typo.error().message, Catch::Contains("t.toml:18:") && Catch::Contains("unknown key 'pause_sla'"));

    auto missingText = config::ParseLifecycle(head + "[[status]]\nid = \"x\"\nlabel = { zh-Hans = \"x\", en = \"x\" }\n", "t.toml");
    CHECK_THAT(missingText.error().message, Catch::Contains("'zh-Hant'"));

    auto terminalExit = config::ParseLifecycle(
        head + "[[transition]]\nflow = \"standard\"\nfrom = \"closed\"\nto = \"submitted\"\nroles = [\"clerk\"]\n", "t.toml");
    CHECK_THAT(terminalExit.error().message, Catch::Contains("leaves a terminal status"));

    auto syntax = config::ParseLifecycle("initial_status = \n", "bad.toml");
    CHECK_THAT(syntax.error().message, Catch::StartsWith("bad.toml:1:"));

    CHECK(config::LoadLifecycleFile("/nonexistent/lifecycle.toml").error().code == core::ErrorCode::NotFound);
}
