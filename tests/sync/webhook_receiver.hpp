// A webhook receiver on loopback as a messaging provider runs one: it checks each request's signature,
// takes each delivery id once (a repeat is acknowledged without sending again), and can be told to
// answer the next requests with an error.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <vector>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "sync/headoffice/notify_gateway.hpp"

namespace kiosk::sync::test {

class WebhookReceiver {
public:
    struct Taken {
        std::string deliveryId;
        nlohmann::json body;
    };

    explicit WebhookReceiver(std::string secret) : m_secret(std::move(secret)) {
        m_server.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        if (m_port <= 0) throw std::runtime_error("webhook receiver: cannot listen on loopback");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    ~WebhookReceiver() {
        m_server.stop();
        if (m_thread.joinable()) m_thread.join();
    }
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    int Port() const { return m_port; }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/hook"; }

    // The next requests are answered with these statuses, one each, before normal service resumes.
    void AnswerNext(std::deque<int> statuses) {
        std::lock_guard lock(m_mutex);
        m_answers = std::move(statuses);
    }
    // Messages taken, in order, each delivery id once.
    std::vector<Taken> Messages() const {
        std::lock_guard lock(m_mutex);
        return m_taken;
    }
    // Requests per delivery id (repeats included), and requests with a bad signature.
    std::map<std::string, int> Arrivals() const {
        std::lock_guard lock(m_mutex);
        return m_arrivals;
    }
    int BadSignatures() const { return m_badSignatures.load(); }

private:
    void Handle(const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.get_header_value("Idempotency-Key");
        const std::string timestamp = req.get_header_value("X-Timestamp");
        std::int64_t seconds = 0;
        try {
            seconds = std::stoll(timestamp);
        } catch (const std::exception&) {
            seconds = -1;
        }
        if (id.empty() || seconds < 0 ||
            req.get_header_value("X-Signature") != headoffice::WebhookSignature(m_secret, seconds, req.body)) {
            ++m_badSignatures;
            res.status = 401;
            return;
        }
        std::lock_guard lock(m_mutex);
        ++m_arrivals[id];
        if (!m_answers.empty()) {
            res.status = m_answers.front();
            m_answers.pop_front();
            res.set_content("{\"error\":\"as the test asked\"}", "application/json");
            return;
        }
        if (m_seen.insert(id).second) m_taken.push_back({id, nlohmann::json::parse(req.body, nullptr, false)});
        res.status = 202;
        res.set_content("{\"accepted\":\"" + id + "\"}", "application/json");
    }

    std::string m_secret;
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::deque<int> m_answers;
    std::set<std::string> m_seen;
    std::vector<Taken> m_taken;
    std::map<std::string, int> m_arrivals;
    std::atomic<int> m_badSignatures{0};
};

}  // namespace kiosk::sync::test
