// Policy tables from TOML: the shipped 三包 table answers real claims, and broken tables are rejected
// with the line and key to fix.
#include <catch2/catch.hpp>

#include <algorithm>

#include "kiosk/config/policy_loader.hpp"

namespace {

using namespace std::chrono;
using kiosk::core::ErrorCode;
using kiosk::core::PolicyTable;
using kiosk::core::Remedy;
using kiosk::core::WarrantyQuery;
using enum Remedy;

const char* const kSanbaoPath = KIOSK_TEST_ASSET_DIR "/policy/sanbao.toml";

struct Claim {
    std::string category;
    std::string component;
    std::string fault = "performance";
    std::vector<std::string> exclusions = {};
};

kiosk::core::Result<kiosk::core::WarrantyDecision> Decide(const PolicyTable& table, const Claim& claim,
                                                          kiosk::core::Date today) {
    WarrantyQuery query;
    query.category = claim.category;
    query.component = claim.component;
    query.fault = claim.fault;
    query.exclusions = claim.exclusions;
    query.purchasedOn = 2024y / March / 1d;
    query.today = today;
    return kiosk::core::DecideWarranty(table, query);
}

// A small valid table; each bad-input case below breaks it in one place.
constexpr std::string_view kValidToml = R"(id = "store"
name = { zh-Hans = "本店", zh-Hant = "本店", en = "Our store" }
return_days = 7
exchange_days = 15
failed_repairs_for_exchange = 2
repair_delay_days = 30
parts_delay_days = 90
after_exchange = "carry_over"

[[category]]
id = "phone"
name = { zh-Hans = "手机", zh-Hant = "手機", en = "Phone" }

[[category.component]]
id = "body"
months = 12

[[category.component]]
id = "battery"
months = 6

[[fault]]
id = "performance"
label = { zh-Hans = "故障", zh-Hant = "故障", en = "Fault" }
performance_fault = true

[[exclusion]]
id = "misuse"
label = { zh-Hans = "误用", zh-Hant = "誤用", en = "Misuse" }
clause = "excluded-misuse"

[[clause]]
id = "return-window"
text = { zh-Hans = "退货", zh-Hant = "退貨", en = "Refund" }

[[clause]]
id = "exchange-window"
text = { zh-Hans = "换货", zh-Hant = "換貨", en = "Exchange" }

[[clause]]
id = "warranty-repair"
text = { zh-Hans = "修理", zh-Hant = "修理", en = "Repair" }

[[clause]]
id = "repeated-failure"
text = { zh-Hans = "两次", zh-Hant = "兩次", en = "Twice" }

[[clause]]
id = "repair-delay"
text = { zh-Hans = "超时", zh-Hant = "超時", en = "Late" }

[[clause]]
id = "parts-delay"
text = { zh-Hans = "缺件", zh-Hant = "缺件", en = "Parts" }

[[clause]]
id = "no-reason-return"
text = { zh-Hans = "无理由", zh-Hant = "無理由", en = "No reason" }

[[clause]]
id = "not-performance-fault"
text = { zh-Hans = "非性能", zh-Hant = "非性能", en = "Not a fault" }

[[clause]]
id = "expired"
text = { zh-Hans = "过期", zh-Hant = "過期", en = "Expired" }

[[clause]]
id = "excluded-misuse"
text = { zh-Hans = "误用", zh-Hant = "誤用", en = "Misuse" }
)";

// The 1-based line on which `anchor` starts in `text`.
std::size_t LineOf(std::string_view text, std::string_view anchor) {
    const std::size_t at = text.find(anchor);
    REQUIRE(at != std::string_view::npos);
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

}  // namespace

