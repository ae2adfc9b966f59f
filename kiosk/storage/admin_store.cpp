// AdminStore: opening, and the staff's work on tickets (queue, detail, moves, hand back, reprint), each
// with its ticket event and audit entry in one transaction.
#include "kiosk/storage/admin_store_parts.hpp"

namespace kiosk::storage {

using namespace admin_detail;

// ---------------------------------------------------------------------------------------------------
// Opening and shared helpers

Result<AdminStore> AdminStore::Open(Database db, KioskStore& tickets, const core::Lifecycle& lifecycle,
                                    const core::SlaPolicy& sla, const core::BusinessCalendar& calendar,
                                    core::admin::RoleTable roles, AdminStoreOptions options) {
    if (auto version = Migrate(db); !version) return Forward(version);
    if (auto ok = admin::ValidateRoleTable(roles); !ok) return Forward(ok);
    return AdminStore(std::move(db), tickets, lifecycle, sla, calendar, std::move(roles), std::move(options));
}

Result<void> AdminStore::Require(const core::Actor& actor, std::string_view name) {
    return admin::Require(m_roles, actor, name);
}

Result<std::vector<AdminStore::StaffRow>> AdminStore::ReadStaff(std::optional<std::string_view> staffNo) {
    const std::string sql = "SELECT " + std::string(kStaffColumns) +
                            " FROM staff s LEFT JOIN staff_credentials c ON c.staff_no = s.staff_no " +
                            (staffNo ? "WHERE s.staff_no = ?1 OR s.badge = ?1" : "ORDER BY s.staff_no");
    auto stmt = m_db.Cached(sql);
    if (!stmt) return Forward(stmt);
    if (staffNo) stmt->Bind(1, *staffNo);
    std::vector<StaffRow> rows;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return Forward(row);
        if (!*row) break;
        StaffRow r;
        r.staff.staffNo = stmt->Text(0);
        r.staff.name = stmt->Text(1);
        auto role = core::ParseRole(stmt->Text(2));
        if (!role) return core::Fail(ErrorCode::Corrupt, "staff " + r.staff.staffNo + " has an unknown role");
        r.staff.role = *role;
        r.staff.badge = stmt->Text(3);
        r.staff.active = stmt->Int(4) != 0;
        r.credentials.pinHash = stmt->Text(5);
        r.credentials.lockout.consecutiveFailures = static_cast<int>(stmt->Int(6));
        auto locked = ReadOptionalTime(*stmt, 7, "lockout time");
        if (!locked) return Forward(locked);
        r.credentials.lockout.lockedUntil = *locked;
        rows.push_back(std::move(r));
    }
    // A staff number wins over a badge that happens to read the same.
    if (staffNo) {
        std::ranges::stable_partition(rows, [&](const StaffRow& r) { return r.staff.staffNo == *staffNo; });
    }
    return rows;
}

Result<void> AdminStore::WriteCredentials(std::string_view staffNo, const Credentials& credentials,
                                          core::Timestamp now, bool pinChanged) {
    auto stmt = m_db.Cached(
        "INSERT INTO staff_credentials (staff_no, pin_hash, pin_set_at, failures, locked_until, last_failure_at) "
        "VALUES (?1, NULLIF(?2, ''), CASE WHEN ?6 THEN ?5 END, ?3, ?4, CASE WHEN ?3 > 0 THEN ?5 END) "
        "ON CONFLICT (staff_no) DO UPDATE SET pin_hash = NULLIF(?2, ''), "
        "pin_set_at = CASE WHEN ?6 THEN ?5 ELSE pin_set_at END, failures = ?3, locked_until = ?4, "
        "last_failure_at = CASE WHEN ?3 > 0 THEN ?5 ELSE last_failure_at END");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, staffNo)
        .Bind(2, credentials.pinHash)
        .Bind(3, std::int64_t{credentials.lockout.consecutiveFailures})
        .BindOptional(4, OptionalTimeText(credentials.lockout.lockedUntil))
        .Bind(5, core::FormatTimestamp(now))
        .Bind(6, std::int64_t{pinChanged ? 1 : 0});
    return stmt->Run();
}

Result<std::vector<core::TicketEvent>> AdminStore::ReadEvents(std::string_view number) {
    auto stmt = m_db.Cached("SELECT " + std::string(kTicketEventColumns) +
                            " FROM ticket_events WHERE ticket_number = ?1 ORDER BY seq");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, number);
    auto groups = ReadEventGroups(*stmt);
    if (!groups) return Forward(groups);
    auto it = groups->find(std::string(number));
    if (it == groups->end()) return std::vector<core::TicketEvent>{};
    return std::move(it->second);
}

