// The one place the kiosk appends to its ticket log and queues records for head office.
#include "kiosk/storage/ticket_log.hpp"

#include "sync/wire/ids.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::storage {

using core::ErrorCode;

Result<void> WriteAudit(Database& db, const AuditEntry& entry) {
    auto stmt = db.Cached(
        "INSERT INTO audit_log (at, actor_role, actor_id, action, entity, entity_id, before, after) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, core::FormatTimestamp(entry.at))
        .Bind(2, core::ToString(entry.actor.role))
        .Bind(3, entry.actor.id)
        .Bind(4, entry.action)
        .Bind(5, entry.entity)
        .Bind(6, entry.entityId)
        .BindOptional(7, entry.before)
        .BindOptional(8, entry.after);
    return stmt->Run();
}

Result<std::int64_t> OutboxEpoch(Database& db) {
    auto epoch = db.QueryInt("SELECT epoch FROM meta WHERE id = 1");
    if (!epoch) return std::unexpected(std::move(epoch.error()));
    if (*epoch == 0) return core::Fail(ErrorCode::Conflict, "the kiosk is not initialised (kioskctl init)");
    return *epoch;
}

Result<void> QueueRecord(Database& db, std::string_view type, const nlohmann::json& payload, core::Timestamp at) {
    auto epoch = OutboxEpoch(db);
    if (!epoch) return std::unexpected(std::move(epoch.error()));
    auto id = wire::RandomUuid();
    if (!id) return std::unexpected(std::move(id.error()));
    auto text = wire::DumpJson(payload);
    if (!text) return std::unexpected(std::move(text.error()));
    auto stmt = db.Cached("INSERT INTO outbox (id, epoch, record_type, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, *id).Bind(2, *epoch).Bind(3, type).Bind(4, *text).Bind(5, core::FormatTimestamp(at));
    return stmt->Run();
}

Result<core::Ticket> TicketLog::Append(const core::Ticket& before, core::TicketEvent event, std::string_view action,
                                       std::int64_t epoch) {
    if (event.kind == core::EventKind::StatusChanged) {
        event.fromStatus = before.status;
        auto allowed =
            m_lifecycle->CheckTransition(before.filed.type, event.fromStatus, event.toStatus, event.actor.role);
        if (!allowed) return core::Fail(allowed.error().code, "ticket " + before.number + ": " + allowed.error().message);
    }
    auto id = wire::RandomUuid();
    if (!id) return std::unexpected(std::move(id.error()));
    event.id = std::move(*id);
    event.ticketNumber = before.number;
    core::Ticket after = before;
    if (auto ok = core::ApplyEvent(after, event, *m_lifecycle); !ok) {
        return core::Fail(ok.error().code, "ticket " + before.number + ": " + ok.error().message);
    }
    if (auto seq = AppendChainedEvent(*m_db, event, epoch); !seq) return std::unexpected(std::move(seq.error()));
    if (auto ok = WriteTicketRow(*m_db, after, false); !ok) return std::unexpected(std::move(ok.error()));
    auto beforeText = wire::DumpJson(wire::TicketToJson(before));
    if (!beforeText) return std::unexpected(std::move(beforeText.error()));
    auto afterText = wire::DumpJson(wire::TicketToJson(after));
    if (!afterText) return std::unexpected(std::move(afterText.error()));
    if (auto ok = WriteAudit(*m_db, {event.actor, event.at, action, "ticket", after.number, *beforeText, *afterText}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return after;
}

}  // namespace kiosk::storage
