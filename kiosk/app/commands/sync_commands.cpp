// `sync run [--once]`, `sync status` and `enroll URL TOKEN`: the kiosk's link to head office, both ways.
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/app/commands/commands.hpp"
#include "kiosk/config/published_data.hpp"
#include "sync/worker.hpp"

namespace kiosk::app {
namespace {

using Json = nlohmann::ordered_json;

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) { g_stop.store(true); }

struct RunOptions {
    bool once = false;
    bool metrics = false;
};

// Published policy, SLA targets and calendar are checked with the kiosk's own loaders before they apply.
sync::WorkerOptions CheckingOptions() {
    sync::WorkerOptions options;
    options.checkDocument = config::CheckPublishedVersion;
    return options;
}

Outcome RunSync(AppContext& ctx, const GlobalOptions& global, const RunOptions& options) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto worker = sync::SyncWorker::Open(ctx.config.database, CheckingOptions());
    if (!worker) return std::unexpected(worker.error());
    if (!options.once) {
        std::signal(SIGINT, OnStopSignal);
        std::signal(SIGTERM, OnStopSignal);
        worker->Run(g_stop);
        return {};
    }
    auto report = worker->Drain();
    if (!report) return std::unexpected(report.error());
    if (global.json) {
        std::cout << Json{{"batches", report->batches},
                          {"records", report->records},
                          {"rejected", report->rejected},
                          {"datasets_applied", report->datasetsApplied},
                          {"blobs_sent", report->blobsSent},
                          {"blob_bytes", report->blobBytes},
                          {"blobs_failed", report->blobsFailed}}
                         .dump()
                  << "\n";
    } else {
        std::cout << "Sent " << report->records << " records in " << report->batches << " batches";
        if (report->rejected > 0) std::cout << " (" << report->rejected << " refused by head office, kept in its dead-letter table)";
        std::cout << "; applied " << report->datasetsApplied << " data set updates from head office\n";
        if (report->blobsSent > 0 || report->blobsFailed > 0) {
            std::cout << "Sent " << report->blobsSent << " attached files (" << report->blobBytes << " bytes)";
            if (report->blobsFailed > 0) std::cout << "; " << report->blobsFailed << " could not be sent (see `kioskctl sync status`)";
            std::cout << "\n";
        }
    }
    if (options.metrics) {
        auto text = worker->MetricsText();
        if (!text) return std::unexpected(text.error());
        std::cout << *text;
    }
    return {};
}

