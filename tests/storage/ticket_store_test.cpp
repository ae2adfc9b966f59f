// Tickets in the store: identity, numbering, one-transaction writes, transitions, queries and the outbox.
#include <nlohmann/json.hpp>

#include "storage_test_support.hpp"

using namespace kiosk;
using namespace kiosk::storage;
using namespace kiosk::storage::test;

TEST_CASE("tickets cannot be created before the kiosk is initialised", "[storage]") {
    TempDir dir;
    KioskStore store = OpenStore(dir.File("kiosk.db"));
    CHECK_FALSE(store.Identity().has_value());
    auto ticket = store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z"));
    REQUIRE_FALSE(ticket);
    CHECK(ticket.error().code == core::ErrorCode::Conflict);
    CHECK_THAT(ticket.error().message, Catch::Contains("kioskctl init"));
    CHECK(CountTicketRows(dir.File("kiosk.db")) == RowCounts{});
}

TEST_CASE("initialising writes the identity once", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskIdentity first;
    {
        KioskStore store = OpenStore(file);
        first = Ok(store.Initialize("S012", "K1", At("2026-11-01T00:00:00Z")));
        CHECK(first.storeCode == "S012");
        CHECK(first.kioskCode == "K1");
        CHECK(first.kioskId.size() == 36);
        CHECK(first.kioskId[14] == '4');  // a version 4 UUID
        CHECK(first.epoch == 1);

        // Same codes again: the identity on record, not a new one.
        CHECK(Ok(store.Initialize("S012", "K1", At("2026-11-02T00:00:00Z"))).kioskId == first.kioskId);
        auto bad = store.Initialize("S012-", "K1", At("2026-11-02T00:00:00Z"));
        REQUIRE_FALSE(bad);
        CHECK(bad.error().code == core::ErrorCode::InvalidInput);
    }
    SECTION("re-opened, the identity is read back") {
        KioskStore store = OpenStore(file, StoreOptions{});
        REQUIRE(store.Identity().has_value());
        CHECK(store.Identity()->kioskId == first.kioskId);
        CHECK(store.Identity()->createdAt == At("2026-11-01T00:00:00Z"));
    }
    SECTION("other codes are refused, at initialisation and at open") {
        KioskStore store = OpenStore(file, StoreOptions{});
        auto again = store.Initialize("S013", "K1", At("2026-11-02T00:00:00Z"));
        REQUIRE_FALSE(again);
        CHECK(again.error().code == core::ErrorCode::Conflict);
        auto opened = KioskStore::Open(Ok(Database::Open(file)), TestLifecycle(),
                                       StoreOptions{"S012", "K2", std::chrono::minutes{480}});
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == core::ErrorCode::Conflict);
        CHECK_THAT(opened.error().message, Catch::Contains("K2"));
    }
}

TEST_CASE("creating a ticket writes ticket, event, audit and outbox together", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const RowCounts before = CountTicketRows(file);
    const auto now = At("2026-11-22T02:15:00Z");

    core::Ticket ticket = Ok(store.CreateTicket(RepairRequest(), kCustomer, now));
    CHECK(ticket.number == "S012-K1-261122-0001");
    CHECK(ticket.status == "submitted");
    CHECK(ticket.eventCount == 1);
    CHECK(ticket.createdAt == now);
    CHECK(ticket.filed.description == "电池一小时就没电了");

    const RowCounts after = CountTicketRows(file);
    CHECK(after.tickets == before.tickets + 1);
    CHECK(after.events == before.events + 1);
    CHECK(after.audit == before.audit + 1);
    CHECK(after.outbox == before.outbox + 1);

    auto found = Ok(store.FindTicket(ticket.number));
    REQUIRE(found.has_value());
    CHECK(found->filed.gtin == RepairRequest().gtin);
    CHECK(found->filed.purchasedOn == RepairRequest().purchasedOn);
    CHECK(found->filed.remedy == core::Remedy::Repair);
    CHECK(found->filed.customerTier == core::Tier::Returning);
    CHECK(found->createdAt == now);

    auto events = Ok(store.EventsOf(ticket.number));
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == core::EventKind::Created);
    CHECK(events[0].actor.role == core::Role::Customer);
    CHECK(events[0].toStatus == "submitted");
    REQUIRE(events[0].created.has_value());
    CHECK(events[0].created->serial == "SN261122000010");

    auto pending = Ok(store.PendingOutbox(10));
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].recordType == "ticket_event");
    CHECK(pending[0].id == events[0].id);
    CHECK(pending[0].epoch == 1);
    const auto payload = nlohmann::json::parse(pending[0].payload);
    CHECK(payload.at("ticketNumber") == ticket.number);
    CHECK(payload.at("prevHash") == std::string(64, '0'));
    CHECK(payload.at("hash").get<std::string>().size() == 64);
    CHECK(payload.at("created").at("description") == "电池一小时就没电了");
    CHECK(Ok(store.OutboxBacklog()) == 1);

    Database raw = Ok(Database::Open(file));
    CHECK(Ok(raw.QueryText("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")) == "ticket.create");
    CHECK(Ok(raw.QueryText("SELECT at FROM ticket_events")) == "2026-11-22T02:15:00Z");
}

