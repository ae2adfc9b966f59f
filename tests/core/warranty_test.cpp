// The warranty engine against a hand-built 三包 table: every window edge as a table of cases, then
// validation and input errors.
#include <catch2/catch.hpp>

#include <functional>

#include "kiosk/core/warranty.hpp"

namespace {

using namespace std::chrono;
using kiosk::core::AfterExchange;
using kiosk::core::Clause;
using kiosk::core::Component;
using kiosk::core::Date;
using kiosk::core::ErrorCode;
using kiosk::core::FormatDate;
using kiosk::core::LocalizedText;
using kiosk::core::PolicyTable;
using kiosk::core::Remedy;
using kiosk::core::RepairHistory;
using kiosk::core::WarrantyQuery;
namespace clause_id = kiosk::core::clause_id;
using enum Remedy;

LocalizedText Text(std::string_view id) {
    return {"简 " + std::string(id), "繁 " + std::string(id), "en " + std::string(id)};
}

// The general 三包 figures (7 / 15 days, 2 failed repairs, 30 / 90 days) on a small set of categories.
PolicyTable SanbaoTable() {
    PolicyTable table;
    table.id = "test-sanbao";
    table.name = Text("sanbao");
    table.categories = {
        {"phone", Text("phone"), {{"body", 12}, {"battery", 6}, {"charger", 12}, {"headset", 3}}},
        {"appliance", Text("appliance"), {{"body", 12}, {"main_parts", 36}}},
    };
    table.faults = {
        {"performance", Text("performance"), true, true},
        {"appearance", Text("appearance"), false, true},
        {"changed_mind", Text("changed_mind"), false, false},
    };
    table.exclusions = {
        {"misuse", Text("misuse"), "excluded-misuse"},
        {"liquid_damage", Text("liquid_damage"), "excluded-liquid"},
        {"no_proof_of_purchase", Text("no_proof_of_purchase"), "excluded-no-proof"},
    };
    for (std::string_view id : {clause_id::kReturnWindow, clause_id::kExchangeWindow, clause_id::kWarrantyRepair,
                                clause_id::kRepeatedFailure, clause_id::kRepairDelay, clause_id::kPartsDelay,
                                clause_id::kNoReasonReturn, clause_id::kNotPerformanceFault, clause_id::kExpired,
                                std::string_view{"excluded-misuse"}, std::string_view{"excluded-liquid"},
                                std::string_view{"excluded-no-proof"}}) {
        table.clauses.push_back(Clause{std::string(id), Text(id)});
    }
    return table;
}

std::string Describe(const std::vector<Remedy>& remedies) {
    std::string out;
    for (Remedy r : remedies) out += (out.empty() ? "" : ",") + std::string(kiosk::core::ToString(r));
    return "{" + out + "}";
}

// One claim and what the engine must answer. Dates left at their default are not checked.
struct Case {
    const char* what;
    Date purchased;
    Date today;
    std::string component = "";
    std::string fault = "performance";
    std::vector<std::string> exclusions = {};
    RepairHistory history = {};
    std::vector<Component> productComponents = {};
    std::string category = "phone";
    AfterExchange afterExchange = AfterExchange::Restart;
    bool extendByDaysInRepair = true;
    int noReasonReturnDays = 0;
    // expected
    bool covered = true;
    std::vector<Remedy> remedies = {};
    std::string_view clause = {};
    int daysSinceStart = -1;
    Date returnEnds = {};
    Date exchangeEnds = {};
    Date warrantyEnds = {};
};

constexpr Date kMar1 = 2024y / March / 1d;
const std::vector<Remedy> kReturn = {Refund, Exchange, Repair, Decline};
const std::vector<Remedy> kExchangeOrRepair = {Exchange, Repair, Decline};
const std::vector<Remedy> kRepairOnly = {Repair, Decline};
const std::vector<Remedy> kPaid = {PaidRepair, Decline};
const std::vector<Remedy> kRepeated = {Exchange, Refund, Decline};
const std::vector<Remedy> kExchangeOnly = {Exchange, Decline};

RepairHistory Failed(int count) {
    RepairHistory history;
    history.failedRepairsSameFault = count;
    return history;
}
RepairHistory InRepairBefore(int days) {
    RepairHistory history;
    history.daysInRepair = days;
    return history;
}
RepairHistory OpenRepair(int days, bool awaitingParts = false) {
    RepairHistory history;
    history.openRepairDays = days;
    history.openRepairAwaitingParts = awaitingParts;
    return history;
}
RepairHistory Exchanged(Date on) {
    RepairHistory history;
    history.exchangedOn = on;
    return history;
}

// Repair delay: the rule is "not finished within 30 days", so day 30 of an open repair is still within
// the limit and the exchange is due from day 31 (openRepairDays > repairDelayDays); likewise 90 for parts.
const std::vector<Case> kCases = {
    // The windows of a phone body bought on 1 March 2024: 7 days to 8 March, 15 to 16 March, 12 months
    // to 1 March 2025.
    {.what = "day of purchase (day 0)", .purchased = kMar1, .today = kMar1, .remedies = kReturn,
     .clause = clause_id::kReturnWindow, .daysSinceStart = 0, .returnEnds = 2024y / March / 8d,
     .exchangeEnds = 2024y / March / 16d, .warrantyEnds = 2025y / March / 1d},
    {.what = "day 7 is inside the 7-day window", .purchased = kMar1, .today = 2024y / March / 8d,
     .remedies = kReturn, .clause = clause_id::kReturnWindow, .daysSinceStart = 7},
    {.what = "day 8 is outside it", .purchased = kMar1, .today = 2024y / March / 9d, .remedies = kExchangeOrRepair,
     .clause = clause_id::kExchangeWindow, .daysSinceStart = 8},
    {.what = "day 15 is inside the 15-day window", .purchased = kMar1, .today = 2024y / March / 16d,
     .remedies = kExchangeOrRepair, .clause = clause_id::kExchangeWindow, .daysSinceStart = 15},
    {.what = "day 16 is outside it", .purchased = kMar1, .today = 2024y / March / 17d, .remedies = kRepairOnly,
     .clause = clause_id::kWarrantyRepair, .daysSinceStart = 16},
    {.what = "last day of the 12 months", .purchased = kMar1, .today = 2025y / March / 1d, .remedies = kRepairOnly,
     .clause = clause_id::kWarrantyRepair, .warrantyEnds = 2025y / March / 1d},
    {.what = "the day after: paid repair", .purchased = kMar1, .today = 2025y / March / 2d, .covered = false,
     .remedies = kPaid, .clause = clause_id::kExpired, .warrantyEnds = 2025y / March / 1d},

    // Leap years.
    {.what = "bought 29 Feb 2024: 12 months end on 28 Feb 2025", .purchased = 2024y / February / 29d,
     .today = 2025y / February / 28d, .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair,
     .warrantyEnds = 2025y / February / 28d},
    {.what = "bought 29 Feb 2024: 1 March 2025 is expired", .purchased = 2024y / February / 29d,
     .today = 2025y / March / 1d, .covered = false, .remedies = kPaid, .clause = clause_id::kExpired},
    {.what = "7 days across 29 Feb (leap): last day 3 March", .purchased = 2024y / February / 25d,
     .today = 2024y / March / 3d, .remedies = kReturn, .clause = clause_id::kReturnWindow, .daysSinceStart = 7,
     .returnEnds = 2024y / March / 3d},
    {.what = "7 days across 29 Feb (leap): 4 March is day 8", .purchased = 2024y / February / 25d,
     .today = 2024y / March / 4d, .remedies = kExchangeOrRepair, .clause = clause_id::kExchangeWindow,
     .daysSinceStart = 8},
    {.what = "7 days across 28 Feb (common): last day 4 March", .purchased = 2023y / February / 25d,
     .today = 2023y / March / 4d, .remedies = kReturn, .clause = clause_id::kReturnWindow, .daysSinceStart = 7,
     .returnEnds = 2023y / March / 4d},
    {.what = "7 days across 28 Feb (common): 5 March is day 8", .purchased = 2023y / February / 25d,
     .today = 2023y / March / 5d, .remedies = kExchangeOrRepair, .clause = clause_id::kExchangeWindow},
    {.what = "31 Jan 2024 + 1 month ends 29 Feb", .purchased = 2024y / January / 31d, .today = 2024y / February / 29d,
     .productComponents = {{"cable", 1}}, .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair,
     .warrantyEnds = 2024y / February / 29d},
    {.what = "31 Jan 2024 + 1 month: 1 March is expired", .purchased = 2024y / January / 31d,
     .today = 2024y / March / 1d, .productComponents = {{"cable", 1}}, .covered = false, .remedies = kPaid,
     .clause = clause_id::kExpired},
    {.what = "31 Jan 2023 + 1 month ends 28 Feb", .purchased = 2023y / January / 31d, .today = 2023y / March / 1d,
     .productComponents = {{"cable", 1}}, .covered = false, .remedies = kPaid, .clause = clause_id::kExpired,
     .warrantyEnds = 2023y / February / 28d},

    // Components with their own periods.
    {.what = "battery: last day of 6 months", .purchased = kMar1, .today = 2024y / September / 1d,
     .component = "battery", .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair,
     .warrantyEnds = 2024y / September / 1d},
    {.what = "battery: the day after", .purchased = kMar1, .today = 2024y / September / 2d, .component = "battery",
     .covered = false, .remedies = kPaid, .clause = clause_id::kExpired},
    {.what = "body on the same day is still covered", .purchased = kMar1, .today = 2024y / September / 2d,
     .component = "body", .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair},
    {.what = "no component named: the first (body)", .purchased = kMar1, .today = 2024y / September / 2d,
     .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair, .warrantyEnds = 2025y / March / 1d},
    {.what = "headset: 3 months", .purchased = kMar1, .today = 2024y / June / 2d, .component = "headset",
     .covered = false, .remedies = kPaid, .clause = clause_id::kExpired, .warrantyEnds = 2024y / June / 1d},
    {.what = "appliance main parts: 36 months", .purchased = kMar1, .today = 2027y / March / 1d,
     .component = "main_parts", .category = "appliance", .remedies = kRepairOnly,
     .clause = clause_id::kWarrantyRepair, .warrantyEnds = 2027y / March / 1d},
    {.what = "the product's own components replace the category's", .purchased = kMar1,
     .today = 2026y / March / 1d, .component = "battery", .productComponents = {{"body", 24}, {"battery", 24}},
     .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair, .warrantyEnds = 2026y / March / 1d},

    // Repeated failures.
    {.what = "one failed repair: still a repair", .purchased = kMar1, .today = 2024y / June / 1d,
     .history = Failed(1), .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair},
    {.what = "two failed repairs: exchange or refund", .purchased = kMar1, .today = 2024y / June / 1d,
     .history = Failed(2), .remedies = kRepeated, .clause = clause_id::kRepeatedFailure},
    {.what = "two failed repairs on the last day", .purchased = kMar1, .today = 2025y / March / 1d,
     .history = Failed(2), .remedies = kRepeated, .clause = clause_id::kRepeatedFailure},
    {.what = "two failed repairs after the period", .purchased = kMar1, .today = 2025y / March / 2d,
     .history = Failed(2), .covered = false, .remedies = kPaid, .clause = clause_id::kExpired},
    {.what = "two failed repairs within 7 days: the return window is wider", .purchased = kMar1,
     .today = 2024y / March / 5d, .history = Failed(2), .remedies = kReturn, .clause = clause_id::kReturnWindow},
    {.what = "two failed repairs within 15 days: refund too", .purchased = kMar1, .today = 2024y / March / 12d,
     .history = Failed(2), .remedies = kRepeated, .clause = clause_id::kRepeatedFailure},

    // Open repairs past their limit (the extension counts the open repair's days too).
    {.what = "repair open 29 days", .purchased = kMar1, .today = 2024y / June / 1d, .history = OpenRepair(29),
     .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair, .warrantyEnds = 2025y / March / 30d},
    {.what = "repair open 30 days: within the limit", .purchased = kMar1, .today = 2024y / June / 1d,
     .history = OpenRepair(30), .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair},
    {.what = "repair open 31 days: exchange", .purchased = kMar1, .today = 2024y / June / 1d,
     .history = OpenRepair(31), .remedies = kExchangeOnly, .clause = clause_id::kRepairDelay},
    {.what = "repair delay even inside the return window", .purchased = kMar1, .today = 2024y / March / 5d,
     .history = OpenRepair(31), .remedies = kExchangeOnly, .clause = clause_id::kRepairDelay},
    {.what = "waiting 31 days for parts: within the parts limit", .purchased = kMar1, .today = 2024y / June / 1d,
     .history = OpenRepair(31, true), .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair},
    {.what = "waiting 90 days for parts", .purchased = kMar1, .today = 2024y / June / 1d,
     .history = OpenRepair(90, true), .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair},
    {.what = "waiting 91 days for parts: exchange", .purchased = kMar1, .today = 2024y / June / 1d,
     .history = OpenRepair(91, true), .remedies = kExchangeOnly, .clause = clause_id::kPartsDelay},
    {.what = "repair delay kept in the period by its own days", .purchased = kMar1, .today = 2025y / March / 20d,
     .history = OpenRepair(31), .remedies = kExchangeOnly, .clause = clause_id::kRepairDelay,
     .warrantyEnds = 2025y / April / 1d},
    {.what = "repair delay after the extended period", .purchased = kMar1, .today = 2025y / April / 2d,
     .history = OpenRepair(31), .covered = false, .remedies = kPaid, .clause = clause_id::kExpired},

    // Days in repair extend the period.
    {.what = "one day after the nominal end, 10 days in repair", .purchased = kMar1, .today = 2025y / March / 2d,
     .history = InRepairBefore(10), .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair,
     .warrantyEnds = 2025y / March / 11d},
    {.what = "the day after the extended end", .purchased = kMar1, .today = 2025y / March / 12d,
     .history = InRepairBefore(10), .covered = false, .remedies = kPaid,
     .clause = clause_id::kExpired},
    {.what = "a table without the extension", .purchased = kMar1, .today = 2025y / March / 2d,
     .history = InRepairBefore(10), .extendByDaysInRepair = false, .covered = false,
     .remedies = kPaid, .clause = clause_id::kExpired, .warrantyEnds = 2025y / March / 1d},
    {.what = "the extension does not widen the return window", .purchased = kMar1, .today = 2024y / March / 9d,
     .history = InRepairBefore(10), .remedies = kExchangeOrRepair,
     .clause = clause_id::kExchangeWindow, .returnEnds = 2024y / March / 8d},

    // After an exchange.
    {.what = "restart: the windows count from the exchange", .purchased = kMar1, .today = 2025y / June / 1d,
     .history = Exchanged(2024y / December / 1d), .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair,
     .daysSinceStart = 182, .warrantyEnds = 2025y / December / 1d},
    {.what = "restart: 4 days after the exchange is in the return window", .purchased = kMar1,
     .today = 2024y / December / 5d, .history = Exchanged(2024y / December / 1d), .remedies = kReturn,
     .clause = clause_id::kReturnWindow, .daysSinceStart = 4, .returnEnds = 2024y / December / 8d},
    {.what = "carry over: the purchase date still counts", .purchased = kMar1, .today = 2025y / June / 1d,
     .history = Exchanged(2024y / December / 1d), .afterExchange = AfterExchange::CarryOver, .covered = false,
     .remedies = kPaid, .clause = clause_id::kExpired, .warrantyEnds = 2025y / March / 1d},
    {.what = "carry over: 4 days after the exchange is a plain repair", .purchased = kMar1,
     .today = 2024y / December / 5d, .history = Exchanged(2024y / December / 1d),
     .afterExchange = AfterExchange::CarryOver, .remedies = kRepairOnly, .clause = clause_id::kWarrantyRepair,
     .returnEnds = 2024y / March / 8d},

    // Exclusions take every free remedy away, even on day 0.
    {.what = "misuse", .purchased = kMar1, .today = kMar1, .exclusions = {"misuse"}, .covered = false,
     .remedies = kPaid, .clause = "excluded-misuse"},
    {.what = "liquid damage", .purchased = kMar1, .today = 2024y / June / 1d, .exclusions = {"liquid_damage"},
     .covered = false, .remedies = kPaid, .clause = "excluded-liquid"},
    {.what = "no proof of purchase", .purchased = kMar1, .today = 2024y / March / 10d,
     .exclusions = {"no_proof_of_purchase"}, .covered = false, .remedies = kPaid, .clause = "excluded-no-proof"},
    {.what = "two exclusions: the first one's clause", .purchased = kMar1, .today = kMar1,
     .exclusions = {"liquid_damage", "misuse"}, .covered = false, .remedies = kPaid, .clause = "excluded-liquid"},
    {.what = "an exclusion outranks a repair delay", .purchased = kMar1, .today = 2024y / June / 1d,
     .exclusions = {"misuse"}, .history = OpenRepair(40), .covered = false, .remedies = kPaid,
     .clause = "excluded-misuse"},
    {.what = "an exclusion outranks changed_mind", .purchased = kMar1, .today = kMar1, .fault = "changed_mind",
     .exclusions = {"misuse"}, .noReasonReturnDays = 7, .covered = false, .remedies = kPaid,
     .clause = "excluded-misuse"},

    // Faults that are not performance faults.
    {.what = "appearance on day 3: paid repair", .purchased = kMar1, .today = 2024y / March / 4d,
     .fault = "appearance", .covered = false, .remedies = kPaid, .clause = clause_id::kNotPerformanceFault},
    {.what = "changed mind, no no-reason returns: decline only", .purchased = kMar1, .today = 2024y / March / 4d,
     .fault = "changed_mind", .covered = false, .remedies = {Decline}, .clause = clause_id::kNotPerformanceFault},
    {.what = "changed mind on day 7 of 7 no-reason days", .purchased = kMar1, .today = 2024y / March / 8d,
     .fault = "changed_mind", .noReasonReturnDays = 7, .remedies = {Refund, Decline},
     .clause = clause_id::kNoReasonReturn},
    {.what = "changed mind on day 8", .purchased = kMar1, .today = 2024y / March / 9d, .fault = "changed_mind",
     .noReasonReturnDays = 7, .covered = false, .remedies = {Decline}, .clause = clause_id::kNotPerformanceFault},
    {.what = "appearance within no-reason days: refund", .purchased = kMar1, .today = kMar1, .fault = "appearance",
     .noReasonReturnDays = 7, .remedies = {Refund, Decline}, .clause = clause_id::kNoReasonReturn},
    {.what = "appearance after no-reason days: paid repair", .purchased = kMar1, .today = 2024y / March / 9d,
     .fault = "appearance", .noReasonReturnDays = 7, .covered = false, .remedies = kPaid,
     .clause = clause_id::kNotPerformanceFault},
};

}  // namespace