Outcome RunStatus(AppContext& ctx, const GlobalOptions& global, bool metrics) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto worker = sync::SyncWorker::Open(ctx.config.database);
    if (!worker) return std::unexpected(worker.error());
    if (metrics) {
        auto text = worker->MetricsText();
        if (!text) return std::unexpected(text.error());
        std::cout << *text;
        return {};
    }
    auto status = worker->Status();
    if (!status) return std::unexpected(status.error());
    Json datasets = Json::object();
    for (const storage::AppliedDataset& d : status->datasets) datasets[d.dataset] = Json{{"version", d.version}, {"applied_at", d.appliedAt}};
    Json inForce = Json::object();
    for (const DataInForce& d : ctx.inForce) inForce[d.dataset] = d.Label();
    Json refused = Json::array();
    for (const sync::RefusedDataset& r : status->refused) refused.push_back(Json{{"dataset", r.dataset}, {"version", r.version}, {"why", r.why}});
    Json blobProblems = Json::array();
    for (const sync::BlobProblem& p : status->blobProblems) blobProblems.push_back(Json{{"sha256", p.sha256}, {"detail", p.detail}});
    if (global.json) {
        std::cout << Json{{"enrolled", status->enrolled},
                          {"server", status->server},
                          {"kiosk", status->kiosk},
                          {"epoch", status->epoch},
                          {"backlog", status->backlog},
                          {"acked_through_seq", status->ackedThroughSeq},
                          {"last_attempt", status->lastAttempt},
                          {"last_success", status->lastSuccess},
                          {"last_error", status->lastError},
                          {"consecutive_failures", status->consecutiveFailures},
                          {"inflight_batch", status->inflightBatch ? Json(*status->inflightBatch) : Json()},
                          {"datasets", datasets},
                          {"in_force", inForce},
                          {"refused", refused},
                          {"blobs_waiting", status->blobsWaiting},
                          {"blobs_sent", status->blobsSent},
                          {"blob_problems", blobProblems}}
                         .dump()
                  << "\n";
        return {};
    }
    std::cout << "In force:";
    for (const DataInForce& d : ctx.inForce) std::cout << " " << d.dataset << " " << d.Label() << ";";
    std::cout << "\n";
    for (const sync::RefusedDataset& r : status->refused) {
        std::cout << "Refused: " << r.dataset << " v" << r.version << ": " << r.why << "\n";
    }
    if (!status->enrolled) {
        std::cout << "Not enrolled with head office (run `kioskctl enroll URL TOKEN`). " << status->backlog
                  << " records waiting.\n";
        return {};
    }
    std::cout << "Kiosk " << status->kiosk << " (epoch " << status->epoch << ") -> " << status->server << "\n"
              << "Backlog: " << status->backlog << " records; head office has up to sequence " << status->ackedThroughSeq << "\n"
              << "Last success: " << (status->lastSuccess.empty() ? "never" : status->lastSuccess) << "\n";
    std::cout << "Attached files: " << status->blobsSent << " at head office, " << status->blobsWaiting << " waiting\n";
    for (const sync::BlobProblem& p : status->blobProblems) std::cout << "Cannot send file " << p.sha256 << ": " << p.detail << "\n";
    std::cout << "Data from head office:";
    if (status->datasets.empty()) std::cout << " none applied yet";
    for (const storage::AppliedDataset& d : status->datasets) {
        std::cout << " " << d.dataset << " v" << d.version << " (" << d.appliedAt << ")";
    }
    std::cout << "\n";
    if (!status->lastError.empty()) {
        std::cout << "Last error: " << status->lastError << " (" << status->consecutiveFailures << " failures in a row)\n";
    }
    return {};
}

Outcome RunEnroll(AppContext& ctx, const GlobalOptions& global, const std::string& url, const std::string& token) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto reply = sync::Enrol(ctx.config.database, url, token);
    if (!reply) return std::unexpected(reply.error());
    if (global.json) {
        std::cout << Json{{"kiosk", reply->kiosk}, {"epoch", reply->epoch}, {"server", url}}.dump() << "\n";
    } else {
        std::cout << "Enrolled as " << reply->kiosk << " (epoch " << reply->epoch << ") with " << url << "\n";
    }
    return {};
}

}  // namespace

void AddSyncCommands(CLI::App& cli, CommandEnv& env) {
    auto* group = cli.add_subcommand("sync", "send records to head office, take its data, and report the link's state");
    group->require_subcommand(1);
    auto run = std::make_shared<RunOptions>();
    auto* runCommand = group->add_subcommand("run", "drain the outbox to head office and pull its data (until stopped, or --once)");
    runCommand->add_flag("--once", run->once, "drain once and exit (non-zero when head office could not take everything)");
    runCommand->add_flag("--metrics", run->metrics, "with --once: print the worker's metrics afterwards");
    OnRun(runCommand, env, [&env, run](AppContext& ctx, core::Timestamp) { return RunSync(ctx, env.global, *run); });
    auto metrics = std::make_shared<bool>(false);
    auto* status = group->add_subcommand("status", "backlog, applied data versions, last success and last error");
    status->add_flag("--metrics", *metrics, "Prometheus text instead");
    OnRun(status, env, [&env, metrics](AppContext& ctx, core::Timestamp) { return RunStatus(ctx, env.global, *metrics); });

    auto enroll = std::make_shared<std::pair<std::string, std::string>>();
    auto* enrollCommand = cli.add_subcommand("enroll", "enrol this kiosk with head office using a token from `headoffice kiosk add`");
    enrollCommand->add_option("URL", enroll->first, "head office, e.g. https://ho.example:8443")->required();
    enrollCommand->add_option("TOKEN", enroll->second, "KIOSK-ENROL:... as printed or scanned")->required();
    OnRun(enrollCommand, env, [&env, enroll](AppContext& ctx, core::Timestamp) {
        return RunEnroll(ctx, env.global, enroll->first, enroll->second);
    });
}

}  // namespace kiosk::app
