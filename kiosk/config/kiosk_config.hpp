// The kiosk's settings file (kiosk.toml): identity, database, data files and tier thresholds.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "kiosk/core/customer.hpp"
#include "kiosk/core/language.hpp"

namespace kiosk::config {

struct KioskConfig {
    std::string storeCode = "S001";
    std::string kioskCode = "K1";
    std::filesystem::path database = "kiosk.db";
    core::Language defaultLanguage = core::Language::ZhHans;
    std::string printer = "usb://auto";        // a printer URI (see the README)
    std::string printerProfile = "generic-80";  // a profile in assets/printers
    std::filesystem::path policyFile = "policy/sanbao.toml";
    std::filesystem::path slaFile = "sla.toml";
    std::filesystem::path calendarFile = "calendar.toml";
    std::filesystem::path lifecycleFile = "lifecycle.toml";
    core::TierThresholds tiers;
};

// Parses kiosk.toml. Relative `database` paths resolve against `configDir`; relative data-file paths
// resolve against `assetDir`. Every key is optional (the defaults above, with the data files in
// `assetDir`); unknown keys and invalid codes are InvalidInput "SOURCE:LINE:COLUMN: what".
core::Result<KioskConfig> ParseKioskConfig(std::string_view tomlText, std::string_view sourceName,
                                           const std::filesystem::path& configDir,
                                           const std::filesystem::path& assetDir);
core::Result<KioskConfig> LoadKioskConfigFile(const std::filesystem::path& path, const std::filesystem::path& assetDir);
// The defaults, with data files in `assetDir` and the database in the current directory.
KioskConfig DefaultKioskConfig(const std::filesystem::path& assetDir);

}  // namespace kiosk::config
