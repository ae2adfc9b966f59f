// The notification outbox tables and every statement on them.
#include "sync/headoffice/notifications.hpp"

#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

constexpr std::string_view kNotificationSchema = R"sql(
-- Tickets whose customer agreed at the kiosk to messages about them.
CREATE TABLE IF NOT EXISTS notify_consents (
    ticket   TEXT PRIMARY KEY,
    phone    TEXT NOT NULL,
    language TEXT NOT NULL,
    gtin     TEXT NOT NULL
);
-- One row per move of such a ticket; id is the delivery id ("n-" and the event's id).
CREATE TABLE IF NOT EXISTS notifications (
    id          TEXT PRIMARY KEY,
    ticket      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL,
    event_at    BIGINT NOT NULL,
    queued_at   BIGINT NOT NULL,
    message     TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    sent_at     BIGINT
);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications (state, next_at);
CREATE INDEX IF NOT EXISTS notifications_ticket ON notifications (ticket);
)sql";

constexpr std::string_view kColumns =
    "n.id, n.ticket, n.from_status, n.to_status, n.note, n.event_at, n.message, n.state, n.attempts, n.next_at, "
    "n.last_error, n.sent_at";

QueuedNotification Read(const SqlRow& r) {
    QueuedNotification n;
    n.id = r[0];
    n.ticket = r[1];
    n.fromStatus = r[2];
    n.toStatus = r[3];
    n.note = r[4];
    n.eventAtMs = ToInt(r[5]);
    n.message = r[6];
    n.state = r[7];
    n.attempts = ToInt(r[8]);
    n.nextAtMs = ToInt(r[9]);
    n.lastError = r[10];
    n.sentAtMs = ToInt(r[11]);
    if (r.size() > 14) {
        n.phone = r[12];
        n.language = r[13];
        n.gtin = r[14];
    }
    return n;
}

Result<std::vector<QueuedNotification>> ReadAll(Result<std::vector<SqlRow>> rows) {
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<QueuedNotification> out;
    out.reserve(rows->size());
    for (const SqlRow& r : *rows) out.push_back(Read(r));
    return out;
}

// Whether an UPDATE ... RETURNING id changed a row.
Result<bool> Changed(Result<std::vector<SqlRow>> rows) {
    if (!rows) return std::unexpected(std::move(rows.error()));
    return !rows->empty();
}

}  // namespace

Result<void> EnsureNotificationSchema(SqlSession& db) { return db.EnsureSchema(kNotificationSchema); }

Result<void> RememberConsent(SqlSession& db, std::string_view ticket, const nlohmann::json& created) {
    if (!created.is_object() || !created.value("notify", false)) return {};
    const std::string phone = Text(created, "customerPhone");
    if (phone.empty()) return {};  // nothing to send to
    // Written as the projection's other writes are (pipelined on PostgreSQL): a failure shows at the
    // ingest's next Query, Flush or Commit.
    return db.Exec("INSERT INTO notify_consents (ticket, phone, language, gtin) VALUES ($1, $2, $3, $4) "
                   "ON CONFLICT (ticket) DO NOTHING",
                   {std::string(ticket), phone, Text(created, "language"), Text(created, "gtin")});
}

Result<void> QueueMove(SqlSession& db, std::string_view recordId, std::string_view ticket, std::string_view from,
                       std::string_view to, std::string_view note, std::int64_t atMs, std::int64_t nowMs) {
    return db.Exec("INSERT INTO notifications (id, ticket, from_status, to_status, note, event_at, queued_at, state, next_at) "
                   "SELECT $1, ticket, $3, $4, $5, $6, $7, 'queued', $7 FROM notify_consents WHERE ticket = $2 "
                   "ON CONFLICT (id) DO NOTHING",
                   {"n-" + std::string(recordId), std::string(ticket), std::string(from), std::string(to), std::string(note),
                    atMs, nowMs});
}

Result<void> QueueMoves(SqlSession& db, const std::vector<StatusMove>& moves) {
    if (moves.empty()) return {};
    if (db.ForUpdate().empty()) {
        for (const StatusMove& m : moves) {
            if (auto ok = QueueMove(db, m.recordId, m.ticket, m.from, m.to, m.note, m.atMs, m.nowMs); !ok) return ok;
        }
        return {};
    }
    std::vector<std::string> ids, tickets, from, to, notes;
    std::vector<std::optional<std::int64_t>> at, now;
    for (const StatusMove& m : moves) {
        ids.push_back("n-" + m.recordId);
        tickets.push_back(m.ticket);
        from.push_back(m.from);
        to.push_back(m.to);
        notes.push_back(m.note);
        at.emplace_back(m.atMs);
        now.emplace_back(m.nowMs);
    }
    return db.Exec("INSERT INTO notifications (id, ticket, from_status, to_status, note, event_at, queued_at, state, next_at) "
                   "SELECT u.id, c.ticket, u.f, u.t, u.note, u.at, u.now, 'queued', u.now FROM unnest($1::text[], $2::text[], "
                   "$3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[]) AS u(id, ticket, f, t, note, at, now) "
                   "JOIN notify_consents c ON c.ticket = u.ticket ON CONFLICT (id) DO NOTHING",
                   {TextArrayLiteral(ids), TextArrayLiteral(tickets), TextArrayLiteral(from), TextArrayLiteral(to),
                    TextArrayLiteral(notes), ArrayLiteral(at), ArrayLiteral(now)});
}

