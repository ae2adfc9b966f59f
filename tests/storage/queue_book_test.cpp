// Queue numbers on a real database file: daily numbering per service, numbers surviving a reopen,
// the moves and their errors, the wait estimate from the day's service times, "now serving", and the
// queue_event records queued with every change.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "kiosk/config/queue_loader.hpp"
#include "kiosk/config/roles_loader.hpp"
#include "kiosk/storage/queue_book.hpp"
#include "storage_test_support.hpp"

using namespace kiosk;
using namespace kiosk::storage;
using namespace kiosk::storage::test;

namespace {

const core::QueueServices& TestQueueServices() {
    static const core::QueueServices services = Ok(config::LoadQueueServicesFile(KIOSK_TEST_ASSET_DIR "/queue.toml"));
    return services;
}

const core::admin::RoleTable& TestRoles() {
    static const core::admin::RoleTable roles = Ok(config::LoadRolesFile(KIOSK_TEST_ASSET_DIR "/roles.toml"));
    return roles;
}

// The queue_event payloads in the outbox, oldest first.
std::vector<nlohmann::json> QueueEvents(Database& db) {
    std::vector<nlohmann::json> events;
    auto s = Ok(db.Prepare("SELECT payload FROM outbox WHERE record_type = 'queue_event' ORDER BY seq"));
    while (Ok(s.Step())) events.push_back(nlohmann::json::parse(s.Text(0)));
    return events;
}

}  // namespace

