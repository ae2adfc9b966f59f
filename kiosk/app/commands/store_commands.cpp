// `init`, `import catalog|sales|staff` and `verify`: the database itself.
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/app/commands/commands.hpp"
#include "kiosk/config/text_file.hpp"
#include "kiosk/importer/csv_import.hpp"
#include "kiosk/storage/blob_store.hpp"

namespace kiosk::app {
namespace {

using Json = nlohmann::ordered_json;

const core::Actor kToolActor{core::Role::System, "kioskctl"};

struct InitOptions {
    std::string store;
    std::string kiosk;
};

Outcome RunInit(AppContext& ctx, const GlobalOptions& global, const InitOptions& options, core::Timestamp now) {
    if (auto opened = ctx.OpenStore(true); !opened) return opened;
    const std::string store = options.store.empty() ? ctx.config.storeCode : options.store;
    const std::string kiosk = options.kiosk.empty() ? ctx.config.kioskCode : options.kiosk;
    auto identity = ctx.store->Initialize(store, kiosk, now);
    if (!identity) return std::unexpected(identity.error());
    if (global.json) {
        std::cout << Json{{"database", ctx.config.database.string()},
                          {"store_code", identity->storeCode},
                          {"kiosk_code", identity->kioskCode},
                          {"kiosk_id", identity->kioskId},
                          {"epoch", identity->epoch}}
                         .dump()
                  << "\n";
    } else {
        std::cout << "Kiosk " << identity->storeCode << "-" << identity->kioskCode << " ready in "
                  << ctx.config.database.string() << " (id " << identity->kioskId << ")\n";
    }
    return {};
}

struct ImportOptions {
    std::string file;
    bool dryRun = false;
};

// Checks the catalog's categories against the loaded policy so a product never lands in the store
// with a category the warranty engine cannot decide for.
core::Result<void> CheckCategories(const std::vector<importer::Row<core::Product>>& rows, const core::PolicyTable& policy,
                                   const std::string& source) {
    std::string problems;
    int count = 0;
    for (const auto& row : rows) {
        const core::Product& p = row.value;
        std::string what;
        if (p.policyId != policy.id) {
            what = "policy_id '" + p.policyId + "' is not the loaded policy '" + policy.id + "'";
        } else if (policy.FindCategory(p.category) == nullptr) {
            std::string known;
            for (const auto& c : policy.categories) known += (known.empty() ? "" : ", ") + c.id;
            what = "category '" + p.category + "' is not in policy '" + policy.id + "' (" + known + ")";
        }
        if (!what.empty() && count++ < importer::kMaxReportedProblems) {
            problems += (problems.empty() ? "" : "\n") + source + ":" + std::to_string(row.line) + ": " + what;
        }
    }
    if (count == 0) return {};
    if (count > importer::kMaxReportedProblems) {
        problems += "\n... and " + std::to_string(count - importer::kMaxReportedProblems) + " more problems";
    }
    return core::Fail(core::ErrorCode::InvalidInput, problems + "\nnothing was imported from " + source);
}

template <class T>
std::vector<T> Values(std::vector<importer::Row<T>>& rows) {
    std::vector<T> values;
    values.reserve(rows.size());
    for (auto& row : rows) values.push_back(std::move(row.value));
    return values;
}

Outcome RunImport(AppContext& ctx, const GlobalOptions& global, const std::string& kind,
                  const ImportOptions& options, core::Timestamp now) {
    auto text = config::ReadTextFile(options.file);
    if (!text) return std::unexpected(text.error());

    std::size_t records = 0;
    core::Result<storage::ImportCounts> counts = storage::ImportCounts{};
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    if (kind == "catalog") {
        auto rows = importer::ParseCatalogCsv(*text, options.file);
        if (!rows) return std::unexpected(rows.error());
        if (auto ok = CheckCategories(*rows, ctx.policy, options.file); !ok) return ok;
        records = rows->size();
        if (!options.dryRun) counts = ctx.store->ImportProducts(Values(*rows), kToolActor, now);
    } else if (kind == "sales") {
        auto rows = importer::ParseSalesCsv(*text, options.file);
        if (!rows) return std::unexpected(rows.error());
        records = rows->size();
        if (!options.dryRun) counts = ctx.store->ImportSales(Values(*rows), kToolActor, now);
    } else {
        auto rows = importer::ParseStaffCsv(*text, options.file);
        if (!rows) return std::unexpected(rows.error());
        records = rows->size();
        if (!options.dryRun) counts = ctx.store->ImportStaff(Values(*rows), kToolActor, now);
    }
    if (!counts) return core::Fail(counts.error().code, counts.error().message + "\nnothing was imported from " + options.file);

    if (global.json) {
        std::cout << Json{{"kind", kind}, {"file", options.file}, {"records", records}, {"dry_run", options.dryRun},
                          {"inserted", counts->inserted}, {"updated", counts->updated}}
                         .dump()
                  << "\n";
    } else if (options.dryRun) {
        std::cout << options.file << ": " << records << " " << kind << " records, all valid (nothing written)\n";
    } else {
        std::cout << options.file << ": imported " << records << " " << kind << " records (" << counts->inserted
                  << " new, " << counts->updated << " updated)\n";
    }
    return {};
}

Outcome RunVerify(AppContext& ctx, const GlobalOptions& global) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    const storage::BlobStore files(storage::BlobStore::DirectoryFor(ctx.config.database));
    auto report = ctx.store->Verify(&files);
    if (!report) return std::unexpected(report.error());
    if (global.json) {
        Json out{{"ok", report->ok},
                 {"events_checked", report->eventsChecked},
                 {"tickets_checked", report->ticketsChecked},
                 {"files_checked", report->filesChecked}};
        if (report->firstBreak) {
            out["first_break"] = Json{{"seq", report->firstBreak->seq}, {"event_id", report->firstBreak->eventId},
                                      {"ticket", report->firstBreak->ticketNumber}, {"reason", report->firstBreak->reason}};
        }
        Json mismatches = Json::array();
        for (const auto& m : report->mismatches) mismatches.push_back(Json{{"ticket", m.ticketNumber}, {"reason", m.reason}});
        out["projection_mismatches"] = mismatches;
        Json problems = Json::array();
        for (const auto& p : report->attachmentProblems) {
            problems.push_back(Json{{"ticket", p.ticketNumber}, {"kind", p.kind}, {"sha256", p.sha256}, {"path", p.path},
                                    {"reason", p.reason}});
        }
        out["attachment_problems"] = problems;
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "Checked " << report->eventsChecked << " events of " << report->ticketsChecked << " tickets and "
                  << report->filesChecked << " attached files.\n";
        if (report->firstBreak) {
            const auto& b = *report->firstBreak;
            std::cout << "First broken link: event #" << b.seq << " (" << b.eventId << ") of ticket " << b.ticketNumber
                      << ": " << b.reason << "\n";
        }
        for (const auto& m : report->mismatches) {
            std::cout << "Ticket " << m.ticketNumber << " does not match its events: " << m.reason << "\n";
        }
        for (const auto& p : report->attachmentProblems) {
            std::cout << "Ticket " << p.ticketNumber << ", " << p.kind << " " << p.sha256.substr(0, 12) << ": " << p.reason
                      << "\n";
        }
        if (report->ok) std::cout << "Event chain, ticket projections and attached files are intact.\n";
    }
    if (!report->ok) return core::Fail(core::ErrorCode::Corrupt, "verification failed: the database has been altered");
    return {};
}

}  // namespace

