// Queue numbers (取号) for the head-office tests: numbers a kiosk took, called, served and gave up at
// fixed times, synced through the real sync, and the figures head office must report for them. Shared
// by the SQLite and PostgreSQL dashboard tests.
#pragma once

#include <filesystem>
#include <string>

#include "kiosk/config/queue_loader.hpp"
#include "kiosk/config/roles_loader.hpp"
#include "kiosk/storage/queue_book.hpp"
#include "sync/dashboard_fixture.hpp"
#include "sync/headoffice/service_reports.hpp"

namespace kiosk::sync::test {

// Store S012 at UTC+8, 2026-11-10 (times UTC, local hour in brackets):
//   pickup   A001 taken 01:00 (9), called 01:10, served 01:16   wait 10, service 6
//            A002 taken 01:20 (9), called 01:25, served 01:35   wait 5,  service 10
//            A003 taken 01:40 (9), called 02:00, again 02:03, no-show 02:05   wait 20
//            A004 taken 02:10 (10), still waiting
//   question C001 taken 02:00 (10), called 02:30, served 02:42, linked to a ticket   wait 30, service 12
// Rows: pickup 9: taken 3, called 3, served 2, no-shows 1, wait 35/3 min, service 16/2 = 8 min;
//       pickup 10: taken 1, nothing else; question 10: taken 1, called 1, served 1, wait 30, service 12.
// Returns the ticket C001 was linked to. `enrolAs`: the kiosk code head office enrols it under.
inline std::string SyncQueueNumbers(LocalHeadOffice& ho, const std::filesystem::path& kioskDb, const std::string& enrolAs = "K1") {
    using storage::test::At;
    auto store = storage::test::InitializedStore(kioskDb);
    const auto services = Ok(config::LoadQueueServicesFile(KIOSK_TEST_ASSET_DIR "/queue.toml"));
    const auto roles = Ok(config::LoadRolesFile(KIOSK_TEST_ASSET_DIR "/roles.toml"));
    auto db = Ok(storage::Database::Open(kioskDb));
    storage::QueueBook book(db, services, roles, std::chrono::minutes{8 * 60});
    const core::Actor& clerk = storage::test::kClerk;
    const auto served = [&](std::string_view label, std::string_view at) {
        Ok(book.Finish(label, core::QueueState::Served, clerk, At(at)));
    };

    Ok(book.Take("pickup", At("2026-11-10T01:00:00Z")));
    CHECK(Ok(book.CallNext("pickup", clerk, At("2026-11-10T01:10:00Z"))).label == "A001");
    served("A001", "2026-11-10T01:16:00Z");
    Ok(book.Take("pickup", At("2026-11-10T01:20:00Z")));
    CHECK(Ok(book.CallNext("pickup", clerk, At("2026-11-10T01:25:00Z"))).label == "A002");
    served("A002", "2026-11-10T01:35:00Z");
    Ok(book.Take("pickup", At("2026-11-10T01:40:00Z")));
    Ok(book.Take("question", At("2026-11-10T02:00:00Z")));
    CHECK(Ok(book.CallNext("pickup", clerk, At("2026-11-10T02:00:00Z"))).label == "A003");
    Ok(book.Recall("A003", clerk, At("2026-11-10T02:03:00Z")));
    Ok(book.Finish("A003", core::QueueState::NoShow, clerk, At("2026-11-10T02:05:00Z")));
    const auto a4 = Ok(book.Take("pickup", At("2026-11-10T02:10:00Z")));
    CHECK(a4.ticket.label == "A004");
    CHECK(a4.peopleAhead == 0);
    CHECK(Ok(book.CallNext("question", clerk, At("2026-11-10T02:30:00Z"))).label == "C001");
    served("C001", "2026-11-10T02:42:00Z");
    const std::string ticket = Ok(store.CreateTicket(storage::test::RepairRequest(), storage::test::kCustomer,
                                                     At("2026-11-10T02:40:00Z"))).number;
    Ok(book.Link("C001", ticket, clerk, At("2026-11-10T02:43:00Z")));
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM outbox WHERE record_type = 'queue_event'")) == 15);

    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S012", enrolAs))));
    auto worker = Ok(SyncWorker::Open(kioskDb));
    REQUIRE(Ok(worker.Drain()).records > 0);
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM outbox WHERE sent_at IS NULL")) == 0);

    return ticket;
}

// The figures SyncQueueNumbers makes head office report for November.
inline void CheckQueueReport(headoffice::SqlSession& hoDb, const std::string& ticket) {
    auto linked = Ok(hoDb.Query("SELECT state, ticket FROM queue_numbers WHERE label = 'C001'"));
    REQUIRE(linked.size() == 1);
    CHECK(linked[0][0] == "served");
    CHECK(linked[0][1] == ticket);

    const auto report = Ok(headoffice::LoadServiceReport(hoDb, Ms("2026-11-01T00:00:00Z"), Ms("2026-12-01T00:00:00Z"),
                                                         Ms("2026-11-30T00:00:00Z")));
    REQUIRE(report.queue.size() == 3);
    const headoffice::QueueFigures& morning = report.queue[0];
    CHECK((morning.store == "S012" && morning.service == "pickup" && morning.hour == 9));
    CHECK(morning.taken == 3);
    CHECK(morning.called == 3);
    CHECK(morning.served == 2);
    CHECK(morning.noShows == 1);
    CHECK(morning.AverageWaitMinutes() == Approx(35.0 / 3.0));
    CHECK(morning.AverageServiceMinutes() == Approx(8.0));
    const headoffice::QueueFigures& later = report.queue[1];
    CHECK((later.service == "pickup" && later.hour == 10 && later.taken == 1 && later.called == 0));
    CHECK(later.AverageWaitMinutes() < 0);  // nobody called: no figure
    CHECK(later.AverageServiceMinutes() < 0);
    const headoffice::QueueFigures& question = report.queue[2];
    CHECK((question.service == "question" && question.hour == 10));
    CHECK((question.taken == 1 && question.called == 1 && question.served == 1 && question.noShows == 0));
    CHECK(question.AverageWaitMinutes() == Approx(30.0));
    CHECK(question.AverageServiceMinutes() == Approx(12.0));

    // Outside the period: nothing.
    CHECK(Ok(headoffice::LoadServiceReport(hoDb, Ms("2026-12-01T00:00:00Z"), Ms("2027-01-01T00:00:00Z"),
                                           Ms("2026-12-30T00:00:00Z")))
              .queue.empty());
}

}  // namespace kiosk::sync::test
