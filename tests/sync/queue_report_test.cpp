// Queue numbers (取号) at head office on SQLite: numbers taken, called, served and given up at a kiosk
// reach head office through the real sync as queue_event records, and the queue report's figures per
// store, service and hour match the hand-computed values (queue_report_fixture.hpp).
#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "sync/queue_report_fixture.hpp"

using namespace kiosk;
using namespace kiosk::sync::test;

TEST_CASE("queue numbers reach head office as queue_event records and report waiting and service times per store, service and hour",
          "[dashboard][queue]") {
    kiosk::testing::TempDir dir("queue-report");
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const std::string ticket = SyncQueueNumbers(ho, dir.File("kiosk.db"));
    auto hoDb = Ok(ho.service->Pool().Acquire());
    CheckQueueReport(*hoDb, ticket);
}