TEST_CASE("a request that is malformed writes nothing", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const RowCounts before = CountTicketRows(file);
    core::NewTicket request = RepairRequest();

    SECTION("a GTIN that is not 14 digits") { request.gtin = "6910000000006"; }
    SECTION("a GTIN with a wrong check digit") { request.gtin = "06910000000007"; }
    SECTION("a phone number that is not normalised") { request.customerPhone = "138-1234-5678"; }
    SECTION("text that is not UTF-8") { request.description = "\xff\xfe"; }

    auto ticket = store.CreateTicket(request, kCustomer, At("2026-11-22T02:00:00Z"));
    REQUIRE_FALSE(ticket);
    CHECK(ticket.error().code == core::ErrorCode::InvalidInput);
    CHECK(CountTicketRows(file) == before);
    CHECK(CountRows(file, "ticket_counters") == 0);
}

TEST_CASE("a ticket whose outbox record cannot be written is not created at all", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const RowCounts before = CountTicketRows(file);
    // The last write of the transaction fails; everything before it must go too.
    Ok(Ok(Database::Open(file)).Execute("CREATE TRIGGER outbox_full BEFORE INSERT ON outbox "
                                        "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END"));
    auto ticket = store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z"));
    REQUIRE_FALSE(ticket);
    CHECK_THAT(ticket.error().message, Catch::Contains("outbox refused"));
    CHECK(CountTicketRows(file) == before);
    CHECK(CountRows(file, "ticket_counters") == 0);

    // The number was not used up: the next ticket still gets the day's first.
    Ok(Ok(Database::Open(file)).Execute("DROP TRIGGER outbox_full"));
    CHECK(Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z"))).number ==
          "S012-K1-261122-0001");
}

TEST_CASE("ticket numbers count per local day and restart at 1", "[storage]") {
    TempDir dir;
    KioskStore store = InitializedStore(dir.File("kiosk.db"));
    // UTC+8: 15:59Z is 23:59 local on the 22nd; 16:00Z is already the 23rd.
    auto create = [&](const char* at) { return Ok(store.CreateTicket(RepairRequest(), kCustomer, At(at))).number; };
    CHECK(create("2026-11-21T16:00:00Z") == "S012-K1-261122-0001");
    CHECK(create("2026-11-22T08:00:00Z") == "S012-K1-261122-0002");
    CHECK(create("2026-11-22T15:59:00Z") == "S012-K1-261122-0003");
    CHECK(create("2026-11-22T16:00:00Z") == "S012-K1-261123-0001");
    CHECK(create("2026-11-22T16:00:30Z") == "S012-K1-261123-0002");
}

