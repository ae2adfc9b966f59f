// The HTTP face of the ingest service (cpp-httplib): routes, body limits, zstd answers, /metrics.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "sync/headoffice/ingest_service.hpp"

namespace httplib {
class Server;
}

namespace kiosk::sync::headoffice {

class WebApi;
class WebDashboard;

class HttpServer {
public:
    // With a dashboard, its pages are served on the same port; with an API, its /api/v1/ routes.
    explicit HttpServer(IngestService& service, WebDashboard* dashboard = nullptr, WebApi* api = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds `host`:`port` (port 0: any free port) and serves on a background thread. Returns the port.
    // Fails with Unavailable when the address cannot be bound.
    Result<int> Start(const std::string& host, int port);
    void Stop();

private:
    static constexpr int kListenBacklog = 1024;

    IngestService& m_service;
    std::unique_ptr<httplib::Server> m_server;
    int m_listening = -1;  // the listening socket, once bound
    std::thread m_thread;
    std::atomic<bool> m_listenEnded{false};  // the listening loop has returned
};

}  // namespace kiosk::sync::headoffice
