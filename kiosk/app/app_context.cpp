// Loading configuration, data tables and the database in one place for every program.
#include "kiosk/app/app_context.hpp"


#include "kiosk/config/asset_dir.hpp"
#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/policy_loader.hpp"
#include "kiosk/config/sla_loader.hpp"

namespace kiosk::app {

std::filesystem::path DefaultAssetDir() { return config::ResolveAssetDir(KIOSK_DEFAULT_ASSET_DIR); }

core::Result<AppContext> AppContext::Load(const LoadOptions& options) {
    AppContext context;
    if (options.configFile) {
        auto loaded = config::LoadKioskConfigFile(*options.configFile, options.assetDir);
        if (!loaded) return std::unexpected(loaded.error());
        context.config = std::move(*loaded);
        context.identityFromConfig = true;
    } else {
        context.config = config::DefaultKioskConfig(options.assetDir);
    }
    if (options.database) context.config.database = *options.database;

    auto policy = config::LoadPolicyFile(context.config.policyFile);
    if (!policy) return std::unexpected(policy.error());
    context.policy = std::move(*policy);
    auto sla = config::LoadSlaPolicyFile(context.config.slaFile);
    if (!sla) return std::unexpected(sla.error());
    context.sla = std::move(*sla);
    auto calendar = config::LoadCalendarFile(context.config.calendarFile);
    if (!calendar) return std::unexpected(calendar.error());
    context.calendar = std::move(*calendar);
    auto lifecycle = config::LoadLifecycleFile(context.config.lifecycleFile);
    if (!lifecycle) return std::unexpected(lifecycle.error());
    context.lifecycle = std::make_unique<core::Lifecycle>(std::move(*lifecycle));
    return context;
}

core::Result<void> AppContext::OpenStore(bool create) {
    storage::OpenOptions openOptions;
    openOptions.create = create;
    auto db = storage::Database::Open(config.database, openOptions);
    if (!db) {
        if (db.error().code == core::ErrorCode::NotFound) {
            return core::Fail(core::ErrorCode::NotFound,
                              "no kiosk database at " + config.database.string() + " (create it with 'kioskctl init')");
        }
        return std::unexpected(db.error());
    }
    storage::StoreOptions options;
    options.utcOffset = calendar.utcOffset;
    if (identityFromConfig) {
        options.storeCode = config.storeCode;
        options.kioskCode = config.kioskCode;
    }
    auto opened = storage::KioskStore::Open(std::move(*db), *lifecycle, options);
    if (!opened) return std::unexpected(opened.error());
    store.emplace(std::move(*opened));
    return {};
}

}  // namespace kiosk::app
