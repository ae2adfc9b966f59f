// The ticket projection: each new ticket event updates its ticket's row in the same transaction as
// the batch that brought it, so reports read plain indexed columns instead of parsing JSON.
#include "sync/headoffice/projection.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "kiosk/core/date.hpp"
#include "sync/headoffice/notifications.hpp"
#include "sync/headoffice/rollups.hpp"
#include "sync/headoffice/service_rollups.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::sync::headoffice {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kProjectionSchema = R"sql(
CREATE TABLE IF NOT EXISTS tickets (
    number            TEXT PRIMARY KEY,
    kiosk             TEXT NOT NULL,
    store             TEXT NOT NULL,
    type              TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT '',
    gtin              TEXT NOT NULL DEFAULT '',
    serial            TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    tier              TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL DEFAULT '',
    channel           TEXT NOT NULL DEFAULT '',
    staff             TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at       BIGINT,
    csat              INTEGER,
    events            INTEGER NOT NULL DEFAULT 0
);
-- Covers the front page's figures, so they are read from the index alone.
CREATE INDEX IF NOT EXISTS tickets_created ON tickets (created_at, type, tier, first_response_at, resolved_at, csat);
CREATE INDEX IF NOT EXISTS tickets_store_created ON tickets (store, created_at);
CREATE INDEX IF NOT EXISTS tickets_serial ON tickets (serial);
CREATE INDEX IF NOT EXISTS tickets_phone ON tickets (phone);
CREATE INDEX IF NOT EXISTS tickets_gtin ON tickets (gtin);
CREATE TABLE IF NOT EXISTS ticket_events (
    record_id TEXT PRIMARY KEY,
    ticket    TEXT NOT NULL,
    kiosk     TEXT NOT NULL,
    chain_seq BIGINT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ticket_events_ticket ON ticket_events (ticket);
CREATE INDEX IF NOT EXISTS ticket_events_chain ON ticket_events (kiosk, chain_seq);
-- The files each attached event names; their bytes arrive later as blobs (blob_ingest.cpp).
CREATE TABLE IF NOT EXISTS ticket_attachments (
    record_id  TEXT NOT NULL,
    position   INTEGER NOT NULL,
    ticket     TEXT NOT NULL,
    kiosk      TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes      BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (record_id, position)
);
CREATE INDEX IF NOT EXISTS ticket_attachments_ticket ON ticket_attachments (ticket);
CREATE INDEX IF NOT EXISTS ticket_attachments_blob ON ticket_attachments (kiosk, sha256);
CREATE TABLE IF NOT EXISTS kiosk_status (
    kiosk        TEXT PRIMARY KEY,
    software     TEXT NOT NULL,
    printer      TEXT NOT NULL,
    paper        TEXT NOT NULL,
    scanner_seen BIGINT NOT NULL,
    reported_at  BIGINT NOT NULL,
    scanner      TEXT NOT NULL DEFAULT '',
    camera       TEXT NOT NULL DEFAULT '',
    started_at   BIGINT NOT NULL DEFAULT 0,
    frame_failures BIGINT NOT NULL DEFAULT 0,
    refused      TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS self_help (
    kiosk    TEXT NOT NULL,
    day      TEXT NOT NULL,
    category TEXT NOT NULL,
    offered  BIGINT NOT NULL,
    solved   BIGINT NOT NULL,
    PRIMARY KEY (kiosk, day, category)
);
-- The service records kiosks send beside their ticket events (docs/sync-protocol.md, "Record kinds").
CREATE TABLE IF NOT EXISTS csat_answers (
    ticket      TEXT PRIMARY KEY,
    kiosk       TEXT NOT NULL,
    store       TEXT NOT NULL,
    score       INTEGER NOT NULL,
    comment     TEXT NOT NULL,
    staff       TEXT NOT NULL,
    answered_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS csat_answers_time ON csat_answers (answered_at);
CREATE TABLE IF NOT EXISTS approvals (
    id              TEXT PRIMARY KEY,
    kiosk           TEXT NOT NULL,
    store           TEXT NOT NULL,
    ticket          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    requested_at    BIGINT NOT NULL,
    deadline        BIGINT NOT NULL,
    state           TEXT NOT NULL,
    decided_by      TEXT NOT NULL,
    decided_at      BIGINT,
    decision_reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS approvals_time ON approvals (requested_at);
CREATE TABLE IF NOT EXISTS followup_calls (
    record_id TEXT PRIMARY KEY,
    kiosk     TEXT NOT NULL,
    store     TEXT NOT NULL,
    ticket    TEXT NOT NULL,
    staff     TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    note      TEXT NOT NULL,
    at        BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX IF NOT EXISTS followup_calls_ticket ON followup_calls (ticket);
CREATE TABLE IF NOT EXISTS script_uses (
    record_id TEXT PRIMARY KEY,
    ticket    TEXT NOT NULL,
    kiosk     TEXT NOT NULL,
    store     TEXT NOT NULL,
    script    TEXT NOT NULL,
    scene     TEXT NOT NULL,
    staff     TEXT NOT NULL,
    at        BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS script_uses_ticket ON script_uses (ticket);
-- Queue numbers (取号) as the kiosks last reported them: each queue_event carries the number's whole
-- state, so the row is the number's latest stage (0 waiting, 1 called, 2 served or no-show); hour is the
-- store's local hour the number was taken in, day its local date.
CREATE TABLE IF NOT EXISTS queue_numbers (
    kiosk       TEXT NOT NULL,
    day         TEXT NOT NULL,
    service     TEXT NOT NULL,
    number      BIGINT NOT NULL,
    store       TEXT NOT NULL,
    label       TEXT NOT NULL,
    hour        INTEGER NOT NULL,
    state       TEXT NOT NULL,
    stage       INTEGER NOT NULL,
    taken_at    BIGINT NOT NULL,
    called_at   BIGINT,
    finished_at BIGINT,
    ticket      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kiosk, day, service, number)
);
CREATE INDEX IF NOT EXISTS queue_numbers_taken ON queue_numbers (taken_at);
CREATE TABLE IF NOT EXISTS products (
    gtin     TEXT PRIMARY KEY,
    name_en  TEXT NOT NULL,
    name_zh  TEXT NOT NULL,
    category TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stores (
    code   TEXT PRIMARY KEY,
    region TEXT NOT NULL
);
)sql";

// Columns added to a projection table after head-office databases were already in use, with their
// definitions; UpgradeProjection adds those an older database lacks. Only ever appended to.
struct AddedColumn {
    std::string_view table, column, definition;
};
constexpr AddedColumn kAddedColumns[] = {
    {"kiosk_status", "scanner", "TEXT NOT NULL DEFAULT ''"},
    {"kiosk_status", "camera", "TEXT NOT NULL DEFAULT ''"},
    {"kiosk_status", "started_at", "BIGINT NOT NULL DEFAULT 0"},
    {"kiosk_status", "frame_failures", "BIGINT NOT NULL DEFAULT 0"},
    {"kiosk_status", "refused", "TEXT NOT NULL DEFAULT ''"},
    {"tickets", "closed_at", "BIGINT"},  // the last move to closed: follow-up calls are due within 24 h of it
    // The kiosk's SLA clocks evaluated at the ticket's latest event (StoreTicketsSla): due times in ms and
    // core::SlaState names; an empty state: not evaluated.
    {"tickets", "sla_response_due", "BIGINT"},
    {"tickets", "sla_response_state", "TEXT NOT NULL DEFAULT ''"},
    {"tickets", "sla_resolution_due", "BIGINT"},
    {"tickets", "sla_resolution_state", "TEXT NOT NULL DEFAULT ''"},
    {"tickets", "sla_rules", "TEXT NOT NULL DEFAULT ''"},  // SlaRules::Versions() they were measured with
    // The owning ticket's created_at: on PostgreSQL the events are partitioned by it (partitions.hpp).
    {"ticket_events", "ticket_created", "BIGINT NOT NULL DEFAULT 0"},
};

// Whether `table` has `column`, asked in SQL both engines understand: selecting the column fails
// when it is missing. A lost connection or a lock timeout is an error, not an answer.
Result<bool> HasProjectionColumn(SqlSession& db, const AddedColumn& c) {
    auto probe = db.Query("SELECT " + std::string(c.column) + " FROM " + std::string(c.table) + " WHERE 1 = 0");
    if (probe) return true;
    if (probe.error().code == core::ErrorCode::Unavailable || probe.error().code == core::ErrorCode::Busy) {
        return std::unexpected(std::move(probe.error()));
    }
    return false;
}

// Adds the missing columns in one transaction. Fails when another server added one of them meanwhile
// (the caller asks again).
Result<void> AddMissingColumns(SqlSession& db) {
    std::vector<const AddedColumn*> missing;
    for (const AddedColumn& c : kAddedColumns) {
        auto present = HasProjectionColumn(db, c);
        if (!present) return std::unexpected(std::move(present.error()));
        if (!*present) missing.push_back(&c);
    }
    if (missing.empty()) return {};
    if (auto ok = db.Begin(); !ok) return ok;
    for (const AddedColumn* c : missing) {
        auto added = db.Query("ALTER TABLE " + std::string(c->table) + " ADD COLUMN " + std::string(c->column) + " " +
                              std::string(c->definition));
        if (!added) {
            db.Rollback();
            return std::unexpected(std::move(added.error()));
        }
    }
    if (auto ok = db.Commit(); !ok) {
        db.Rollback();
        return ok;
    }
    return {};
}

const std::set<std::string> kStaffRoles{"clerk", "technician", "supervisor"};

// The store a ticket number belongs to: "S012-K1-261122-0001" -> "S012".
std::string StoreOf(const std::string& ticketNumber) { return ticketNumber.substr(0, ticketNumber.find('-')); }

// `object[key]` when it is an integer, else nullopt.
std::optional<std::int64_t> Integer(const Json& object, const char* key) {
    if (!object.is_object()) return std::nullopt;
    const auto found = object.find(key);
    if (found == object.end() || !found->is_number_integer()) return std::nullopt;
    return found->get<std::int64_t>();
}

// A time field as milliseconds, NULL when absent or not a time.
SqlValue OptionalTimeMs(const Json& object, const char* key) {
    if (auto ms = TimestampMs(Text(object, key))) return *ms;
    return SqlValue{};
}

// The files an attached event names, so the kiosk may then send their bytes; an event whose list does
// not validate names none (its record is kept as it came).
Result<void> IndexAttachments(SqlSession& db, std::string_view kiosk, const NewRecord& record, const std::string& number,
                              const Json& event, std::int64_t at) {
    const auto list = event.find("attachments");
    if (list == event.end()) return {};
    auto attachments = wire::AttachmentsFromJson(*list);
    if (!attachments) return {};
    std::int64_t position = 0;
    for (const core::Attachment& a : *attachments) {
        auto ok = db.Exec("INSERT INTO ticket_attachments (record_id, position, ticket, kiosk, sha256, kind, media_type, bytes, at) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
                          {record.id, position++, number, std::string(kiosk), a.sha256, a.kind, a.mediaType, a.bytes, at});
        if (!ok) return std::unexpected(std::move(ok.error()));
    }
    return {};
}

// The creation time of each stored ticket row the batch touches, kept current as the batch's events
// create and move rows: each statement then names the row by (number, created_at), so on PostgreSQL it
// is planned for the one month partition that holds it, not run across all of them.
using StoredCreation = std::map<std::string, std::int64_t>;

// The batch's ticket_events rows, written together once its events are applied: on PostgreSQL one
// statement over arrays (a statement per row cost more to run than the row did to store); SQLite's
// prepared statement per row is cheap.
struct EventIndexRows {
    std::vector<std::string> recordIds, tickets, hashes;
    std::vector<std::int64_t> chainSeqs, ticketCreated;

    void Add(std::string recordId, std::string ticket, std::int64_t chainSeq, std::string hash, std::int64_t created) {
        recordIds.push_back(std::move(recordId));
        tickets.push_back(std::move(ticket));
        chainSeqs.push_back(chainSeq);
        hashes.push_back(std::move(hash));
        ticketCreated.push_back(created);
    }

    Result<void> Write(SqlSession& db, std::string_view kiosk) {
        if (recordIds.empty()) return {};
        if (!db.ForUpdate().empty()) {
            const auto integers = [](const std::vector<std::int64_t>& values) {
                std::string out = "{";
                for (const std::int64_t v : values) out += (out.size() == 1 ? "" : ",") + std::to_string(v);
                return out + "}";
            };
            return db.Exec("INSERT INTO ticket_events (record_id, ticket, kiosk, chain_seq, hash, ticket_created) "
                           "SELECT r, t, $3, c, h, w FROM unnest($1::text[], $2::text[], $4::bigint[], $5::text[], $6::bigint[]) "
                           "AS e(r, t, c, h, w) ON CONFLICT DO NOTHING",
                           {TextArrayLiteral(recordIds), TextArrayLiteral(tickets), std::string(kiosk), integers(chainSeqs),
                            TextArrayLiteral(hashes), integers(ticketCreated)});
        }
        for (std::size_t i = 0; i < recordIds.size(); ++i) {
            auto ok = db.Exec("INSERT INTO ticket_events (record_id, ticket, kiosk, chain_seq, hash, ticket_created) "
                              "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                              {recordIds[i], tickets[i], std::string(kiosk), chainSeqs[i], hashes[i], ticketCreated[i]});
            if (!ok) return ok;
        }
        return {};
    }
};

// What one later event changes in its ticket's row (beside counting it and moving updated_at forward).
struct TicketChange {
    std::int64_t at = 0;
    std::optional<std::string> status, staff, channel;
    bool firstResponse = false;  // first_response_at = coalesce(first_response_at, at)
    bool resolved = false;       // resolved_at = coalesce(resolved_at, at)
    bool closed = false;         // closed_at = at
    std::optional<std::int64_t> csat;  // csat = coalesce(csat, score)
};

// A batch's writes to ticket rows: new rows, and each ticket's later events folded, in order, into one
// change (the last status, staff and channel, the first response, resolution and rating, the last
// closing, the latest time, the count). SQLite writes a new row at once and a ticket's change by one
// prepared statement; PostgreSQL writes all the batch's new rows by one statement and all its changes by
// another, since a statement per event cost more to plan across the month partitions than to run.
// Write must run before anything reads the rows again.
class TicketChanges {
public:
    explicit TicketChanges(bool sqlArrays) : m_sqlArrays(sqlArrays) {}

    // A new ticket's row: number, kiosk, store, type, status, gtin, serial, phone, tier, category, staff.
    using NewRow = std::array<std::string, 11>;

    // Inserts it (with updated_at = created_at and one event); on PostgreSQL with the batch's other new rows.
    Result<void> Insert(SqlSession& db, NewRow row, std::int64_t createdAt) {
        if (m_sqlArrays) {
            m_inserts.emplace_back(std::move(row), createdAt);
            return {};
        }
        std::vector<SqlValue> params(row.begin(), row.end());
        params.emplace_back(createdAt);
        return db.Exec("INSERT INTO tickets (number, kiosk, store, type, status, gtin, serial, phone, tier, category, staff, created_at, "
                       "updated_at, events) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1) ON CONFLICT DO NOTHING",
                       params);
    }

    // Folds in one later event of `number`, whose row is stored under `createdAt`.
    void Apply(const std::string& number, std::int64_t createdAt, const TicketChange& c) {
        auto [found, fresh] = m_pending.try_emplace(number);
        Folded& f = found->second;
        if (fresh) {
            f.createdAt = createdAt;
            f.latest = c.at;
        }
        ++f.events;
        f.latest = std::max(f.latest, c.at);
        if (c.status) f.status = c.status;
        if (c.staff) f.staff = c.staff;
        if (c.channel) f.channel = c.channel;
        if (c.firstResponse && !f.firstResponse) f.firstResponse = c.at;
        if (c.resolved && !f.resolved) f.resolved = c.at;
        if (c.closed) f.closed = c.at;
        if (c.csat && !f.csat) f.csat = c.csat;
    }

    // Writes the new rows, then what is folded for `number` now (before its row moves), or for every
    // ticket when empty.
    Result<void> Write(SqlSession& db, std::string_view number = {}) {
        if (auto ok = WriteInserts(db); !ok) return ok;
        if (m_pending.empty()) return {};
        std::map<std::string, Folded> writing;
        if (number.empty()) {
            writing.swap(m_pending);
        } else if (auto found = m_pending.find(std::string(number)); found != m_pending.end()) {
            writing.insert(m_pending.extract(found));
        } else {
            return {};
        }
        if (!m_sqlArrays) {
            // SQLite: a statement per ticket, prepared once.
            const auto value = [](auto&& v) { return v ? SqlValue(*v) : SqlValue{}; };
            for (const auto& [n, f] : writing) {
                auto ok = db.Exec("UPDATE tickets SET events = events + $3, updated_at = CASE WHEN updated_at < $4 THEN $4 ELSE updated_at END, "
                                  "status = coalesce($5, status), staff = coalesce($6, staff), channel = coalesce($7, channel), "
                                  "first_response_at = coalesce(first_response_at, $8), resolved_at = coalesce(resolved_at, $9), "
                                  "closed_at = coalesce($10, closed_at), csat = coalesce(csat, $11) WHERE number = $1 AND created_at = $2",
                                  {n, f.createdAt, f.events, f.latest, value(f.status), value(f.staff), value(f.channel),
                                   value(f.firstResponse), value(f.resolved), value(f.closed), value(f.csat)});
                if (!ok) return ok;
            }
            return {};
        }
        std::vector<std::optional<std::string>> numbers, statuses, staff, channels;
        std::vector<std::optional<std::int64_t>> created, events, latest, firstResponse, resolved, closed, csat;
        for (auto& [n, f] : writing) {
            numbers.emplace_back(n);
            created.emplace_back(f.createdAt);
            events.emplace_back(f.events);
            latest.emplace_back(f.latest);
            statuses.push_back(std::move(f.status));
            staff.push_back(std::move(f.staff));
            channels.push_back(std::move(f.channel));
            firstResponse.push_back(f.firstResponse);
            resolved.push_back(f.resolved);
            closed.push_back(f.closed);
            csat.push_back(f.csat);
        }
        return db.Exec(
            "UPDATE tickets AS t SET events = t.events + u.n, "
            "updated_at = CASE WHEN t.updated_at < u.latest THEN u.latest ELSE t.updated_at END, "
            "status = coalesce(u.status, t.status), staff = coalesce(u.staff, t.staff), channel = coalesce(u.channel, t.channel), "
            "first_response_at = coalesce(t.first_response_at, u.first_response), resolved_at = coalesce(t.resolved_at, u.resolved), "
            "closed_at = coalesce(u.closed, t.closed_at), csat = coalesce(t.csat, u.csat) "
            "FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::bigint[], "
            "$9::bigint[], $10::bigint[], $11::bigint[]) "
            "AS u(number, created_at, n, latest, status, staff, channel, first_response, resolved, closed, csat) "
            "WHERE t.number = u.number AND t.created_at = u.created_at",
            {ArrayLiteral(numbers), ArrayLiteral(created), ArrayLiteral(events), ArrayLiteral(latest), ArrayLiteral(statuses),
             ArrayLiteral(staff), ArrayLiteral(channels), ArrayLiteral(firstResponse), ArrayLiteral(resolved), ArrayLiteral(closed),
             ArrayLiteral(csat)});
    }

private:
    Result<void> WriteInserts(SqlSession& db) {
        if (m_inserts.empty()) return {};
        std::array<std::vector<std::string>, 11> columns;
        std::vector<std::optional<std::int64_t>> created;
        for (const auto& [row, at] : m_inserts) {
            for (std::size_t i = 0; i < row.size(); ++i) columns[i].push_back(row[i]);
            created.emplace_back(at);
        }
        m_inserts.clear();
        std::vector<SqlValue> params;
        for (const std::vector<std::string>& column : columns) params.emplace_back(TextArrayLiteral(column));
        params.emplace_back(ArrayLiteral(created));
        return db.Exec("INSERT INTO tickets (number, kiosk, store, type, status, gtin, serial, phone, tier, category, staff, created_at, "
                       "updated_at, events) SELECT n, k, s, ty, st, g, se, p, ti, c, sf, at, at, 1 FROM unnest($1::text[], $2::text[], "
                       "$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], "
                       "$12::bigint[]) AS r(n, k, s, ty, st, g, se, p, ti, c, sf, at) ON CONFLICT DO NOTHING",
                       params);
    }

    struct Folded {
        std::int64_t createdAt = 0;
        std::int64_t events = 0;
        std::int64_t latest = 0;
        std::optional<std::string> status, staff, channel;
        std::optional<std::int64_t> firstResponse, resolved, closed, csat;
    };

    bool m_sqlArrays;
    std::vector<std::pair<NewRow, std::int64_t>> m_inserts;  // PostgreSQL's, not written yet
    std::map<std::string, Folded> m_pending;
};

Result<void> ApplyEvent(SqlSession& db, const ProjectionRules& rules, std::string_view kiosk, const NewRecord& record,
                        const Json& event, StoredCreation& created, EventIndexRows& indexRows, TicketChanges& changes,
                        std::vector<StatusMove>& moves) {
    const std::string number = Text(event, "ticketNumber");
    const std::string kind = Text(event, "kind");
    const auto at = TimestampMs(Text(event, "at"));
    if (number.empty() || kind.empty() || !at) return {};
    const std::int64_t chainSeq = event.contains("seq") && event["seq"].is_number_integer() ? event["seq"].get<std::int64_t>() : 0;
    // An event is filed under its ticket's creation time, the created event (whose ticket row follows) under its own.
    const auto stored = created.find(number);
    indexRows.Add(record.id, number, chainSeq, Text(event, "hash"), stored == created.end() ? *at : stored->second);

    const std::string role = Text(event, "actorRole");
    const std::string staff = kStaffRoles.contains(role) ? Text(event, "actorId") : std::string();
    if (kind == "created") {
        const Json filed = event.contains("created") ? event["created"] : Json();
        const std::string store = StoreOf(number);
        // A row that is there is updated (moved to the new time: on PostgreSQL the key is (number,
        // created_at)), else one is inserted.
        if (stored != created.end()) {
            // Its row moves to the new time: what is folded for it is written under the old one first.
            if (auto ok = changes.Write(db, number); !ok) return ok;
            // Filed again, it may now bring the customer's consent: moves before it are queued without it.
            if (auto ok = QueueMoves(db, moves); !ok) return ok;
            moves.clear();
            auto ok = db.Exec("UPDATE tickets SET type = $2, gtin = $3, serial = $4, phone = $5, tier = $6, category = $7, "
                              "created_at = $8, events = events + 1 WHERE number = $1 AND created_at = $9",
                              {number, Text(filed, "type"), Text(filed, "gtin"), Text(filed, "serial"), Text(filed, "customerPhone"),
                               Text(filed, "customerTier"), Text(filed, "problemCategory"), *at, stored->second});
            if (!ok) return std::unexpected(std::move(ok.error()));
        }
        if (stored == created.end()) {
            auto ok = changes.Insert(db, {number, std::string(kiosk), store, Text(filed, "type"), Text(event, "toStatus"),
                                          Text(filed, "gtin"), Text(filed, "serial"), Text(filed, "customerPhone"),
                                          Text(filed, "customerTier"), Text(filed, "problemCategory"), staff},
                                     *at);
            if (!ok) return ok;
        }
        created[number] = *at;
        return RememberConsent(db, number, filed);
    }
    // Every later event counts and moves updated_at forward; the kind decides what else changes.
    TicketChange change;
    change.at = *at;
    if (kind == "status_changed") {
        const std::string to = Text(event, "toStatus");
        change.status = to;
        change.firstResponse = rules.firstResponse.contains(to) || rules.resolves.contains(to);
        change.resolved = rules.resolves.contains(to);
        if (!staff.empty()) change.staff = staff;
        change.closed = to == "closed";
        // The customer's message about this move, queued in the same transaction: exactly once per event.
        // Only for a ticket filed before it (whose consent, if any, is stored by then), as when each
        // event was queued as it came.
        if (stored != created.end()) moves.push_back({record.id, number, Text(event, "fromStatus"), to, Text(event, "note"), *at, *at});
    } else if (kind == "assigned") {
        change.staff = Text(event, "value");
    } else if (kind == "channel_set") {
        change.channel = Text(event, "value");
    } else if (kind == "script_used") {
        // Which scene's script a ticket was served with, for comparing CSAT and resolution.
        auto used = db.Exec("INSERT INTO script_uses (record_id, ticket, kiosk, store, script, scene, staff, at) "
                             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                             {record.id, number, std::string(kiosk), StoreOf(number), Text(event, "value"), Text(event, "note"),
                              staff, *at});
        if (!used) return std::unexpected(std::move(used.error()));
    } else if (kind == "attached") {
        if (auto ok = IndexAttachments(db, kiosk, record, number, event, *at); !ok) return ok;
    } else if (kind == "rated") {
        const std::string score = Text(event, "value");
        if (score.size() == 1 && score[0] >= '1' && score[0] <= '5') change.csat = std::int64_t{score[0] - '0'};
    }
    // An event before its ticket's created event (sent later) has no row to change yet.
    if (stored == created.end()) return {};
    changes.Apply(number, stored->second, change);
    return {};
}

// The customer's answer, once per ticket (a kiosk asks only for tickets without one).
Result<void> ApplyCsatAnswer(SqlSession& db, std::string_view kiosk, const Json& answer) {
    const std::string ticket = Text(answer, "ticketNumber");
    const auto score = Integer(answer, "score");
    const auto at = TimestampMs(Text(answer, "answeredAt"));
    if (ticket.empty() || !score || *score < 1 || *score > 5 || !at) return {};
    auto ok = db.Exec("INSERT INTO csat_answers (ticket, kiosk, store, score, comment, staff, answered_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (ticket) DO NOTHING",
                       {ticket, std::string(kiosk), StoreOf(ticket), *score, Text(answer, "comment"),
                        Text(answer, "handedBackBy"), *at});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

// An approval as requested, then as decided: each record carries its whole state, and a decision is
// never undone by a request that arrives after it.
Result<void> ApplyApproval(SqlSession& db, std::string_view kiosk, const Json& a) {
    const std::string id = Text(a, "id");
    const std::string ticket = Text(a, "ticketNumber");
    const auto requested = TimestampMs(Text(a, "requestedAt"));
    const auto deadline = TimestampMs(Text(a, "deadline"));
    const std::string state = Text(a, "state");
    if (id.empty() || ticket.empty() || !requested || !deadline || state.empty()) return {};
    auto ok = db.Exec(
        "INSERT INTO approvals (id, kiosk, store, ticket, kind, amount, reason, requested_by, requested_at, deadline, state, "
        "decided_by, decided_at, decision_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        "ON CONFLICT (id) DO UPDATE SET state = excluded.state, decided_by = excluded.decided_by, "
        "decided_at = excluded.decided_at, decision_reason = excluded.decision_reason WHERE approvals.state = 'pending'",
        {id, std::string(kiosk), StoreOf(ticket), ticket, Text(a, "kind"), Integer(a, "amount").value_or(0), Text(a, "reason"),
         Text(a, "requestedBy"), *requested, *deadline, state, Text(a, "decidedBy"), OptionalTimeMs(a, "decidedAt"),
         Text(a, "decisionReason")});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

Result<void> ApplyFollowUpCall(SqlSession& db, std::string_view kiosk, const NewRecord& record, const Json& call) {
    const std::string ticket = Text(call, "ticketNumber");
    const auto at = TimestampMs(Text(call, "at"));
    if (ticket.empty() || !at) return {};
    auto ok = db.Exec("INSERT INTO followup_calls (record_id, kiosk, store, ticket, staff, outcome, note, at, closed_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (record_id) DO NOTHING",
                       {record.id, std::string(kiosk), StoreOf(ticket), ticket, Text(call, "staffNo"), Text(call, "outcome"),
                        Text(call, "note"), *at, OptionalTimeMs(call, "closedAt")});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

// Suggestions shown and solved, added up per kiosk, local day and problem category.
Result<void> ApplySelfHelp(SqlSession& db, std::string_view kiosk, const Json& count) {
    const std::string day = Text(count, "day");
    const std::string category = Text(count, "category");
    const auto offered = Integer(count, "offered");
    const auto solved = Integer(count, "solved");
    if (day.empty() || category.empty() || !offered || !solved || *offered < 0 || *solved < 0) return {};
    auto ok = db.Exec("INSERT INTO self_help (kiosk, day, category, offered, solved) VALUES ($1, $2, $3, $4, $5) "
                       "ON CONFLICT (kiosk, day, category) DO UPDATE SET offered = self_help.offered + excluded.offered, "
                       "solved = self_help.solved + excluded.solved",
                       {std::string(kiosk), day, category, *offered, *solved});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

// A queue number's latest state: a record for a later stage replaces the row's state and times, an
// earlier one (sent before it, applied after) changes nothing; a link to a ticket is kept either way.
Result<void> ApplyQueueEvent(SqlSession& db, std::string_view kiosk, const Json& q) {
    const std::string day = Text(q, "day");
    const std::string service = Text(q, "service");
    const std::string state = Text(q, "state");
    const auto number = Integer(q, "number");
    const auto hour = Integer(q, "hour");
    const auto taken = TimestampMs(Text(q, "takenAt"));
    const std::int64_t stage = state == "waiting" ? 0 : state == "called" ? 1 : state == "served" || state == "no_show" ? 2 : -1;
    if (day.empty() || service.empty() || !number || !hour || *hour < 0 || *hour > 23 || !taken || stage < 0) return {};
    auto ok = db.Exec(
        "INSERT INTO queue_numbers (kiosk, day, service, number, store, label, hour, state, stage, taken_at, called_at, "
        "finished_at, ticket) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (kiosk, day, service, number) DO UPDATE SET "
        "state = CASE WHEN excluded.stage >= queue_numbers.stage THEN excluded.state ELSE queue_numbers.state END, "
        "called_at = coalesce(queue_numbers.called_at, excluded.called_at), "
        "finished_at = coalesce(queue_numbers.finished_at, excluded.finished_at), "
        "stage = CASE WHEN excluded.stage >= queue_numbers.stage THEN excluded.stage ELSE queue_numbers.stage END, "
        "ticket = CASE WHEN excluded.ticket <> '' THEN excluded.ticket ELSE queue_numbers.ticket END",
        {std::string(kiosk), day, service, *number, Text(q, "store"), Text(q, "label"), *hour, state, stage, *taken,
         OptionalTimeMs(q, "calledAt"), OptionalTimeMs(q, "finishedAt"), Text(q, "ticketNumber")});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

Result<void> ApplyProjectedRecords(SqlSession& db, const ProjectionRules& rules, std::string_view kiosk,
                                   const std::vector<NewRecord>& records, const std::vector<const Json*>& payloads,
                                   StoredCreation& created) {
    EventIndexRows indexRows;
    TicketChanges changes(!db.ForUpdate().empty());
    std::vector<StatusMove> moves;  // queued once the batch's consents are stored
    for (std::size_t i = 0; i < records.size(); ++i) {
        const NewRecord& record = records[i];
        const Json& payload = *payloads[i];
        if (!payload.is_object()) continue;
        Result<void> ok;
        if (record.type == "ticket_event") {
            ok = ApplyEvent(db, rules, kiosk, record, payload, created, indexRows, changes, moves);
        } else if (record.type == "csat_answer") {
            ok = ApplyCsatAnswer(db, kiosk, payload);
        } else if (record.type == "approval") {
            ok = ApplyApproval(db, kiosk, payload);
        } else if (record.type == "followup_call") {
            ok = ApplyFollowUpCall(db, kiosk, record, payload);
        } else if (record.type == "self_help") {
            ok = ApplySelfHelp(db, kiosk, payload);
        } else if (record.type == "queue_event") {
            ok = ApplyQueueEvent(db, kiosk, payload);
        }
        if (!ok) return ok;
    }
    if (auto ok = changes.Write(db); !ok) return ok;
    if (auto ok = QueueMoves(db, moves); !ok) return ok;
    return indexRows.Write(db, kiosk);
}

Result<void> StoreTouchedSla(SqlSession& db, const ProjectionRules& rules, const std::set<std::string>& touched,
                             const StoredCreation& created, const std::vector<NewRecord>& records) {
    if (touched.empty() || !rules.sla) return {};
    auto sla = rules.sla->Current(db);
    // Rules that do not parse (a broken default file) leave the SLA columns as they are: the records
    // are still taken, and RemeasureSla or the ticket's next event evaluates them.
    if (!sla) return sla.error().code == core::ErrorCode::InvalidInput ? Result<void>{} : std::unexpected(std::move(sla.error()));
    // A ticket without a row yet keeps its events for when its created event comes.
    std::map<std::string, std::int64_t> rows;
    for (const std::string& number : touched) {
        if (const auto stored = created.find(number); stored != created.end()) rows.insert(*stored);
    }
    std::map<std::string, HeldRecord> held;  // the batch's events, already read
    for (const NewRecord& r : records) {
        if (r.parsed && r.type == "ticket_event") held[r.id] = {r.epoch, r.seq, r.parsed};
    }
    return StoreTicketsSla(db, **sla, rows, held);
}

}  // namespace

std::string_view ProjectionSchema() { return kProjectionSchema; }

Result<void> UpgradeProjection(SqlSession& db) {
    auto upgraded = AddMissingColumns(db);
    if (!upgraded && upgraded.error().code != core::ErrorCode::Unavailable) {
        upgraded = AddMissingColumns(db);  // another server starting at the same time added a column first
    }
    if (!upgraded) return upgraded;
    // Indexes on added columns, once they exist: the follow-up report reads tickets by closing time; the
    // front page's figures, SLA compliance included, are read from the second index alone.
    // Two servers creating one at once may collide in PostgreSQL's catalog: asked again, it exists.
    for (const std::string_view sql :
         {"CREATE INDEX IF NOT EXISTS tickets_closed ON tickets (closed_at)",
          "CREATE INDEX IF NOT EXISTS tickets_created_sla ON tickets (created_at, type, sla_resolution_state, sla_resolution_due, "
          "first_response_at, resolved_at, csat)"}) {
        auto indexed = db.Query(sql);
        if (!indexed && indexed.error().code != core::ErrorCode::Unavailable) indexed = db.Query(sql);
        if (!indexed) return std::unexpected(std::move(indexed.error()));
    }
    return {};
}

std::optional<std::int64_t> TimestampMs(std::string_view iso) {
    auto t = core::ParseTimestamp(iso);
    if (!t) return std::nullopt;
    return std::int64_t{t->time_since_epoch().count()} * 1000;
}

Result<void> ProjectRecords(SqlSession& db, const ProjectionRules& rules, std::string_view kiosk,
                            const std::vector<NewRecord>& records) {
    std::set<std::string> touched;  // tickets with a new event, their SLA evaluated once per batch
    std::set<std::string> serials;  // filed with them in this batch
    ServiceRollupDelta::Touched serviceTouched;
    std::vector<Json> readHere(records.size());
    std::vector<const Json*> payloads(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        payloads[i] = records[i].parsed ? records[i].parsed : &readHere[i];
        if (!records[i].parsed) {
            try {
                readHere[i] = Json::parse(records[i].payload);
            } catch (const std::exception&) {
                continue;  // validated as an object at ingest; nothing here to project
            }
        }
        const Json& payload = *payloads[i];
        // Answers and calls change no ticket row, but the figures of the ticket they are for.
        if (records[i].type == "csat_answer") serviceTouched.csat.insert(Text(payload, "ticketNumber"));
        if (records[i].type == "followup_call") serviceTouched.followUps.insert(Text(payload, "ticketNumber"));
        if (records[i].type == "queue_event") serviceTouched.queueDays.insert(std::string(kiosk) + "\n" + Text(payload, "day"));
        if (records[i].type != "ticket_event") continue;
        if (const std::string number = Text(payload, "ticketNumber"); !number.empty()) {
            touched.insert(number);
            // The service figures read a ticket's type, phone, status, closing, resolution, rating and
            // scripts: assignments, channels, notes and attachments leave them as they are.
            const std::string kind = Text(payload, "kind");
            if (kind == "created" || kind == "status_changed" || kind == "rated" || kind == "script_used") {
                serviceTouched.followUps.insert(number);
                serviceTouched.scripts.insert(number);
            }
        }
        if (payload.contains("created")) serials.insert(Text(payload["created"], "serial"));
    }
    // The rollup figures of the touched tickets (and of the repairs whose repeat count they may change)
    // move from what they were before the batch to what they are after.
    StoredCreation created;
    auto counted = RollupDelta::WithSameSerialRepairs(db, touched, std::move(serials), &created);
    if (!counted) return std::unexpected(std::move(counted.error()));
    RollupDelta rollups;
    ServiceRollupDelta serviceRollups;
    if (auto ok = rollups.Count(db, *counted, -1); !ok) return ok;
    if (auto ok = serviceRollups.Count(db, serviceTouched, -1); !ok) return ok;
    if (auto ok = ApplyProjectedRecords(db, rules, kiosk, records, payloads, created); !ok) return ok;
    if (auto ok = StoreTouchedSla(db, rules, touched, created, records); !ok) return ok;
    if (auto ok = rollups.Count(db, *counted, 1); !ok) return ok;
    if (auto ok = serviceRollups.Count(db, serviceTouched, 1); !ok) return ok;
    if (auto ok = rollups.Write(db); !ok) return ok;
    return serviceRollups.Write(db);
}

Result<std::int64_t> RemeasureSla(SqlSession& db, const SlaRules& rules) {
    auto rows = db.Query("SELECT number, created_at FROM tickets WHERE sla_rules <> $1", {rules.Versions()});
    if (!rows) return std::unexpected(std::move(rows.error()));
    // A transaction per thousand tickets, their events read together: one commit (one fsync) each.
    constexpr std::size_t kChunk = 1000;
    for (std::size_t from = 0; from < rows->size(); from += kChunk) {
        std::map<std::string, std::int64_t> chunk;
        for (std::size_t i = from; i < std::min(from + kChunk, rows->size()); ++i) chunk[(*rows)[i][0]] = ToInt((*rows)[i][1]);
        if (auto ok = db.Begin(); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = StoreTicketsSla(db, rules, chunk, {}); !ok) {
            db.Rollback();
            return std::unexpected(std::move(ok.error()));
        }
        if (auto ok = db.Commit(); !ok) {
            db.Rollback();
            return std::unexpected(std::move(ok.error()));
        }
    }
    // The clocks may have been measured before the rollups counted them (or not at all): recompute those.
    if (!rows->empty()) {
        if (auto rebuilt = RebuildRollups(db); !rebuilt) return std::unexpected(std::move(rebuilt.error()));
    }
    return static_cast<std::int64_t>(rows->size());
}

Result<void> StoreKioskStatus(SqlSession& db, std::string_view kiosk, const KioskStatus& status, std::int64_t nowMs) {
    // Published versions the kiosk refused, one line each: "policy v3: published policy v3:12: why".
    std::string refused;
    for (const RefusedDataset& r : status.refused) {
        if (!refused.empty()) refused += '\n';
        refused += r.dataset + " v" + std::to_string(r.version) + ": " + r.why;
    }
    auto ok = db.Exec("INSERT INTO kiosk_status (kiosk, software, printer, paper, scanner_seen, reported_at, scanner, camera, "
                       "started_at, frame_failures, refused) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (kiosk) DO UPDATE SET "
                       "software = excluded.software, printer = excluded.printer, paper = excluded.paper, "
                       "scanner_seen = excluded.scanner_seen, reported_at = excluded.reported_at, scanner = excluded.scanner, "
                       "camera = excluded.camera, started_at = excluded.started_at, frame_failures = excluded.frame_failures, "
                       "refused = excluded.refused",
                       {std::string(kiosk), status.software, status.printer, status.paper, status.scannerSeenMs, nowMs,
                        status.scanner, status.camera, status.startedAtMs, status.frameFailures, refused});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return {};
}

Result<void> StoreProducts(SqlSession& db, std::string_view itemsJson) {
    Json items;
    try {
        items = Json::parse(itemsJson);
    } catch (const std::exception& error) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string("catalog items are not JSON: ") + error.what());
    }
    if (!items.is_array()) return core::Fail(core::ErrorCode::InvalidInput, "catalog items are not a JSON array");
    for (const Json& item : items) {
        auto ok = db.Query("INSERT INTO products (gtin, name_en, name_zh, category) VALUES ($1, $2, $3, $4) "
                           "ON CONFLICT (gtin) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh, "
                           "category = excluded.category",
                           {Text(item, "gtin"), Text(item, "name_en"), Text(item, "name_zh_hans"), Text(item, "category")});
        if (!ok) return std::unexpected(std::move(ok.error()));
    }
    return {};
}

}  // namespace kiosk::sync::headoffice