Result<core::Ticket> AdminStore::LoadTicket(std::string_view number) {
    auto events = ReadEvents(number);
    if (!events) return Forward(events);
    if (events->empty()) return core::Fail(ErrorCode::NotFound, "no ticket " + std::string(number));
    return core::ProjectTicket(*events, *m_lifecycle);
}

Result<core::Ticket> AdminStore::AppendEvent(std::string_view number, core::TicketEvent event, std::string_view name) {
    auto before = LoadTicket(number);
    if (!before) return Forward(before);
    auto epoch = OutboxEpoch(m_db);
    if (!epoch) return Forward(epoch);
    return TicketLog(m_db, *m_lifecycle).Append(*before, std::move(event), name, *epoch);
}

std::string AdminStore::ProductName(const std::string& gtin, core::Language language) {
    if (gtin.empty()) return {};
    auto parsed = core::Gtin::Parse(gtin);
    if (!parsed) return gtin;
    auto product = m_tickets->FindProduct(*parsed);
    if (!product || !*product) return gtin;
    const std::string& name = (*product)->name.In(language);
    return name.empty() ? gtin : name;
}

// ---------------------------------------------------------------------------------------------------
// Queue and tickets

Result<std::vector<admin::QueueItem>> AdminStore::Queue(const core::Actor& actor, const admin::QueueFilter& filter,
                                                        core::Timestamp now) {
    if (auto ok = Require(actor, action::kQueueView); !ok) return Forward(ok);
    core::TicketFilter listFilter;
    listFilter.type = filter.type;
    listFilter.status = filter.status;
    listFilter.openOnly = !filter.includeClosed;
    listFilter.limit = 0;
    auto tickets = m_tickets->ListTickets(listFilter);
    if (!tickets) return Forward(tickets);
    std::erase_if(*tickets, [&](const core::Ticket& t) {
        return !MatchesSearch(t, filter.search) || (filter.assignee && t.assignee != *filter.assignee);
    });

    Json numbers = Json::array();
    for (const core::Ticket& t : *tickets) numbers.push_back(t.number);
    auto numbersText = wire::DumpJson(numbers);
    if (!numbersText) return Forward(numbersText);
    auto stmt = m_db.Prepare("SELECT " + std::string(kTicketEventColumns) +
                             " FROM ticket_events WHERE ticket_number IN (SELECT value FROM json_each(?1)) "
                             "ORDER BY seq");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, *numbersText);
    auto events = ReadEventGroups(*stmt);
    if (!events) return Forward(events);

    std::set<std::string> pending;
    {
        auto approvals = m_db.Cached("SELECT ticket_number FROM approvals WHERE state = 'pending'");
        if (!approvals) return Forward(approvals);
        for (;;) {
            auto row = approvals->Step();
            if (!row) return Forward(row);
            if (!*row) break;
            pending.insert(approvals->Text(0));
        }
    }
    auto staff = ReadStaff(std::nullopt);
    if (!staff) return Forward(staff);
    std::map<std::string, std::string> names;
    for (const StaffRow& r : *staff) names.emplace(r.staff.staffNo, r.staff.name);
    const core::Language language = core::Language::ZhHans;

    std::vector<admin::QueueItem> items;
    std::map<std::string, std::string> productNames;
    for (const core::Ticket& t : *tickets) {
        admin::QueueItem item;
        item.number = t.number;
        item.type = t.filed.type;
        item.status = t.status;
        const core::StatusInfo* info = m_lifecycle->FindStatus(t.status);
        if (info != nullptr) item.statusLabel = info->label;
        item.tier = t.filed.customerTier;
        item.assignee = t.assignee;
        if (auto it = names.find(t.assignee); it != names.end()) item.assigneeName = it->second;
        item.channel = t.channel;
        item.maskedPhone = core::MaskPhone(t.filed.customerPhone);
        auto [name, inserted] = productNames.try_emplace(t.filed.gtin);
        if (inserted) name->second = ProductName(t.filed.gtin, language);
        item.productName = name->second;
        item.createdAt = t.createdAt;
        item.pendingApproval = pending.contains(t.number);
        auto it = events->find(t.number);
        if (it != events->end()) {
            auto sla = core::EvaluateSla(*m_sla, *m_calendar, *m_lifecycle, t.filed.type, t.filed.customerTier,
                                         it->second, now);
            if (sla) {
                admin::ApplySla(item, *sla, now);
            } else if (sla.error().code != ErrorCode::NotFound) {
                return core::Fail(sla.error().code, "ticket " + t.number + ": " + sla.error().message);
            }
        }
        if (!admin::PassesFilter(item, info != nullptr && info->terminal, filter)) continue;
        items.push_back(std::move(item));
    }
    admin::SortQueue(items);
    if (filter.limit > 0 && items.size() > static_cast<std::size_t>(filter.limit)) {
        items.resize(static_cast<std::size_t>(filter.limit));
    }
    return items;
}