TEST_CASE("the local day follows the configured UTC offset", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    Ok(OpenStore(file).Initialize("S012", "K1", At("2026-11-01T00:00:00Z")));
    KioskStore utc = OpenStore(file, StoreOptions{"S012", "K1", std::chrono::minutes{0}});
    CHECK(Ok(utc.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T23:59:00Z"))).number ==
          "S012-K1-261122-0001");
    CHECK(Ok(utc.CreateTicket(RepairRequest(), kCustomer, At("2026-11-23T00:00:00Z"))).number ==
          "S012-K1-261123-0001");
}

TEST_CASE("a newly published calendar's UTC offset moves the local day of the next ticket", "[storage]") {
    TempDir dir;
    KioskStore store = InitializedStore(dir.File("kiosk.db"));  // UTC+8
    CHECK(Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T17:00:00Z"))).number == "S012-K1-261123-0001");
    store.SetUtcOffset(std::chrono::minutes{0});
    CHECK(Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T17:00:00Z"))).number == "S012-K1-261122-0001");
}

TEST_CASE("a transition moves the ticket and records who did it", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const auto number = Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z"))).number;

    auto received = Ok(store.TransitionTicket(number, "received", kClerk, "device taken in", At("2026-11-22T02:10:00Z")));
    CHECK(received.status == "received");
    CHECK(received.firstResponseAt == At("2026-11-22T02:10:00Z"));
    CHECK(received.eventCount == 2);
    CHECK(received.notes == std::vector<std::string>{"device taken in"});

    auto noted = Ok(store.AddNote(number, kTechnician, "battery swollen", At("2026-11-22T03:00:00Z")));
    CHECK(noted.notes.size() == 2);
    CHECK(noted.updatedAt == At("2026-11-22T03:00:00Z"));

    auto stored = Ok(store.FindTicket(number));
    REQUIRE(stored.has_value());
    CHECK(stored->status == "received");
    CHECK(stored->notes == noted.notes);
    CHECK(stored->eventCount == 3);

    auto events = Ok(store.EventsOf(number));
    REQUIRE(events.size() == 3);
    CHECK(events[1].kind == core::EventKind::StatusChanged);
    CHECK(events[1].fromStatus == "submitted");
    CHECK(events[1].toStatus == "received");
    CHECK(events[1].actor.id == "E1004");
    CHECK(events[2].kind == core::EventKind::NoteAdded);

    Database raw = Ok(Database::Open(file));
    auto audit = Ok(raw.Prepare("SELECT action, actor_id, before, after FROM audit_log WHERE entity = 'ticket' "
                                "ORDER BY id"));
    std::vector<std::string> actions;
    while (Ok(audit.Step())) {
        actions.push_back(audit.Text(0));
        if (audit.Text(0) == "ticket.transition") {
            CHECK(audit.Text(1) == "E1004");
            CHECK(nlohmann::json::parse(audit.Text(2)).at("status") == "submitted");
            CHECK(nlohmann::json::parse(audit.Text(3)).at("status") == "received");
        }
    }
    CHECK(actions == std::vector<std::string>{"ticket.create", "ticket.transition", "ticket.note"});
    CHECK(Ok(store.OutboxBacklog()) == 3);
}

TEST_CASE("a refused transition writes nothing", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const auto number = Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z"))).number;
    const RowCounts before = CountTicketRows(file);
    const auto later = At("2026-11-22T03:00:00Z");

    SECTION("a transition the flow does not have is a conflict") {
        auto moved = store.TransitionTicket(number, "closed", kSupervisor, "", later);
        REQUIRE_FALSE(moved);
        CHECK(moved.error().code == core::ErrorCode::Conflict);
        CHECK_THAT(moved.error().message, Catch::Contains(number));
    }
    SECTION("a role that may not make it is forbidden") {
        auto moved = store.TransitionTicket(number, "received", kCustomer, "", later);
        REQUIRE_FALSE(moved);
        CHECK(moved.error().code == core::ErrorCode::Forbidden);
    }
    SECTION("an unknown status is invalid") {
        auto moved = store.TransitionTicket(number, "teleported", kSupervisor, "", later);
        REQUIRE_FALSE(moved);
        CHECK(moved.error().code == core::ErrorCode::InvalidInput);
    }
    SECTION("an unknown ticket is not found") {
        auto moved = store.TransitionTicket("S012-K1-261122-0099", "received", kClerk, "", later);
        REQUIRE_FALSE(moved);
        CHECK(moved.error().code == core::ErrorCode::NotFound);
    }
    SECTION("an empty note is invalid") {
        auto noted = store.AddNote(number, kClerk, "", later);
        REQUIRE_FALSE(noted);
        CHECK(noted.error().code == core::ErrorCode::InvalidInput);
    }

    CHECK(CountTicketRows(file) == before);
    CHECK(Ok(store.FindTicket(number))->status == "submitted");
}

TEST_CASE("tickets are listed newest first, filtered", "[storage]") {
    TempDir dir;
    KioskStore store = InitializedStore(dir.File("kiosk.db"));
    core::NewTicket complaint = RepairRequest();
    complaint.type = core::TicketType::Complaint;
    complaint.gtin.clear();
    complaint.remedy.reset();
    complaint.customerPhone = "13900001111";

    const auto a = Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T01:00:00Z"))).number;
    const auto b = Ok(store.CreateTicket(complaint, kCustomer, At("2026-11-22T02:00:00Z"))).number;
    const auto c = Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T03:00:00Z"))).number;
    Ok(store.TransitionTicket(a, "cancelled", kClerk, "customer withdrew", At("2026-11-22T04:00:00Z")));

    auto numbers = [](const std::vector<core::Ticket>& tickets) {
        std::vector<std::string> out;
        for (const auto& t : tickets) out.push_back(t.number);
        return out;
    };
    CHECK(numbers(Ok(store.ListTickets({}))) == std::vector<std::string>{c, b, a});

    core::TicketFilter filter;
    filter.type = core::TicketType::Complaint;
    CHECK(numbers(Ok(store.ListTickets(filter))) == std::vector<std::string>{b});

    filter = {};
    filter.openOnly = true;
    CHECK(numbers(Ok(store.ListTickets(filter))) == std::vector<std::string>{c, b});

    filter = {};
    filter.status = "cancelled";
    CHECK(numbers(Ok(store.ListTickets(filter))) == std::vector<std::string>{a});

    filter = {};
    filter.phone = "139 0000 1111";
    CHECK(numbers(Ok(store.ListTickets(filter))) == std::vector<std::string>{b});

    filter = {};
    filter.limit = 2;
    CHECK(numbers(Ok(store.ListTickets(filter))) == std::vector<std::string>{c, b});
}

TEST_CASE("a second store on the same file sees the tickets", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore writer = InitializedStore(file);
    const auto number = Ok(writer.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z"))).number;

    KioskStore reader = OpenStore(file);
    auto found = Ok(reader.FindTicket(number));
    REQUIRE(found.has_value());
    CHECK(found->filed.serial == "SN261122000010");

    // Numbers keep counting across both connections: the counter lives in the database.
    CHECK(Ok(reader.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:01:00Z"))).number ==
          "S012-K1-261122-0002");
    CHECK(Ok(writer.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:02:00Z"))).number ==
          "S012-K1-261122-0003");
    CHECK(Ok(writer.Verify()).ok);
}

TEST_CASE("a store initialised by another process can create tickets", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore kiosk = OpenStore(file, StoreOptions{});
    Ok(OpenStore(file).Initialize("S012", "K1", At("2026-11-01T00:00:00Z")));
    CHECK(Ok(kiosk.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z"))).number ==
          "S012-K1-261122-0001");
}

TEST_CASE("unknown tickets are absent, not errors", "[storage]") {
    Database db = Ok(Database::Open(":memory:"));
    KioskStore store = Ok(KioskStore::Open(std::move(db), TestLifecycle(), TestOptions()));
    CHECK_FALSE(Ok(store.FindTicket("S012-K1-261122-0001")).has_value());
    CHECK(Ok(store.EventsOf("S012-K1-261122-0001")).empty());
    CHECK(Ok(store.ListTickets({})).empty());
    CHECK(Ok(store.OutboxBacklog()) == 0);
}
