// `serve`: the ingest server and the web dashboard until SIGINT or SIGTERM.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <stop_token>
#include <thread>

#include "kiosk/config/asset_dir.hpp"
#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/notification_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "kiosk/config/text_file.hpp"
#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/notifier.hpp"
#include "sync/headoffice/partitions.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/headoffice/web_api.hpp"
#include "sync/headoffice/web_dashboard.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

std::filesystem::path AssetDir() { return config::ResolveAssetDir(KIOSK_DEFAULT_ASSET_DIR); }

// Hourly, the month partitions ahead (partitions.hpp), so a new month never begins in the default
// partition; a failure is logged and tried again the next hour. Stops when destroyed.
class MonthPartitionKeeper {
public:
    explicit MonthPartitionKeeper(IngestService& service)
        : m_thread([&service](std::stop_token stop) {
              std::mutex mutex;
              std::condition_variable_any wake;
              for (;;) {
                  {
                      std::unique_lock lock(mutex);
                      wake.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
                  }
                  if (stop.stop_requested()) return;
                  const std::int64_t nowMs =
                      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
                  auto lease = service.Pool().Acquire();
                  auto ok = lease ? EnsureMonthPartitions(**lease, nowMs) : Result<void>(std::unexpected(lease.error()));
                  if (!ok) {
                      if (lease && ok.error().code == core::ErrorCode::Unavailable) lease->Discard();
                      std::cerr << "headoffice: month partitions: " << ok.error().message << std::endl;
                  }
              }
          }) {}

private:
    std::jthread m_thread;
};

// The lifecycle's first-response and resolving statuses, and the SLA the projection measures tickets
// with: the kiosk's engine on the SLA targets and calendar head office publishes, else the files in
// assets/ (as a kiosk that has applied no published version).
ProjectionRules ProjectionRulesOf(core::Lifecycle lifecycle) {
    ProjectionRules rules;
    for (const core::StatusInfo& status : lifecycle.statuses) {
        if (status.firstResponse) rules.firstResponse.insert(status.id);
        if (status.resolves) rules.resolves.insert(status.id);
    }
    SlaParsers parsers;
    parsers.sla = [](const PublishedDocument& doc) {
        return doc.version > 0 ? config::ParseSlaPolicy(doc.text, "published sla v" + std::to_string(doc.version))
                               : config::LoadSlaPolicyFile(AssetDir() / "sla.toml");
    };
    parsers.calendar = [](const PublishedDocument& doc) {
        return doc.version > 0 ? config::ParseCalendar(doc.text, "published calendar v" + std::to_string(doc.version))
                               : config::LoadCalendarFile(AssetDir() / "calendar.toml");
    };
    rules.sla = std::make_shared<SlaRulesSource>(std::move(lifecycle), std::move(parsers));
    return rules;
}

// Customer messages go out through a webhook when serve is given one.
struct WebhookOptions {
    std::string url;
    std::string secretFile;
    std::int64_t timeoutSeconds = 10;
    std::int64_t firstRetrySeconds = 30;
    int attempts = NotifierOptions{}.maxAttempts;
};

std::int64_t WallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The webhook gateway and the notifier over it; nothing when no webhook is configured.
struct Notifications {
    std::unique_ptr<WebhookGateway> gateway;
    std::unique_ptr<Notifier> notifier;
};

