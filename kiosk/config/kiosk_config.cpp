// kiosk.toml: every key optional, unknown keys refused so a typo never silently becomes a default.
#include "kiosk/config/kiosk_config.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <optional>

#include "kiosk/config/toml_reader.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::config {
namespace {

std::filesystem::path Resolve(const std::filesystem::path& base, const std::filesystem::path& path) {
    return path.is_absolute() ? path : base / path;
}

std::optional<std::uint16_t> HexId(std::string_view text) {
    unsigned value = 0;
    if (text.size() != 4) return std::nullopt;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

// [scanner]: every problem is recorded and skipped, never fatal (see ScannerConfig::problems).
ScannerConfig ReadScanner(const toml::table& section, const TomlReader& reader) {
    ScannerConfig config;
    static constexpr std::string_view kKnown[] = {"keyboard_wedge", "usb", "usb_devices", "keyboard_layout", "camera",
                                                  "repeat_window_ms"};
    for (const auto& [key, node] : section) {
        if (std::find(std::begin(kKnown), std::end(kKnown), key.str()) == std::end(kKnown)) {
            config.problems.push_back(reader.ErrorAt(node, "unknown key 'scanner." + std::string(key.str()) +
                                                               "' (keyboard_wedge, usb, usb_devices, keyboard_layout, "
                                                               "camera, repeat_window_ms); ignored").message);
        }
    }
    auto note = [&](const core::Error& error) { config.problems.push_back(error.message); };
    for (auto [key, target] : {std::pair{"keyboard_wedge", &config.keyboardWedge}, std::pair{"usb", &config.usb}}) {
        if (auto value = reader.BoolOr(section, key, *target)) *target = *value;
        else note(value.error());
    }
    if (const toml::node* devices = section.get("usb_devices")) {
        if (const toml::array* list = devices->as_array()) {
            config.usbDevicesGiven = !list->empty();
            for (const toml::node& item : *list) {
                const auto text = item.value<std::string>();
                const auto colon = text ? text->find(':') : std::string::npos;
                const auto vendor = colon != std::string::npos ? HexId(std::string_view(*text).substr(0, colon)) : std::nullopt;
                const auto product = colon != std::string::npos ? HexId(std::string_view(*text).substr(colon + 1)) : std::nullopt;
                if (!vendor || !product) {
                    note(reader.ErrorAt(item, "'scanner.usb_devices' entry " + (text ? "'" + *text + "'" : std::string("(not a string)")) +
                                                  " is not a USB id VVVV:PPPP in hex, such as \"05e0:1200\"; skipped"));
                    continue;
                }
                config.usbDevices.push_back({*vendor, *product});
            }
        } else {
            config.usbDevicesGiven = true;
            note(reader.ErrorAt(*devices, "'scanner.usb_devices' must be a list such as [\"05e0:1200\"]; no USB scanner is read"));
        }
    }
    if (auto layout = reader.OptionalString(section, "keyboard_layout"); !layout) {
        note(layout.error());
    } else if (*layout) {
        if (**layout == "us" || **layout == "de") config.keyboardLayout = **layout;
        else note(reader.ErrorAt(*section.get("keyboard_layout"), "unknown keyboard_layout '" + **layout + "' (us, de); us is used"));
    }
    if (auto camera = reader.OptionalString(section, "camera"); !camera) note(camera.error());
    else if (*camera) config.camera = **camera;
    if (auto window = reader.IntegerOr(section, "repeat_window_ms", config.repeatWindowMs); !window) {
        note(window.error());
    } else if (*window < 0 || *window > 60'000) {
        note(reader.ErrorAt(*section.get("repeat_window_ms"), "'scanner.repeat_window_ms' must be 0 to 60000; 1500 is used"));
    } else {
        config.repeatWindowMs = static_cast<int>(*window);
    }
    return config;
}

}  // namespace

KioskConfig DefaultKioskConfig(const std::filesystem::path& assetDir) {
    KioskConfig config;
    config.policyFile = assetDir / config.policyFile;
    config.slaFile = assetDir / config.slaFile;
    config.calendarFile = assetDir / config.calendarFile;
    config.faqFile = assetDir / config.faqFile;
    config.scriptsFile = assetDir / config.scriptsFile;
    config.notificationsFile = assetDir / config.notificationsFile;
    config.queueFile = assetDir / config.queueFile;
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
                                         "printer_profile", "files", "tiers", "scanner", "display", "intake"});
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
        if (auto ok = reader.OnlyKeys(**files, {"policy", "sla", "calendar", "lifecycle", "faq", "scripts", "notifications", "queue"}); !ok) {
            return std::unexpected(ok.error());
        }
        for (auto [key, target] : {std::pair{"policy", &config.policyFile}, std::pair{"sla", &config.slaFile},
                                   std::pair{"calendar", &config.calendarFile}, std::pair{"faq", &config.faqFile}, std::pair{"scripts", &config.scriptsFile},
                                   std::pair{"notifications", &config.notificationsFile}, std::pair{"queue", &config.queueFile},
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

    if (root.get("display") != nullptr) {
        auto display = reader.Table(root, "display");
        if (!display) return std::unexpected(display.error());
        if (auto ok = reader.OnlyKeys(**display, {"dpi"}); !ok) return std::unexpected(ok.error());
        auto dpi = reader.IntegerOr(**display, "dpi", config.display.dpi);
        if (!dpi) return std::unexpected(dpi.error());
        if (*dpi < 40 || *dpi > 600) {
            return std::unexpected(reader.ErrorAt(*(*display)->get("dpi"), "'display.dpi' must be 40 to 600 (the panel's "
                                                                            "pixels per inch), not " + std::to_string(*dpi)));
        }
        config.display.dpi = static_cast<int>(*dpi);
    }

    if (root.get("intake") != nullptr) {
        auto intake = reader.Table(root, "intake");
        if (!intake) return std::unexpected(intake.error());
        if (auto ok = reader.OnlyKeys(**intake, {"camera", "recorded_frames"}); !ok) return std::unexpected(ok.error());
        auto camera = reader.OptionalString(**intake, "camera");
        if (!camera) return std::unexpected(camera.error());
        config.intake.camera = camera->value_or("");
        auto recorded = reader.OptionalString(**intake, "recorded_frames");
        if (!recorded) return std::unexpected(recorded.error());
        if (*recorded && !(*recorded)->empty()) config.intake.recordedFrames = Resolve(assetDir, **recorded);
        if (!config.intake.camera.empty() && !config.intake.recordedFrames.empty()) {
            return std::unexpected(reader.ErrorAt(*(*intake)->get("recorded_frames"),
                                                  "give [intake] camera or recorded_frames, not both"));
        }
    }

    if (const toml::node* scanner = root.get("scanner")) {
        if (const toml::table* section = scanner->as_table()) {
            config.scanner = ReadScanner(*section, reader);
        } else {
            config.scanner.problems.push_back(reader.ErrorAt(*scanner, "'scanner' must be a section [scanner]; defaults used").message);
        }
    }
    return config;
}

Result<KioskConfig> LoadKioskConfigFile(const std::filesystem::path& path, const std::filesystem::path& assetDir) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseKioskConfig(*text, path.string(), path.parent_path(), assetDir);
}

}  // namespace kiosk::config
