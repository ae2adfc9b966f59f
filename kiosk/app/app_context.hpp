// Everything a kiosk program works with, loaded once from the configuration: the data tables and the
// open store. kioskctl builds one per run; the kiosk application will build one at start-up.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/config/kiosk_config.hpp"
#include "kiosk/core/business_calendar.hpp"
#include "kiosk/core/flow/faq.hpp"
#include "kiosk/core/notifications.hpp"
#include "kiosk/core/queue_numbers.hpp"
#include "kiosk/core/scripts.hpp"
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

// A data set the kiosk decides with, and where it came from.
struct DataInForce {
    std::string dataset;       // policy, sla, calendar, faq, scripts, notifications
    std::int64_t version = 0;  // the published version; 0 while the asset file is in force
    std::filesystem::path file;  // the asset file (in force when version is 0)
    // "published v3" or "file sanbao.toml".
    std::string Label() const;
};

struct AppContext {
    config::KioskConfig config;
    core::PolicyTable policy;
    core::SlaPolicy sla;
    core::BusinessCalendar calendar;
    core::flow::FaqCatalog faq;  // self-help suggestions
    core::ScriptLibrary scripts;  // service scripts (话术) per scene
    core::NotificationPolicy notifications;  // whether and when customers get messages: the receipt's promise
    core::QueueServices queue;  // the services customers take a queue number for (from the asset file)
    // Heap-allocated so the store's reference to it survives moves of the context.
    std::unique_ptr<core::Lifecycle> lifecycle;
    std::optional<storage::KioskStore> store;
    // Policy, SLA targets, calendar and self-help: the newest published version the database holds,
    // else the file.
    std::vector<DataInForce> inForce;
    const DataInForce* InForce(std::string_view dataset) const;

    // Loads the configuration and every data table; fails with the first file that does not load.
    static core::Result<AppContext> Load(const LoadOptions& options);
    // Opens (and migrates) the database named by the configuration, and puts in force the policy, SLA
    // targets, calendar and self-help head office published, where the database holds any
    // (UsePublishedData).
    // With `create` false a missing database fails with NotFound and a hint to run `kioskctl init`.
    core::Result<void> OpenStore(bool create);
    // Whether the store and kiosk codes come from a configuration file (and must match the database's).
    bool identityFromConfig = false;
    // Replaces the file's policy, SLA targets, calendar and self-help with the newest published
    // version of each that `db` holds. A published text that no longer loads (checked before it was applied, so only
    // after a software change) is reported on standard error and the file stays in force. Returns
    // whether anything in force changed.
    core::Result<bool> UsePublishedData(storage::Database& db);
};

}  // namespace kiosk::app
