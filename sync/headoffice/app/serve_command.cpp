// `serve`: the ingest server until SIGINT or SIGTERM.
#include <csignal>
#include <iostream>
#include <pthread.h>

#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/server.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

core::Result<void> Serve(const std::string& db, const std::string& listen, const ServiceLimits& limits) {
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

    auto service = IngestService::Open(db, limits);
    if (!service) return std::unexpected(service.error());
    HttpServer server(**service);
    auto bound = server.Start(listen.substr(0, colon), port);
    if (!bound) return std::unexpected(bound.error());
    std::cout << "headoffice: listening on " << listen.substr(0, colon) << ":" << *bound << std::endl;
    int signal = 0;
    sigwait(&stopSignals, &signal);
    server.Stop();
    return {};
}

struct ServeOptions {
    std::string listen = "127.0.0.1:8080";
    ServiceLimits limits;
    std::int64_t window = ServiceLimits{}.clockWindow.count();
};

}  // namespace

void AddServeCommand(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<ServeOptions>();
    auto* serve = cli.add_subcommand("serve", "run the ingest server");
    serve->add_option("--listen", options->listen, "HOST:PORT (port 0: any free port)");
    serve->add_option("--db", env.db, "sqlite:PATH or postgresql://...");
    serve->add_option("--clock-window", options->window, "seconds a request's time may differ from ours")->check(CLI::PositiveNumber);
    serve->add_option("--rate", options->limits.requestsPerSecond, "requests per second per kiosk")->check(CLI::PositiveNumber);
    serve->add_option("--max-batch", options->limits.maxBatchRecords, "records per batch")->check(CLI::PositiveNumber);
    serve->callback([&env, options] {
        options->limits.clockWindow = std::chrono::seconds{options->window};
        options->limits.burst = std::max(options->limits.burst, options->limits.requestsPerSecond);
        env.outcome = Serve(env.db, options->listen, options->limits);
    });
}

}  // namespace kiosk::sync::headoffice::app
