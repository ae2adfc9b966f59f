// Reading TOML data files into core types, with errors that name the file, line and key.
// Internal to kiosk_config: the loaders' public headers do not expose toml++.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "kiosk/config/text_file.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"

namespace kiosk::config {

using core::Result;

// Parses TOML; a syntax error becomes InvalidInput "SOURCE:LINE:COLUMN: what".
Result<toml::table> ParseToml(std::string_view text, std::string_view sourceName);

// Field access that reports "SOURCE:LINE:COLUMN: KEY ..." on a missing or mistyped value.
class TomlReader {
public:
    explicit TomlReader(std::string sourceName) : m_source(std::move(sourceName)) {}

    const std::string& Source() const { return m_source; }
    // "SOURCE:LINE:COLUMN" of a node, or just SOURCE when toml++ has no position.
    std::string Where(const toml::node& node) const;
    core::Error ErrorAt(const toml::node& node, std::string message) const;

    Result<std::string> String(const toml::table& table, std::string_view key) const;
    Result<std::optional<std::string>> OptionalString(const toml::table& table, std::string_view key) const;
    Result<std::int64_t> Integer(const toml::table& table, std::string_view key) const;
    Result<std::int64_t> IntegerOr(const toml::table& table, std::string_view key, std::int64_t fallback) const;
    Result<double> NumberOr(const toml::table& table, std::string_view key, double fallback) const;
    Result<bool> BoolOr(const toml::table& table, std::string_view key, bool fallback) const;
    Result<std::vector<std::string>> StringArrayOr(const toml::table& table, std::string_view key) const;
    // An inline table { zh-Hans = "...", zh-Hant = "...", en = "..." }; all three are required.
    Result<core::LocalizedText> Localized(const toml::table& table, std::string_view key) const;
    // An array of tables (`[[key]]`); empty when absent, an error when `key` is something else.
    Result<std::vector<const toml::table*>> Tables(const toml::table& table, std::string_view key) const;
    Result<const toml::table*> Table(const toml::table& table, std::string_view key) const;

    // Rejects keys of `table` not in `known`, naming the unknown key: a typo in a data file should not
    // silently fall back to a default.
    Result<void> OnlyKeys(const toml::table& table, std::initializer_list<std::string_view> known) const;

private:
    std::string m_source;
};

}  // namespace kiosk::config
