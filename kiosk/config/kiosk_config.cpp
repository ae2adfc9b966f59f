// kiosk.toml: every key optional, unknown keys refused so a typo never silently becomes a default.
#include "kiosk/config/kiosk_config.hpp"

#include <cmath>

#include "kiosk/config/toml_reader.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::config {
namespace {

std::filesystem::path Resolve(const std::filesystem::path& base, const std::filesystem::path& path) {
    return path.is_absolute() ? path : base / path;
}

}  // namespace

KioskConfig DefaultKioskConfig(const std::filesystem::path& assetDir) {
    KioskConfig config;
    config.policyFile = assetDir / config.policyFile;
    config.slaFile = assetDir / config.slaFile;
    config.calendarFile = assetDir / config.calendarFile;
    config.lifecycleFile = assetDir / config.lifecycleFile;
    return config;
}

Result<KioskConfig> ParseKioskConfig(std::string_view tomlText, std::string_view sourceName,
                                     const std::filesystem::path& configDir, const std::filesystem::path& assetDir) {
    auto parsed = ParseToml(tomlText, sourceName);
    if (!parsed) return std::unexpected(parsed.error());
    const toml::table& root = *parsed;
    TomlReader reader{std::string(sourceName)};
    if (auto ok = reader.OnlyKeys(root, {"store_code", "kiosk_code", "database", "default_language", "printer",
                                         "printer_profile", "files", "tiers"});
        !ok) {
        return std::unexpected(ok.error());
    }

    KioskConfig config = DefaultKioskConfig(assetDir);
    auto codeField = [&](std::string_view key, std::string& target,
                         core::Result<void> (*validate)(std::string_view)) -> Result<void> {
        auto value = reader.OptionalString(root, key);
        if (!value) return std::unexpected(value.error());
        if (!*value) return {};
        if (auto valid = validate(**value); !valid) {
            return std::unexpected(reader.ErrorAt(*root.get(key), valid.error().message));
        }
        target = **value;
        return {};
    };
    if (auto ok = codeField("store_code", config.storeCode, core::ValidateStoreCode); !ok) return std::unexpected(ok.error());
    if (auto ok = codeField("kiosk_code", config.kioskCode, core::ValidateKioskCode); !ok) return std::unexpected(ok.error());

    auto database = reader.OptionalString(root, "database");
    if (!database) return std::unexpected(database.error());
    config.database = Resolve(configDir, database->value_or("kiosk.db"));

    auto language = reader.OptionalString(root, "default_language");
    if (!language) return std::unexpected(language.error());
    if (*language) {
        auto parsedLanguage = core::ParseLanguage(**language);
        if (!parsedLanguage) {
            return std::unexpected(reader.ErrorAt(*root.get("default_language"),
                                                  "unknown language '" + **language + "' (zh-Hans, zh-Hant, en)"));
        }
        config.defaultLanguage = *parsedLanguage;
    }

    for (auto [key, target] : {std::pair{"printer", &config.printer}, std::pair{"printer_profile", &config.printerProfile}}) {
        auto value = reader.OptionalString(root, key);
        if (!value) return std::unexpected(value.error());
        if (*value) {
            if ((*value)->empty()) return std::unexpected(reader.ErrorAt(*root.get(key), std::string("'") + key + "' is empty"));
            *target = **value;
        }
    }

    if (root.get("files") != nullptr) {
        auto files = reader.Table(root, "files");
        if (!files) return std::unexpected(files.error());
        if (auto ok = reader.OnlyKeys(**files, {"policy", "sla", "calendar", "lifecycle"}); !ok) {
            return std::unexpected(ok.error());
        }
        for (auto [key, target] : {std::pair{"policy", &config.policyFile}, std::pair{"sla", &config.slaFile},
                                   std::pair{"calendar", &config.calendarFile},
                                   std::pair{"lifecycle", &config.lifecycleFile}}) {
            auto value = reader.OptionalString(**files, key);
            if (!value) return std::unexpected(value.error());
            if (*value) *target = Resolve(assetDir, **value);
        }
    }

    if (root.get("tiers") != nullptr) {
        auto tiers = reader.Table(root, "tiers");
        if (!tiers) return std::unexpected(tiers.error());
        if (auto ok = reader.OnlyKeys(**tiers, {"returning_min_visits", "vip_min_visits", "vip_min_spend_yuan"}); !ok) {
            return std::unexpected(ok.error());
        }
        auto returning = reader.IntegerOr(**tiers, "returning_min_visits", config.tiers.returningMinVisits);
        auto vipVisits = reader.IntegerOr(**tiers, "vip_min_visits", config.tiers.vipMinVisits);
        auto vipSpend = reader.NumberOr(**tiers, "vip_min_spend_yuan",
                                        static_cast<double>(config.tiers.vipMinSpend) / 100.0);
        if (!returning) return std::unexpected(returning.error());
        if (!vipVisits) return std::unexpected(vipVisits.error());
        if (!vipSpend) return std::unexpected(vipSpend.error());
        if (*returning < 1 || *vipVisits < *returning || *vipVisits > 100000 || *vipSpend < 0 || *vipSpend > 1e10) {
            return std::unexpected(reader.ErrorAt(
                **tiers, "tier thresholds must satisfy 1 <= returning_min_visits <= vip_min_visits and "
                         "vip_min_spend_yuan >= 0"));
        }
        config.tiers.returningMinVisits = static_cast<int>(*returning);
        config.tiers.vipMinVisits = static_cast<int>(*vipVisits);
        config.tiers.vipMinSpend = static_cast<core::Money>(std::llround(*vipSpend * 100.0));
    }
    return config;
}

Result<KioskConfig> LoadKioskConfigFile(const std::filesystem::path& path, const std::filesystem::path& assetDir) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseKioskConfig(*text, path.string(), path.parent_path(), assetDir);
}

}  // namespace kiosk::config
