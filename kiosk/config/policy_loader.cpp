// Policy tables from TOML: the schema's keys, their ranges and errors that point at the line to fix.
#include "kiosk/config/policy_loader.hpp"

#include <map>
#include <optional>
#include <tuple>

#include "kiosk/config/toml_reader.hpp"

namespace kiosk::config {
namespace {

using core::ErrorCode;
using core::Fail;

// Bounds that catch typos (a window of 70 years) and keep TOML's 64-bit integers inside int.
constexpr std::int64_t kMaxDays = 3650;
constexpr std::int64_t kMaxMonths = 120;
constexpr std::int64_t kMaxFailedRepairs = 10;

// Where each id of one kind was first seen, so that a duplicate names both places.
using SeenIds = std::map<std::string, std::string, std::less<>>;

// An integer in [min, max]; `fallback` makes the key optional.
Result<int> BoundedInt(const TomlReader& reader, const toml::table& table, std::string_view key, std::int64_t min,
                       std::int64_t max, std::optional<std::int64_t> fallback = std::nullopt) {
    auto value = fallback ? reader.IntegerOr(table, key, *fallback) : reader.Integer(table, key);
    if (!value) return std::unexpected(value.error());
    if (*value < min || *value > max) {
        const toml::node* node = table.get(key);
        return std::unexpected(reader.ErrorAt(node != nullptr ? *node : table,
                                              "'" + std::string(key) + "' must be between " + std::to_string(min) +
                                                  " and " + std::to_string(max) + " (is " +
                                                  std::to_string(*value) + ")"));
    }
    return static_cast<int>(*value);
}

// The table's "id": present, not empty and not seen before among ids of the same kind.
Result<std::string> UniqueId(const TomlReader& reader, const toml::table& table, std::string_view kind,
                             SeenIds& seen) {
    auto id = reader.String(table, "id");
    if (!id) return std::unexpected(id.error());
    const toml::node& node = *table.get("id");
    if (id->empty()) return std::unexpected(reader.ErrorAt(node, "'id' of a " + std::string(kind) + " is empty"));
    auto [first, inserted] = seen.emplace(*id, reader.Where(node));
    if (!inserted) {
        return std::unexpected(reader.ErrorAt(
            node, "duplicate " + std::string(kind) + " id '" + *id + "' (first at " + first->second + ")"));
    }
    return id;
}

Result<core::Clause> ParseClause(const TomlReader& reader, const toml::table& table, SeenIds& seen) {
    if (auto ok = reader.OnlyKeys(table, {"id", "text"}); !ok) return std::unexpected(ok.error());
    auto id = UniqueId(reader, table, "clause", seen);
    if (!id) return std::unexpected(id.error());
    auto text = reader.Localized(table, "text");
    if (!text) return std::unexpected(text.error());
    return core::Clause{std::move(*id), std::move(*text)};
}

Result<core::FaultKind> ParseFault(const TomlReader& reader, const toml::table& table, SeenIds& seen) {
    if (auto ok = reader.OnlyKeys(table, {"id", "label", "performance_fault", "paid_repair_possible"}); !ok) {
        return std::unexpected(ok.error());
    }
    core::FaultKind fault;
    auto id = UniqueId(reader, table, "fault", seen);
    if (!id) return std::unexpected(id.error());
    fault.id = std::move(*id);
    auto label = reader.Localized(table, "label");
    if (!label) return std::unexpected(label.error());
    fault.label = std::move(*label);
    auto performance = reader.BoolOr(table, "performance_fault", false);
    if (!performance) return std::unexpected(performance.error());
    fault.performanceFault = *performance;
    auto paidRepair = reader.BoolOr(table, "paid_repair_possible", true);
    if (!paidRepair) return std::unexpected(paidRepair.error());
    fault.paidRepairPossible = *paidRepair;
    return fault;
}

Result<core::Exclusion> ParseExclusion(const TomlReader& reader, const toml::table& table, SeenIds& seen,
                                       const SeenIds& clauseIds) {
    if (auto ok = reader.OnlyKeys(table, {"id", "label", "clause"}); !ok) return std::unexpected(ok.error());
    core::Exclusion exclusion;
    auto id = UniqueId(reader, table, "exclusion", seen);
    if (!id) return std::unexpected(id.error());
    exclusion.id = std::move(*id);
    auto label = reader.Localized(table, "label");
    if (!label) return std::unexpected(label.error());
    exclusion.label = std::move(*label);
    auto clause = reader.String(table, "clause");
    if (!clause) return std::unexpected(clause.error());
    if (!clauseIds.contains(*clause)) {
        return std::unexpected(
            reader.ErrorAt(*table.get("clause"), "'clause' names '" + *clause + "', which no [[clause]] defines"));
    }
    exclusion.clauseId = std::move(*clause);
    return exclusion;
}

Result<core::CategoryPolicy> ParseCategory(const TomlReader& reader, const toml::table& table, SeenIds& seen) {
    if (auto ok = reader.OnlyKeys(table, {"id", "name", "component"}); !ok) return std::unexpected(ok.error());
    core::CategoryPolicy category;
    auto id = UniqueId(reader, table, "category", seen);
    if (!id) return std::unexpected(id.error());
    category.id = std::move(*id);
    auto name = reader.Localized(table, "name");
    if (!name) return std::unexpected(name.error());
    category.name = std::move(*name);

    auto components = reader.Tables(table, "component");
    if (!components) return std::unexpected(components.error());
    if (components->empty()) {
        return std::unexpected(
            reader.ErrorAt(table, "category '" + category.id + "' needs at least one [[category.component]]"));
    }
    SeenIds componentIds;
    for (const toml::table* entry : *components) {
        if (auto ok = reader.OnlyKeys(*entry, {"id", "months"}); !ok) return std::unexpected(ok.error());
        auto componentId = UniqueId(reader, *entry, "component", componentIds);
        if (!componentId) return std::unexpected(componentId.error());
        auto months = BoundedInt(reader, *entry, "months", 1, kMaxMonths);
        if (!months) return std::unexpected(months.error());
        category.components.push_back(core::Component{std::move(*componentId), *months});
    }
    return category;
}

Result<core::AfterExchange> ParseAfterExchange(const TomlReader& reader, const toml::table& root) {
    auto text = reader.OptionalString(root, "after_exchange");
    if (!text) return std::unexpected(text.error());
    if (!*text || **text == "restart") return core::AfterExchange::Restart;
    if (**text == "carry_over") return core::AfterExchange::CarryOver;
    return std::unexpected(reader.ErrorAt(*root.get("after_exchange"),
                                          "'after_exchange' must be \"restart\" or \"carry_over\" (is \"" + **text +
                                              "\")"));
}

// The top-level keys, then the arrays of tables. Clauses are read first so that an exclusion naming a
// missing clause is reported at the exclusion's own line.
Result<core::PolicyTable> ParseRoot(const TomlReader& reader, const toml::table& root) {
    if (auto ok = reader.OnlyKeys(root, {"id", "name", "return_days", "exchange_days", "failed_repairs_for_exchange",
                                         "repair_delay_days", "parts_delay_days", "no_reason_return_days",
                                         "after_exchange", "extend_by_days_in_repair", "category", "fault",
                                         "exclusion", "clause"});
        !ok) {
        return std::unexpected(ok.error());
    }
    core::PolicyTable policy;
    auto id = reader.String(root, "id");
    if (!id) return std::unexpected(id.error());
    if (id->empty()) return std::unexpected(reader.ErrorAt(*root.get("id"), "'id' is empty"));
    policy.id = std::move(*id);
    auto name = reader.Localized(root, "name");
    if (!name) return std::unexpected(name.error());
    policy.name = std::move(*name);

    for (auto [key, target, max] : {std::tuple{"return_days", &policy.returnDays, kMaxDays},
                                    std::tuple{"exchange_days", &policy.exchangeDays, kMaxDays},
                                    std::tuple{"failed_repairs_for_exchange", &policy.failedRepairsForExchange,
                                               kMaxFailedRepairs},
                                    std::tuple{"repair_delay_days", &policy.repairDelayDays, kMaxDays},
                                    std::tuple{"parts_delay_days", &policy.partsDelayDays, kMaxDays}}) {
        auto value = BoundedInt(reader, root, key, 1, max);
        if (!value) return std::unexpected(value.error());
        *target = *value;
    }
    if (policy.exchangeDays < policy.returnDays) {
        return std::unexpected(reader.ErrorAt(*root.get("exchange_days"),
                                              "'exchange_days' (" + std::to_string(policy.exchangeDays) +
                                                  ") must not be shorter than 'return_days' (" +
                                                  std::to_string(policy.returnDays) + ")"));
    }
    auto noReason = BoundedInt(reader, root, "no_reason_return_days", 0, kMaxDays, 0);
    if (!noReason) return std::unexpected(noReason.error());
    policy.noReasonReturnDays = *noReason;
    auto afterExchange = ParseAfterExchange(reader, root);
    if (!afterExchange) return std::unexpected(afterExchange.error());
    policy.afterExchange = *afterExchange;
    auto extend = reader.BoolOr(root, "extend_by_days_in_repair", true);
    if (!extend) return std::unexpected(extend.error());
    policy.extendByDaysInRepair = *extend;

    auto clauses = reader.Tables(root, "clause");
    if (!clauses) return std::unexpected(clauses.error());
    SeenIds clauseIds;
    for (const toml::table* entry : *clauses) {
        auto clause = ParseClause(reader, *entry, clauseIds);
        if (!clause) return std::unexpected(clause.error());
        policy.clauses.push_back(std::move(*clause));
    }

    auto faults = reader.Tables(root, "fault");
    if (!faults) return std::unexpected(faults.error());
    SeenIds faultIds;
    for (const toml::table* entry : *faults) {
        auto fault = ParseFault(reader, *entry, faultIds);
        if (!fault) return std::unexpected(fault.error());
        policy.faults.push_back(std::move(*fault));
    }

    auto exclusions = reader.Tables(root, "exclusion");
    if (!exclusions) return std::unexpected(exclusions.error());
    SeenIds exclusionIds;
    for (const toml::table* entry : *exclusions) {
        auto exclusion = ParseExclusion(reader, *entry, exclusionIds, clauseIds);
        if (!exclusion) return std::unexpected(exclusion.error());
        policy.exclusions.push_back(std::move(*exclusion));
    }

    auto categories = reader.Tables(root, "category");
    if (!categories) return std::unexpected(categories.error());
    SeenIds categoryIds;
    for (const toml::table* entry : *categories) {
        auto category = ParseCategory(reader, *entry, categoryIds);
        if (!category) return std::unexpected(category.error());
        policy.categories.push_back(std::move(*category));
    }
    return policy;
}

}  // namespace

core::Result<core::PolicyTable> ParsePolicy(std::string_view tomlText, std::string_view sourceName) {
    auto root = ParseToml(tomlText, sourceName);
    if (!root) return std::unexpected(root.error());
    TomlReader reader{std::string(sourceName)};
    auto policy = ParseRoot(reader, *root);
    if (!policy) return std::unexpected(policy.error());
    // What needs the whole table (the engine's clauses, a performance fault, at least one category) has
    // no single line to point at; the core check names the id instead.
    if (auto valid = core::ValidatePolicy(*policy); !valid) {
        return Fail(ErrorCode::InvalidInput, std::string(sourceName) + ": " + valid.error().message);
    }
    return policy;
}

core::Result<core::PolicyTable> LoadPolicyFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParsePolicy(*text, path.string());
}

}  // namespace kiosk::config