TEST_CASE("The shipped 三包 table loads and validates", "[policy]") {
    auto table = kiosk::config::LoadPolicyFile(kSanbaoPath);
    INFO((table ? std::string() : table.error().message));
    REQUIRE(table.has_value());
    CHECK(kiosk::core::ValidatePolicy(*table).has_value());
    CHECK(table->id == "sanbao");
    CHECK(table->returnDays == 7);
    CHECK(table->exchangeDays == 15);
    CHECK(table->failedRepairsForExchange == 2);
    CHECK(table->repairDelayDays == 30);
    CHECK(table->partsDelayDays == 90);
    CHECK(table->noReasonReturnDays == 0);
    CHECK(table->afterExchange == kiosk::core::AfterExchange::Restart);
    CHECK(table->extendByDaysInRepair);

    using kiosk::core::Component;
    const std::vector<std::pair<std::string, std::vector<Component>>> expected = {
        {"phone", {{"body", 12}, {"battery", 6}, {"charger", 12}, {"headset", 3}}},
        {"computer", {{"body", 12}, {"main_parts", 24}, {"battery", 12}}},
        {"appliance", {{"body", 12}, {"main_parts", 36}}},
        {"small_electronics", {{"body", 12}}},
    };
    for (const auto& [id, components] : expected) {
        INFO(id);
        const auto* category = table->FindCategory(id);
        REQUIRE(category != nullptr);
        CHECK(category->components == components);
    }

    for (const char* id : {"performance", "appearance", "wear", "changed_mind"}) {
        INFO(id);
        const auto* fault = table->FindFault(id);
        REQUIRE(fault != nullptr);
        CHECK(fault->performanceFault == (std::string_view(id) == "performance"));
        CHECK(fault->paidRepairPossible == (std::string_view(id) != "changed_mind"));
    }

    std::vector<std::string> exclusionClauses;
    for (const char* id : {"misuse", "physical_damage", "liquid_damage", "unauthorised_disassembly",
                           "no_proof_of_purchase", "serial_mismatch"}) {
        INFO(id);
        const auto* exclusion = table->FindExclusion(id);
        REQUIRE(exclusion != nullptr);
        REQUIRE(table->FindClause(exclusion->clauseId) != nullptr);
        exclusionClauses.push_back(exclusion->clauseId);
    }
    std::ranges::sort(exclusionClauses);
    CHECK(std::ranges::adjacent_find(exclusionClauses) == exclusionClauses.end());  // each its own clause

    // Simplified and Traditional are separate texts, not one copied into the other.
    for (const auto& clause : table->clauses) {
        INFO(clause.id);
        CHECK(clause.text.zhHans != clause.text.zhHant);
    }
}

TEST_CASE("The shipped 三包 table answers real claims", "[policy]") {
    auto loaded = kiosk::config::LoadPolicyFile(kSanbaoPath);
    REQUIRE(loaded.has_value());
    const PolicyTable& table = *loaded;

    SECTION("a phone on day 7: refund, exchange or repair, with the rule in every language") {
        auto decision = Decide(table, {"phone", ""}, 2024y / March / 8d);
        REQUIRE(decision.has_value());
        CHECK(decision->remedies == std::vector<Remedy>{Refund, Exchange, Repair, Decline});
        CHECK(decision->clause.id == "return-window");
        CHECK(decision->clause.text.zhHans.find("7日内") != std::string::npos);
        CHECK(decision->clause.text.zhHant.find("7日內") != std::string::npos);
        CHECK(decision->clause.text.en.find("7 days") != std::string::npos);
    }
    SECTION("a phone battery after 7 months is out of warranty, the body is not") {
        auto battery = Decide(table, {"phone", "battery"}, 2024y / October / 1d);
        REQUIRE(battery.has_value());
        CHECK_FALSE(battery->covered);
        CHECK(battery->remedies == std::vector<Remedy>{PaidRepair, Decline});
        CHECK(battery->clause.id == "expired");
        auto body = Decide(table, {"phone", "body"}, 2024y / October / 1d);
        REQUIRE(body.has_value());
        CHECK(body->remedies == std::vector<Remedy>{Repair, Decline});
    }
    SECTION("a computer's main parts after 18 months") {
        auto parts = Decide(table, {"computer", "main_parts"}, 2025y / September / 1d);
        REQUIRE(parts.has_value());
        CHECK(parts->clause.id == "warranty-repair");
        CHECK(parts->componentMonths == 24);
        auto body = Decide(table, {"computer", "body"}, 2025y / September / 1d);
        REQUIRE(body.has_value());
        CHECK(body->clause.id == "expired");
    }
    SECTION("an appliance compressor after 30 months") {
        auto decision = Decide(table, {"appliance", "main_parts"}, 2026y / September / 1d);
        REQUIRE(decision.has_value());
        CHECK(decision->covered);
        CHECK(kiosk::core::FormatDate(decision->warrantyEnds) == "2027-03-01");
    }
    SECTION("liquid damage on day 1") {
        auto decision = Decide(table, {"small_electronics", "", "performance", {"liquid_damage"}}, 2024y / March / 2d);
        REQUIRE(decision.has_value());
        CHECK_FALSE(decision->covered);
        CHECK(decision->clause.id == "excluded-liquid-damage");
        CHECK(decision->clause.text.zhHans.find("进水") != std::string::npos);
    }
    SECTION("a change of mind: no refund under 三包, and no paid repair to offer") {
        auto decision = Decide(table, {"phone", "", "changed_mind"}, 2024y / March / 2d);
        REQUIRE(decision.has_value());
        CHECK(decision->remedies == std::vector<Remedy>{Decline});
        CHECK(decision->clause.id == "not-performance-fault");
    }
}

