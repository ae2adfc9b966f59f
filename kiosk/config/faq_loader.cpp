// The self-help TOML file: categories with labels and suggestions in three languages.
#include "kiosk/config/faq_loader.hpp"

#include <toml++/toml.h>

#include <set>
#include <string>

#include "kiosk/config/text_file.hpp"

namespace kiosk::config {

namespace {

std::string Where(std::string_view path, const toml::node& node) {
    const auto& at = node.source().begin;
    return std::string(path) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
}

core::Result<core::LocalizedText> Text(std::string_view path, const toml::node& node) {
    const toml::table* table = node.as_table();
    if (table == nullptr) return core::Fail(core::ErrorCode::InvalidInput, Where(path, node) + "expected { zh-Hans, zh-Hant, en }");
    core::LocalizedText text;
    for (auto [key, field] : std::initializer_list<std::pair<const char*, std::string*>>{
             {"zh-Hans", &text.zhHans}, {"zh-Hant", &text.zhHant}, {"en", &text.en}}) {
        const auto value = (*table)[key].value<std::string>();
        if (!value || value->empty()) {
            return core::Fail(core::ErrorCode::InvalidInput, Where(path, node) + "missing " + key + " text");
        }
        *field = *value;
    }
    return text;
}

}  // namespace

core::Result<core::flow::FaqCatalog> LoadFaqFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseFaq(*text, path.string());
}

core::Result<core::flow::FaqCatalog> ParseFaq(std::string_view tomlText, std::string_view path) {
    toml::table root;
    try {
        root = toml::parse(tomlText, path);
    } catch (const toml::parse_error& e) {
        const auto& at = e.source().begin;
        return core::Fail(core::ErrorCode::InvalidInput, std::string(path) + ":" + std::to_string(at.line) + ":" +
                                                             std::to_string(at.column) + ": " +
                                                             std::string(e.description()));
    }
    core::flow::FaqCatalog faq;
    std::set<std::string> ids;
    const toml::array* categories = root["category"].as_array();
    if (categories == nullptr) return faq;
    for (const toml::node& node : *categories) {
        const toml::table* table = node.as_table();
        if (table == nullptr) return core::Fail(core::ErrorCode::InvalidInput, Where(path, node) + "expected [[category]]");
        core::flow::ProblemCategory category;
        const auto id = (*table)["id"].value<std::string>();
        if (!id || id->empty()) return core::Fail(core::ErrorCode::InvalidInput, Where(path, node) + "category without id");
        if (!ids.insert(*id).second) {
            return core::Fail(core::ErrorCode::InvalidInput, Where(path, node) + "category '" + *id + "' appears twice");
        }
        category.id = *id;
        const toml::node* label = table->get("label");
        if (label == nullptr) return core::Fail(core::ErrorCode::InvalidInput, Where(path, node) + "category without label");
        auto labelText = Text(path, *label);
        if (!labelText) return std::unexpected(labelText.error());
        category.label = std::move(*labelText);
        if (const toml::array* suggestions = (*table)["suggestion"].as_array()) {
            for (const toml::node& s : *suggestions) {
                auto text = Text(path, s);
                if (!text) return std::unexpected(text.error());
                category.suggestions.push_back(std::move(*text));
            }
        }
        faq.categories.push_back(std::move(category));
    }
    return faq;
}

}  // namespace kiosk::config