Result<admin::TicketDetail> AdminStore::MakeDetail(const core::Actor& actor, const core::Ticket& ticket,
                                                   std::vector<core::TicketEvent> events, core::Timestamp now) {
    admin::TicketDetail detail;
    detail.ticket = ticket;
    detail.maskedPhone = core::MaskPhone(ticket.filed.customerPhone);
    detail.productName = ProductName(ticket.filed.gtin, ticket.filed.language);
    detail.decision.remedy = ticket.filed.remedy;
    detail.decision.clauseId = ticket.filed.clauseId;
    detail.decision.proofToVerify = ticket.filed.proofToVerify;
    if (m_options.policy != nullptr) {
        if (const core::Clause* clause = m_options.policy->FindClause(ticket.filed.clauseId)) {
            detail.decision.clauseText = clause->text;
        }
    }
    auto sla = core::EvaluateSla(*m_sla, *m_calendar, *m_lifecycle, ticket.filed.type, ticket.filed.customerTier,
                                 events, now);
    if (sla) {
        detail.sla = *sla;
        admin::QueueItem item;
        admin::ApplySla(item, *sla, now);
        detail.urgency = item.urgency;
    }
    detail.events = std::move(events);
    if (m_roles.Allows(actor.role, action::kTicketTransition)) {
        detail.allowedTransitions = m_lifecycle->NextStatuses(ticket.filed.type, ticket.status, actor.role);
    }
    auto approvals = ReadApprovals("WHERE ticket_number = ?1 ORDER BY requested_at DESC", ticket.number, now);
    if (!approvals) return Forward(approvals);
    detail.approvals = std::move(*approvals);
    auto csat = m_db.Cached("SELECT score, comment, answered_at FROM csat_answers WHERE ticket_number = ?1");
    if (!csat) return Forward(csat);
    csat->Bind(1, ticket.number);
    auto row = csat->Step();
    if (!row) return Forward(row);
    if (*row) {
        auto at = ReadTime(csat->Text(2), "CSAT time");
        if (!at) return Forward(at);
        detail.csat = admin::CsatAnswer{ticket.number, static_cast<int>(csat->Int(0)), csat->Text(1), *at};
        if (auto done = csat->Run(); !done) return Forward(done);
    }
    return detail;
}

Result<admin::TicketDetail> AdminStore::Detail(const core::Actor& actor, std::string_view number, core::Timestamp now) {
    if (auto ok = Require(actor, action::kQueueView); !ok) return Forward(ok);
    auto events = ReadEvents(number);
    if (!events) return Forward(events);
    if (events->empty()) return core::Fail(ErrorCode::NotFound, "no ticket " + std::string(number));
    auto ticket = core::ProjectTicket(*events, *m_lifecycle);
    if (!ticket) return Forward(ticket);
    return MakeDetail(actor, *ticket, std::move(*events), now);
}

Result<admin::TicketDetail> AdminStore::ChangeTicket(const core::Actor& actor, std::string_view number,
                                                     core::TicketEvent event, std::string_view name,
                                                     core::Timestamp now) {
    event.actor = actor;
    event.at = now;
    {
        auto tx = Transaction::Begin(m_db);
        if (!tx) return Forward(tx);
        auto changed = AppendEvent(number, std::move(event), name);
        if (!changed) return Forward(changed);
        if (auto ok = tx->Commit(); !ok) return Forward(ok);
    }
    return Detail(actor, number, now);
}

Result<admin::TicketDetail> AdminStore::Transition(const core::Actor& actor, std::string_view number,
                                                   std::string_view toStatus, std::string_view note,
                                                   core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketTransition); !ok) return Forward(ok);
    core::TicketEvent event;
    event.kind = core::EventKind::StatusChanged;
    event.toStatus = std::string(toStatus);
    event.note = std::string(note);
    return ChangeTicket(actor, number, std::move(event), action::kTicketTransition, now);
}

Result<std::vector<admin::StaffSummary>> AdminStore::Assignees(const core::Actor& actor, core::Timestamp now) {
    if (auto ok = Require(actor, action::kQueueView); !ok) return Forward(ok);
    auto all = StaffSummaries(now);
    if (!all) return Forward(all);
    std::erase_if(*all, [](const admin::StaffSummary& s) {
        return !s.active || (s.role != core::Role::Technician && s.role != core::Role::Supervisor);
    });
    return all;
}