TEST_CASE("A policy file that is not there", "[policy]") {
    auto table = kiosk::config::LoadPolicyFile(KIOSK_TEST_ASSET_DIR "/policy/no-such-table.toml");
    REQUIRE_FALSE(table.has_value());
    CHECK(table.error().code == ErrorCode::NotFound);
}

TEST_CASE("Broken policy tables are rejected with the line and key to fix", "[policy]") {
    REQUIRE(kiosk::config::ParsePolicy(kValidToml, "test.toml").has_value());

    struct Bad {
        const char* what;
        std::string_view from;  // replaced once in the valid table
        std::string_view to;
        std::string_view anchor;  // text on the line the error must name
        std::string_view expected;  // a fragment of the message
    };
    const std::vector<Bad> cases = {
        {"syntax error", "months = 6", "months = = 6", "months = = 6", ""},
        {"unknown key", "performance_fault = true", "performance_fault = true\nrefundable = true", "refundable",
         "unknown key 'refundable'"},
        {"misspelt top-level key", "parts_delay_days = 90", "parts_delay_day = 90", "parts_delay_day",
         "unknown key 'parts_delay_day'"},
        {"clause text missing in one language", R"(text = { zh-Hans = "换货", zh-Hant = "換貨", en = "Exchange" })",
         R"(text = { zh-Hans = "换货", en = "Exchange" })", R"(zh-Hans = "换货", en)", "'text' needs a 'zh-Hant' text"},
        {"exchange window shorter than the return window", "exchange_days = 15", "exchange_days = 5", "exchange_days",
         "'exchange_days' (5) must not be shorter than 'return_days' (7)"},
        {"duplicate component id", R"(id = "battery")", R"(id = "body" # again)", "# again",
         "duplicate component id 'body' (first at test.toml:15:"},
        {"duplicate clause id", R"(id = "expired")", R"(id = "repair-delay" # again)", "# again",
         "duplicate clause id 'repair-delay'"},
        {"duplicate category id", "[[fault]]", "[[category]]\nid = \"phone\" # again\nname = { zh-Hans = \"手机\", "
         "zh-Hant = \"手機\", en = \"Phone\" }\n\n[[fault]]", "# again", "duplicate category id 'phone'"},
        {"component of 0 months", "months = 6", "months = 0", "months = 0", "'months' must be between 1 and 120 (is 0)"},
        {"days as text", "return_days = 7", "return_days = \"7\"", "return_days", "'return_days' must be an integer"},
        {"unknown after_exchange", R"(after_exchange = "carry_over")", R"(after_exchange = "keep")", "after_exchange",
         "'after_exchange' must be \"restart\" or \"carry_over\""},
        {"exclusion naming no clause", R"(clause = "excluded-misuse")", R"(clause = "excluded-mistake")",
         "excluded-mistake", "'clause' names 'excluded-mistake'"},
    };
    for (const Bad& bad : cases) {
        INFO(bad.what);
        std::string text(kValidToml);
        const std::size_t at = text.find(bad.from);
        REQUIRE(at != std::string::npos);
        text.replace(at, bad.from.size(), bad.to);

        auto table = kiosk::config::ParsePolicy(text, "test.toml");
        REQUIRE_FALSE(table.has_value());
        INFO(table.error().message);
        CHECK(table.error().code == ErrorCode::InvalidInput);
        CHECK(table.error().message.starts_with("test.toml:" + std::to_string(LineOf(text, bad.anchor)) + ":"));
        CHECK(table.error().message.find(bad.expected) != std::string::npos);
    }
}

TEST_CASE("Whole-table problems name the table and what is missing", "[policy]") {
    std::string text(kValidToml);
    const std::string expiredClause = "[[clause]]\nid = \"expired\"\n";
    const std::size_t at = text.find(expiredClause);
    REQUIRE(at != std::string::npos);
    text.erase(at, expiredClause.size() + text.substr(at + expiredClause.size()).find('\n') + 1);

    auto table = kiosk::config::ParsePolicy(text, "test.toml");
    REQUIRE_FALSE(table.has_value());
    CHECK(table.error().code == ErrorCode::InvalidInput);
    CHECK(table.error().message == "test.toml: policy 'store': missing clause 'expired'");
}
