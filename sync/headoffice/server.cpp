// Routes kiosk requests to the ingest service; everything protocol-specific happens there.
#include "sync/headoffice/server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include "sync/codec.hpp"
#include "sync/headoffice/web_api.hpp"
#include "sync/headoffice/web_dashboard.hpp"

namespace kiosk::sync::headoffice {
namespace {

Request ToRequest(const httplib::Request& req) {
    std::string target = req.path;
    if (!req.params.empty()) {
        const auto query = req.target.find('?');
        if (query != std::string::npos) target += req.target.substr(query);
    }
    return Request{req.method, target,
                   [&req](std::string_view name) { return req.get_header_value(std::string(name)); }, req.body};
}

void Send(const httplib::Request& req, httplib::Response& res, Reply reply) {
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    if (req.get_header_value("Accept-Encoding").find("zstd") != std::string::npos && reply.body.size() > 512) {
        if (auto packed = ZstdCompress(reply.body)) {
            res.set_header("Content-Encoding", "zstd");
            reply.body = std::move(*packed);
        }
    }
    res.set_content(reply.body, reply.contentType);
}

}  // namespace

HttpServer::HttpServer(IngestService& service, WebDashboard* dashboard, WebApi* api)
    : m_service(service), m_server(std::make_unique<httplib::Server>()) {
    // Bodies are limited by the service with a clear answer; httplib's own cap is only a backstop.
    m_server->set_payload_max_length(256 * 1024 * 1024);
    // A connection that stalls mid-request holds a worker until the read timeout; enough workers that
    // a few stalled clients do not keep every kiosk waiting.
    m_server->new_task_queue = [] { return new httplib::ThreadPool(64); };
    m_server->set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        m_listening = sock;
    });
    m_server->Post(std::string(kBatchPath), [this](const httplib::Request& req, httplib::Response& res) {
        Send(req, res, m_service.HandleBatch(ToRequest(req)));
    });
    m_server->Post(std::string(kDownstreamPath), [this](const httplib::Request& req, httplib::Response& res) {
        Send(req, res, m_service.HandleDownstream(ToRequest(req)));
    });
    m_server->Post(std::string(kEnrolPath), [this](const httplib::Request& req, httplib::Response& res) {
        Send(req, res, m_service.HandleEnrol(ToRequest(req)));
    });
    const std::string blobs = std::string(kBlobPath) + "[^/]+";
    m_server->Get(blobs, [this](const httplib::Request& req, httplib::Response& res) {
        Send(req, res, m_service.HandleBlob(ToRequest(req)));
    });
    m_server->Put(blobs, [this](const httplib::Request& req, httplib::Response& res) {
        Send(req, res, m_service.HandleBlob(ToRequest(req)));
    });
    m_server->Get(std::string(kMetricsPath), [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(m_service.Metrics(), "text/plain; version=0.0.4");
    });
    m_server->Get(std::string(kHealthPath), [this](const httplib::Request&, httplib::Response& res) {
        // One round trip to the database: a server that cannot reach it is taken out of the balancer.
        bool healthy = false;
        if (auto lease = m_service.Pool().Acquire()) {
            auto answer = (*lease)->Query("SELECT 1");
            if (!answer && answer.error().code == core::ErrorCode::Unavailable) lease->Discard();
            healthy = answer.has_value();
        }
        res.status = healthy ? 200 : 503;
        res.set_content(healthy ? "ok\n" : "database unavailable\n", "text/plain; charset=utf-8");
    });
    if (api != nullptr) api->Route(*m_server);
    if (dashboard != nullptr) dashboard->Route(*m_server);
}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Start(const std::string& host, int port) {
    const int bound = port == 0 ? m_server->bind_to_any_port(host) : (m_server->bind_to_port(host, port) ? port : -1);
    if (bound <= 0) {
        return core::Fail(core::ErrorCode::Unavailable, "cannot listen on " + host + ":" + std::to_string(port));
    }
    // The library listens with a backlog of 5 connections: 200 kiosks calling at once had theirs
    // dropped, and TCP tried again only seconds later. Listening again sets the backlog (Linux); the
    // system's somaxconn still caps it.
    if (m_listening >= 0) ::listen(m_listening, kListenBacklog);
    m_thread = std::thread([this] {
        m_server->listen_after_bind();
        m_listenEnded = true;
    });
    // The library's stop() does nothing until its listening loop has begun: wait for the loop, so that a
    // Stop right after Start ends it instead of leaving Stop waiting for ever.
    while (!m_server->is_running() && !m_listenEnded) std::this_thread::yield();
    return bound;
}

void HttpServer::Stop() {
    m_server->stop();
    if (m_thread.joinable()) m_thread.join();
}

}  // namespace kiosk::sync::headoffice
