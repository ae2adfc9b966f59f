// The kiosk's ticket log, shared by KioskStore and AdminStore: every change to a ticket is one event,
// hash-chained to the one before it, projected onto the ticket's row, written to the audit log and
// queued for head office — together, inside the caller's write transaction, or not at all. Records
// that are not ticket events (a CSAT answer, an approval, a follow-up call, a self-help count) are
// queued here too, so every outbox row is written in one place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/ticket.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

// The columns ReadTicketEvent expects, in its order: SELECT them from ticket_events.
inline constexpr std::string_view kTicketEventColumns =
    "seq, id, ticket_number, kind, actor_role, actor_id, at, from_status, to_status, note, value, payload, "
    "prev_hash, hash";

// The event at the statement's current row; Corrupt when a stored field does not parse.
Result<core::TicketEvent> ReadTicketEvent(const Statement& row);

// Chains the event to the last one, stores it and queues it for head office under `epoch`; returns its
// sequence number.
Result<std::int64_t> AppendChainedEvent(Database& db, const core::TicketEvent& event, std::int64_t epoch);

// Inserts the ticket's row, or replaces every column of the existing one.
Result<void> WriteTicketRow(Database& db, const core::Ticket& ticket, bool insert);

// One audit_log row; before and after are JSON images of the entity (absent when not applicable).
struct AuditEntry {
    core::Actor actor;
    core::Timestamp at;
    std::string_view action;
    std::string_view entity;
    std::string_view entityId;
    std::optional<std::string> before;
    std::optional<std::string> after;
};
Result<void> WriteAudit(Database& db, const AuditEntry& entry);

// The outbox epoch of an initialised kiosk; Conflict when `kioskctl init` has not run.
Result<std::int64_t> OutboxEpoch(Database& db);

// Queues a record of its own kind (not a ticket event) for head office. `id` is the record's identity
// at head office, which keeps the first copy it receives: a record that changes later (an approval
// decided) is queued again under a new id and carries its whole state. Fails with InvalidInput when a
// text in the payload is not valid UTF-8.
Result<void> QueueRecord(Database& db, std::string_view type, const nlohmann::json& payload, core::Timestamp at);

class TicketLog {
public:
    // `db` and `lifecycle` must outlive the log.
    TicketLog(Database& db, const core::Lifecycle& lifecycle) : m_db(&db), m_lifecycle(&lifecycle) {}

    // Appends `event` to the ticket `before` (as last projected): a status change is checked against
    // the lifecycle for the event's actor, the event gets its id, chain place and outbox record, the
    // ticket row and the audit entry `action` (with before and after images) are written. The caller
    // holds a write transaction. Returns the ticket after the event.
    Result<core::Ticket> Append(const core::Ticket& before, core::TicketEvent event, std::string_view action,
                                std::int64_t epoch);

private:
    Database* m_db;
    const core::Lifecycle* m_lifecycle;
};

}  // namespace kiosk::storage
