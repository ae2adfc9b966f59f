// The script library TOML file: [[script]] tables with a scene, where they fit, and steps in three languages.
#include "kiosk/config/script_loader.hpp"

#include <toml++/toml.h>

#include <set>
#include <string>

#include "kiosk/config/text_file.hpp"
#include "kiosk/config/toml_reader.hpp"

namespace kiosk::config {

// Named, not anonymous: the unity build puts this file beside the other loaders and their helpers.
namespace script_toml {

std::string Where(std::string_view path, const toml::node& node) {
    const auto& at = node.source().begin;
    return std::string(path) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
}

core::Result<void> Refuse(std::string_view path, const toml::node& node, const std::string& what) {
    return core::Fail(core::ErrorCode::InvalidInput, Where(path, node) + what);
}

// A { zh-Hans, zh-Hant, en } table, each text present and using only known placeholders.
core::Result<core::LocalizedText> Text(std::string_view path, const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) return std::unexpected(Refuse(path, node, "expected { zh-Hans, zh-Hant, en }").error());
    core::LocalizedText text;
    for (auto [key, field] : std::initializer_list<std::pair<const char*, std::string*>>{
             {"zh-Hans", &text.zhHans}, {"zh-Hant", &text.zhHant}, {"en", &text.en}}) {
        const auto value = (*table)[key].value<std::string>();
        if (!value || value->empty()) return std::unexpected(Refuse(path, node, std::string("missing ") + key + " translation").error());
        const auto names = core::ScriptPlaceholders(*value);
        if (!names) return std::unexpected(Refuse(path, node, std::string("unmatched { or } in the ") + key + " text").error());
        for (const std::string& name : *names) {
            if (!core::IsScriptPlaceholder(name)) {
                std::string known;
                for (std::string_view k : core::kScriptPlaceholders) known += (known.empty() ? "" : ", ") + std::string(k);
                return std::unexpected(
                    Refuse(path, node, "unknown placeholder {" + name + "} in the " + key + " text (known: " + known + ")").error());
            }
        }
        *field = *value;
    }
    return text;
}

core::Result<std::vector<std::string>> Strings(std::string_view path, const toml::table& table, const char* key) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) return out;
    const toml::array* array = node->as_array();
    if (array == nullptr) return std::unexpected(Refuse(path, *node, std::string("'") + key + "' is not a list of strings").error());
    for (const toml::node& item : *array) {
        const auto value = item.value<std::string>();
        if (!value) return std::unexpected(Refuse(path, item, std::string("'") + key + "' is not a list of strings").error());
        out.push_back(*value);
    }
    return out;
}

}  // namespace script_toml

using script_toml::Refuse;
using script_toml::Strings;

core::Result<core::ScriptLibrary> LoadScriptsFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseScripts(*text, path.string());
}

core::Result<core::ScriptLibrary> ParseScripts(std::string_view tomlText, std::string_view path) {
    auto parsed = ParseToml(tomlText, path);
    if (!parsed) return std::unexpected(parsed.error());
    const toml::table& root = *parsed;
    core::ScriptLibrary library;
    std::set<std::string> ids;
    const toml::array* scripts = root["script"].as_array();
    if (scripts == nullptr) return library;
    for (const toml::node& node : *scripts) {
        const toml::table* table = node.as_table();
        if (table == nullptr) return std::unexpected(Refuse(path, node, "expected [[script]]").error());
        core::ServiceScript script;
        const auto id = (*table)["id"].value<std::string>();
        if (!id || id->empty()) return std::unexpected(Refuse(path, node, "script without id").error());
        if (!ids.insert(*id).second) return std::unexpected(Refuse(path, node, "script '" + *id + "' appears twice").error());
        script.id = *id;
        const auto sceneName = (*table)["scene"].value<std::string>();
        const auto scene = sceneName ? core::ParseScriptScene(*sceneName) : std::nullopt;
        if (!scene) {
            return std::unexpected(Refuse(path, node, "script '" + *id + "' has no known scene (greeting, warranty_decision, refusal, "
                                                      "delay, approval_pending, ready_for_pickup, complaint, follow_up)")
                                       .error());
        }
        script.scene = *scene;
        for (auto [key, target] : {std::pair{"types", &script.ticketTypes}, std::pair{"states", &script.states},
                                   std::pair{"keywords", &script.keywords}}) {
            auto values = Strings(path, *table, key);
            if (!values) return std::unexpected(values.error());
            *target = std::move(*values);
        }
        const toml::node* title = table->get("title");
        if (title == nullptr) return std::unexpected(Refuse(path, node, "script '" + *id + "' without title").error());
        auto titleText = script_toml::Text(path, *title);
        if (!titleText) return std::unexpected(titleText.error());
        script.title = std::move(*titleText);
        const toml::array* steps = (*table)["steps"].as_array();
        if (steps == nullptr || steps->empty()) return std::unexpected(Refuse(path, node, "script '" + *id + "' without steps").error());
        for (const toml::node& s : *steps) {
            auto step = script_toml::Text(path, s);
            if (!step) return std::unexpected(step.error());
            script.steps.push_back(std::move(*step));
        }
        library.scripts.push_back(std::move(script));
    }
    return library;
}

}  // namespace kiosk::config
