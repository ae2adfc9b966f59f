// Reads roles.toml into the admin role table, naming file, line and key on errors.
#include "kiosk/config/roles_loader.hpp"

#include "kiosk/config/text_file.hpp"
#include "kiosk/config/toml_reader.hpp"

namespace kiosk::config {

core::Result<core::admin::RoleTable> ParseRoles(std::string_view tomlText, std::string_view sourceName) {
    auto root = ParseToml(tomlText, sourceName);
    if (!root) return std::unexpected(std::move(root.error()));
    const TomlReader reader{std::string(sourceName)};
    if (auto ok = reader.OnlyKeys(*root, {"clerk", "technician", "supervisor"}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    core::admin::RoleTable table;
    for (const auto& [key, node] : *root) {
        const auto role = core::ParseRole(key.str());
        const toml::table* section = node.as_table();
        if (!role || section == nullptr) {
            return std::unexpected(reader.ErrorAt(node, std::string(key.str()) + " must be a table with actions"));
        }
        if (auto ok = reader.OnlyKeys(*section, {"actions"}); !ok) return std::unexpected(std::move(ok.error()));
        auto actions = reader.StringArrayOr(*section, "actions");
        if (!actions) return std::unexpected(std::move(actions.error()));
        auto& allowed = table.allowed[*role];
        allowed.insert(actions->begin(), actions->end());
    }
    if (auto ok = core::admin::ValidateRoleTable(table); !ok) {
        return core::Fail(ok.error().code, std::string(sourceName) + ": " + ok.error().message);
    }
    return table;
}

core::Result<core::admin::RoleTable> LoadRolesFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(std::move(text.error()));
    return ParseRoles(*text, path.string());
}

}  // namespace kiosk::config
