// `archive --before YYYY-MM`: old months of tickets and their events written to CSV files and dropped
// from the database (PostgreSQL only; partitions.hpp).
#include <chrono>
#include <filesystem>
#include <iostream>

#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/audit_log.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/partitions.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

struct ArchiveOptions {
    std::string before;
    std::string to = "archive";
};

core::Result<void> Archive(const std::string& db, const ArchiveOptions& o) {
    const auto before = ParseMonth(o.before);
    if (!before) return core::Fail(core::ErrorCode::InvalidInput, "--before must be a month as YYYY-MM, got '" + o.before + "'");
    if (!IsPostgresUrl(db)) {
        return core::Fail(core::ErrorCode::InvalidInput, "archiving needs PostgreSQL; --db '" + db + "' is SQLite, whose tickets stay as they are");
    }
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto lease = (*service)->Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::absolute(o.to, ec);
    if (ec) return core::Fail(core::ErrorCode::InvalidInput, "--to '" + o.to + "': " + ec.message());
    const std::int64_t nowMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto archived = ArchiveMonthsBefore(**lease, *before, dir, nowMs, CommandLineActor());
    if (!archived) return std::unexpected(archived.error());
    if (archived->empty()) std::cout << "nothing to archive before " << MonthText(*before) << "\n";
    for (const ArchivedMonth& m : *archived) {
        std::cout << m.month << ": " << m.tickets << " tickets to " << m.ticketsFile << ", " << m.events << " events to "
                  << m.eventsFile << "\n";
    }
    return {};
}

}  // namespace

void AddArchiveCommand(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<ArchiveOptions>();
    auto* archive = cli.add_subcommand(
        "archive", "write the tickets and events of the months before --before to CSV files and drop them (PostgreSQL)");
    archive->add_option("--before", options->before, "YYYY-MM: every earlier month is archived; at most the current month")
        ->required();
    archive->add_option("--to", options->to, "directory the CSV files are written to (default ./archive)");
    archive->callback([&env, options] { env.outcome = Archive(env.db, *options); });
}

}  // namespace kiosk::sync::headoffice::app