Result<admin::TicketDetail> AdminStore::Assign(const core::Actor& actor, std::string_view number,
                                               std::string_view staffNo, core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketAssign); !ok) return Forward(ok);
    if (!staffNo.empty()) {
        auto rows = ReadStaff(staffNo);
        if (!rows) return Forward(rows);
        const bool assignable = std::ranges::any_of(*rows, [&](const StaffRow& r) {
            return r.staff.staffNo == staffNo && r.staff.active &&
                   (r.staff.role == core::Role::Technician || r.staff.role == core::Role::Supervisor);
        });
        if (!assignable) {
            return core::Fail(ErrorCode::InvalidInput,
                              "staff " + std::string(staffNo) + " is not an active technician or supervisor");
        }
    }
    core::TicketEvent event;
    event.kind = core::EventKind::Assigned;
    event.value = std::string(staffNo);
    return ChangeTicket(actor, number, std::move(event), action::kTicketAssign, now);
}

Result<admin::TicketDetail> AdminStore::SetChannel(const core::Actor& actor, std::string_view number,
                                                   core::ServiceChannel channel, core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketChannel); !ok) return Forward(ok);
    core::TicketEvent event;
    event.kind = core::EventKind::ChannelSet;
    event.value = std::string(core::ToString(channel));
    return ChangeTicket(actor, number, std::move(event), action::kTicketChannel, now);
}

Result<admin::TicketDetail> AdminStore::AddNote(const core::Actor& actor, std::string_view number,
                                                std::string_view note, core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketNote); !ok) return Forward(ok);
    if (note.empty()) {
        return core::Fail(ErrorCode::InvalidInput, "a note to ticket " + std::string(number) + " is empty");
    }
    core::TicketEvent event;
    event.kind = core::EventKind::NoteAdded;
    event.note = std::string(note);
    return ChangeTicket(actor, number, std::move(event), action::kTicketNote, now);
}

Result<admin::TicketDetail> AdminStore::MarkScriptUsed(const core::Actor& actor, std::string_view number,
                                                       std::string_view scriptId, std::string_view scene,
                                                       core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketNote); !ok) return Forward(ok);
    if (scriptId.empty()) return core::Fail(ErrorCode::InvalidInput, "no script named for ticket " + std::string(number));
    core::TicketEvent event;
    event.kind = core::EventKind::ScriptUsed;
    event.value = std::string(scriptId);
    event.note = std::string(scene);
    return ChangeTicket(actor, number, std::move(event), action::kTicketNote, now);
}

Result<admin::TicketDetail> AdminStore::Attach(const core::Actor& actor, std::string_view number,
                                               const std::vector<core::Attachment>& attachments, std::string_view note,
                                               core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketNote); !ok) return Forward(ok);
    if (attachments.empty() || attachments.size() > core::kMaxAttachmentsPerEvent) {
        return core::Fail(ErrorCode::InvalidInput, "ticket " + std::string(number) + " gets " +
                                                       std::to_string(attachments.size()) + " files at once; 1 to " +
                                                       std::to_string(core::kMaxAttachmentsPerEvent) + " can be attached");
    }
    for (const core::Attachment& a : attachments) {
        if (auto ok = core::ValidateAttachment(a); !ok) return Forward(ok);
    }
    core::TicketEvent event;
    event.kind = core::EventKind::Attached;
    event.attachments = attachments;
    event.note = std::string(note);
    return ChangeTicket(actor, number, std::move(event), action::kTicketNote, now);
}

Result<admin::ClosedTicket> AdminStore::HandBack(const core::Actor& actor, std::string_view number,
                                                 std::string_view note, core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketHandBack); !ok) return Forward(ok);
    core::TicketEvent event;
    event.kind = core::EventKind::StatusChanged;
    event.actor = actor;
    event.at = now;
    event.toStatus = "closed";
    event.note = std::string(note);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto closed = AppendEvent(number, std::move(event), action::kTicketHandBack);
    if (!closed) return Forward(closed);
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    m_lastClosed = admin::ClosedTicket{closed->number, closed->filed.type, closed->filed.language, now};
    return *m_lastClosed;
}

Result<std::int64_t> AdminStore::Reprint(const core::Actor& actor, std::string_view number, core::ReceiptKind kind,
                                         core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketReprint); !ok) return Forward(ok);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto ticket = LoadTicket(number);
    if (!ticket) return Forward(ticket);
    // Queued in this transaction, so the job and its audit entry land together; the print worker
    // takes queued jobs in order.
    const std::string_view kindName = kind == core::ReceiptKind::IntakeSlip ? "intake_slip" : "receipt";
    auto queued = PrintQueue(m_db).Enqueue({ticket->number, kind, ticket->filed.language, true}, now);
    if (!queued) return Forward(queued);
    const std::int64_t id = *queued;
    const Json after = {{"printJob", id}, {"kind", kindName}};
    if (auto ok =
            WriteAudit(m_db, {actor, now, action::kTicketReprint, "ticket", ticket->number, std::nullopt, JsonText(after)});
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return id;
}

}  // namespace kiosk::storage
