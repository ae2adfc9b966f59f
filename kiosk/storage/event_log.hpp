// Appending to the kiosk's ticket event log, shared by KioskStore and AdminStore: the hash-chained
// event row with its outbox record, and the ticket row the events project to. Callers hold a write
// transaction, so the event, the ticket and their audit entry land together or not at all.
#pragma once

#include <cstdint>
#include <string_view>

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

}  // namespace kiosk::storage
