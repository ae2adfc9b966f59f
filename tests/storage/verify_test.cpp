// Tamper detection: the event hash chain and the ticket projections, checked after raw edits to the file.
#include "storage_test_support.hpp"

using namespace kiosk;
using namespace kiosk::storage;
using namespace kiosk::storage::test;

namespace {

// Three tickets with a few events each, interleaved so the chain crosses tickets.
std::vector<std::string> FillStore(KioskStore& store) {
    std::vector<std::string> numbers;
    for (const char* at : {"2026-11-22T01:00:00Z", "2026-11-22T01:05:00Z", "2026-11-22T01:10:00Z"}) {
        numbers.push_back(Ok(store.CreateTicket(RepairRequest(), kCustomer, At(at))).number);
    }
    Ok(store.TransitionTicket(numbers[0], "received", kClerk, "taken in", At("2026-11-22T02:00:00Z")));
    Ok(store.AddNote(numbers[1], kClerk, "customer will call back", At("2026-11-22T02:05:00Z")));
    Ok(store.TransitionTicket(numbers[0], "diagnosing", kTechnician, "", At("2026-11-22T02:10:00Z")));
    return numbers;  // events: seq 1-3 created, 4 received, 5 note, 6 diagnosing
}

// Raw access to the file, with the append-only triggers out of the way, as a tamperer would have.
Database Tamper(const std::filesystem::path& file) {
    Database db = Ok(Database::Open(file));
    Ok(db.Execute("DROP TRIGGER ticket_events_no_update; DROP TRIGGER ticket_events_no_delete;"));
    return db;
}

}  // namespace

TEST_CASE("an untouched store verifies", "[storage]") {
    TempDir dir;
    KioskStore store = InitializedStore(dir.File("kiosk.db"));
    FillStore(store);
    const VerifyReport report = Ok(store.Verify());
    CHECK(report.ok);
    CHECK(report.eventsChecked == 6);
    CHECK(report.ticketsChecked == 3);
    CHECK_FALSE(report.firstBreak.has_value());
    CHECK(report.mismatches.empty());
}

TEST_CASE("an empty store verifies", "[storage]") {
    Database db = Ok(Database::Open(":memory:"));
    KioskStore store = Ok(KioskStore::Open(std::move(db), TestLifecycle(), TestOptions()));
    const VerifyReport report = Ok(store.Verify());
    CHECK(report.ok);
    CHECK(report.eventsChecked == 0);
}

TEST_CASE("a changed note breaks the chain at that event", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const auto numbers = FillStore(store);
    const std::string eventId = Ok(Ok(Database::Open(file)).QueryText("SELECT id FROM ticket_events WHERE seq = 5"));

    Ok(Tamper(file).Execute("UPDATE ticket_events SET note = 'nothing to see' WHERE seq = 5"));

    const VerifyReport report = Ok(store.Verify());
    CHECK_FALSE(report.ok);
    REQUIRE(report.firstBreak.has_value());
    CHECK(report.firstBreak->seq == 5);
    CHECK(report.firstBreak->eventId == eventId);
    CHECK(report.firstBreak->ticketNumber == numbers[1]);
    CHECK(report.firstBreak->reason == "hash mismatch");
    CHECK(report.eventsChecked == 5);
    // The projection still shows the original note, so the ticket is reported as well.
    REQUIRE(report.mismatches.size() == 1);
    CHECK(report.mismatches[0].ticketNumber == numbers[1]);
    CHECK_THAT(report.mismatches[0].reason, Catch::Contains("notes"));
}

TEST_CASE("a changed created payload breaks the chain", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    FillStore(store);
    Ok(Tamper(file).Execute(
        "UPDATE ticket_events SET payload = json_set(payload, '$.purchasedOn', '2026-11-20') WHERE seq = 2"));
    const VerifyReport report = Ok(store.Verify());
    REQUIRE(report.firstBreak.has_value());
    CHECK(report.firstBreak->seq == 2);
    CHECK(report.firstBreak->reason == "hash mismatch");
}

TEST_CASE("a deleted event breaks the chain at the next one", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const auto numbers = FillStore(store);

    Ok(Tamper(file).Execute("DELETE FROM ticket_events WHERE seq = 4"));

    const VerifyReport report = Ok(store.Verify());
    CHECK_FALSE(report.ok);
    REQUIRE(report.firstBreak.has_value());
    CHECK(report.firstBreak->seq == 5);
    CHECK(report.firstBreak->ticketNumber == numbers[1]);
    CHECK(report.firstBreak->reason == "prev_hash does not match previous event");
    // Ticket 1 lost its 'received' event: its events no longer project (diagnosing from submitted).
    REQUIRE(report.mismatches.size() == 1);
    CHECK(report.mismatches[0].ticketNumber == numbers[0]);
}

TEST_CASE("an edited ticket row is reported against its events", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const auto numbers = FillStore(store);

    Ok(Tamper(file).Execute("UPDATE tickets SET status = 'closed', assignee = 'E9' WHERE number = '" + numbers[2] +
                            "'"));

    const VerifyReport report = Ok(store.Verify());
    CHECK_FALSE(report.ok);
    CHECK_FALSE(report.firstBreak.has_value());
    REQUIRE(report.mismatches.size() == 1);
    CHECK(report.mismatches[0].ticketNumber == numbers[2]);
    CHECK_THAT(report.mismatches[0].reason, Catch::Contains("status: row \"closed\", events \"submitted\""));
    CHECK_THAT(report.mismatches[0].reason, Catch::Contains("assignee"));
}

TEST_CASE("a ticket row without events is reported", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = InitializedStore(file);
    const auto numbers = FillStore(store);
    Ok(Tamper(file).Execute("DELETE FROM ticket_events WHERE ticket_number = '" + numbers[2] + "'"));
    const VerifyReport report = Ok(store.Verify());
    CHECK_FALSE(report.ok);
    bool reported = false;
    for (const auto& m : report.mismatches) {
        if (m.ticketNumber == numbers[2]) {
            reported = true;
            CHECK(m.reason == "the ticket has no events");
        }
    }
    CHECK(reported);
}
