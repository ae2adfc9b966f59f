// Global options and the lazily loaded context of a kioskctl run.
#include "kiosk/app/command_env.hpp"

#include "kiosk/core/clock.hpp"

namespace kiosk::app {

void AddGlobalOptions(CLI::App& cli, GlobalOptions& global) {
    cli.add_option("--config", global.configFile, "Kiosk settings (TOML)");
    cli.add_option("--db", global.database, "Database file (overrides the settings)");
    cli.add_option("--assets", global.assetDir, "Asset directory (policy, SLA, calendar, lifecycle)");
    cli.add_option("--now", global.now, "Act as if it were this UTC time (YYYY-MM-DDTHH:MM:SSZ)");
    cli.add_flag("--json", global.json, "Machine-readable output");
}

Outcome CommandEnv::With(const std::function<Outcome(AppContext&, core::Timestamp now)>& command) {
    core::Timestamp now = core::SystemClock{}.Now();
    if (!global.now.empty()) {
        auto parsed = core::ParseTimestamp(global.now);
        if (!parsed) return core::Fail(parsed.error().code, "--now: " + parsed.error().message);
        now = *parsed;
    }
    if (!m_context) {
        LoadOptions options;
        if (!global.configFile.empty()) options.configFile = global.configFile;
        if (!global.database.empty()) options.database = global.database;
        options.assetDir = global.assetDir.empty() ? DefaultAssetDir() : std::filesystem::path(global.assetDir);
        auto loaded = AppContext::Load(options);
        if (!loaded) return std::unexpected(loaded.error());
        m_context.emplace(std::move(*loaded));
    }
    return command(*m_context, now);
}

void OnRun(CLI::App* subcommand, CommandEnv& env, std::function<Outcome(AppContext&, core::Timestamp now)> command) {
    subcommand->callback([&env, command = std::move(command)] { env.Finish(env.With(command)); });
}

}  // namespace kiosk::app