core::Result<Notifications> StartNotifications(IngestService& service, const core::Lifecycle& lifecycle, const WebhookOptions& options) {
    Notifications out;
    if (options.url.empty()) return out;
    if (options.secretFile.empty()) {
        return core::Fail(core::ErrorCode::InvalidInput, "--webhook needs --webhook-secret-file (the key its requests are signed with)");
    }
    auto secret = config::ReadTextFile(options.secretFile);
    if (!secret) return std::unexpected(secret.error());
    while (!secret->empty() && (secret->back() == '\n' || secret->back() == '\r' || secret->back() == ' ')) secret->pop_back();
    if (secret->size() < 16) {
        return core::Fail(core::ErrorCode::InvalidInput, options.secretFile + ": the webhook secret must be at least 16 characters");
    }
    auto fallback = config::LoadNotificationsFile(AssetDir() / "notifications.toml");
    if (!fallback) return std::unexpected(fallback.error());
    NotificationTexts texts;
    texts.fallback = std::move(*fallback);
    texts.parse = [](std::string_view text, std::string_view source) { return config::ParseNotifications(text, source); };
    for (const core::StatusInfo& status : lifecycle.statuses) texts.statusLabels[status.id] = status.label;
    NotifierOptions notifierOptions;
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    notifierOptions.owner = std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(WallMs());
    notifierOptions.firstRetry = std::chrono::seconds{options.firstRetrySeconds};
    notifierOptions.maxAttempts = options.attempts;
    notifierOptions.lease = std::max(notifierOptions.lease, std::chrono::milliseconds{std::chrono::seconds{options.timeoutSeconds * 3}});
    out.gateway = std::make_unique<WebhookGateway>(options.url, std::move(*secret), std::chrono::seconds{options.timeoutSeconds},
                                                   [] { return WallMs() / 1000; });
    out.notifier = std::make_unique<Notifier>(service.Pool(), *out.gateway, std::move(texts), notifierOptions, WallMs);
    out.notifier->Start();
    return out;
}

// Tickets stored without clocks, or measured under SLA targets or a calendar since replaced, are
// measured again with those in force.
core::Result<void> RemeasureStoredSla(IngestService& service, SlaRulesSource& source) {
    auto lease = service.Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto rules = source.Current(**lease);
    if (!rules) return std::unexpected(rules.error());
    auto measured = RemeasureSla(**lease, **rules);
    if (!measured) return std::unexpected(measured.error());
    if (*measured > 0) std::cerr << "headoffice: measured the SLA of " << *measured << " tickets with " << (*rules)->Versions() << std::endl;
    return {};
}

struct ServeOptions {
    std::string listen = "127.0.0.1:8080";
    ServiceLimits limits;
    std::int64_t window = ServiceLimits{}.clockWindow.count();
    std::int64_t silentMinutes = 60;
    bool plainHttpCookies = false;
    std::vector<std::string> trustedProxies;
    int apiRate = ApiOptions{}.requestsPerMinute;
    int loginFailures = AuthOptions{}.maxFailures;
    std::int64_t loginWindow = AuthOptions{}.failureWindow.count();
    WebhookOptions webhook;
};

core::Result<void> Serve(const std::string& db, const ServeOptions& options) {
    const std::string& listen = options.listen;
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        return core::Fail(core::ErrorCode::InvalidInput, "--listen must be HOST:PORT, got '" + listen + "'");
    }
    int port = 0;
    try {
        port = std::stoi(listen.substr(colon + 1));
    } catch (const std::exception&) {
        return core::Fail(core::ErrorCode::InvalidInput, "--listen port is not a number: '" + listen + "'");
    }
    // Block the stop signals before any thread starts, so they reach only the sigwait below.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    auto service = IngestService::Open(db, options.limits);
    if (!service) return std::unexpected(service.error());
    auto lifecycle = config::LoadLifecycleFile(AssetDir() / "lifecycle.toml");
    if (!lifecycle) return std::unexpected(lifecycle.error());
    ProjectionRules rules = ProjectionRulesOf(*lifecycle);
    auto slaSource = rules.sla;
    (*service)->SetProjectionRules(std::move(rules));
    if (auto measured = RemeasureStoredSla(**service, *slaSource); !measured) return measured;
    AuthOptions authOptions;
    authOptions.maxFailures = options.loginFailures;
    authOptions.failureWindow = std::chrono::seconds{options.loginWindow};
    auto auth = WebAuth::Open((*service)->Pool(), {}, authOptions);
    if (!auth) return std::unexpected(auth.error());
    ApiOptions apiOptions;
    apiOptions.silentAfterMs = options.silentMinutes * 60'000;
    apiOptions.requestsPerMinute = options.apiRate;
    WebApi api(**service, std::move(apiOptions));
    DashboardOptions dashboardOptions{options.silentMinutes * 60'000, !options.plainHttpCookies, CheckDataFile,
                                      options.trustedProxies};
    WebDashboard dashboard(**service, std::move(*auth), std::move(dashboardOptions));
    HttpServer server(**service, &dashboard, &api);
    auto bound = server.Start(listen.substr(0, colon), port);
    if (!bound) return std::unexpected(bound.error());
    auto notifications = StartNotifications(**service, *lifecycle, options.webhook);
    if (!notifications) {
        server.Stop();
        return std::unexpected(notifications.error());
    }
    MonthPartitionKeeper partitions(**service);
    std::cout << "headoffice: listening on " << listen.substr(0, colon) << ":" << *bound << std::endl;
    int signal = 0;
    sigwait(&stopSignals, &signal);
    if (notifications->notifier) notifications->notifier->Stop();
    server.Stop();
    return {};
}

}  // namespace

