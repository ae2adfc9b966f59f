// TOML field access with positioned error messages.
#include "kiosk/config/toml_reader.hpp"

#include <fstream>
#include <sstream>

namespace kiosk::config {

using core::ErrorCode;
using core::Fail;

Result<std::string> ReadTextFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return Fail(ErrorCode::NotFound, path.string() + ": no such file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail(ErrorCode::Storage, path.string() + ": cannot be opened for reading");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return Fail(ErrorCode::Storage, path.string() + ": read error");
    return text.str();
}

Result<toml::table> ParseToml(std::string_view text, std::string_view sourceName) {
    try {
        return toml::parse(text, sourceName);
    } catch (const toml::parse_error& error) {
        const auto& where = error.source().begin;
        return Fail(ErrorCode::InvalidInput, std::string(sourceName) + ":" + std::to_string(where.line) + ":" +
                                                 std::to_string(where.column) + ": " +
                                                 std::string(error.description()));
    }
}

std::string TomlReader::Where(const toml::node& node) const {
    const auto& begin = node.source().begin;
    if (begin.line == 0) return m_source;
    return m_source + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column);
}

core::Error TomlReader::ErrorAt(const toml::node& node, std::string message) const {
    return core::Error{ErrorCode::InvalidInput, Where(node) + ": " + std::move(message)};
}

Result<std::string> TomlReader::String(const toml::table& table, std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::unexpected(ErrorAt(table, "missing '" + std::string(key) + "'"));
    if (auto value = node->value<std::string>()) return *value;
    return std::unexpected(ErrorAt(*node, "'" + std::string(key) + "' must be a string"));
}

Result<std::optional<std::string>> TomlReader::OptionalString(const toml::table& table, std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<std::string>{};
    if (auto value = node->value<std::string>()) return std::optional<std::string>{*value};
    return std::unexpected(ErrorAt(*node, "'" + std::string(key) + "' must be a string"));
}

Result<std::int64_t> TomlReader::Integer(const toml::table& table, std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::unexpected(ErrorAt(table, "missing '" + std::string(key) + "'"));
    if (!node->is_integer()) return std::unexpected(ErrorAt(*node, "'" + std::string(key) + "' must be an integer"));
    return node->as_integer()->get();
}

Result<std::int64_t> TomlReader::IntegerOr(const toml::table& table, std::string_view key,
                                           std::int64_t fallback) const {
    if (table.get(key) == nullptr) return fallback;
    return Integer(table, key);
}

Result<double> TomlReader::NumberOr(const toml::table& table, std::string_view key, double fallback) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return fallback;
    if (node->is_floating_point()) return node->as_floating_point()->get();
    if (node->is_integer()) return static_cast<double>(node->as_integer()->get());
    return std::unexpected(ErrorAt(*node, "'" + std::string(key) + "' must be a number"));
}

Result<bool> TomlReader::BoolOr(const toml::table& table, std::string_view key, bool fallback) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return fallback;
    if (!node->is_boolean()) return std::unexpected(ErrorAt(*node, "'" + std::string(key) + "' must be true or false"));
    return node->as_boolean()->get();
}

Result<std::vector<std::string>> TomlReader::StringArrayOr(const toml::table& table, std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) return out;
    const toml::array* array = node->as_array();
    if (array == nullptr) return std::unexpected(ErrorAt(*node, "'" + std::string(key) + "' must be an array of strings"));
    for (const toml::node& item : *array) {
        auto value = item.value<std::string>();
        if (!value) return std::unexpected(ErrorAt(item, "'" + std::string(key) + "' must contain only strings"));
        out.push_back(*value);
    }
    return out;
}

Result<core::LocalizedText> TomlReader::Localized(const toml::table& table, std::string_view key) const {
    auto inner = Table(table, key);
    if (!inner) return std::unexpected(inner.error());
    core::LocalizedText text;
    for (auto [tag, target] : {std::pair{"zh-Hans", &text.zhHans}, std::pair{"zh-Hant", &text.zhHant},
                               std::pair{"en", &text.en}}) {
        auto value = String(**inner, tag);
        if (!value) {
            return std::unexpected(ErrorAt(**inner, "'" + std::string(key) + "' needs a '" + tag + "' text"));
        }
        if (value->empty()) {
            return std::unexpected(ErrorAt(**inner, "'" + std::string(key) + "." + tag + "' is empty"));
        }
        *target = std::move(*value);
    }
    if (auto known = OnlyKeys(**inner, {"zh-Hans", "zh-Hant", "en"}); !known) return std::unexpected(known.error());
    return text;
}

Result<std::vector<const toml::table*>> TomlReader::Tables(const toml::table& table, std::string_view key) const {
    std::vector<const toml::table*> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) return out;
    const toml::array* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
        return std::unexpected(ErrorAt(*node, "'" + std::string(key) + "' must be an array of tables ([[" +
                                                  std::string(key) + "]])"));
    }
    for (const toml::node& item : *array) out.push_back(item.as_table());
    return out;
}

Result<const toml::table*> TomlReader::Table(const toml::table& table, std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::unexpected(ErrorAt(table, "missing '" + std::string(key) + "'"));
    if (!node->is_table()) return std::unexpected(ErrorAt(*node, "'" + std::string(key) + "' must be a table"));
    return node->as_table();
}

Result<void> TomlReader::OnlyKeys(const toml::table& table, std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : table) {
        bool found = false;
        for (std::string_view k : known) found = found || key.str() == k;
        if (!found) {
            std::string list;
            for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            return std::unexpected(ErrorAt(value, "unknown key '" + std::string(key.str()) + "' (known: " + list + ")"));
        }
    }
    return {};
}

}  // namespace kiosk::config
