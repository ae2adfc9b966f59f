// kioskctl: maintenance and automation on the kiosk's database (SPEC section 5).
#include <CLI/CLI.hpp>

#include <iostream>

#include "kiosk/app/command_env.hpp"
#include "kiosk/app/commands/commands.hpp"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
    using namespace kiosk::app;
    CLI::App cli{"kioskctl: maintenance and automation for the service kiosk's database"};
    cli.require_subcommand(1);
    // Global options are accepted after the subcommand too (`kioskctl ticket list --json`): every
    // subcommand added below inherits this and hands options it does not know to its parent.
    cli.fallthrough();
    cli.set_version_flag("--version", std::string("kioskctl ") + KIOSK_VERSION);
    CommandEnv env;
    AddGlobalOptions(cli, env.global);
    AddStoreCommands(cli, env);
    AddWarrantyCommands(cli, env);
    AddTicketCommands(cli, env);
    AddReceiptCommands(cli, env);
    AddSyncCommands(cli, env);
    AddScanCommands(cli, env);
    AddStaffCommands(cli, env);
    AddReportCommands(cli, env);
    AddQueueCommands(cli, env);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = cli.exit(error);
        return code == 0 ? 0 : kExitUsage;
    }
    if (!env.Result()) {
        std::cerr << "kioskctl: " << env.Result().error().message << "\n";
        return kExitFailure;
    }
    return 0;
}
