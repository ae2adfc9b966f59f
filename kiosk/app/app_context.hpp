// Everything a kiosk program works with, loaded once from the configuration: the data tables and the
// open store. kioskctl builds one per run; the kiosk application will build one at start-up.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "kiosk/config/kiosk_config.hpp"
#include "kiosk/core/business_calendar.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/sla.hpp"
#include "kiosk/core/warranty.hpp"
#include "kiosk/storage/kiosk_store.hpp"

namespace kiosk::app {

struct LoadOptions {
    std::optional<std::filesystem::path> configFile;  // --config; else the defaults
    std::optional<std::filesystem::path> database;    // --db; overrides the config
    std::filesystem::path assetDir;
};

// The asset directory (config::ResolveAssetDir): $KIOSK_ASSET_DIR, an installed package's, or this build's.
std::filesystem::path DefaultAssetDir();

struct AppContext {
    config::KioskConfig config;
    core::PolicyTable policy;
    core::SlaPolicy sla;
    core::BusinessCalendar calendar;
    // Heap-allocated so the store's reference to it survives moves of the context.
    std::unique_ptr<core::Lifecycle> lifecycle;
    std::optional<storage::KioskStore> store;

    // Loads the configuration and every data table; fails with the first file that does not load.
    static core::Result<AppContext> Load(const LoadOptions& options);
    // Opens (and migrates) the database named by the configuration. With `create` false a missing
    // database fails with NotFound and a hint to run `kioskctl init`.
    core::Result<void> OpenStore(bool create);
    // Whether the store and kiosk codes come from a configuration file (and must match the database's).
    bool identityFromConfig = false;
};

}  // namespace kiosk::app