TEST_CASE("Warranty decisions at every window edge", "[warranty]") {
    for (const Case& c : kCases) {
        PolicyTable table = SanbaoTable();
        table.afterExchange = c.afterExchange;
        table.extendByDaysInRepair = c.extendByDaysInRepair;
        table.noReasonReturnDays = c.noReasonReturnDays;
        WarrantyQuery query;
        query.category = c.category;
        query.productComponents = c.productComponents;
        query.component = c.component;
        query.purchasedOn = c.purchased;
        query.today = c.today;
        query.fault = c.fault;
        query.exclusions = c.exclusions;
        query.history = c.history;

        INFO(c.what << " (bought " << FormatDate(c.purchased) << ", today " << FormatDate(c.today) << ")");
        auto decision = kiosk::core::DecideWarranty(table, query);
        REQUIRE(decision.has_value());
        CHECK(decision->covered == c.covered);
        CHECK(Describe(decision->remedies) == Describe(c.remedies));
        CHECK(decision->remedies.back() == Decline);
        CHECK(decision->clause.id == c.clause);
        CHECK(decision->clause.text == Text(c.clause));
        if (c.daysSinceStart >= 0) CHECK(decision->daysSinceStart == c.daysSinceStart);
        if (c.returnEnds.ok()) CHECK(FormatDate(decision->returnEnds) == FormatDate(c.returnEnds));
        if (c.exchangeEnds.ok()) CHECK(FormatDate(decision->exchangeEnds) == FormatDate(c.exchangeEnds));
        if (c.warrantyEnds.ok()) CHECK(FormatDate(decision->warrantyEnds) == FormatDate(c.warrantyEnds));
    }
}

