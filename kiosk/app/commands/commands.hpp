// The kioskctl command groups; each adds its subcommands to the command line.
#pragma once

#include <CLI/CLI.hpp>

#include "kiosk/app/command_env.hpp"

namespace kiosk::app {

void AddStoreCommands(CLI::App& cli, CommandEnv& env);     // init, import, verify
void AddWarrantyCommands(CLI::App& cli, CommandEnv& env);  // warranty check
void AddTicketCommands(CLI::App& cli, CommandEnv& env);    // ticket create|list|show|transition
void AddSyncCommands(CLI::App& cli, CommandEnv& env);      // sync run|status, enroll
void AddScanCommands(CLI::App& cli, CommandEnv& env);      // scan IMAGE..., scanner list|listen
void AddReceiptCommands(CLI::App& cli, CommandEnv& env);  // receipt render|print, printer list|status|test

}  // namespace kiosk::app
