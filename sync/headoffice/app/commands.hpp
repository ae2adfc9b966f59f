// The headoffice program's command groups: each registers its subcommands and reports its outcome.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "kiosk/core/error.hpp"
#include "sync/headoffice/web_dashboard.hpp"

namespace kiosk::sync::headoffice::app {

struct CommandEnv {
    std::string db = "sqlite:headoffice.db";  // --db, shared by every command
    core::Result<void> outcome;
};

void AddServeCommand(CLI::App& cli, CommandEnv& env);
// kiosk add | revoke | list
void AddKioskCommands(CLI::App& cli, CommandEnv& env);
// publish catalog | policy | sla | calendar | faq | staff | sales FILE
void AddPublishCommand(CLI::App& cli, CommandEnv& env);
// user add | list | passwd: the dashboard's head-office users
void AddUserCommands(CLI::App& cli, CommandEnv& env);
// store region | list: stores' regions for the dashboard's reports
void AddStoreCommands(CLI::App& cli, CommandEnv& env);
// token add | list | revoke: read-only API tokens
void AddTokenCommands(CLI::App& cli, CommandEnv& env);
// rollups rebuild | check: the ticket rollups against the tickets
void AddRollupCommands(CLI::App& cli, CommandEnv& env);
// archive --before YYYY-MM [--to DIR]: old months of tickets to CSV files (PostgreSQL)
void AddArchiveCommand(CLI::App& cli, CommandEnv& env);

// Writes the audit entry of a command-line action by the user running it ($USER). Fails with the
// database's errors.
core::Result<void> AuditCommand(IngestService& service, std::string_view action, std::string subject, std::string detail);

// Checks a data file's text with the kiosk's own parsers (publish, and uploads on the dashboard).
// Fails with InvalidInput carrying "FILE:LINE: what" for each bad line.
core::Result<CheckedUpload> CheckDataFile(std::string_view dataset, std::string_view content, std::string_view fileName);

}  // namespace kiosk::sync::headoffice::app