TEST_CASE("queue numbers count up per service and restart at 1 on the next local day", "[storage][queue]") {
    TempDir dir;
    InitializedStore(dir.File("kiosk.db"));
    auto db = Ok(Database::Open(dir.File("kiosk.db")));
    QueueBook book(db, TestQueueServices(), TestRoles(), std::chrono::minutes{8 * 60});

    // 2026-12-06 23:50 in the store (UTC+8) is 15:50 UTC; ten minutes later it is the 7th there.
    CHECK(Ok(book.Take("pickup", At("2026-12-06T15:50:00Z"))).ticket.label == "A001");
    CHECK(Ok(book.Take("pickup", At("2026-12-06T15:51:00Z"))).ticket.label == "A002");
    const auto question = Ok(book.Take("question", At("2026-12-06T15:52:00Z")));
    CHECK(question.ticket.label == "C001");
    CHECK(question.ticket.day == "2026-12-06");
    const auto nextDay = Ok(book.Take("pickup", At("2026-12-06T16:00:00Z")));
    CHECK(nextDay.ticket.label == "A001");
    CHECK(nextDay.ticket.day == "2026-12-07");
    CHECK(nextDay.peopleAhead == 0);

    auto unknown = book.Take("repairs", At("2026-12-06T16:01:00Z"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == core::ErrorCode::InvalidInput);
    CHECK_THAT(unknown.error().message, Catch::Contains("pickup, intake, question"));

    const auto events = QueueEvents(db);
    REQUIRE(events.size() == 4);
    CHECK(events[0]["kind"] == "taken");
    CHECK(events[0]["store"] == "S012");
    CHECK(events[0]["label"] == "A001");
    CHECK(events[0]["hour"] == 23);
    CHECK(events[3]["day"] == "2026-12-07");
    CHECK(events[3]["hour"] == 0);
}

TEST_CASE("a queue number taken before a reopen is never handed out again", "[storage][queue]") {
    TempDir dir;
    InitializedStore(dir.File("kiosk.db"));
    {
        auto db = Ok(Database::Open(dir.File("kiosk.db")));
        QueueBook book(db, TestQueueServices(), TestRoles(), std::chrono::minutes{8 * 60});
        for (int i = 0; i < 3; ++i) Ok(book.Take("intake", At("2026-12-06T02:00:00Z")));
    }
    auto db = Ok(Database::Open(dir.File("kiosk.db")));
    QueueBook book(db, TestQueueServices(), TestRoles(), std::chrono::minutes{8 * 60});
    CHECK(Ok(book.Take("intake", At("2026-12-06T03:00:00Z"))).ticket.label == "B004");
    // The primary key refuses a second row with a taken number, whoever writes it.
    auto twice = db.Execute(
        "INSERT INTO queue_numbers (day, service, number, label, state, taken_at) "
        "VALUES ('2026-12-06', 'intake', 2, 'B002', 'waiting', '2026-12-06T03:00:00Z')");
    CHECK_FALSE(twice);
}

TEST_CASE("staff call the next number, mark it served or no-show, and link it to a ticket", "[storage][queue]") {
    TempDir dir;
    KioskStore store = InitializedStore(dir.File("kiosk.db"));
    auto db = Ok(Database::Open(dir.File("kiosk.db")));
    QueueBook book(db, TestQueueServices(), TestRoles(), std::chrono::minutes{8 * 60});
    const auto t0 = At("2026-12-06T02:00:00Z");
    for (int i = 0; i < 3; ++i) Ok(book.Take("pickup", t0));

    const auto a1 = Ok(book.CallNext("pickup", kClerk, t0 + std::chrono::minutes{2}));
    CHECK(a1.label == "A001");
    CHECK(a1.state == core::QueueState::Called);
    CHECK(a1.calledBy == "E1004");
    CHECK(Ok(book.Board(t0))[0] == core::QueueBoardRow{"pickup", "A001", 2});

    auto early = book.Finish("A002", core::QueueState::Served, kClerk, t0);
    REQUIRE_FALSE(early);
    CHECK(early.error().code == core::ErrorCode::Conflict);
    CHECK(early.error().message == "A002 is waiting: it cannot be marked served before it is called");

    Ok(book.Finish("A001", core::QueueState::Served, kClerk, t0 + std::chrono::minutes{6}));
    const auto a2 = Ok(book.CallNext("pickup", kClerk, t0 + std::chrono::minutes{7}));
    CHECK(a2.label == "A002");
    CHECK(Ok(book.Recall("A002", kClerk, t0 + std::chrono::minutes{9})).calls == 2);
    const auto gone = Ok(book.Finish("A002", core::QueueState::NoShow, kClerk, t0 + std::chrono::minutes{10}));
    CHECK(gone.state == core::QueueState::NoShow);
    CHECK(gone.calledAt == t0 + std::chrono::minutes{7});  // the wait ended at the first call

    auto again = book.Finish("A002", core::QueueState::Served, kClerk, t0);
    REQUIRE_FALSE(again);
    CHECK(again.error().message == "A002 is no_show: it cannot be marked served any more");
    CHECK(book.Finish("Z001", core::QueueState::Served, kClerk, t0).error().code == core::ErrorCode::InvalidInput);
    CHECK(book.Finish("A009", core::QueueState::Served, kClerk, t0).error().code == core::ErrorCode::NotFound);

    // The customer must not call numbers; queue.call is a staff right.
    const auto refused = book.CallNext("pickup", kCustomer, t0);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::ErrorCode::Forbidden);

    const auto ticket = Ok(store.CreateTicket(RepairRequest(), kCustomer, t0));
    CHECK(book.Link("A003", ticket.number, kClerk, t0).error().code == core::ErrorCode::Conflict);  // still waiting
    CHECK(book.Link("A001", "S012-K1-261206-0099", kClerk, t0).error().code == core::ErrorCode::NotFound);
    CHECK(Ok(book.Link("A001", ticket.number, kClerk, t0)).ticketNumber == ticket.number);

    auto empty = book.CallNext("intake", kClerk, t0);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == core::ErrorCode::NotFound);

    std::vector<std::string> kinds;
    for (const auto& e : QueueEvents(db)) kinds.push_back(e["kind"].get<std::string>() + " " + e["label"].get<std::string>());
    CHECK(kinds == std::vector<std::string>{"taken A001", "taken A002", "taken A003", "called A001", "served A001",
                                            "called A002", "called A002", "no_show A002", "linked A001"});
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM audit_log WHERE entity = 'queue_number'")) == 6);
}

TEST_CASE("the wait estimate follows the day's service times, and the default per customer before any", "[storage][queue]") {
    TempDir dir;
    InitializedStore(dir.File("kiosk.db"));
    auto db = Ok(Database::Open(dir.File("kiosk.db")));
    QueueBook book(db, TestQueueServices(), TestRoles(), std::chrono::minutes{8 * 60});
    const auto t0 = At("2026-12-06T02:00:00Z");
    // Intake's default is 8 minutes per customer.
    Ok(book.Take("intake", t0));
    const auto second = Ok(book.Take("intake", t0));
    CHECK(second.peopleAhead == 1);
    CHECK(second.estimatedWait == std::chrono::minutes{8});
    // Served in 4, 10 and 6 minutes: the median is 6.
    auto at = t0;
    for (const int minutes : {4, 10, 6}) {
        const auto called = Ok(book.CallNext("intake", kClerk, at));
        at += std::chrono::minutes{minutes};
        Ok(book.Finish(called.label, core::QueueState::Served, kClerk, at));
        Ok(book.Take("intake", at));
    }
    const auto next = Ok(book.Take("intake", at));
    CHECK(next.peopleAhead == 2);
    CHECK(next.estimatedWait == std::chrono::minutes{12});
}
