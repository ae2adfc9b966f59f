// Lifecycle table from TOML: statuses with their SLA flags, flows per ticket type, transitions per role.
#include "kiosk/config/lifecycle_loader.hpp"

#include "kiosk/config/toml_reader.hpp"

namespace kiosk::config {
namespace {

Result<core::StatusInfo> ReadStatus(const TomlReader& reader, const toml::table& table) {
    if (auto ok = reader.OnlyKeys(table, {"id", "label", "terminal", "pauses_sla", "first_response", "resolves"});
        !ok) {
        return std::unexpected(ok.error());
    }
    core::StatusInfo status;
    auto id = reader.String(table, "id");
    if (!id) return std::unexpected(id.error());
    status.id = *id;
    auto label = reader.Localized(table, "label");
    if (!label) return std::unexpected(label.error());
    status.label = *label;
    for (auto [key, flag] : {std::pair{"terminal", &status.terminal}, std::pair{"pauses_sla", &status.pausesSla},
                             std::pair{"first_response", &status.firstResponse},
                             std::pair{"resolves", &status.resolves}}) {
        auto value = reader.BoolOr(table, key, false);
        if (!value) return std::unexpected(value.error());
        *flag = *value;
    }
    return status;
}

// One [[transition]] may list several `from` statuses; it becomes one rule per status.
Result<void> ReadTransition(const TomlReader& reader, const toml::table& table, core::Lifecycle& lifecycle) {
    if (auto ok = reader.OnlyKeys(table, {"flow", "from", "to", "roles"}); !ok) return std::unexpected(ok.error());
    auto flow = reader.String(table, "flow");
    if (!flow) return std::unexpected(flow.error());
    auto to = reader.String(table, "to");
    if (!to) return std::unexpected(to.error());

    std::vector<std::string> froms;
    const toml::node* fromNode = table.get("from");
    if (fromNode == nullptr) return std::unexpected(reader.ErrorAt(table, "missing 'from'"));
    if (fromNode->is_string()) {
        froms.push_back(fromNode->as_string()->get());
    } else {
        auto list = reader.StringArrayOr(table, "from");
        if (!list) return std::unexpected(list.error());
        froms = *list;
    }
    if (froms.empty()) return std::unexpected(reader.ErrorAt(*fromNode, "'from' must name at least one status"));

    auto roleNames = reader.StringArrayOr(table, "roles");
    if (!roleNames) return std::unexpected(roleNames.error());
    std::vector<core::Role> roles;
    for (const std::string& name : *roleNames) {
        auto role = core::ParseRole(name);
        if (!role) {
            return std::unexpected(reader.ErrorAt(*table.get("roles"), "unknown role '" + name +
                                                                           "' (customer, clerk, technician, supervisor, system)"));
        }
        roles.push_back(*role);
    }
    for (const std::string& from : froms) {
        lifecycle.transitions.push_back(core::TransitionRule{*flow, from, *to, roles});
    }
    return {};
}

}  // namespace

Result<core::Lifecycle> ParseLifecycle(std::string_view tomlText, std::string_view sourceName) {
    auto parsed = ParseToml(tomlText, sourceName);
    if (!parsed) return std::unexpected(parsed.error());
    const toml::table& root = *parsed;
    TomlReader reader{std::string(sourceName)};
    if (auto ok = reader.OnlyKeys(root, {"initial_status", "flows", "status", "transition"}); !ok) {
        return std::unexpected(ok.error());
    }

    core::Lifecycle lifecycle;
    auto initial = reader.String(root, "initial_status");
    if (!initial) return std::unexpected(initial.error());
    lifecycle.initialStatus = *initial;

    auto flows = reader.Table(root, "flows");
    if (!flows) return std::unexpected(flows.error());
    for (const auto& [key, value] : **flows) {
        auto type = core::ParseTicketType(key.str());
        if (!type) {
            return std::unexpected(reader.ErrorAt(value, "unknown ticket type '" + std::string(key.str()) +
                                                             "' (return, exchange, repair, complaint, inquiry)"));
        }
        auto flow = value.value<std::string>();
        if (!flow) return std::unexpected(reader.ErrorAt(value, "the flow of '" + std::string(key.str()) + "' must be a string"));
        lifecycle.flows.emplace_back(*type, *flow);
    }

    auto statuses = reader.Tables(root, "status");
    if (!statuses) return std::unexpected(statuses.error());
    for (const toml::table* table : *statuses) {
        auto status = ReadStatus(reader, *table);
        if (!status) return std::unexpected(status.error());
        lifecycle.statuses.push_back(std::move(*status));
    }

    auto transitions = reader.Tables(root, "transition");
    if (!transitions) return std::unexpected(transitions.error());
    for (const toml::table* table : *transitions) {
        if (auto ok = ReadTransition(reader, *table, lifecycle); !ok) return std::unexpected(ok.error());
    }

    if (auto valid = core::ValidateLifecycle(lifecycle); !valid) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string(sourceName) + ": " + valid.error().message);
    }
    return lifecycle;
}

Result<core::Lifecycle> LoadLifecycleFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseLifecycle(*text, path.string());
}

}  // namespace kiosk::config
