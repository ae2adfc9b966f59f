// AdminStore: admin actions on the kiosk database, each with its ticket event and audit entry in one
// transaction, and the reads behind the queue, ticket detail, follow-up list and reports.
#include "kiosk/storage/admin_store.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "kiosk/core/admin/approval.hpp"
#include "kiosk/core/admin/queue.hpp"
#include "kiosk/storage/crypto.hpp"
#include "kiosk/storage/event_log.hpp"
#include "kiosk/storage/migrations.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::storage {

using Json = nlohmann::json;

namespace {

namespace admin = core::admin;
namespace action = core::admin::action;
using core::ErrorCode;

constexpr std::string_view kStaffColumns =
    "s.staff_no, s.name, s.role, s.badge, s.active, c.pin_hash, c.failures, c.locked_until";
constexpr std::string_view kApprovalColumns =
    "id, ticket_number, kind, amount, reason, requested_by, requested_at, deadline, state, decided_by, decided_at, "
    "decision_reason";
constexpr std::chrono::hours kFollowUpWindow{24};

template <class T>
std::unexpected<core::Error> Forward(Result<T>& result) {
    return std::unexpected(std::move(result.error()));
}

Result<core::Timestamp> ReadTime(const std::string& text, std::string_view what) {
    auto t = core::ParseTimestamp(text);
    if (!t) return core::Fail(ErrorCode::Corrupt, "stored " + std::string(what) + " \"" + text + "\" is not a time");
    return *t;
}

Result<std::optional<core::Timestamp>> ReadOptionalTime(const Statement& row, int column, std::string_view what) {
    if (row.IsNull(column)) return std::optional<core::Timestamp>{};
    auto t = ReadTime(row.Text(column), what);
    if (!t) return Forward(t);
    return std::optional<core::Timestamp>{*t};
}


// Every event of the tickets a statement selects, grouped by ticket, in chain order.
Result<std::map<std::string, std::vector<core::TicketEvent>>> ReadEventGroups(Statement& stmt) {
    std::map<std::string, std::vector<core::TicketEvent>> groups;
    for (;;) {
        auto row = stmt.Step();
        if (!row) return Forward(row);
        if (!*row) break;
        auto event = ReadTicketEvent(stmt);
        if (!event) return Forward(event);
        groups[event->ticketNumber].push_back(std::move(*event));
    }
    return groups;
}

std::optional<std::string> OptionalTimeText(const std::optional<core::Timestamp>& t) {
    if (!t) return std::nullopt;
    return core::FormatTimestamp(*t);
}

Json LockoutJson(const admin::LockoutState& state) {
    Json json = {{"failures", state.consecutiveFailures}};
    json["lockedUntil"] = state.lockedUntil ? Json(core::FormatTimestamp(*state.lockedUntil)) : Json(nullptr);
    return json;
}

Json ApprovalJson(const admin::Approval& a) {
    Json json = {{"id", a.id},
                 {"ticketNumber", a.ticketNumber},
                 {"kind", admin::ToString(a.kind)},
                 {"amount", a.amount},
                 {"reason", a.reason},
                 {"requestedBy", a.requestedBy},
                 {"requestedAt", core::FormatTimestamp(a.requestedAt)},
                 {"deadline", core::FormatTimestamp(a.deadline)},
                 {"state", admin::ToString(a.state)},
                 {"decidedBy", a.decidedBy},
                 {"decisionReason", a.decisionReason}};
    json["decidedAt"] = a.decidedAt ? Json(core::FormatTimestamp(*a.decidedAt)) : Json(nullptr);
    return json;
}

// Settings as stored: one row per field, the value as JSON.
std::vector<std::pair<std::string, Json>> SettingsRows(const admin::Settings& s) {
    return {
        {"storeName", s.storeName},
        {"storeAddress", s.storeAddress},
        {"storePhone", s.storePhone},
        {"defaultLanguage", core::LanguageTag(s.defaultLanguage)},
        {"customerIdleTimeoutSeconds", s.customerIdleTimeout.count()},
        {"adminIdleTimeoutSeconds", s.adminIdleTimeout.count()},
        {"printerUri", s.printerUri},
        {"printerProfile", s.printerProfile},
        {"escalationThreshold", s.escalationThreshold},
        {"approvalWindowMinutes", s.approvalWindow.count()},
    };
}

Json SettingsJson(const admin::Settings& s) {
    Json json = Json::object();
    for (auto& [key, value] : SettingsRows(s)) json[key] = value;
    return json;
}

// Applies one stored row; Corrupt when its value has the wrong type. Unknown keys are ignored: a
// newer program may have written them.
Result<void> ApplySetting(admin::Settings& s, const std::string& key, const Json& v) {
    auto bad = [&] { return core::Fail(ErrorCode::Corrupt, "stored setting " + key + " has the wrong type"); };
    if (key == "defaultLanguage") {
        if (!v.is_string()) return bad();
        auto language = core::ParseLanguage(v.get<std::string>());
        if (!language) return bad();
        s.defaultLanguage = *language;
        return {};
    }
    std::string* text = key == "storeName"        ? &s.storeName
                        : key == "storeAddress"   ? &s.storeAddress
                        : key == "storePhone"     ? &s.storePhone
                        : key == "printerUri"     ? &s.printerUri
                        : key == "printerProfile" ? &s.printerProfile
                                                  : nullptr;
    if (text != nullptr) {
        if (!v.is_string()) return bad();
        *text = v.get<std::string>();
        return {};
    }
    const bool integer = v.is_number_integer();
    if (key == "customerIdleTimeoutSeconds") {
        if (!integer) return bad();
        s.customerIdleTimeout = std::chrono::seconds{v.get<std::int64_t>()};
    } else if (key == "adminIdleTimeoutSeconds") {
        if (!integer) return bad();
        s.adminIdleTimeout = std::chrono::seconds{v.get<std::int64_t>()};
    } else if (key == "escalationThreshold") {
        if (!integer) return bad();
        s.escalationThreshold = v.get<std::int64_t>();
    } else if (key == "approvalWindowMinutes") {
        if (!integer) return bad();
        s.approvalWindow = std::chrono::minutes{v.get<std::int64_t>()};
    }
    return {};
}

bool EndsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A ticket number exactly; a phone number or serial exactly, or by its last four or more characters.
bool MatchesSearch(const core::Ticket& t, std::string_view search) {
    if (search.empty()) return true;
    if (t.number == search) return true;
    if (search.size() < 4) return false;
    std::string phone(search);
    if (auto normalized = core::NormalizePhone(search)) phone = *normalized;
    if (!t.filed.customerPhone.empty() && EndsWith(t.filed.customerPhone, phone)) return true;
    return !t.filed.serial.empty() && EndsWith(t.filed.serial, search);
}

bool IsStaffRole(core::Role role) {
    return role == core::Role::Clerk || role == core::Role::Technician || role == core::Role::Supervisor;
}

std::string JsonText(const Json& json) {
    auto text = wire::DumpJson(json);
    return text ? *text : std::string("null");
}

}  // namespace

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

