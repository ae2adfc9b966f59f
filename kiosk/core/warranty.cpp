// The warranty policy engine: table lookups, table validation and the rules that turn a claim into remedies.
#include "kiosk/core/warranty.hpp"

#include <algorithm>
#include <array>

namespace kiosk::core {
namespace {

// Every clause the engine can choose by itself; a table without one of them cannot answer every claim.
constexpr std::array kEngineClauses{
    clause_id::kReturnWindow,  clause_id::kExchangeWindow, clause_id::kWarrantyRepair,
    clause_id::kRepeatedFailure, clause_id::kRepairDelay, clause_id::kPartsDelay,
    clause_id::kNoReasonReturn, clause_id::kNotPerformanceFault, clause_id::kExpired,
};

// Component months are capped so AddMonths stays in a sane range; no consumer warranty runs ten years.
constexpr int kMaxComponentMonths = 120;

template <class T>
const T* FindById(const std::vector<T>& items, std::string_view id) {
    auto it = std::ranges::find(items, id, &T::id);
    return it == items.end() ? nullptr : &*it;
}

// "'a', 'b', 'c'": error messages list what the table does know, so staff can fix a typo at once.
template <class T>
std::string KnownIds(const std::vector<T>& items) {
    std::string out;
    for (const T& item : items) out += (out.empty() ? "'" : ", '") + item.id + "'";
    return out.empty() ? "none" : out;
}

template <class T>
Result<void> CheckIds(const std::vector<T>& items, std::string_view kind, const std::string& where) {
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].id.empty()) {
            return Fail(ErrorCode::InvalidInput, where + ": a " + std::string(kind) + " has an empty id");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (items[j].id == items[i].id) {
                return Fail(ErrorCode::InvalidInput,
                            where + ": duplicate " + std::string(kind) + " id '" + items[i].id + "'");
            }
        }
    }
    return {};
}

std::string_view MissingLanguage(const LocalizedText& text) {
    if (text.zhHans.empty()) return "zh-Hans";
    if (text.zhHant.empty()) return "zh-Hant";
    if (text.en.empty()) return "en";
    return {};
}

// What the rules chose, before the clause is looked up in the table.
struct Outcome {
    bool covered = false;
    std::vector<Remedy> remedies;
    std::string_view clauseId;
};

// Rules 2 to 9 of the engine, in order; the first that applies wins. Rule 1 (a claim dated before the
// period start) is an input error and is handled by the caller.
Outcome ChooseOutcome(const PolicyTable& table, const FaultKind& fault, const Exclusion* firstExclusion,
                      const RepairHistory& history, int daysSinceStart, Date today, Date warrantyEnds) {
    using enum Remedy;
    // 2. An exclusion removes every free remedy, even on the day of purchase.
    if (firstExclusion != nullptr) return {false, {PaidRepair, Decline}, firstExclusion->clauseId};

    // 3. The free windows are for performance faults only; a table may still allow a return without a
    //    reason for a few days (e.g. a store's own promise).
    if (!fault.performanceFault) {
        if (table.noReasonReturnDays > 0 && daysSinceStart <= table.noReasonReturnDays) {
            return {true, {Refund, Decline}, clause_id::kNoReasonReturn};
        }
        if (fault.paidRepairPossible) return {false, {PaidRepair, Decline}, clause_id::kNotPerformanceFault};
        return {false, {Decline}, clause_id::kNotPerformanceFault};
    }

    const bool inWarranty = today <= warrantyEnds;

    // 4. A repair "not finished within N days" has run over once it has taken more than N days: on day
    //    N itself the repairer is still within the limit. Checked before the windows because a repair
    //    that has gone on too long entitles the customer to an exchange whatever the date of purchase.
    if (history.openRepairDays && inWarranty) {
        const int limit = history.openRepairAwaitingParts ? table.partsDelayDays : table.repairDelayDays;
        if (*history.openRepairDays > limit) {
            return {true,
                    {Exchange, Decline},
                    history.openRepairAwaitingParts ? clause_id::kPartsDelay : clause_id::kRepairDelay};
        }
    }

    // 5. to 8. The windows, widest choice first. Repeated failures come before the exchange window so
    //    that a customer whose product failed twice in 15 days may also ask for a refund.
    if (daysSinceStart <= table.returnDays) return {true, {Refund, Exchange, Repair, Decline}, clause_id::kReturnWindow};
    if (inWarranty && history.failedRepairsSameFault >= table.failedRepairsForExchange) {
        return {true, {Exchange, Refund, Decline}, clause_id::kRepeatedFailure};
    }
    if (daysSinceStart <= table.exchangeDays) return {true, {Exchange, Repair, Decline}, clause_id::kExchangeWindow};
    if (inWarranty) return {true, {Repair, Decline}, clause_id::kWarrantyRepair};

    // 9. Outside every window.
    return {false, {PaidRepair, Decline}, clause_id::kExpired};
}

}  // namespace

