// The headoffice program's command groups: each registers its subcommands and reports its outcome.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "kiosk/core/error.hpp"

namespace kiosk::sync::headoffice::app {

struct CommandEnv {
    std::string db = "sqlite:headoffice.db";  // --db, shared by every command
    core::Result<void> outcome;
};

void AddServeCommand(CLI::App& cli, CommandEnv& env);
// kiosk add | revoke | list
void AddKioskCommands(CLI::App& cli, CommandEnv& env);
// publish catalog | policy | sla | staff | sales FILE
void AddPublishCommand(CLI::App& cli, CommandEnv& env);

}  // namespace kiosk::sync::headoffice::app
