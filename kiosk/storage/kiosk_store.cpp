// Tickets: numbering, hash-chained events, the projection, audit and outbox, and their verification.
#include "kiosk/storage/kiosk_store.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "sync/wire/ids.hpp"
#include "kiosk/storage/blob_store.hpp"
#include "kiosk/storage/migrations.hpp"
#include "kiosk/storage/ticket_log.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::storage {

using Json = nlohmann::json;

using core::ErrorCode;

namespace {

constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr int kMaxDailySequence = 9999;

// The projection's columns in one order, shared by the SELECT, INSERT and UPDATE below and by
// ReadTicket/BindTicket: number is ?1, type ?2, ... event_count ?25, policy_version ?26, notify ?27.
constexpr std::string_view kTicketColumns =
    "number, type, status, gtin, serial, order_number, purchased_on, proof_to_verify, customer_phone, "
    "customer_tier, remedy, clause_id, component, fault, problem_category, description, language, assignee, "
    "channel, notes, created_at, updated_at, first_response_at, resolved_at, event_count, policy_version, notify";

constexpr std::string_view kInsertTicket =
    "INSERT INTO tickets (number, type, status, gtin, serial, order_number, purchased_on, proof_to_verify, "
    "customer_phone, customer_tier, remedy, clause_id, component, fault, problem_category, description, language, "
    "assignee, channel, notes, created_at, updated_at, first_response_at, resolved_at, event_count, policy_version, notify) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, "
    "?24, ?25, ?26, ?27)";

constexpr std::string_view kUpdateTicket =
    "UPDATE tickets SET type = ?2, status = ?3, gtin = ?4, serial = ?5, order_number = ?6, purchased_on = ?7, "
    "proof_to_verify = ?8, customer_phone = ?9, customer_tier = ?10, remedy = ?11, clause_id = ?12, "
    "component = ?13, fault = ?14, problem_category = ?15, description = ?16, language = ?17, assignee = ?18, "
    "channel = ?19, notes = ?20, created_at = ?21, updated_at = ?22, first_response_at = ?23, resolved_at = ?24, "
    "event_count = ?25, policy_version = ?26, notify = ?27 WHERE number = ?1";


std::string SelectTickets(std::string_view where) {
    return "SELECT " + std::string(kTicketColumns) + " FROM tickets " + std::string(where);
}

std::optional<std::string> OptionalTime(const std::optional<core::Timestamp>& t) {
    if (!t) return std::nullopt;
    return core::FormatTimestamp(*t);
}

core::Error WithContext(core::Error error, std::string_view context) {
    error.message = std::string(context) + ": " + error.message;
    return error;
}

Result<std::optional<core::Timestamp>> ReadOptionalTime(const Statement& row, int column, std::string_view what) {
    if (row.IsNull(column)) return std::optional<core::Timestamp>{};
    auto t = core::ParseTimestamp(row.Text(column));
    if (!t) return core::Fail(ErrorCode::Corrupt, "stored " + std::string(what) + ": " + t.error().message);
    return std::optional<core::Timestamp>{*t};
}

Result<core::Ticket> ReadTicket(const Statement& row) {
    auto corrupt = [&](std::string_view what, const std::string& value) {
        return core::Fail(ErrorCode::Corrupt, "ticket " + row.Text(0) + ": stored " + std::string(what) + " '" +
                                                  value + "' is not valid");
    };
    core::Ticket t;
    t.number = row.Text(0);
    auto type = core::ParseTicketType(row.Text(1));
    if (!type) return corrupt("type", row.Text(1));
    t.filed.type = *type;
    t.status = row.Text(2);
    t.filed.gtin = row.Text(3);
    t.filed.serial = row.Text(4);
    t.filed.orderNumber = row.Text(5);
    if (!row.IsNull(6)) {
        auto date = core::ParseDate(row.Text(6));
        if (!date) return corrupt("purchase date", row.Text(6));
        t.filed.purchasedOn = *date;
    }
    t.filed.proofToVerify = row.Int(7) != 0;
    t.filed.customerPhone = row.Text(8);
    auto tier = core::ParseTier(row.Text(9));
    if (!tier) return corrupt("customer tier", row.Text(9));
    t.filed.customerTier = *tier;
    if (!row.IsNull(10)) {
        auto remedy = core::ParseRemedy(row.Text(10));
        if (!remedy) return corrupt("remedy", row.Text(10));
        t.filed.remedy = *remedy;
    }
    t.filed.clauseId = row.Text(11);
    t.filed.policyVersion = row.Text(25);
    t.filed.notify = row.Int(26) != 0;
    t.filed.component = row.Text(12);
    t.filed.fault = row.Text(13);
    t.filed.problemCategory = row.Text(14);
    t.filed.description = row.Text(15);
    auto language = core::ParseLanguage(row.Text(16));
    if (!language) return corrupt("language", row.Text(16));
    t.filed.language = *language;
    t.assignee = row.Text(17);
    if (!row.IsNull(18)) {
        auto channel = core::ParseServiceChannel(row.Text(18));
        if (!channel) return corrupt("channel", row.Text(18));
        t.channel = *channel;
    }
    auto notes = wire::ParseStoredJson(row.Text(19), "ticket notes");
    if (!notes) return std::unexpected(std::move(notes.error()));
    if (!notes->is_array()) return corrupt("notes", row.Text(19));
    for (const Json& note : *notes) {
        if (!note.is_string()) return corrupt("notes", row.Text(19));
        t.notes.push_back(note.get<std::string>());
    }
    auto created = core::ParseTimestamp(row.Text(20));
    if (!created) return corrupt("created_at", row.Text(20));
    t.createdAt = *created;
    auto updated = core::ParseTimestamp(row.Text(21));
    if (!updated) return corrupt("updated_at", row.Text(21));
    t.updatedAt = *updated;
    auto firstResponse = ReadOptionalTime(row, 22, "first_response_at");
    if (!firstResponse) return std::unexpected(std::move(firstResponse.error()));
    t.firstResponseAt = *firstResponse;
    auto resolved = ReadOptionalTime(row, 23, "resolved_at");
    if (!resolved) return std::unexpected(std::move(resolved.error()));
    t.resolvedAt = *resolved;
    t.eventCount = static_cast<int>(row.Int(24));
    return t;
}

Result<void> BindTicket(Statement& stmt, const core::Ticket& t) {
    auto notes = wire::DumpJson(Json(t.notes));
    if (!notes) return std::unexpected(std::move(notes.error()));
    const core::NewTicket& f = t.filed;
    stmt.Bind(1, t.number)
        .Bind(2, core::ToString(f.type))
        .Bind(3, t.status)
        .Bind(4, f.gtin)
        .Bind(5, f.serial)
        .Bind(6, f.orderNumber);
    if (f.purchasedOn) {
        stmt.Bind(7, core::FormatDate(*f.purchasedOn));
    } else {
        stmt.BindNull(7);
    }
    stmt.Bind(8, std::int64_t{f.proofToVerify ? 1 : 0})
        .Bind(9, f.customerPhone)
        .Bind(10, core::ToString(f.customerTier));
    if (f.remedy) {
        stmt.Bind(11, core::ToString(*f.remedy));
    } else {
        stmt.BindNull(11);
    }
    stmt.Bind(12, f.clauseId)
        .Bind(13, f.component)
        .Bind(14, f.fault)
        .Bind(15, f.problemCategory)
        .Bind(16, f.description)
        .Bind(17, core::LanguageTag(f.language))
        .Bind(18, t.assignee);
    if (t.channel) {
        stmt.Bind(19, core::ToString(*t.channel));
    } else {
        stmt.BindNull(19);
    }
    stmt.Bind(20, *notes)
        .Bind(21, core::FormatTimestamp(t.createdAt))
        .Bind(22, core::FormatTimestamp(t.updatedAt))
        .BindOptional(23, OptionalTime(t.firstResponseAt))
        .BindOptional(24, OptionalTime(t.resolvedAt))
        .Bind(25, std::int64_t{t.eventCount})
        .Bind(26, f.policyVersion)
        .Bind(27, std::int64_t{f.notify ? 1 : 0});
    return {};
}

wire::EventRow ReadEventRow(const Statement& row, std::optional<Json> payload) {
    wire::EventRow e;
    e.id = row.Text(1);
    e.ticketNumber = row.Text(2);
    e.kind = row.Text(3);
    e.actorRole = row.Text(4);
    e.actorId = row.Text(5);
    e.at = row.Text(6);
    e.fromStatus = row.Text(7);
    e.toStatus = row.Text(8);
    e.note = row.Text(9);
    e.value = row.Text(10);
    e.payload = std::move(payload);
    return e;
}

// Names the fields where two JSON images of a ticket differ: "status: row 'closed', events 'received'".
std::string DescribeDifference(const Json& stored, const Json& projected, const std::string& prefix = "") {
    std::string out;
    for (auto it = projected.begin(); it != projected.end(); ++it) {
        const Json* other = stored.contains(it.key()) ? &stored.at(it.key()) : nullptr;
        if (other != nullptr && *other == it.value()) continue;
        if (!out.empty()) out += "; ";
        if (other != nullptr && other->is_object() && it.value().is_object()) {
            out += DescribeDifference(*other, it.value(), prefix + it.key() + ".");
            continue;
        }
        out += prefix + it.key() + ": row " + (other != nullptr ? other->dump() : "(missing)") + ", events " +
               it.value().dump();
    }
    return out;
}

bool IsNormalizedPhone(const std::string& phone) {
    if (phone.empty()) return true;
    auto normalized = core::NormalizePhone(phone);
    return normalized && *normalized == phone;
}

Result<void> ValidateRequest(const core::NewTicket& request) {
    if (!request.gtin.empty()) {
        auto gtin = core::Gtin::Parse(request.gtin);
        if (!gtin || gtin->Digits14() != request.gtin) {
            return core::Fail(ErrorCode::InvalidInput,
                              "ticket GTIN '" + request.gtin + "' is not a valid GTIN in its 14-digit form");
        }
    }
    if (!IsNormalizedPhone(request.customerPhone)) {
        return core::Fail(ErrorCode::InvalidInput,
                          "ticket phone number '" + request.customerPhone + "' is not a normalised phone number");
    }
    if (request.purchasedOn && !request.purchasedOn->ok()) {
        return core::Fail(ErrorCode::InvalidInput, "ticket purchase date is not a calendar date");
    }
    return {};
}

}  // namespace