const Clause* PolicyTable::FindClause(std::string_view clauseId) const { return FindById(clauses, clauseId); }
const CategoryPolicy* PolicyTable::FindCategory(std::string_view categoryId) const {
    return FindById(categories, categoryId);
}
const FaultKind* PolicyTable::FindFault(std::string_view faultId) const { return FindById(faults, faultId); }
const Exclusion* PolicyTable::FindExclusion(std::string_view exclusionId) const {
    return FindById(exclusions, exclusionId);
}

Result<void> ValidatePolicy(const PolicyTable& table) {
    if (table.id.empty()) return Fail(ErrorCode::InvalidInput, "a policy table has an empty id");
    const std::string where = "policy '" + table.id + "'";
    auto fail = [&](const std::string& what) { return Fail(ErrorCode::InvalidInput, where + ": " + what); };

    for (auto [name, days] : {std::pair{"return_days", table.returnDays}, std::pair{"exchange_days", table.exchangeDays},
                              std::pair{"repair_delay_days", table.repairDelayDays},
                              std::pair{"parts_delay_days", table.partsDelayDays}}) {
        if (days < 1) return fail(std::string(name) + " must be at least 1 (is " + std::to_string(days) + ")");
    }
    if (table.returnDays > table.exchangeDays) {
        return fail("exchange_days (" + std::to_string(table.exchangeDays) + ") is shorter than return_days (" +
                    std::to_string(table.returnDays) + ")");
    }
    if (table.noReasonReturnDays < 0) return fail("no_reason_return_days must not be negative");
    if (table.failedRepairsForExchange < 1) return fail("failed_repairs_for_exchange must be at least 1");

    if (auto ok = CheckIds(table.categories, "category", where); !ok) return ok;
    if (auto ok = CheckIds(table.faults, "fault", where); !ok) return ok;
    if (auto ok = CheckIds(table.exclusions, "exclusion", where); !ok) return ok;
    if (auto ok = CheckIds(table.clauses, "clause", where); !ok) return ok;

    if (table.categories.empty()) return fail("no category");
    for (const CategoryPolicy& category : table.categories) {
        const std::string categoryWhere = where + ", category '" + category.id + "'";
        if (category.components.empty()) return Fail(ErrorCode::InvalidInput, categoryWhere + ": no component");
        if (auto ok = CheckIds(category.components, "component", categoryWhere); !ok) return ok;
        for (const Component& component : category.components) {
            if (component.warrantyMonths < 1 || component.warrantyMonths > kMaxComponentMonths) {
                return Fail(ErrorCode::InvalidInput, categoryWhere + ": component '" + component.id +
                                                         "' must have 1 to " + std::to_string(kMaxComponentMonths) +
                                                         " months (has " +
                                                         std::to_string(component.warrantyMonths) + ")");
            }
        }
    }

    const FaultKind* performance = table.FindFault("performance");
    if (performance == nullptr || !performance->performanceFault) {
        return fail("needs a fault 'performance' with performance_fault = true");
    }

    for (const Clause& clause : table.clauses) {
        if (auto language = MissingLanguage(clause.text); !language.empty()) {
            return fail("clause '" + clause.id + "' has no " + std::string(language) + " text");
        }
    }
    for (std::string_view clauseId : kEngineClauses) {
        if (table.FindClause(clauseId) == nullptr) return fail("missing clause '" + std::string(clauseId) + "'");
    }
    for (const Exclusion& exclusion : table.exclusions) {
        if (table.FindClause(exclusion.clauseId) == nullptr) {
            return fail("exclusion '" + exclusion.id + "' names clause '" + exclusion.clauseId +
                        "', which is not in the table");
        }
    }
    return {};
}

