// The notification outbox in head office's database: who agreed to messages (from the kiosk's created
// event), one row per move of such a ticket (queued in the ingest transaction that brought the move, so
// a move is queued exactly once however often its batch is retried), and the delivery state of each.
// Rows are claimed under a lease, so several head-office servers share the work and a server killed
// mid-delivery leaves its rows to the others once the lease runs out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

Result<void> EnsureNotificationSchema(SqlSession& db);

// From a ticket's created event: remembers the phone and language when the customer agreed.
Result<void> RememberConsent(SqlSession& db, std::string_view ticket, const nlohmann::json& created);
// From a status change: queues a row when the ticket's customer agreed. `recordId` (the event's id)
// makes the delivery id, the key a gateway deduplicates on.
Result<void> QueueMove(SqlSession& db, std::string_view recordId, std::string_view ticket, std::string_view from,
                       std::string_view to, std::string_view note, std::int64_t atMs, std::int64_t nowMs);

// A status change QueueMoves queues (as QueueMove's arguments).
struct StatusMove {
    std::string recordId, ticket, from, to, note;
    std::int64_t atMs = 0;
    std::int64_t nowMs = 0;
};
// QueueMove for each of `moves`: on PostgreSQL by one statement. Through SqlSession::Exec.
Result<void> QueueMoves(SqlSession& db, const std::vector<StatusMove>& moves);

// A row as the notifier and the dashboard see it.
struct QueuedNotification {
    std::string id;  // the delivery id
    std::string ticket;
    std::string fromStatus;
    std::string toStatus;
    std::string note;
    std::int64_t eventAtMs = 0;
    std::string message;  // the message id it was matched to; empty until then
    std::string state;    // queued, sent, failed, not_sent
    std::int64_t attempts = 0;
    std::int64_t nextAtMs = 0;
    std::string lastError;
    std::int64_t sentAtMs = 0;  // 0 until sent
    // Filled by Claim: the customer and product the message is about.
    std::string phone;
    std::string language;
    std::string gtin;
};

// Up to `limit` queued rows due at `nowMs`, leased to `owner` until `leaseUntilMs`.
Result<std::vector<QueuedNotification>> ClaimDue(SqlSession& db, std::string_view owner, std::int64_t nowMs,
                                                 std::int64_t leaseUntilMs, int limit);
// The outcome of a claimed row; each applies only while `owner` still holds the lease (false when
// another server took it over meanwhile).
Result<bool> MarkSent(SqlSession& db, std::string_view id, std::string_view owner, std::string_view message, std::int64_t nowMs);
Result<bool> MarkRetry(SqlSession& db, std::string_view id, std::string_view owner, std::string_view message,
                       std::string_view error, std::int64_t nextAtMs);
Result<bool> MarkFailed(SqlSession& db, std::string_view id, std::string_view owner, std::string_view message,
                        std::string_view error);
// No message for this move (or notifications are off): kept for the timeline, never sent.
Result<bool> MarkNotSent(SqlSession& db, std::string_view id, std::string_view owner, std::string_view why);
// Back to the queue untried, due at `nextAtMs` (quiet hours).
Result<bool> Postpone(SqlSession& db, std::string_view id, std::string_view owner, std::int64_t nextAtMs);

// A ticket's rows, oldest first, for its timeline.
Result<std::vector<QueuedNotification>> NotificationsOf(SqlSession& db, std::string_view ticket);
// Rows whose delivery failed for good, newest first.
Result<std::vector<QueuedNotification>> FailedNotifications(SqlSession& db, int limit);
// A failed row queued again from scratch (staff fixed the gateway or the number); false when `id` is
// not a failed row.
Result<bool> RequeueFailed(SqlSession& db, std::string_view id, std::int64_t nowMs);

}  // namespace kiosk::sync::headoffice