TEST_CASE("A decision reports the period it was measured on", "[warranty]") {
    WarrantyQuery query;
    query.category = "phone";
    query.component = "battery";
    query.purchasedOn = kMar1;
    query.today = 2024y / May / 1d;
    query.history = Exchanged(2024y / March / 20d);
    query.history.daysInRepair = 4;
    query.history.openRepairDays = 3;
    auto decision = kiosk::core::DecideWarranty(SanbaoTable(), query);
    REQUIRE(decision.has_value());
    CHECK(decision->component == "battery");
    CHECK(decision->componentMonths == 6);
    CHECK(FormatDate(decision->periodStart) == "2024-03-20");
    CHECK(decision->daysSinceStart == 42);
    CHECK(decision->extensionDays == 7);
    CHECK(FormatDate(decision->returnEnds) == "2024-03-27");
    CHECK(FormatDate(decision->exchangeEnds) == "2024-04-04");
    CHECK(FormatDate(decision->warrantyEnds) == "2024-09-27");
}

TEST_CASE("Warranty input errors name what is wrong and what is known", "[warranty]") {
    const PolicyTable table = SanbaoTable();
    WarrantyQuery query;
    query.category = "phone";
    query.purchasedOn = kMar1;
    query.today = 2024y / June / 1d;

    auto expectError = [&](const WarrantyQuery& q, std::vector<std::string> fragments) {
        auto decision = kiosk::core::DecideWarranty(table, q);
        REQUIRE_FALSE(decision.has_value());
        CHECK(decision.error().code == ErrorCode::InvalidInput);
        for (const std::string& fragment : fragments) {
            INFO(decision.error().message);
            CHECK(decision.error().message.find(fragment) != std::string::npos);
        }
    };

    SECTION("today before the purchase") {
        query.today = 2024y / February / 29d;
        expectError(query, {"2024-02-29", "2024-03-01"});
    }
    SECTION("exchanged before the purchase") {
        query.history.exchangedOn = 2024y / February / 1d;
        expectError(query, {"2024-02-01", "before the purchase"});
    }
    SECTION("exchanged after today") {
        query.history.exchangedOn = 2024y / July / 1d;
        expectError(query, {"2024-07-01", "after today"});
    }
    SECTION("the exchange day itself is day 0 of the restarted period") {
        query.today = 2024y / March / 5d;
        query.history.exchangedOn = 2024y / March / 5d;
        auto decision = kiosk::core::DecideWarranty(table, query);
        REQUIRE(decision.has_value());
        CHECK(decision->daysSinceStart == 0);
    }
    SECTION("unknown category") {
        query.category = "furniture";
        expectError(query, {"'furniture'", "'phone', 'appliance'"});
    }
    SECTION("unknown component") {
        query.component = "screen";
        expectError(query, {"'screen'", "'body', 'battery', 'charger', 'headset'"});
    }
    SECTION("unknown component of the product's own list") {
        query.productComponents = {{"body", 24}};
        query.component = "battery";
        expectError(query, {"'battery'", "known: 'body')"});
    }
    SECTION("unknown fault") {
        query.fault = "broken";
        expectError(query, {"'broken'", "'performance', 'appearance', 'changed_mind'"});
    }
    SECTION("unknown exclusion, even after a known one") {
        query.exclusions = {"misuse", "stolen"};
        expectError(query, {"'stolen'", "'misuse', 'liquid_damage', 'no_proof_of_purchase'"});
    }
    SECTION("negative repair counts") {
        query.history.daysInRepair = -1;
        expectError(query, {"negative"});
    }
    SECTION("a table without the clause chosen") {
        PolicyTable incomplete = table;
        std::erase_if(incomplete.clauses, [](const Clause& c) { return c.id == clause_id::kWarrantyRepair; });
        auto decision = kiosk::core::DecideWarranty(incomplete, query);
        REQUIRE_FALSE(decision.has_value());
        CHECK(decision.error().message.find("'warranty-repair'") != std::string::npos);
    }
}

