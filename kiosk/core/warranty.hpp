// The warranty policy engine: a pure function from a policy table and the facts of a claim to a
// decision with the remedies allowed, the end of every window and the clause it rests on.
//
// Periods are counted as civil law counts them: the day of purchase is day 0 and is not counted, so a
// 7-day window bought on 1 March ends at the end of 8 March; a 12-month period bought on 31 January
// ends on 31 January next year, and one month from 31 January ends on the last day of February.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/catalog.hpp"
#include "kiosk/core/date.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"
#include "kiosk/core/remedy.hpp"

namespace kiosk::core {

struct Clause {
    std::string id;
    LocalizedText text;
};

// Clause ids the engine itself chooses; every policy table must define them.
namespace clause_id {
inline constexpr std::string_view kReturnWindow = "return-window";        // within returnDays: refund/exchange/repair
inline constexpr std::string_view kExchangeWindow = "exchange-window";    // within exchangeDays: exchange/repair
inline constexpr std::string_view kWarrantyRepair = "warranty-repair";    // within the component's period: free repair
inline constexpr std::string_view kRepeatedFailure = "repeated-failure";  // N failed repairs: exchange or refund
inline constexpr std::string_view kRepairDelay = "repair-delay";          // repair over repairDelayDays: exchange
inline constexpr std::string_view kPartsDelay = "parts-delay";            // parts wait over partsDelayDays: exchange
inline constexpr std::string_view kNoReasonReturn = "no-reason-return";   // no fault, within noReasonReturnDays
inline constexpr std::string_view kNotPerformanceFault = "not-performance-fault";
inline constexpr std::string_view kExpired = "expired";                   // outside every window
}  // namespace clause_id

enum class AfterExchange {
    Restart,    // 三包 default: all periods count again from the exchange date
    CarryOver,  // periods keep counting from the original purchase
};

// A kind of fault the customer can report.
struct FaultKind {
    std::string id;                  // "performance", "appearance", "changed_mind", ...
    LocalizedText label;
    bool performanceFault = false;   // only performance faults open the free windows
    bool paidRepairPossible = true;  // whether a paid repair makes sense (not for "changed my mind")
};

// A condition that removes every free remedy (misuse, liquid damage, no proof of purchase...).
struct Exclusion {
    std::string id;
    LocalizedText label;
    std::string clauseId;  // the clause shown when it applies
};

struct CategoryPolicy {
    std::string id;                     // "phone", "computer", "appliance", "small_electronics", ...
    LocalizedText name;
    std::vector<Component> components;  // default components; the first is the main unit
};

struct PolicyTable {
    std::string id;
    LocalizedText name;
    // Which version decides: "published v3" (head office's) or "file sanbao.toml" (the asset file).
    // Recorded with every ticket filed under it; not part of the TOML.
    std::string version;
    int returnDays = 7;
    int exchangeDays = 15;
    int failedRepairsForExchange = 2;
    int repairDelayDays = 30;
    int partsDelayDays = 90;
    int noReasonReturnDays = 0;  // 0: no return without a fault
    AfterExchange afterExchange = AfterExchange::Restart;
    bool extendByDaysInRepair = true;
    std::vector<CategoryPolicy> categories;
    std::vector<FaultKind> faults;
    std::vector<Exclusion> exclusions;
    std::vector<Clause> clauses;

    const Clause* FindClause(std::string_view id) const;
    const CategoryPolicy* FindCategory(std::string_view id) const;
    const FaultKind* FindFault(std::string_view id) const;
    const Exclusion* FindExclusion(std::string_view id) const;
};

// Checks that a table is usable: positive periods, windows in order (return <= exchange), every
// clause the engine or an exclusion names exists in all three languages, ids unique.
Result<void> ValidatePolicy(const PolicyTable& table);

struct RepairHistory {
    int failedRepairsSameFault = 0;       // finished repairs of this fault that did not fix it
    int daysInRepair = 0;                 // days spent in finished repairs and waits for parts
    std::optional<int> openRepairDays;    // days the current repair has been going on, if any
    bool openRepairAwaitingParts = false; // the current repair waits for parts (the longer limit)
    std::optional<Date> exchangedOn;      // the product was exchanged on this date
};

struct WarrantyQuery {
    std::string category;                 // the product's category id in the policy table
    std::vector<Component> productComponents;  // the product's own components; empty: category defaults
    std::string component;                // empty: the main unit (the first component)
    Date purchasedOn;
    Date today;
    std::string fault = "performance";
    std::vector<std::string> exclusions;  // ids from PolicyTable::exclusions
    RepairHistory history;
};

struct WarrantyDecision {
    bool covered = false;          // a free remedy is available
    std::vector<Remedy> remedies;  // in the order to offer them; Decline is always last
    Clause clause;                 // the rule the decision rests on
    Date periodStart;              // the purchase, or the exchange date when periods restart
    int daysSinceStart = 0;        // 0 on the day itself
    Date returnEnds;               // last day of each window
    Date exchangeEnds;
    Date warrantyEnds;             // includes the extension
    int extensionDays = 0;
    std::string component;
    int componentMonths = 0;
};

// Fails with InvalidInput when `today` is before the period start, or a category, component, fault or
// exclusion is not in the table (the message lists what is); also when the exchange date is before the
// purchase or after today, a repair count is negative, or the table lacks the clause chosen (a table
// that passes ValidatePolicy never does).
//
// The rules, first that applies wins: an exclusion; a fault that is not a performance fault (a refund
// within noReasonReturnDays, else paid repair or nothing); an open repair longer than repairDelayDays
// (partsDelayDays when waiting for parts) within the period: exchange; then the return window, repeated
// failures within the period, the exchange window, the period itself; otherwise paid repair.
Result<WarrantyDecision> DecideWarranty(const PolicyTable& table, const WarrantyQuery& query);

}  // namespace kiosk::core
