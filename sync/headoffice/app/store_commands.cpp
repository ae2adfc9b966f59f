// `store region|list`: which region each store belongs to, for the dashboard's reports by region.
#include <iostream>

#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/ingest_service.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

struct StoreOptions {
    std::string store;
    std::string region;
};

core::Result<void> SetRegion(const std::string& db, const StoreOptions& o) {
    if (auto ok = core::ValidateStoreCode(o.store); !ok) return ok;
    if (o.region.empty() || o.region.size() > 64) {
        return core::Fail(core::ErrorCode::InvalidInput, "a region name is 1-64 characters, got '" + o.region + "'");
    }
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto lease = (*service)->Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto ok = (*lease)->Query("INSERT INTO stores (code, region) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET region = excluded.region",
                              {o.store, o.region});
    if (!ok) return std::unexpected(ok.error());
    std::cout << "store " << o.store << " is in region " << o.region << "\n";
    return {};
}

core::Result<void> List(const std::string& db) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto lease = (*service)->Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto rows = (*lease)->Query("SELECT code, region FROM stores ORDER BY region, code");
    if (!rows) return std::unexpected(rows.error());
    for (const SqlRow& r : *rows) std::cout << r[0] << "  " << r[1] << "\n";
    return {};
}

}  // namespace

void AddStoreCommands(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<StoreOptions>();
    auto* store = cli.add_subcommand("store", "stores' regions, for the dashboard's reports by region");
    store->require_subcommand(1);
    auto* region = store->add_subcommand("region", "put a store in a region (replaces its region)");
    region->add_option("STORE", options->store)->required();
    region->add_option("REGION", options->region)->required();
    region->callback([&env, options] { env.outcome = SetRegion(env.db, *options); });
    auto* list = store->add_subcommand("list", "stores and their regions");
    list->callback([&env] { env.outcome = List(env.db); });
}

}  // namespace kiosk::sync::headoffice::app