Result<core::TicketEvent> ReadTicketEvent(const Statement& row) {
    std::optional<Json> payload;
    if (!row.IsNull(11)) {
        auto json = wire::ParseStoredJson(row.Text(11), "event payload");
        if (!json) return std::unexpected(std::move(json.error()));
        payload = std::move(*json);
    }
    auto event = wire::FromEventRow(ReadEventRow(row, std::move(payload)));
    if (!event) return std::unexpected(WithContext(std::move(event.error()), "event " + row.Text(1)));
    return event;
}

// ---------------------------------------------------------------------------------------------------
// Opening and identity

Result<KioskStore> KioskStore::Open(Database db, const core::Lifecycle& lifecycle, StoreOptions options) {
    if (auto version = Migrate(db); !version) return std::unexpected(std::move(version.error()));
    KioskStore store(std::move(db), lifecycle, std::move(options));
    if (auto ok = store.LoadIdentity(); !ok) return std::unexpected(std::move(ok.error()));
    if (store.m_identity) {
        const auto& id = *store.m_identity;
        const auto& want = store.m_options;
        if ((!want.storeCode.empty() && want.storeCode != id.storeCode) ||
            (!want.kioskCode.empty() && want.kioskCode != id.kioskCode)) {
            return core::Fail(ErrorCode::Conflict, "the database belongs to store " + id.storeCode + " kiosk " +
                                                       id.kioskCode + ", but the configuration says store " +
                                                       want.storeCode + " kiosk " + want.kioskCode);
        }
    }
    return store;
}

