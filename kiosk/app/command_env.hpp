// What every kioskctl command gets: the global options, the loaded context and the time to act at.
// Command groups register their subcommands with CLI11 and report their outcome through Finish().
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

#include "kiosk/app/app_context.hpp"
#include "kiosk/core/error.hpp"

namespace kiosk::app {

// A command's outcome: nothing, or an error whose message goes to stderr.
using Outcome = core::Result<void>;

struct GlobalOptions {
    std::string configFile;
    std::string database;
    std::string assetDir;
    std::string now;
    bool json = false;
};

class CommandEnv {
public:
    GlobalOptions global;

    // Loads the configuration and data tables (once), works out the time to act at, and runs `command`.
    // The command opens the store itself (AppContext::OpenStore), as only it knows whether to create it.
    Outcome With(const std::function<Outcome(AppContext&, core::Timestamp now)>& command);
    void Finish(Outcome outcome) { m_outcome = std::move(outcome); }
    const Outcome& Result() const { return m_outcome; }

private:
    std::optional<AppContext> m_context;
    Outcome m_outcome;
};

void AddGlobalOptions(CLI::App& cli, GlobalOptions& global);

// Registers `command` to run in `env` when its subcommand is given on the command line.
void OnRun(CLI::App* subcommand, CommandEnv& env, std::function<Outcome(AppContext&, core::Timestamp now)> command);

}  // namespace kiosk::app
