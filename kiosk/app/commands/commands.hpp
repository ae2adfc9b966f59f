// The kioskctl command groups; each adds its subcommands to the command line.
#pragma once

#include <CLI/CLI.hpp>

#include "kiosk/app/command_env.hpp"

namespace kiosk::storage {
class AdminStore;
}

namespace kiosk::app {

void AddStoreCommands(CLI::App& cli, CommandEnv& env);     // init, import, verify
void AddWarrantyCommands(CLI::App& cli, CommandEnv& env);  // warranty check
void AddTicketCommands(CLI::App& cli, CommandEnv& env);    // ticket create|list|show|transition|attach
void AddSyncCommands(CLI::App& cli, CommandEnv& env);      // sync run|status, enroll
void AddScanCommands(CLI::App& cli, CommandEnv& env);      // scan IMAGE..., scanner list|listen
void AddReceiptCommands(CLI::App& cli, CommandEnv& env);  // receipt render|print, printer list|status|test
void AddStaffCommands(CLI::App& cli, CommandEnv& env);    // staff pin set, staff unlock
void AddReportCommands(CLI::App& cli, CommandEnv& env);   // report --period today|week|month
void AddQueueCommands(CLI::App& cli, CommandEnv& env);    // queue take|call|recall|served|no-show|link|list

// The admin store on the context's database (opened if needed), with roles from the asset directory.
core::Result<storage::AdminStore> OpenAdminStore(AppContext& ctx, const GlobalOptions& global);

}  // namespace kiosk::app