Result<void> AdminStore::WriteAudit(const core::Actor& actor, core::Timestamp at, std::string_view name,
                                    std::string_view entity, std::string_view entityId,
                                    std::optional<std::string> before, std::optional<std::string> after) {
    auto stmt = m_db.Cached(
        "INSERT INTO audit_log (at, actor_role, actor_id, action, entity, entity_id, before, after) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, core::FormatTimestamp(at))
        .Bind(2, core::ToString(actor.role))
        .Bind(3, actor.id)
        .Bind(4, name)
        .Bind(5, entity)
        .Bind(6, entityId)
        .BindOptional(7, before)
        .BindOptional(8, after);
    return stmt->Run();
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
    if (event.kind == core::EventKind::StatusChanged) {
        event.fromStatus = before->status;
        auto allowed =
            m_lifecycle->CheckTransition(before->filed.type, event.fromStatus, event.toStatus, event.actor.role);
        if (!allowed) {
            return core::Fail(allowed.error().code, "ticket " + before->number + ": " + allowed.error().message);
        }
    }
    auto id = RandomUuid();
    if (!id) return Forward(id);
    event.id = std::move(*id);
    event.ticketNumber = before->number;
    core::Ticket after = *before;
    if (auto ok = core::ApplyEvent(after, event, *m_lifecycle); !ok) {
        return core::Fail(ok.error().code, "ticket " + before->number + ": " + ok.error().message);
    }

    auto epoch = m_db.QueryInt("SELECT epoch FROM meta WHERE id = 1");
    if (!epoch) return Forward(epoch);
    if (*epoch == 0) return core::Fail(ErrorCode::Conflict, "the kiosk is not initialised (kioskctl init)");
    if (auto seq = AppendChainedEvent(m_db, event, *epoch); !seq) return Forward(seq);
    if (auto ok = WriteTicketRow(m_db, after, false); !ok) return Forward(ok);

    if (auto ok = WriteAudit(event.actor, event.at, name, "ticket", after.number, JsonText(wire::TicketToJson(*before)),
                             JsonText(wire::TicketToJson(after)));
        !ok) {
        return Forward(ok);
    }
    return after;
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
// Sign-in

Result<std::optional<admin::StaffIdentity>> AdminStore::Identify(std::string_view badgeOrStaffNo, core::Timestamp now) {
    std::string_view key = badgeOrStaffNo;
    if (key.starts_with("BADGE:")) key.remove_prefix(6);
    if (key.empty()) return std::optional<admin::StaffIdentity>{};
    auto rows = ReadStaff(key);
    if (!rows) return Forward(rows);
    for (const StaffRow& r : *rows) {
        if (!r.staff.active || !IsStaffRole(r.staff.role)) continue;
        admin::StaffIdentity identity{r.staff.staffNo, r.staff.name, r.staff.role, !r.credentials.pinHash.empty(),
                                      std::nullopt};
        if (admin::IsLocked(r.credentials.lockout, now)) identity.lockedUntil = r.credentials.lockout.lockedUntil;
        return std::optional<admin::StaffIdentity>{std::move(identity)};
    }
    return std::optional<admin::StaffIdentity>{};
}

Result<admin::SignInResult> AdminStore::SignIn(std::string_view staffNo, std::string_view pin, core::Timestamp now) {
    auto rows = ReadStaff(staffNo);
    if (!rows) return Forward(rows);
    const StaffRow* found = nullptr;
    for (const StaffRow& r : *rows) {
        if (r.staff.staffNo == staffNo && r.staff.active && IsStaffRole(r.staff.role)) found = &r;
    }
    admin::SignInResult result;
    const core::Actor who{found != nullptr ? found->staff.role : core::Role::System, std::string(staffNo)};
    auto audit = [&](const admin::SignInResult& r, std::optional<std::string> before) -> Result<void> {
        Json after = {{"outcome", admin::ToString(r.outcome)}, {"failures", r.consecutiveFailures}};
        after["lockedUntil"] = r.lockedUntil ? Json(core::FormatTimestamp(*r.lockedUntil)) : Json(nullptr);
        return WriteAudit(who, now, "staff.signin", "staff", staffNo, std::move(before), JsonText(after));
    };
    auto auditAlone = [&](const admin::SignInResult& r) -> Result<admin::SignInResult> {
        auto tx = Transaction::Begin(m_db);
        if (!tx) return Forward(tx);
        if (auto ok = audit(r, std::nullopt); !ok) return Forward(ok);
        if (auto ok = tx->Commit(); !ok) return Forward(ok);
        return r;
    };

    if (found == nullptr) {
        result.outcome = admin::SignInOutcome::UnknownStaff;
        return auditAlone(result);
    }
    const Credentials& stored = found->credentials;
    result.consecutiveFailures = stored.lockout.consecutiveFailures;
    if (admin::IsLocked(stored.lockout, now)) {
        result.outcome = admin::SignInOutcome::Locked;
        result.lockedUntil = stored.lockout.lockedUntil;
        return auditAlone(result);
    }
    if (stored.pinHash.empty()) {
        result.outcome = admin::SignInOutcome::NoPin;
        return auditAlone(result);
    }
    auto matches = VerifyPin(stored.pinHash, pin);
    if (!matches) return Forward(matches);

    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    // Read again under the write lock: another kiosk process may have counted a failure meanwhile.
    auto fresh = ReadStaff(staffNo);
    if (!fresh) return Forward(fresh);
    Credentials credentials = stored;
    for (const StaffRow& r : *fresh) {
        if (r.staff.staffNo == staffNo) credentials = r.credentials;
    }
    const std::string before = JsonText(LockoutJson(credentials.lockout));
    if (*matches) {
        credentials.lockout = {};
        result.outcome = admin::SignInOutcome::SignedIn;
        result.consecutiveFailures = 0;
        result.failuresBeforeLockout = m_options.lockout.freeFailures;
        result.session = admin::Session{who, found->staff.name, now, m_roles.ActionsOf(found->staff.role)};
    } else {
        credentials.lockout = admin::AfterFailure(m_options.lockout, credentials.lockout, now);
        result.outcome = admin::SignInOutcome::WrongPin;
        result.consecutiveFailures = credentials.lockout.consecutiveFailures;
        result.failuresBeforeLockout = admin::FailuresBeforeLockout(m_options.lockout, credentials.lockout, now);
        if (admin::IsLocked(credentials.lockout, now)) result.lockedUntil = credentials.lockout.lockedUntil;
    }
    if (auto ok = WriteCredentials(staffNo, credentials, now, false); !ok) return Forward(ok);
    if (auto ok = audit(result, before); !ok) return Forward(ok);
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return result;
}

Result<void> AdminStore::SignOut(const core::Actor& actor, core::Timestamp now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    if (auto ok = WriteAudit(actor, now, "staff.signout", "staff", actor.id, std::nullopt, std::nullopt); !ok) {
        return ok;
    }
    return tx->Commit();
}

Result<void> AdminStore::AuthorizeExit(const core::Actor& actor, core::Timestamp now) {
    if (auto ok = Require(actor, action::kAppExit); !ok) return ok;
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    if (auto ok = WriteAudit(actor, now, action::kAppExit, "kiosk", "application", std::nullopt, std::nullopt); !ok) {
        return ok;
    }
    return tx->Commit();
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

Result<std::optional<admin::ClosedTicket>> AdminStore::LastClosed(core::Timestamp now, std::chrono::minutes maxAge) {
    if (!m_lastClosed || now - m_lastClosed->closedAt > maxAge) return std::optional<admin::ClosedTicket>{};
    auto answered = m_db.Cached("SELECT 1 FROM csat_answers WHERE ticket_number = ?1");
    if (!answered) return Forward(answered);
    answered->Bind(1, m_lastClosed->number);
    auto row = answered->Step();
    if (!row) return Forward(row);
    if (*row) {
        if (auto done = answered->Run(); !done) return Forward(done);
        return std::optional<admin::ClosedTicket>{};
    }
    return m_lastClosed;
}

Result<admin::CsatAnswer> AdminStore::RecordCsat(std::string_view number, int score, std::string_view comment,
                                                 core::Timestamp now) {
    if (score < 1 || score > 5) {
        return core::Fail(ErrorCode::InvalidInput, "a CSAT score is 1 to 5, not " + std::to_string(score));
    }
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto exists = m_db.Cached(
        "SELECT (SELECT count(*) FROM tickets WHERE number = ?1), "
        "(SELECT count(*) FROM csat_answers WHERE ticket_number = ?1)");
    if (!exists) return Forward(exists);
    exists->Bind(1, number);
    auto row = exists->Step();
    if (!row) return Forward(row);
    const bool ticketFound = exists->Int(0) > 0;
    const bool answered = exists->Int(1) > 0;
    if (auto done = exists->Run(); !done) return Forward(done);
    if (!ticketFound) return core::Fail(ErrorCode::NotFound, "no ticket " + std::string(number));
    if (answered) {
        return core::Fail(ErrorCode::Conflict, "ticket " + std::string(number) + " already has a CSAT answer");
    }
    auto insert = m_db.Cached(
        "INSERT INTO csat_answers (ticket_number, score, comment, answered_at) VALUES (?1, ?2, ?3, ?4)");
    if (!insert) return Forward(insert);
    insert->Bind(1, number)
        .Bind(2, std::int64_t{score})
        .Bind(3, comment)
        .Bind(4, core::FormatTimestamp(now));
    if (auto ok = insert->Run(); !ok) return Forward(ok);
    const Json after = {{"score", score}, {"comment", std::string(comment)}};
    if (auto ok = WriteAudit(core::Actor{core::Role::Customer, "customer"}, now, "csat.record", "ticket", number,
                             std::nullopt, JsonText(after));
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::CsatAnswer{std::string(number), score, std::string(comment), now};
}

Result<std::int64_t> AdminStore::Reprint(const core::Actor& actor, std::string_view number, core::ReceiptKind kind,
                                         core::Timestamp now) {
    if (auto ok = Require(actor, action::kTicketReprint); !ok) return Forward(ok);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto ticket = LoadTicket(number);
    if (!ticket) return Forward(ticket);
    // The same row PrintQueue::Enqueue writes, inside this transaction so the job and its audit entry
    // land together; the print worker takes queued jobs in order.
    const std::string_view kindName = kind == core::ReceiptKind::IntakeSlip ? "intake_slip" : "receipt";
    auto insert = m_db.Cached(
        "INSERT INTO print_jobs (ticket_number, kind, language, reprint, state, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, 1, 'queued', ?4, ?4) RETURNING id");
    if (!insert) return Forward(insert);
    insert->Bind(1, ticket->number)
        .Bind(2, kindName)
        .Bind(3, core::LanguageTag(ticket->filed.language))
        .Bind(4, core::FormatTimestamp(now));
    auto row = insert->Step();
    if (!row) return Forward(row);
    const std::int64_t id = insert->Int(0);
    if (auto done = insert->Run(); !done) return Forward(done);
    const Json after = {{"printJob", id}, {"kind", kindName}};
    if (auto ok =
            WriteAudit(actor, now, action::kTicketReprint, "ticket", ticket->number, std::nullopt, JsonText(after));
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return id;
}

// ---------------------------------------------------------------------------------------------------
// Approvals

Result<std::vector<admin::Approval>> AdminStore::ReadApprovals(std::string_view where, std::string_view bind,
                                                               core::Timestamp now) {
    auto stmt = m_db.Prepare("SELECT " + std::string(kApprovalColumns) + " FROM approvals " + std::string(where));
    if (!stmt) return Forward(stmt);
    if (!bind.empty()) stmt->Bind(1, bind);
    std::vector<admin::Approval> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return Forward(row);
        if (!*row) break;
        admin::Approval a;
        a.id = stmt->Text(0);
        a.ticketNumber = stmt->Text(1);
        auto kind = admin::ParseApprovalKind(stmt->Text(2));
        if (!kind) return core::Fail(ErrorCode::Corrupt, "approval " + a.id + " has an unknown kind");
        a.kind = *kind;
        a.amount = stmt->Int(3);
        a.reason = stmt->Text(4);
        a.requestedBy = stmt->Text(5);
        auto requestedAt = ReadTime(stmt->Text(6), "approval time");
        if (!requestedAt) return Forward(requestedAt);
        a.requestedAt = *requestedAt;
        auto deadline = ReadTime(stmt->Text(7), "approval deadline");
        if (!deadline) return Forward(deadline);
        a.deadline = *deadline;
        const std::string state = stmt->Text(8);
        a.state = state == "approved"  ? admin::ApprovalState::Approved
                  : state == "refused" ? admin::ApprovalState::Refused
                                       : admin::ApprovalState::Pending;
        a.decidedBy = stmt->Text(9);
        auto decidedAt = ReadOptionalTime(*stmt, 10, "decision time");
        if (!decidedAt) return Forward(decidedAt);
        a.decidedAt = *decidedAt;
        a.decisionReason = stmt->Text(11);
        out.push_back(admin::WithCountdown(std::move(a), now));
    }
    return out;
}

Result<admin::Approval> AdminStore::RequestApproval(const core::Actor& actor, const admin::ApprovalRequest& request,
                                                    core::Timestamp now) {
    if (auto ok = Require(actor, action::kApprovalRequest); !ok) return Forward(ok);
    if (auto ok = admin::ValidateApprovalRequest(request); !ok) return Forward(ok);
    auto settings = ReadSettings();
    if (!settings) return Forward(settings);
    if (!admin::NeedsApproval(request.kind, request.amount, settings->escalationThreshold)) {
        return core::Fail(ErrorCode::InvalidInput,
                          "a refund of " + std::to_string(request.amount) + " fen is within the threshold of " +
                              std::to_string(settings->escalationThreshold) + " fen: no approval is needed");
    }
    auto id = RandomUuid();
    if (!id) return Forward(id);

    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto ticket = LoadTicket(request.ticketNumber);
    if (!ticket) return Forward(ticket);
    auto open = ReadApprovals("WHERE ticket_number = ?1 AND state = 'pending'", ticket->number, now);
    if (!open) return Forward(open);
    if (!open->empty()) {
        return core::Fail(ErrorCode::Conflict, "ticket " + ticket->number + " already waits for approval " +
                                                   open->front().id);
    }
    if (ticket->status != "awaiting_approval") {
        core::TicketEvent event;
        event.kind = core::EventKind::StatusChanged;
        event.actor = actor;
        event.at = now;
        event.toStatus = "awaiting_approval";
        event.note = request.reason;
        if (auto moved = AppendEvent(ticket->number, std::move(event), action::kTicketTransition); !moved) {
            return Forward(moved);
        }
    }
    admin::Approval approval;
    approval.id = std::move(*id);
    approval.ticketNumber = ticket->number;
    approval.kind = request.kind;
    approval.amount = request.amount;
    approval.reason = request.reason;
    approval.requestedBy = actor.id;
    approval.requestedAt = now;
    approval.deadline = admin::ApprovalDeadline(now, settings->approvalWindow);
    auto insert = m_db.Cached(
        "INSERT INTO approvals (id, ticket_number, kind, amount, reason, requested_by, requested_at, deadline, state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')");
    if (!insert) return Forward(insert);
    insert->Bind(1, approval.id)
        .Bind(2, approval.ticketNumber)
        .Bind(3, admin::ToString(approval.kind))
        .Bind(4, approval.amount)
        .Bind(5, approval.reason)
        .Bind(6, approval.requestedBy)
        .Bind(7, core::FormatTimestamp(approval.requestedAt))
        .Bind(8, core::FormatTimestamp(approval.deadline));
    if (auto ok = insert->Run(); !ok) return Forward(ok);
    if (auto ok = WriteAudit(actor, now, action::kApprovalRequest, "approval", approval.id, std::nullopt,
                             JsonText(ApprovalJson(approval)));
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::WithCountdown(std::move(approval), now);
}

Result<std::vector<admin::Approval>> AdminStore::Approvals(const core::Actor& actor, bool pendingOnly,
                                                           core::Timestamp now) {
    if (auto ok = Require(actor, action::kQueueView); !ok) return Forward(ok);
    return ReadApprovals(pendingOnly ? "WHERE state = 'pending' ORDER BY deadline, id"
                                     : "ORDER BY requested_at DESC, id",
                         "", now);
}

Result<admin::Approval> AdminStore::Decide(const core::Actor& actor, std::string_view approvalId,
                                           const admin::ApprovalDecision& decision, core::Timestamp now) {
    if (auto ok = Require(actor, action::kApprovalDecide); !ok) return Forward(ok);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto found = ReadApprovals("WHERE id = ?1", approvalId, now);
    if (!found) return Forward(found);
    if (found->empty()) return core::Fail(ErrorCode::NotFound, "no approval " + std::string(approvalId));
    const admin::Approval before = found->front();
    if (auto ok = admin::CheckDecision(before, decision); !ok) return Forward(ok);
    admin::Approval after = before;
    after.state = decision.approve ? admin::ApprovalState::Approved : admin::ApprovalState::Refused;
    after.decidedBy = actor.id;
    after.decidedAt = now;
    after.decisionReason = decision.reason;
    auto update = m_db.Cached(
        "UPDATE approvals SET state = ?2, decided_by = ?3, decided_at = ?4, decision_reason = ?5 WHERE id = ?1");
    if (!update) return Forward(update);
    update->Bind(1, after.id)
        .Bind(2, admin::ToString(after.state))
        .Bind(3, after.decidedBy)
        .Bind(4, core::FormatTimestamp(now))
        .Bind(5, after.decisionReason);
    if (auto ok = update->Run(); !ok) return Forward(ok);
    if (auto ok = WriteAudit(actor, now, action::kApprovalDecide, "approval", after.id, JsonText(ApprovalJson(before)),
                             JsonText(ApprovalJson(after)));
        !ok) {
        return Forward(ok);
    }
    auto ticket = LoadTicket(after.ticketNumber);
    if (!ticket) return Forward(ticket);
    // Staff may have moved the ticket on by hand meanwhile; then the decision is recorded only.
    if (ticket->status == "awaiting_approval") {
        core::TicketEvent event;
        event.kind = core::EventKind::StatusChanged;
        event.actor = actor;
        event.at = now;
        event.toStatus = admin::NextStatusAfter(decision);
        event.note = std::string(decision.approve ? "approved: " : "refused: ") + decision.reason;
        if (auto moved = AppendEvent(ticket->number, std::move(event), action::kTicketTransition); !moved) {
            return Forward(moved);
        }
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::WithCountdown(std::move(after), now);
}

// ---------------------------------------------------------------------------------------------------
// Follow-up

Result<std::vector<admin::FollowUp>> AdminStore::FollowUps(const core::Actor& actor, core::Timestamp now) {
    if (auto ok = Require(actor, action::kFollowUpView); !ok) return Forward(ok);
    auto stmt = m_db.Cached(
        "SELECT t.number, t.type, t.customer_phone, t.assignee, max(e.at) FROM tickets t "
        "JOIN ticket_events e ON e.ticket_number = t.number AND e.kind = 'status_changed' AND e.to_status = 'closed' "
        "WHERE t.status = 'closed' AND t.customer_phone <> '' AND t.updated_at >= ?1 "
        "AND NOT EXISTS (SELECT 1 FROM csat_answers a WHERE a.ticket_number = t.number) "
        "AND NOT EXISTS (SELECT 1 FROM followup_calls f WHERE f.ticket_number = t.number "
        "AND f.outcome IN ('reached', 'wrong_number', 'declined')) "
        "GROUP BY t.number HAVING max(e.at) >= ?1 AND max(e.at) <= ?2 ORDER BY max(e.at), t.number");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, core::FormatTimestamp(now - kFollowUpWindow)).Bind(2, core::FormatTimestamp(now));
    std::vector<admin::FollowUp> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return Forward(row);
        if (!*row) break;
        admin::FollowUp f;
        f.ticketNumber = stmt->Text(0);
        auto type = core::ParseTicketType(stmt->Text(1));
        if (!type) return core::Fail(ErrorCode::Corrupt, "ticket " + f.ticketNumber + " has an unknown type");
        f.type = *type;
        f.phone = stmt->Text(2);
        f.maskedPhone = core::MaskPhone(f.phone);
        f.assignee = stmt->Text(3);
        auto closedAt = ReadTime(stmt->Text(4), "closing time");
        if (!closedAt) return Forward(closedAt);
        f.closedAt = *closedAt;
        f.callBy = *closedAt + kFollowUpWindow;
        out.push_back(std::move(f));
    }
    for (admin::FollowUp& f : out) {
        auto calls = m_db.Cached(
            "SELECT staff_no, outcome, note, at FROM followup_calls WHERE ticket_number = ?1 ORDER BY id");
        if (!calls) return Forward(calls);
        calls->Bind(1, f.ticketNumber);
        for (;;) {
            auto row = calls->Step();
            if (!row) return Forward(row);
            if (!*row) break;
            auto outcome = admin::ParseCallOutcome(calls->Text(1));
            auto at = ReadTime(calls->Text(3), "call time");
            if (!outcome || !at) {
                return core::Fail(ErrorCode::Corrupt, "a follow-up call of " + f.ticketNumber + " does not parse");
            }
            f.calls.push_back(admin::FollowUpCall{calls->Text(0), *outcome, calls->Text(2), *at});
        }
    }
    return out;
}

Result<admin::FollowUpCall> AdminStore::RecordCall(const core::Actor& actor, std::string_view number,
                                                   admin::CallOutcome outcome, std::string_view note,
                                                   core::Timestamp now) {
    if (auto ok = Require(actor, action::kFollowUpRecord); !ok) return Forward(ok);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto ticket = LoadTicket(number);
    if (!ticket) return Forward(ticket);
    auto insert = m_db.Cached(
        "INSERT INTO followup_calls (ticket_number, staff_no, outcome, note, at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) return Forward(insert);
    insert->Bind(1, ticket->number)
        .Bind(2, actor.id)
        .Bind(3, admin::ToString(outcome))
        .Bind(4, note)
        .Bind(5, core::FormatTimestamp(now));
    if (auto ok = insert->Run(); !ok) return Forward(ok);
    const Json after = {{"outcome", admin::ToString(outcome)}, {"note", std::string(note)}};
    if (auto ok = WriteAudit(actor, now, action::kFollowUpRecord, "ticket", ticket->number, std::nullopt,
                             JsonText(after));
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::FollowUpCall{actor.id, outcome, std::string(note), now};
}

// ---------------------------------------------------------------------------------------------------
// Reports

Result<admin::Report> AdminStore::ComputeReport(admin::ReportPeriod period, core::Timestamp now) {
    const admin::ReportRange range = admin::PeriodRange(period, now, m_options.utcOffset);
    const std::string from = core::FormatTimestamp(range.from);
    // One snapshot for every read, so the figures agree with each other.
    auto tx = Transaction::Begin(m_db, Transaction::Mode::Deferred);
    if (!tx) return Forward(tx);

    auto stmt = m_db.Prepare(
        "SELECT " + std::string(kTicketEventColumns) + " FROM ticket_events WHERE ticket_number IN "
        "(SELECT number FROM tickets WHERE created_at >= ?1 OR updated_at >= ?1 "
        "UNION SELECT ticket_number FROM csat_answers WHERE answered_at >= ?1) ORDER BY seq");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, from);
    auto groups = ReadEventGroups(*stmt);
    if (!groups) return Forward(groups);

    std::vector<admin::ReportTicket> tickets;
    tickets.reserve(groups->size());
    std::map<std::string, std::string> productNames;
    for (auto& [number, events] : *groups) {
        auto ticket = core::ProjectTicket(events, *m_lifecycle);
        if (!ticket) return Forward(ticket);
        admin::ReportTicket row;
        if (ticket->createdAt >= range.from) {
            auto sla = core::EvaluateSla(*m_sla, *m_calendar, *m_lifecycle, ticket->filed.type,
                                         ticket->filed.customerTier, events, range.to);
            if (sla) row.sla = *sla;
        }
        for (const core::TicketEvent& e : events) {
            if (e.kind == core::EventKind::StatusChanged && e.toStatus == "closed") row.closedAt = e.at;
        }
        auto [name, inserted] = productNames.try_emplace(ticket->filed.gtin);
        if (inserted) name->second = ProductName(ticket->filed.gtin, core::Language::En);
        row.productName = name->second;
        row.ticket = std::move(*ticket);
        tickets.push_back(std::move(row));
    }

    std::vector<admin::CsatAnswer> csat;
    {
        auto answers = m_db.Prepare(
            "SELECT ticket_number, score, comment, answered_at FROM csat_answers WHERE answered_at >= ?1");
        if (!answers) return Forward(answers);
        answers->Bind(1, from);
        for (;;) {
            auto row = answers->Step();
            if (!row) return Forward(row);
            if (!*row) break;
            auto at = ReadTime(answers->Text(3), "CSAT time");
            if (!at) return Forward(at);
            csat.push_back(
                admin::CsatAnswer{answers->Text(0), static_cast<int>(answers->Int(1)), answers->Text(2), *at});
        }
    }
    std::vector<admin::DeflectionRow> deflection;
    {
        auto counts = m_db.Prepare("SELECT day, category, shown, solved FROM self_help_counts WHERE day >= ?1");
        if (!counts) return Forward(counts);
        counts->Bind(1, core::FormatDate(core::LocalDate(range.from, m_options.utcOffset)));
        for (;;) {
            auto row = counts->Step();
            if (!row) return Forward(row);
            if (!*row) break;
            auto day = core::ParseDate(counts->Text(0));
            if (!day) return core::Fail(ErrorCode::Corrupt, "self-help count day \"" + counts->Text(0) + "\"");
            deflection.push_back(admin::DeflectionRow{*day, counts->Text(1), static_cast<int>(counts->Int(2)),
                                                      static_cast<int>(counts->Int(3))});
        }
    }
    auto staffRows = ReadStaff(std::nullopt);
    if (!staffRows) return Forward(staffRows);
    std::vector<core::Staff> staff;
    for (StaffRow& r : *staffRows) staff.push_back(std::move(r.staff));

    admin::ReportInput input;
    input.period = period;
    input.range = range;
    input.utcOffset = m_options.utcOffset;
    input.lifecycle = m_lifecycle;
    input.language = core::Language::En;
    input.tickets = tickets;
    input.csat = csat;
    input.deflection = deflection;
    input.staff = staff;
    return admin::ComputeReport(input);
}

Result<admin::Report> AdminStore::BuildReport(const core::Actor& actor, admin::ReportPeriod period,
                                              core::Timestamp now) {
    if (auto ok = Require(actor, action::kReportView); !ok) return Forward(ok);
    return ComputeReport(period, now);
}

Result<std::string> AdminStore::ExportReportCsv(const core::Actor& actor, admin::ReportPeriod period,
                                                core::Timestamp now) {
    if (auto ok = Require(actor, action::kReportExport); !ok) return Forward(ok);
    auto report = ComputeReport(period, now);
    if (!report) return Forward(report);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    const Json after = {{"period", admin::ToString(period)}, {"tickets", report->ticketsCreated}};
    if (auto ok = WriteAudit(actor, now, action::kReportExport, "report", admin::ToString(period), std::nullopt,
                             JsonText(after));
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::ReportToCsv(*report);
}

Result<void> AdminStore::RecordSelfHelp(std::string_view category, bool solved, core::Timestamp now) {
    if (category.empty()) return core::Fail(ErrorCode::InvalidInput, "a self-help count names no problem category");
    auto stmt = m_db.Cached(
        "INSERT INTO self_help_counts (day, category, shown, solved) VALUES (?1, ?2, 1, ?3) "
        "ON CONFLICT (day, category) DO UPDATE SET shown = shown + 1, solved = solved + ?3");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, core::FormatDate(core::LocalDate(now, m_options.utcOffset)))
        .Bind(2, category)
        .Bind(3, std::int64_t{solved ? 1 : 0});
    return stmt->Run();
}

// ---------------------------------------------------------------------------------------------------
// Settings

Result<admin::Settings> AdminStore::ReadSettings() {
    admin::Settings settings = m_options.defaults;
    auto stmt = m_db.Cached("SELECT key, value FROM settings");
    if (!stmt) return Forward(stmt);
    for (;;) {
        auto row = stmt->Step();
        if (!row) return Forward(row);
        if (!*row) break;
        auto value = wire::ParseStoredJson(stmt->Text(1), "setting " + stmt->Text(0));
        if (!value) return Forward(value);
        if (auto ok = ApplySetting(settings, stmt->Text(0), *value); !ok) return Forward(ok);
    }
    return settings;
}

Result<admin::Settings> AdminStore::CurrentSettings() { return ReadSettings(); }

Result<admin::Settings> AdminStore::LoadSettings(const core::Actor& actor) {
    // Every signed-in staff member reads settings (the admin screens need the timeouts); changing
    // them is what the roles table guards.
    if (actor.id.empty() || !IsStaffRole(actor.role)) {
        return core::Fail(ErrorCode::Forbidden, "settings are for signed-in staff");
    }
    return ReadSettings();
}

Result<admin::SettingsSave> AdminStore::SaveSettings(const core::Actor& actor, const admin::Settings& settings,
                                                     core::Timestamp now) {
    if (auto ok = Require(actor, action::kSettingsEdit); !ok) return Forward(ok);
    admin::SettingsSave save;
    save.errors = admin::ValidateSettings(settings);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto before = ReadSettings();
    if (!before) return Forward(before);
    if (!save.errors.empty()) {
        save.settings = std::move(*before);
        return save;
    }
    for (const auto& [key, value] : SettingsRows(settings)) {
        auto stmt = m_db.Cached(
            "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3");
        if (!stmt) return Forward(stmt);
        stmt->Bind(1, key).Bind(2, JsonText(value)).Bind(3, core::FormatTimestamp(now));
        if (auto ok = stmt->Run(); !ok) return Forward(ok);
    }
    if (auto ok = WriteAudit(actor, now, action::kSettingsEdit, "settings", "store", JsonText(SettingsJson(*before)),
                             JsonText(SettingsJson(settings)));
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    save.saved = true;
    save.settings = settings;
    return save;
}

// ---------------------------------------------------------------------------------------------------
// Staff

Result<std::vector<admin::StaffSummary>> AdminStore::StaffSummaries(core::Timestamp now) {
    auto rows = ReadStaff(std::nullopt);
    if (!rows) return Forward(rows);
    std::map<std::string, int> open;
    {
        core::TicketFilter filter;
        filter.openOnly = true;
        filter.limit = 0;
        auto tickets = m_tickets->ListTickets(filter);
        if (!tickets) return Forward(tickets);
        for (const core::Ticket& t : *tickets) {
            if (!t.assignee.empty()) open[t.assignee] += 1;
        }
    }
    std::vector<admin::StaffSummary> out;
    for (const StaffRow& r : *rows) {
        if (!IsStaffRole(r.staff.role)) continue;
        admin::StaffSummary s;
        s.staffNo = r.staff.staffNo;
        s.name = r.staff.name;
        s.role = r.staff.role;
        s.active = r.staff.active;
        s.hasPin = !r.credentials.pinHash.empty();
        s.openAssigned = open[r.staff.staffNo];
        if (admin::IsLocked(r.credentials.lockout, now)) s.lockedUntil = r.credentials.lockout.lockedUntil;
        s.consecutiveFailures = r.credentials.lockout.consecutiveFailures;
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::vector<admin::StaffSummary>> AdminStore::StaffList(const core::Actor& actor, core::Timestamp now) {
    if (auto ok = Require(actor, action::kStaffView); !ok) return Forward(ok);
    return StaffSummaries(now);
}

Result<void> AdminStore::SetPin(const core::Actor& actor, std::string_view staffNo, std::string_view pin,
                                core::Timestamp now) {
    const bool own = actor.id == staffNo && IsStaffRole(actor.role);
    if (!own) {
        if (auto ok = Require(actor, action::kStaffPin); !ok) return ok;
    }
    if (auto ok = ValidatePin(pin); !ok) return ok;
    auto hash = HashPin(pin, m_options.pinHash);
    if (!hash) return Forward(hash);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto rows = ReadStaff(staffNo);
    if (!rows) return Forward(rows);
    auto it = std::ranges::find_if(*rows, [&](const StaffRow& r) { return r.staff.staffNo == staffNo; });
    if (it == rows->end()) return core::Fail(ErrorCode::NotFound, "no staff " + std::string(staffNo));
    const Json before = {{"pinSet", !it->credentials.pinHash.empty()},
                         {"lockout", LockoutJson(it->credentials.lockout)}};
    // A new PIN starts with a clean slate; the hash itself never goes into the audit log.
    const Credentials credentials{std::move(*hash), {}};
    if (auto ok = WriteCredentials(staffNo, credentials, now, true); !ok) return ok;
    const Json after = {{"pinSet", true}, {"lockout", LockoutJson({})}};
    if (auto ok = WriteAudit(actor, now, action::kStaffPin, "staff", staffNo, JsonText(before), JsonText(after)); !ok) {
        return ok;
    }
    return tx->Commit();
}

Result<void> AdminStore::Unlock(const core::Actor& actor, std::string_view staffNo, core::Timestamp now) {
    if (auto ok = Require(actor, action::kStaffUnlock); !ok) return ok;
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto rows = ReadStaff(staffNo);
    if (!rows) return Forward(rows);
    auto it = std::ranges::find_if(*rows, [&](const StaffRow& r) { return r.staff.staffNo == staffNo; });
    if (it == rows->end()) return core::Fail(ErrorCode::NotFound, "no staff " + std::string(staffNo));
    Credentials credentials = it->credentials;
    const std::string before = JsonText(LockoutJson(credentials.lockout));
    credentials.lockout = {};
    if (auto ok = WriteCredentials(staffNo, credentials, now, false); !ok) return ok;
    if (auto ok = WriteAudit(actor, now, action::kStaffUnlock, "staff", staffNo, before,
                             JsonText(LockoutJson(credentials.lockout)));
        !ok) {
        return ok;
    }
    return tx->Commit();
}

Result<int> AdminStore::SeedDemoPins(const core::Actor& actor, core::Timestamp now) {
    auto rows = ReadStaff(std::nullopt);
    if (!rows) return Forward(rows);
    int set = 0;
    for (const StaffRow& r : *rows) {
        if (!r.staff.active || !IsStaffRole(r.staff.role) || !r.credentials.pinHash.empty()) continue;
        const std::string& no = r.staff.staffNo;
        std::string digits;
        for (char c : no) {
            if (c >= '0' && c <= '9') digits += c;
        }
        if (digits.size() < 4) continue;
        auto hash = HashPin(std::string_view(digits).substr(digits.size() - 4), m_options.pinHash);
        if (!hash) return Forward(hash);
        auto tx = Transaction::Begin(m_db);
        if (!tx) return Forward(tx);
        if (auto ok = WriteCredentials(no, Credentials{std::move(*hash), {}}, now, true); !ok) return Forward(ok);
        const Json after = {{"pinSet", true}, {"demo", true}};
        if (auto ok = WriteAudit(actor, now, action::kStaffPin, "staff", no, std::nullopt, JsonText(after)); !ok) {
            return Forward(ok);
        }
        if (auto ok = tx->Commit(); !ok) return Forward(ok);
        ++set;
    }
    return set;
}

}  // namespace kiosk::storage
