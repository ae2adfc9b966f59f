// Loading configuration, data tables and the database in one place for every program.
#include "kiosk/app/app_context.hpp"

#include <algorithm>
#include <cstdio>

#include "kiosk/config/asset_dir.hpp"
#include "kiosk/config/faq_loader.hpp"
#include "kiosk/config/queue_loader.hpp"
#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/notification_loader.hpp"
#include "kiosk/config/policy_loader.hpp"
#include "kiosk/config/script_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "kiosk/storage/downstream.hpp"
#include "kiosk/storage/migrations.hpp"

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
    auto faq = config::LoadFaqFile(context.config.faqFile);
    if (!faq) return std::unexpected(faq.error());
    context.faq = std::move(*faq);
    auto scripts = config::LoadScriptsFile(context.config.scriptsFile);
    if (!scripts) return std::unexpected(scripts.error());
    context.scripts = std::move(*scripts);
    auto notifications = config::LoadNotificationsFile(context.config.notificationsFile);
    if (!notifications) return std::unexpected(notifications.error());
    context.notifications = std::move(*notifications);
    // A store without a queue file hands out no numbers; a file that is there must load.
    auto queue = config::LoadQueueServicesFile(context.config.queueFile);
    if (!queue && queue.error().code != core::ErrorCode::NotFound) return std::unexpected(queue.error());
    if (queue) context.queue = std::move(*queue);
    context.inForce = {{"policy", 0, context.config.policyFile},
                       {"sla", 0, context.config.slaFile},
                       {"calendar", 0, context.config.calendarFile},
                       {"faq", 0, context.config.faqFile},
                       {"scripts", 0, context.config.scriptsFile},
                       {"notifications", 0, context.config.notificationsFile}};
    context.policy.version = context.inForce[0].Label();
    auto lifecycle = config::LoadLifecycleFile(context.config.lifecycleFile);
    if (!lifecycle) return std::unexpected(lifecycle.error());
    context.lifecycle = std::make_unique<core::Lifecycle>(std::move(*lifecycle));
    return context;
}

std::string DataInForce::Label() const {
    return version > 0 ? "published v" + std::to_string(version) : "file " + file.filename().string();
}

const DataInForce* AppContext::InForce(std::string_view dataset) const {
    for (const DataInForce& d : inForce) {
        if (d.dataset == dataset) return &d;
    }
    return nullptr;
}

core::Result<bool> AppContext::UsePublishedData(storage::Database& db) {
    auto applied = storage::AppliedDatasets(db);
    if (!applied) return std::unexpected(applied.error());
    bool changed = false;
    for (DataInForce& data : inForce) {
        const auto found = std::find_if(applied->begin(), applied->end(),
                                        [&](const storage::AppliedDataset& a) { return a.dataset == data.dataset; });
        if (found == applied->end() || found->version == data.version) continue;
        auto text = storage::DownstreamDocument(db, data.dataset);
        if (!text) return std::unexpected(text.error());
        if (!*text) continue;
        const std::string source = "published " + data.dataset + " v" + std::to_string(found->version);
        const auto refuse = [&](const core::Error& error) {
            std::fprintf(stderr, "kiosk: %s does not load (%s); %s stays in force\n", source.c_str(), error.message.c_str(),
                         data.Label().c_str());
        };
        if (data.dataset == "policy") {
            auto parsed = config::ParsePolicy(**text, source);
            if (!parsed) { refuse(parsed.error()); continue; }
            policy = std::move(*parsed);
        } else if (data.dataset == "sla") {
            auto parsed = config::ParseSlaPolicy(**text, source);
            if (!parsed) { refuse(parsed.error()); continue; }
            sla = std::move(*parsed);
        } else if (data.dataset == "calendar") {
            auto parsed = config::ParseCalendar(**text, source);
            if (!parsed) { refuse(parsed.error()); continue; }
            calendar = std::move(*parsed);
        } else if (data.dataset == "scripts") {
            auto parsed = config::ParseScripts(**text, source);
            if (!parsed) { refuse(parsed.error()); continue; }
            scripts = std::move(*parsed);
        } else if (data.dataset == "notifications") {
            auto parsed = config::ParseNotifications(**text, source);
            if (!parsed) { refuse(parsed.error()); continue; }
            notifications = std::move(*parsed);
        } else {
            auto parsed = config::ParseFaq(**text, source);
            if (!parsed) { refuse(parsed.error()); continue; }
            faq = std::move(*parsed);
        }
        data.version = found->version;
        changed = true;
    }
    policy.version = InForce("policy")->Label();
    return changed;
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
    // Migrated first (KioskStore::Open finds nothing left to do): an older database gains the tables
    // the published data is read from.
    if (auto migrated = storage::Migrate(*db); !migrated) return std::unexpected(migrated.error());
    if (auto published = UsePublishedData(*db); !published) return std::unexpected(published.error());
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