void AddServeCommand(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<ServeOptions>();
    auto* serve = cli.add_subcommand("serve", "run the ingest server and the web dashboard");
    serve->add_option("--listen", options->listen, "HOST:PORT (port 0: any free port)");
    serve->add_option("--db", env.db, "sqlite:PATH or postgresql://...");
    serve->add_option("--clock-window", options->window, "seconds a request's time may differ from ours")->check(CLI::PositiveNumber);
    serve->add_option("--rate", options->limits.requestsPerSecond, "requests per second per kiosk")->check(CLI::PositiveNumber);
    serve->add_option("--max-batch", options->limits.maxBatchRecords, "records per batch")->check(CLI::PositiveNumber);
    serve->add_option("--silent-after", options->silentMinutes, "minutes without contact before the dashboard flags a kiosk")
        ->check(CLI::PositiveNumber);
    serve->add_option("--api-rate", options->apiRate, "API requests per minute per token")->check(CLI::PositiveNumber);
    serve->add_option("--login-failures", options->loginFailures,
                      "wrong passwords in the window after which a user or client address must wait")->check(CLI::PositiveNumber);
    serve->add_option("--login-window", options->loginWindow, "seconds the wrong passwords are counted over")->check(CLI::PositiveNumber);
    serve->add_option("--webhook", options->webhook.url, "URL customer messages are posted to (signed JSON); none: no messages are sent");
    serve->add_option("--webhook-secret-file", options->webhook.secretFile, "file holding the key the webhook's requests are signed with");
    serve->add_option("--webhook-timeout", options->webhook.timeoutSeconds, "seconds one delivery may take")->check(CLI::PositiveNumber);
    serve->add_option("--webhook-retry", options->webhook.firstRetrySeconds, "seconds before a failed delivery is tried again (doubling)")
        ->check(CLI::PositiveNumber);
    serve->add_option("--webhook-attempts", options->webhook.attempts, "attempts before a message is listed as failed")
        ->check(CLI::PositiveNumber);
    serve->add_flag("--plain-http-cookies", options->plainHttpCookies,
                    "send the dashboard's session cookie without Secure, for a deployment without TLS (not localhost)");
    serve->add_option("--trusted-proxy", options->trustedProxies,
                      "a balancer's address (repeatable): sign-in throttling counts its requests under their X-Forwarded-For client");
    serve->callback([&env, options] {
        options->limits.clockWindow = std::chrono::seconds{options->window};
        options->limits.burst = std::max(options->limits.burst, options->limits.requestsPerSecond);
        env.outcome = Serve(env.db, *options);
    });
}

}  // namespace kiosk::sync::headoffice::app
