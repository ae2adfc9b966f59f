// headoffice: the ingest server and its administration (serve, kiosk add|revoke|list, publish, user, store, token, rollups, archive).
#include <CLI/CLI.hpp>

#include <iostream>

#include "sync/headoffice/app/commands.hpp"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
    using namespace kiosk::sync::headoffice::app;
    CLI::App cli{"headoffice: receives kiosk records, enrols kiosks, publishes data to them"};
    cli.require_subcommand(1);
    // `headoffice kiosk list --db ...` as well as `headoffice --db ... kiosk list`: subcommands inherit
    // this and hand options they do not know to their parent.
    cli.fallthrough();
    CommandEnv env;
    cli.add_option("--db", env.db, "sqlite:PATH or postgresql://... (default sqlite:headoffice.db)");
    AddServeCommand(cli, env);
    AddKioskCommands(cli, env);
    AddPublishCommand(cli, env);
    AddUserCommands(cli, env);
    AddStoreCommands(cli, env);
    AddTokenCommands(cli, env);
    AddRollupCommands(cli, env);
    AddArchiveCommand(cli, env);
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = cli.exit(error);
        return code == 0 ? 0 : kExitUsage;
    }
    if (!env.outcome) {
        std::cerr << "headoffice: " << env.outcome.error().message << "\n";
        return kExitFailure;
    }
    return 0;
}