TEST_CASE("Policy tables find their entries by id", "[warranty]") {
    const PolicyTable table = SanbaoTable();
    REQUIRE(table.FindCategory("appliance") != nullptr);
    CHECK(table.FindCategory("appliance")->components.back().warrantyMonths == 36);
    CHECK(table.FindCategory("car") == nullptr);
    REQUIRE(table.FindFault("changed_mind") != nullptr);
    CHECK_FALSE(table.FindFault("changed_mind")->paidRepairPossible);
    CHECK(table.FindFault("") == nullptr);
    REQUIRE(table.FindExclusion("liquid_damage") != nullptr);
    CHECK(table.FindExclusion("liquid_damage")->clauseId == "excluded-liquid");
    CHECK(table.FindExclusion("misuse ") == nullptr);
    REQUIRE(table.FindClause(clause_id::kExpired) != nullptr);
    CHECK(table.FindClause(clause_id::kExpired)->text.en == "en expired");
    CHECK(table.FindClause("Expired") == nullptr);
}

TEST_CASE("ValidatePolicy accepts a complete table and names what breaks one", "[warranty]") {
    CHECK(kiosk::core::ValidatePolicy(SanbaoTable()).has_value());

    struct Breakage {
        const char* what;
        std::function<void(PolicyTable&)> apply;
        std::string expected;  // a fragment of the message
    };
    const std::vector<Breakage> breakages = {
        {"duplicate category", [](PolicyTable& t) { t.categories.push_back(t.categories.front()); },
         "duplicate category id 'phone'"},
        {"duplicate component",
         [](PolicyTable& t) { t.categories[0].components.push_back({"battery", 12}); },
         "category 'phone': duplicate component id 'battery'"},
        {"duplicate fault", [](PolicyTable& t) { t.faults.push_back(t.faults.back()); },
         "duplicate fault id 'changed_mind'"},
        {"duplicate exclusion", [](PolicyTable& t) { t.exclusions.push_back(t.exclusions.front()); },
         "duplicate exclusion id 'misuse'"},
        {"duplicate clause", [](PolicyTable& t) { t.clauses.push_back(t.clauses.front()); },
         "duplicate clause id 'return-window'"},
        {"empty id", [](PolicyTable& t) { t.faults[1].id.clear(); }, "fault has an empty id"},
        {"component of 0 months", [](PolicyTable& t) { t.categories[1].components[1].warrantyMonths = 0; },
         "component 'main_parts' must have 1 to 120 months (has 0)"},
        {"component of 121 months", [](PolicyTable& t) { t.categories[0].components[0].warrantyMonths = 121; },
         "component 'body'"},
        {"category without components", [](PolicyTable& t) { t.categories[1].components.clear(); },
         "category 'appliance': no component"},
        {"return window of 0 days", [](PolicyTable& t) { t.returnDays = 0; }, "return_days must be at least 1"},
        {"parts delay of 0 days", [](PolicyTable& t) { t.partsDelayDays = 0; }, "parts_delay_days"},
        {"exchange shorter than return",
         [](PolicyTable& t) {
             t.returnDays = 10;
             t.exchangeDays = 9;
         },
         "exchange_days (9) is shorter than return_days (10)"},
        {"negative no-reason days", [](PolicyTable& t) { t.noReasonReturnDays = -1; }, "no_reason_return_days"},
        {"no failed repairs needed", [](PolicyTable& t) { t.failedRepairsForExchange = 0; },
         "failed_repairs_for_exchange"},
        {"no category", [](PolicyTable& t) { t.categories.clear(); }, "no category"},
        {"no performance fault", [](PolicyTable& t) { t.faults.erase(t.faults.begin()); }, "'performance'"},
        {"performance not flagged", [](PolicyTable& t) { t.faults[0].performanceFault = false; }, "'performance'"},
        {"engine clause missing",
         [](PolicyTable& t) { std::erase_if(t.clauses, [](const Clause& c) { return c.id == "parts-delay"; }); },
         "missing clause 'parts-delay'"},
        {"clause without Traditional text", [](PolicyTable& t) { t.clauses[3].text.zhHant.clear(); },
         "clause 'repeated-failure' has no zh-Hant text"},
        {"exclusion naming a missing clause", [](PolicyTable& t) { t.exclusions[2].clauseId = "nope"; },
         "exclusion 'no_proof_of_purchase' names clause 'nope'"},
        {"empty table id", [](PolicyTable& t) { t.id.clear(); }, "empty id"},
    };
    for (const Breakage& breakage : breakages) {
        INFO(breakage.what);
        PolicyTable table = SanbaoTable();
        breakage.apply(table);
        auto valid = kiosk::core::ValidatePolicy(table);
        REQUIRE_FALSE(valid.has_value());
        CHECK(valid.error().code == ErrorCode::InvalidInput);
        INFO(valid.error().message);
        CHECK(valid.error().message.find(breakage.expected) != std::string::npos);
    }
}