Result<void> KioskStore::LoadIdentity() {
    auto stmt = m_db.Cached("SELECT store_code, kiosk_code, kiosk_id, epoch, created_at FROM meta WHERE id = 1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) {
        m_identity.reset();
        return {};
    }
    auto createdAt = core::ParseTimestamp(stmt->Text(4));
    if (!createdAt) return core::Fail(ErrorCode::Corrupt, "stored kiosk identity: " + createdAt.error().message);
    m_identity = KioskIdentity{stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Int(3), *createdAt};
    return {};
}

Result<const KioskIdentity*> KioskStore::RequireIdentity() {
    if (!m_identity) {
        // Another process (kioskctl init) may have initialised the database since it was opened.
        if (auto ok = LoadIdentity(); !ok) return std::unexpected(std::move(ok.error()));
    }
    if (!m_identity) {
        return core::Fail(ErrorCode::Conflict,
                          "this kiosk database has no store and kiosk code yet; run 'kioskctl init' first");
    }
    return &*m_identity;
}

Result<KioskIdentity> KioskStore::Initialize(std::string_view storeCode, std::string_view kioskCode,
                                             core::Timestamp now) {
    if (auto ok = core::ValidateStoreCode(storeCode); !ok) return std::unexpected(std::move(ok.error()));
    if (auto ok = core::ValidateKioskCode(kioskCode); !ok) return std::unexpected(std::move(ok.error()));
    if ((!m_options.storeCode.empty() && m_options.storeCode != storeCode) ||
        (!m_options.kioskCode.empty() && m_options.kioskCode != kioskCode)) {
        return core::Fail(ErrorCode::Conflict, "the configuration says store " + m_options.storeCode + " kiosk " +
                                                   m_options.kioskCode + ", not store " + std::string(storeCode) +
                                                   " kiosk " + std::string(kioskCode));
    }
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    if (auto ok = LoadIdentity(); !ok) return std::unexpected(std::move(ok.error()));
    if (m_identity) {
        if (m_identity->storeCode == storeCode && m_identity->kioskCode == kioskCode) return *m_identity;
        return core::Fail(ErrorCode::Conflict, "the database is already initialised as store " +
                                                   m_identity->storeCode + " kiosk " + m_identity->kioskCode);
    }
    auto kioskId = wire::RandomUuid();
    if (!kioskId) return std::unexpected(std::move(kioskId.error()));
    KioskIdentity identity{std::string(storeCode), std::string(kioskCode), *kioskId, 1, now};

    auto insert = m_db.Prepare(
        "INSERT INTO meta (id, store_code, kiosk_code, kiosk_id, epoch, created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)");
    if (!insert) return std::unexpected(std::move(insert.error()));
    insert->Bind(1, identity.storeCode)
        .Bind(2, identity.kioskCode)
        .Bind(3, identity.kioskId)
        .Bind(4, identity.epoch)
        .Bind(5, core::FormatTimestamp(now));
    if (auto ok = insert->Run(); !ok) return std::unexpected(std::move(ok.error()));

    Json after = {{"storeCode", identity.storeCode},
                  {"kioskCode", identity.kioskCode},
                  {"kioskId", identity.kioskId},
                  {"epoch", identity.epoch}};
    auto afterText = wire::DumpJson(after);
    if (!afterText) return std::unexpected(std::move(afterText.error()));
    const core::Actor system{core::Role::System, "init"};
    if (auto ok = WriteAudit(m_db, {system, now, "kiosk.init", "kiosk", identity.kioskId, std::nullopt, *afterText}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    m_identity = identity;
    return identity;
}

// ---------------------------------------------------------------------------------------------------
// Writing tickets

Result<void> KioskStore::CheckActor(const core::Actor& actor) const {
    if (actor.id.empty()) return core::Fail(ErrorCode::InvalidInput, "the actor of a ticket change has no id");
    return {};
}

Result<std::int64_t> AppendChainedEvent(Database& db, const core::TicketEvent& event, std::int64_t epoch) {
    const wire::EventRow row = wire::ToEventRow(event);
    std::string prevHash(kGenesisHash);
    {
        auto last = db.Cached("SELECT hash FROM ticket_events ORDER BY seq DESC LIMIT 1");
        if (!last) return std::unexpected(std::move(last.error()));
        auto found = last->Step();
        if (!found) return std::unexpected(std::move(found.error()));
        if (*found) prevHash = last->Text(0);
    }
    auto hash = wire::ChainHash(prevHash, row);
    if (!hash) return std::unexpected(std::move(hash.error()));
    std::optional<std::string> payload;
    if (row.payload) {
        auto text = wire::DumpJson(*row.payload);
        if (!text) return std::unexpected(std::move(text.error()));
        payload = std::move(*text);
    }

    auto insert = db.Cached(
        "INSERT INTO ticket_events (id, ticket_number, kind, actor_role, actor_id, at, from_status, to_status, note, "
        "value, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
        "RETURNING seq");
    if (!insert) return std::unexpected(std::move(insert.error()));
    insert->Bind(1, row.id)
        .Bind(2, row.ticketNumber)
        .Bind(3, row.kind)
        .Bind(4, row.actorRole)
        .Bind(5, row.actorId)
        .Bind(6, row.at)
        .Bind(7, row.fromStatus)
        .Bind(8, row.toStatus)
        .Bind(9, row.note)
        .Bind(10, row.value)
        .BindOptional(11, payload)
        .Bind(12, prevHash)
        .Bind(13, *hash);
    auto inserted = insert->Step();
    if (!inserted) return std::unexpected(std::move(inserted.error()));
    if (!*inserted) return core::Fail(ErrorCode::Storage, "inserting an event returned no sequence number");
    const std::int64_t seq = insert->Int(0);
    if (auto done = insert->Run(); !done) return std::unexpected(std::move(done.error()));

    // Head office gets the event exactly as hashed, with its place in the chain, so it can check the
    // chain itself.
    Json outboxPayload = wire::CanonicalEvent(row);
    outboxPayload["seq"] = seq;
    outboxPayload["prevHash"] = prevHash;
    outboxPayload["hash"] = *hash;
    auto outboxText = wire::DumpJson(outboxPayload);
    if (!outboxText) return std::unexpected(std::move(outboxText.error()));
    auto outbox = db.Cached(
        "INSERT INTO outbox (id, epoch, record_type, payload, created_at) VALUES (?1, ?2, 'ticket_event', ?3, ?4)");
    if (!outbox) return std::unexpected(std::move(outbox.error()));
    // The event id doubles as the record id: head office deduplicates on it.
    outbox->Bind(1, row.id).Bind(2, epoch).Bind(3, *outboxText).Bind(4, row.at);
    if (auto ok = outbox->Run(); !ok) return std::unexpected(std::move(ok.error()));
    return seq;
}

Result<void> WriteTicketRow(Database& db, const core::Ticket& ticket, bool insert) {
    auto stmt = db.Cached(insert ? kInsertTicket : kUpdateTicket);
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    if (auto ok = BindTicket(*stmt, ticket); !ok) return ok;
    return stmt->Run();
}

Result<core::Ticket> KioskStore::CreateTicket(const core::NewTicket& request, const core::Actor& actor,
                                              core::Timestamp now) {
    if (auto ok = ValidateRequest(request); !ok) return std::unexpected(std::move(ok.error()));
    if (auto ok = CheckActor(actor); !ok) return std::unexpected(std::move(ok.error()));
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto identity = RequireIdentity();
    if (!identity) return std::unexpected(std::move(identity.error()));

    const core::Date localDay = core::LocalDate(now, m_options.utcOffset);
    auto counter = m_db.Cached(
        "INSERT INTO ticket_counters (local_day, last_sequence) VALUES (?1, 1) "
        "ON CONFLICT (local_day) DO UPDATE SET last_sequence = last_sequence + 1 RETURNING last_sequence");
    if (!counter) return std::unexpected(std::move(counter.error()));
    counter->Bind(1, core::FormatDate(localDay));
    auto counted = counter->Step();
    if (!counted) return std::unexpected(std::move(counted.error()));
    const std::int64_t sequence = *counted ? counter->Int(0) : 0;
    if (auto done = counter->Run(); !done) return std::unexpected(std::move(done.error()));
    if (sequence < 1 || sequence > kMaxDailySequence) {
        return core::Fail(ErrorCode::Conflict, "this kiosk has used all " + std::to_string(kMaxDailySequence) +
                                                   " ticket numbers for " + core::FormatDate(localDay));
    }
    const core::TicketNumber number{(*identity)->storeCode, (*identity)->kioskCode, localDay,
                                    static_cast<int>(sequence)};

    auto eventId = wire::RandomUuid();
    if (!eventId) return std::unexpected(std::move(eventId.error()));
    core::TicketEvent event;
    event.id = std::move(*eventId);
    event.ticketNumber = number.Format();
    event.kind = core::EventKind::Created;
    event.actor = actor;
    event.at = now;
    event.toStatus = m_lifecycle->initialStatus;
    event.created = request;

    const core::TicketEvent events[] = {event};
    auto ticket = core::ProjectTicket(events, *m_lifecycle);
    if (!ticket) return std::unexpected(std::move(ticket.error()));
    if (auto seq = AppendChainedEvent(m_db, event, (*identity)->epoch); !seq) return std::unexpected(std::move(seq.error()));
    if (auto ok = WriteTicketRow(m_db, *ticket, true); !ok) return std::unexpected(std::move(ok.error()));
    auto after = wire::DumpJson(wire::TicketToJson(*ticket));
    if (!after) return std::unexpected(std::move(after.error()));
    if (auto ok = WriteAudit(m_db, {actor, now, "ticket.create", "ticket", ticket->number, std::nullopt, *after}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return ticket;
}

Result<core::Ticket> KioskStore::AppendToTicket(std::string_view number, core::TicketEvent event,
                                                std::string_view action, const AlsoWrite& also) {
    if (auto ok = CheckActor(event.actor); !ok) return std::unexpected(std::move(ok.error()));
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto identity = RequireIdentity();
    if (!identity) return std::unexpected(std::move(identity.error()));
    auto found = FindTicket(number);
    if (!found) return std::unexpected(std::move(found.error()));
    if (!*found) return core::Fail(ErrorCode::NotFound, "no ticket " + std::string(number));
    auto after = TicketLog(m_db, *m_lifecycle).Append(**found, std::move(event), action, (*identity)->epoch);
    if (!after) return std::unexpected(std::move(after.error()));
    if (also) {
        if (auto ok = also(*after); !ok) return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return after;
}

Result<core::Ticket> KioskStore::TransitionTicket(std::string_view number, std::string_view toStatus,
                                                  const core::Actor& actor, std::string_view note,
                                                  core::Timestamp now) {
    core::TicketEvent event;
    event.kind = core::EventKind::StatusChanged;
    event.actor = actor;
    event.at = now;
    event.toStatus = std::string(toStatus);
    event.note = std::string(note);
    return AppendToTicket(number, std::move(event), "ticket.transition");
}

Result<core::Ticket> KioskStore::AddNote(std::string_view number, const core::Actor& actor, std::string_view note,
                                         core::Timestamp now) {
    if (note.empty()) return core::Fail(ErrorCode::InvalidInput, "a note to ticket " + std::string(number) + " is empty");
    core::TicketEvent event;
    event.kind = core::EventKind::NoteAdded;
    event.actor = actor;
    event.at = now;
    event.note = std::string(note);
    return AppendToTicket(number, std::move(event), "ticket.note");
}

Result<core::Ticket> KioskStore::RateTicket(std::string_view number, int score, std::string_view comment,
                                            core::Timestamp now) {
    if (score < 1 || score > 5) {
        return core::Fail(ErrorCode::InvalidInput, "a CSAT score is 1 to 5, not " + std::to_string(score));
    }
    core::TicketEvent event;
    event.kind = core::EventKind::Rated;
    event.actor = core::Actor{core::Role::Customer, "customer"};
    event.at = now;
    event.value = std::to_string(score);
    event.note = std::string(comment);
    // With the event: the answer for the kiosk's reports and the record for head office, naming the
    // staff member who last moved the ticket (else its assignee).
    return AppendToTicket(number, std::move(event), "csat.record", [&](const core::Ticket& rated) -> Result<void> {
        auto events = EventsOf(rated.number);
        if (!events) return std::unexpected(std::move(events.error()));
        std::string handedBackBy = rated.assignee;
        int ratings = 0;
        for (const core::TicketEvent& e : *events) {
            if (e.kind == core::EventKind::Rated) ++ratings;
            if (e.kind == core::EventKind::StatusChanged && core::IsStaff(e.actor.role)) handedBackBy = e.actor.id;
        }
        if (ratings > 1) return core::Fail(ErrorCode::Conflict, "ticket " + rated.number + " already has a CSAT answer");
        auto answer = m_db.Cached("INSERT INTO csat_answers (ticket_number, score, comment, answered_at) VALUES (?1, ?2, ?3, ?4)");
        if (!answer) return std::unexpected(std::move(answer.error()));
        answer->Bind(1, rated.number).Bind(2, std::int64_t{score}).Bind(3, comment).Bind(4, core::FormatTimestamp(now));
        if (auto ok = answer->Run(); !ok) return ok;
        const Json record = {{"ticketNumber", rated.number}, {"score", score}, {"comment", std::string(comment)},
                             {"answeredAt", core::FormatTimestamp(now)}, {"handedBackBy", handedBackBy}};
        return QueueRecord(m_db, "csat_answer", record, now);
    });
}

// ---------------------------------------------------------------------------------------------------
// Reading tickets

Result<std::optional<core::Ticket>> KioskStore::FindTicket(std::string_view number) {
    auto stmt = m_db.Cached(SelectTickets("WHERE number = ?1"));
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, number);
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return std::optional<core::Ticket>{};
    auto ticket = ReadTicket(*stmt);
    if (!ticket) return std::unexpected(std::move(ticket.error()));
    return std::optional<core::Ticket>{std::move(*ticket)};
}

Result<std::vector<core::TicketEvent>> KioskStore::EventsOf(std::string_view number) {
    auto stmt =
        m_db.Cached("SELECT " + std::string(kTicketEventColumns) + " FROM ticket_events WHERE ticket_number = ?1 ORDER BY seq");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, number);
    std::vector<core::TicketEvent> events;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        auto event = ReadTicketEvent(*stmt);
        if (!event) return std::unexpected(std::move(event.error()));
        events.push_back(std::move(*event));
    }
    return events;
}

Result<std::vector<core::Ticket>> KioskStore::ListTickets(const core::TicketFilter& filter) {
    // The SQL has one shape per combination of filters, so each shape is cached and can use its index.
    std::string where = "WHERE 1 = 1";
    if (filter.type) where += " AND type = ?1";
    if (filter.status) where += " AND status = ?2";
    if (filter.phone) where += " AND customer_phone = ?3";
    if (filter.openOnly) where += " AND status NOT IN (SELECT value FROM json_each(?4))";
    where += " ORDER BY created_at DESC, rowid DESC LIMIT ?5";

    auto stmt = m_db.Cached(SelectTickets(where));
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    if (filter.type) stmt->Bind(1, core::ToString(*filter.type));
    if (filter.status) stmt->Bind(2, *filter.status);
    if (filter.phone) {
        auto normalized = core::NormalizePhone(*filter.phone);
        stmt->Bind(3, normalized ? *normalized : *filter.phone);
    }
    if (filter.openOnly) {
        Json terminal = Json::array();
        for (const core::StatusInfo& status : m_lifecycle->statuses) {
            if (status.terminal) terminal.push_back(status.id);
        }
        auto text = wire::DumpJson(terminal);
        if (!text) return std::unexpected(std::move(text.error()));
        stmt->Bind(4, *text);
    }
    stmt->Bind(5, std::int64_t{filter.limit > 0 ? filter.limit : -1});

    std::vector<core::Ticket> tickets;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        auto ticket = ReadTicket(*stmt);
        if (!ticket) return std::unexpected(std::move(ticket.error()));
        tickets.push_back(std::move(*ticket));
    }
    return tickets;
}

// ---------------------------------------------------------------------------------------------------
// Verification

Result<VerifyReport> KioskStore::Verify(const BlobStore* files) {
    // One read transaction: the chain and the projections are checked against the same snapshot.
    auto tx = Transaction::Begin(m_db, Transaction::Mode::Deferred);
    if (!tx) return std::unexpected(std::move(tx.error()));
    VerifyReport report;

    auto events = m_db.Prepare("SELECT " + std::string(kTicketEventColumns) + " FROM ticket_events ORDER BY seq");
    if (!events) return std::unexpected(std::move(events.error()));
    std::string expectedPrev(kGenesisHash);
    while (!report.firstBreak) {
        auto row = events->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        ++report.eventsChecked;
        auto broken = [&](std::string reason) {
            report.firstBreak = ChainBreak{events->Int(0), events->Text(1), events->Text(2), std::move(reason)};
        };
        std::optional<Json> payload;
        if (!events->IsNull(11)) {
            auto json = wire::ParseStoredJson(events->Text(11), "event payload");
            if (!json) {
                broken(json.error().message);
                break;
            }
            payload = std::move(*json);
        }
        const std::string prevHash = events->Text(12);
        const std::string hash = events->Text(13);
        if (prevHash != expectedPrev) {
            broken("prev_hash does not match previous event");
            break;
        }
        auto recomputed = wire::ChainHash(prevHash, ReadEventRow(*events, std::move(payload)));
        if (!recomputed) {
            broken(recomputed.error().message);
            break;
        }
        if (*recomputed != hash) {
            broken("hash mismatch");
            break;
        }
        expectedPrev = hash;
    }

    // Every ticket row against the projection of its events.
    std::map<std::string, core::Ticket> stored;
    {
        auto tickets = m_db.Prepare(SelectTickets(""));
        if (!tickets) return std::unexpected(std::move(tickets.error()));
        for (;;) {
            auto row = tickets->Step();
            if (!row) return std::unexpected(std::move(row.error()));
            if (!*row) break;
            auto ticket = ReadTicket(*tickets);
            if (!ticket) {
                report.mismatches.push_back({tickets->Text(0), ticket.error().message});
                stored.emplace(tickets->Text(0), core::Ticket{});
                continue;
            }
            stored.emplace(ticket->number, std::move(*ticket));
        }
    }
    report.ticketsChecked = static_cast<std::int64_t>(stored.size());

    auto byTicket = m_db.Prepare("SELECT " + std::string(kTicketEventColumns) +
                                 " FROM ticket_events ORDER BY ticket_number, seq");
    if (!byTicket) return std::unexpected(std::move(byTicket.error()));
    std::string current;
    std::vector<core::TicketEvent> group;
    std::optional<std::string> groupError;
    auto checkGroup = [&]() {
        if (current.empty()) return;
        auto it = stored.find(current);
        if (it == stored.end()) {
            report.mismatches.push_back({current, "events exist but the ticket row is missing"});
            return;
        }
        const bool rowReadable = !it->second.number.empty();
        std::optional<std::string> reason;
        if (groupError) {
            reason = *groupError;
        } else if (auto projected = core::ProjectTicket(group, *m_lifecycle); !projected) {
            reason = "the events do not project: " + projected.error().message;
        } else if (rowReadable) {
            const Json want = wire::TicketToJson(*projected);
            const Json have = wire::TicketToJson(it->second);
            if (want != have) reason = DescribeDifference(have, want);
        }
        if (reason) report.mismatches.push_back({current, *reason});
        stored.erase(it);
    };
    for (;;) {
        auto row = byTicket->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        const std::string number = byTicket->Text(2);
        if (number != current) {
            checkGroup();
            current = number;
            group.clear();
            groupError.reset();
        }
        if (groupError) continue;
        auto event = ReadTicketEvent(*byTicket);
        if (!event) {
            groupError = event.error().message;
            continue;
        }
        if (files != nullptr) {
            for (const core::Attachment& a : event->attachments) {
                ++report.filesChecked;
                if (auto checked = files->Check(a); !checked) {
                    report.attachmentProblems.push_back(
                        {number, a.kind, a.sha256, files->PathOf(a.sha256).string(), checked.error().message});
                }
            }
        }
        group.push_back(std::move(*event));
    }
    checkGroup();
    for (const auto& [number, ticket] : stored) {
        if (!ticket.number.empty()) report.mismatches.push_back({number, "the ticket has no events"});
    }
    std::sort(report.mismatches.begin(), report.mismatches.end(),
              [](const ProjectionMismatch& a, const ProjectionMismatch& b) { return a.ticketNumber < b.ticketNumber; });

    report.ok = !report.firstBreak && report.mismatches.empty() && report.attachmentProblems.empty();
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return report;
}

// ---------------------------------------------------------------------------------------------------
// Outbox

Result<std::vector<OutboxRecord>> ReadOutboxRecords(Statement& stmt) {
    std::vector<OutboxRecord> records;
    for (;;) {
        auto row = stmt.Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        auto createdAt = core::ParseTimestamp(stmt.Text(5));
        if (!createdAt) {
            return core::Fail(ErrorCode::Corrupt, "outbox record " + stmt.Text(1) + ": " + createdAt.error().message);
        }
        records.push_back({stmt.Int(0), stmt.Text(1), stmt.Int(2), stmt.Text(3), stmt.Text(4), *createdAt});
    }
    return records;
}

Result<std::vector<OutboxRecord>> KioskStore::PendingOutbox(int limit) {
    auto stmt = m_db.Cached(
        "SELECT seq, id, epoch, record_type, payload, created_at FROM outbox WHERE sent_at IS NULL ORDER BY seq "
        "LIMIT ?1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, std::int64_t{limit > 0 ? limit : -1});
    return ReadOutboxRecords(*stmt);
}

Result<std::int64_t> KioskStore::OutboxBacklog() {
    auto stmt = m_db.Cached("SELECT count(*) FROM outbox WHERE sent_at IS NULL");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    return *row ? stmt->Int(0) : 0;
}

}  // namespace kiosk::storage
