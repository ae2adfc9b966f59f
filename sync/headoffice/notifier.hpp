// Sends the queued customer messages: each round claims the rows that are due, matches each move to the
// message the notifications policy in force names for it, holds it through the quiet hours, and hands it
// to the gateway; a failed attempt is retried with a doubling wait until it is delivered, refused or out
// of attempts. Any number of head-office servers may run one over the same database.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "kiosk/core/error.hpp"
#include "kiosk/core/notifications.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/notifications.hpp"
#include "sync/headoffice/notify_gateway.hpp"

namespace kiosk::sync::headoffice {

struct NotifierOptions {
    std::string owner;  // this server's name on its leases, unique among the servers
    std::chrono::milliseconds poll{2000};
    std::chrono::milliseconds lease{60'000};  // longer than one delivery's timeout
    std::chrono::milliseconds firstRetry{30'000};
    std::chrono::milliseconds maxRetry{30 * 60'000};
    int maxAttempts = 10;
    int batch = 20;
};

// Where the messages come from: the latest published `notifications` version, read with `parse`, else
// `fallback` (the asset file); and the statuses' names for {status}.
struct NotificationTexts {
    core::NotificationPolicy fallback;
    std::function<Result<core::NotificationPolicy>(std::string_view text, std::string_view source)> parse;
    std::map<std::string, core::LocalizedText, std::less<>> statusLabels;
};

struct NotifierRound {
    int delivered = 0;
    int retried = 0;
    int failed = 0;
    int notSent = 0;
    int postponed = 0;
};

class Notifier {
public:
    Notifier(SessionPool& pool, NotificationGateway& gateway, NotificationTexts texts, NotifierOptions options, ClockMs clock);
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    // One round over what is due now.
    Result<NotifierRound> RunOnce();
    // Rounds every `poll` on a thread of its own until Stop (or destruction).
    void Start();
    void Stop();

private:
    Result<const core::NotificationPolicy*> Policy(SqlSession& db);
    std::string Render(SqlSession& db, const core::NotificationPolicy& policy, const core::NotificationMessage& message,
                       const QueuedNotification& row);

    SessionPool& m_pool;
    NotificationGateway& m_gateway;
    NotificationTexts m_texts;
    NotifierOptions m_options;
    ClockMs m_clock;
    std::int64_t m_policyVersion = -1;
    core::NotificationPolicy m_published;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk::sync::headoffice