Result<std::vector<QueuedNotification>> ClaimDue(SqlSession& db, std::string_view owner, std::int64_t nowMs,
                                                 std::int64_t leaseUntilMs, int limit) {
    // PostgreSQL: rows another server is claiming right now are skipped, not waited for.
    const std::string_view lock = db.ForUpdate();
    const std::string skip = lock.empty() ? std::string() : std::string(lock) + " SKIP LOCKED";
    auto claimed = db.Query("UPDATE notifications SET lease_owner = $1, lease_until = $2 WHERE id IN ("
                            "SELECT id FROM notifications WHERE state = 'queued' AND next_at <= $3 AND lease_until < $3 "
                            "ORDER BY next_at LIMIT $4" + skip + ") AND state = 'queued' AND lease_until < $3 RETURNING id",
                            {std::string(owner), leaseUntilMs, nowMs, std::int64_t{limit}});
    if (!claimed) return std::unexpected(std::move(claimed.error()));
    std::vector<QueuedNotification> out;
    for (const SqlRow& row : *claimed) {
        auto rows = db.Query("SELECT " + std::string(kColumns) + ", c.phone, c.language, c.gtin FROM notifications n "
                             "JOIN notify_consents c ON c.ticket = n.ticket WHERE n.id = $1",
                             {row[0]});
        if (!rows) return std::unexpected(std::move(rows.error()));
        if (!rows->empty()) out.push_back(Read(rows->front()));
    }
    return out;
}

Result<bool> MarkSent(SqlSession& db, std::string_view id, std::string_view owner, std::string_view message, std::int64_t nowMs) {
    return Changed(db.Query("UPDATE notifications SET state = 'sent', message = $3, attempts = attempts + 1, sent_at = $4, "
                            "last_error = '', lease_owner = '', lease_until = 0 WHERE id = $1 AND lease_owner = $2 AND state = 'queued' "
                            "RETURNING id",
                            {std::string(id), std::string(owner), std::string(message), nowMs}));
}

Result<bool> MarkRetry(SqlSession& db, std::string_view id, std::string_view owner, std::string_view message,
                       std::string_view error, std::int64_t nextAtMs) {
    return Changed(db.Query("UPDATE notifications SET message = $3, attempts = attempts + 1, last_error = $4, next_at = $5, "
                            "lease_owner = '', lease_until = 0 WHERE id = $1 AND lease_owner = $2 AND state = 'queued' RETURNING id",
                            {std::string(id), std::string(owner), std::string(message), std::string(error), nextAtMs}));
}

Result<bool> MarkFailed(SqlSession& db, std::string_view id, std::string_view owner, std::string_view message,
                        std::string_view error) {
    return Changed(db.Query("UPDATE notifications SET state = 'failed', message = $3, attempts = attempts + 1, last_error = $4, "
                            "lease_owner = '', lease_until = 0 WHERE id = $1 AND lease_owner = $2 AND state = 'queued' RETURNING id",
                            {std::string(id), std::string(owner), std::string(message), std::string(error)}));
}

Result<bool> MarkNotSent(SqlSession& db, std::string_view id, std::string_view owner, std::string_view why) {
    return Changed(db.Query("UPDATE notifications SET state = 'not_sent', last_error = $3, lease_owner = '', lease_until = 0 "
                            "WHERE id = $1 AND lease_owner = $2 AND state = 'queued' RETURNING id",
                            {std::string(id), std::string(owner), std::string(why)}));
}

Result<bool> Postpone(SqlSession& db, std::string_view id, std::string_view owner, std::int64_t nextAtMs) {
    return Changed(db.Query("UPDATE notifications SET next_at = $3, lease_owner = '', lease_until = 0 "
                            "WHERE id = $1 AND lease_owner = $2 AND state = 'queued' RETURNING id",
                            {std::string(id), std::string(owner), nextAtMs}));
}

Result<std::vector<QueuedNotification>> NotificationsOf(SqlSession& db, std::string_view ticket) {
    return ReadAll(db.Query("SELECT " + std::string(kColumns) + " FROM notifications n WHERE n.ticket = $1 ORDER BY n.event_at, n.id",
                            {std::string(ticket)}));
}

Result<std::vector<QueuedNotification>> FailedNotifications(SqlSession& db, int limit) {
    return ReadAll(db.Query("SELECT " + std::string(kColumns) + " FROM notifications n WHERE n.state = 'failed' "
                            "ORDER BY n.event_at DESC, n.id LIMIT $1",
                            {std::int64_t{limit}}));
}

Result<bool> RequeueFailed(SqlSession& db, std::string_view id, std::int64_t nowMs) {
    return Changed(db.Query("UPDATE notifications SET state = 'queued', attempts = 0, next_at = $2, last_error = '', "
                            "lease_owner = '', lease_until = 0 WHERE id = $1 AND state = 'failed' RETURNING id",
                            {std::string(id), nowMs}));
}

}  // namespace kiosk::sync::headoffice