Result<WarrantyDecision> DecideWarranty(const PolicyTable& table, const WarrantyQuery& query) {
    auto bad = [](std::string message) { return Fail(ErrorCode::InvalidInput, std::move(message)); };

    const CategoryPolicy* category = table.FindCategory(query.category);
    if (category == nullptr) {
        return bad("unknown category '" + query.category + "' (known: " + KnownIds(table.categories) + ")");
    }
    // The product's own components, when the catalogue lists any, replace the category's defaults.
    const std::vector<Component>& components =
        query.productComponents.empty() ? category->components : query.productComponents;
    const Component* component = nullptr;
    if (query.component.empty()) {
        if (components.empty()) return bad("category '" + category->id + "' has no component");
        component = &components.front();
    } else {
        component = FindById(components, query.component);
        if (component == nullptr) {
            return bad("unknown component '" + query.component + "' (known: " + KnownIds(components) + ")");
        }
    }

    const FaultKind* fault = table.FindFault(query.fault);
    if (fault == nullptr) return bad("unknown fault '" + query.fault + "' (known: " + KnownIds(table.faults) + ")");

    // Every exclusion must be known, not just the first: a typo in the second would otherwise pass unseen.
    const Exclusion* firstExclusion = nullptr;
    for (const std::string& exclusionId : query.exclusions) {
        const Exclusion* exclusion = table.FindExclusion(exclusionId);
        if (exclusion == nullptr) {
            return bad("unknown exclusion '" + exclusionId + "' (known: " + KnownIds(table.exclusions) + ")");
        }
        if (firstExclusion == nullptr) firstExclusion = exclusion;
    }

    const RepairHistory& history = query.history;
    if (history.failedRepairsSameFault < 0 || history.daysInRepair < 0 ||
        (history.openRepairDays && *history.openRepairDays < 0)) {
        return bad("repair history counts must not be negative");
    }
    if (history.exchangedOn && *history.exchangedOn < query.purchasedOn) {
        return bad("exchange date " + FormatDate(*history.exchangedOn) + " is before the purchase date " +
                   FormatDate(query.purchasedOn));
    }
    if (history.exchangedOn && *history.exchangedOn > query.today) {
        return bad("exchange date " + FormatDate(*history.exchangedOn) + " is after today " + FormatDate(query.today));
    }

    WarrantyDecision decision;
    decision.periodStart = history.exchangedOn && table.afterExchange == AfterExchange::Restart ? *history.exchangedOn
                                                                                                : query.purchasedOn;
    if (query.today < decision.periodStart) {
        return bad("today " + FormatDate(query.today) + " is before the start of the period " +
                   FormatDate(decision.periodStart));
    }

    // The day of purchase is day 0 and a window of N days ends at the end of day N: "today <= end" is
    // inside (民法典 第201/202条).
    decision.daysSinceStart = DaysBetween(decision.periodStart, query.today);
    decision.extensionDays = table.extendByDaysInRepair ? history.daysInRepair + history.openRepairDays.value_or(0) : 0;
    decision.returnEnds = AddDays(decision.periodStart, table.returnDays);
    decision.exchangeEnds = AddDays(decision.periodStart, table.exchangeDays);
    decision.warrantyEnds =
        AddDays(AddMonths(decision.periodStart, component->warrantyMonths), decision.extensionDays);
    decision.component = component->id;
    decision.componentMonths = component->warrantyMonths;

    Outcome outcome = ChooseOutcome(table, *fault, firstExclusion, history, decision.daysSinceStart, query.today,
                                    decision.warrantyEnds);
    const Clause* clause = table.FindClause(outcome.clauseId);
    if (clause == nullptr) {
        return bad("policy '" + table.id + "' has no clause '" + std::string(outcome.clauseId) + "'");
    }
    decision.covered = outcome.covered;
    decision.remedies = std::move(outcome.remedies);
    decision.clause = *clause;
    return decision;
}

}  // namespace kiosk::core
