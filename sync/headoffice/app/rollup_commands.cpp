// `rollups rebuild|check`: the ticket rollups the reports read, recomputed from the tickets or compared with them.
#include <iostream>

#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/rollups.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

core::Result<void> Rebuild(const std::string& db) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto lease = (*service)->Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto rows = RebuildRollups(**lease);
    if (!rows) return std::unexpected(rows.error());
    std::cout << "rollups rebuilt from the tickets: " << *rows << " rows\n";
    return {};
}

core::Result<void> Check(const std::string& db) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto lease = (*service)->Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto differences = CheckRollups(**lease);
    if (!differences) return std::unexpected(differences.error());
    for (const std::string& line : *differences) std::cout << line << "\n";
    if (!differences->empty()) {
        return core::Fail(core::ErrorCode::Corrupt, std::to_string(differences->size()) +
                                                        " rollup rows differ from the tickets (headoffice rollups rebuild recomputes them)");
    }
    std::cout << "rollups agree with the tickets\n";
    return {};
}

}  // namespace

void AddRollupCommands(CLI::App& cli, CommandEnv& env) {
    auto* rollups = cli.add_subcommand("rollups", "the ticket rollups the dashboard's figures are read from");
    rollups->require_subcommand(1);
    rollups->add_subcommand("rebuild", "recompute the rollups from the tickets, in one transaction")
        ->callback([&env] { env.outcome = Rebuild(env.db); });
    rollups->add_subcommand("check", "compare the rollups with a recomputation from the tickets; print the rows that differ")
        ->callback([&env] { env.outcome = Check(env.db); });
}

}  // namespace kiosk::sync::headoffice::app