void AddStoreCommands(CLI::App& cli, CommandEnv& env) {
    auto initOptions = std::make_shared<InitOptions>();
    CLI::App* init = cli.add_subcommand("init", "Create the database and record the kiosk's identity");
    init->add_option("--store", initOptions->store, "Store code (default: from the settings)");
    init->add_option("--kiosk", initOptions->kiosk, "Kiosk code (default: from the settings)");
    OnRun(init, env, [&env, initOptions](AppContext& ctx, core::Timestamp now) {
        return RunInit(ctx, env.global, *initOptions, now);
    });

    auto importOptions = std::make_shared<ImportOptions>();
    CLI::App* import = cli.add_subcommand("import", "Import a CSV file; a file with any bad line imports nothing");
    import->require_subcommand(1);
    for (const char* kind : {"catalog", "sales", "staff"}) {
        CLI::App* sub = import->add_subcommand(kind, std::string("Import ") + kind + " from CSV");
        sub->add_option("FILE", importOptions->file, "CSV file (header row: see the README)")->required();
        sub->add_flag("--dry-run", importOptions->dryRun, "Check the file only");
        OnRun(sub, env, [&env, importOptions, kind = std::string(kind)](AppContext& ctx, core::Timestamp now) {
            return RunImport(ctx, env.global, kind, *importOptions, now);
        });
    }

    CLI::App* verify = cli.add_subcommand("verify", "Check the event hash chain, every ticket's projection and every attached file");
    OnRun(verify, env, [&env](AppContext& ctx, core::Timestamp) { return RunVerify(ctx, env.global); });
}

}  // namespace kiosk::app
