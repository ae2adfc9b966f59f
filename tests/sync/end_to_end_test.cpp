// The kiosk worker against a real head-office server on loopback: offline backlog, ordering, and
// processes killed between send and acknowledgement and between commit and answer.
#include "sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::test;

namespace {

WorkerOptions SmallBatches() {
    WorkerOptions options;
    options.maxRecords = 4;
    options.timeouts.total = std::chrono::milliseconds{10'000};
    return options;
}

// Every outbox record is at head office exactly once, with the kiosk's sequence, in order.
void CheckLedger(const std::filesystem::path& kioskDb, const std::filesystem::path& hoDb) {
    auto kiosk = Ok(storage::Database::Open(kioskDb));
    auto ho = Ok(storage::Database::Open(hoDb));
    const std::int64_t outbox = Ok(kiosk.QueryInt("SELECT count(*) FROM outbox"));
    CHECK(Ok(ho.QueryInt("SELECT count(*) FROM records")) == outbox);
    CHECK(Ok(ho.QueryInt("SELECT count(DISTINCT seq) FROM records")) == outbox);
    CHECK(Ok(ho.QueryInt("SELECT coalesce(max(seq), 0) FROM records")) == outbox);
    auto mine = Ok(kiosk.Prepare("SELECT seq, id FROM outbox ORDER BY seq"));
    auto theirs = Ok(ho.Prepare("SELECT seq, id FROM records ORDER BY seq"));
    while (Ok(mine.Step())) {
        REQUIRE(Ok(theirs.Step()));
        CHECK(theirs.Int(0) == mine.Int(0));
        CHECK(theirs.Text(1) == mine.Text(1));
    }
    CHECK(Ok(kiosk.QueryInt("SELECT count(*) FROM outbox WHERE sent_at IS NULL")) == 0);
}

}  // namespace

TEST_CASE("tickets filed offline arrive once when head office comes up, later events in order", "[sync]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    const auto hoDb = dir.File("ho.db");
    FileTickets(kioskDb, 0);
    int port = 0;
    std::string token;
    {
        LocalHeadOffice ho("sqlite:" + hoDb.string());
        port = ho.port;
        token = std::string(kEnrolPrefix) + Ok(ho.service->AddKiosk("S012", "K1"));
        Ok(Enrol(kioskDb, ho.Url(), token));
    }
    // Head office is down: tickets are filed and stay queued.
    FileTickets(kioskDb, 10);
    auto worker = Ok(SyncWorker::Open(kioskDb, SmallBatches()));
    auto offline = worker.Drain();
    REQUIRE_FALSE(offline);
    CHECK(offline.error().code == core::ErrorCode::Unavailable);
    SyncStatus down = Ok(worker.Status());
    CHECK(down.backlog == 10);
    CHECK_THAT(down.lastError, Catch::Contains("not reachable"));
    CHECK(down.consecutiveFailures == 1);

    LocalHeadOffice ho("sqlite:" + hoDb.string(), {}, port);
    DrainReport report = Ok(worker.Drain());
    CHECK(report.records == 10);
    CHECK(report.batches == 3);
    CheckLedger(kioskDb, hoDb);
    SyncStatus up = Ok(worker.Status());
    CHECK(up.backlog == 0);
    CHECK(up.lastError.empty());
    CHECK_FALSE(up.lastSuccess.empty());
    CHECK(up.ackedThroughSeq == 10);
    CHECK_THAT(Ok(worker.MetricsText()), Catch::Contains("kiosk_sync_backlog_records 0"));

    // Later status changes follow in sequence order.
    {
        auto store = storage::test::OpenStore(kioskDb);
        auto tickets = Ok(store.ListTickets(core::TicketFilter{}));
        REQUIRE_FALSE(tickets.empty());
        Ok(store.AddNote(tickets.front().number, storage::test::kClerk, "called the customer",
                         storage::test::At("2026-11-22T03:00:00Z")));
        Ok(store.AddNote(tickets.front().number, storage::test::kClerk, "customer will come in",
                         storage::test::At("2026-11-22T04:00:00Z")));
    }
    CHECK(Ok(worker.Drain()).records == 2);
    CheckLedger(kioskDb, hoDb);
    auto hoConn = Ok(storage::Database::Open(hoDb));
    CHECK_THAT(Ok(hoConn.QueryText("SELECT payload FROM records WHERE seq = 12")), Catch::Contains("customer will come in"));
    CHECK(Ok(worker.Drain()).records == 0);
}

TEST_CASE("a kiosk killed between send and acknowledgement resends the same batch without duplicates", "[sync]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    const auto hoDb = dir.File("ho.db");
    FileTickets(kioskDb, 6);
    LocalHeadOffice ho("sqlite:" + hoDb.string());
    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));

    Child killed({KIOSKCTL_PATH, "--db", kioskDb.string(), "sync", "run", "--once"}, {"KIOSK_SYNC_FAULT=kiosk-after-send"});
    CHECK(killed.Wait() == 128 + SIGKILL);
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM records") == 6);
    auto worker = Ok(SyncWorker::Open(kioskDb));
    SyncStatus between = Ok(worker.Status());
    CHECK(between.backlog == 6);
    REQUIRE(between.inflightBatch.has_value());

    Child again({KIOSKCTL_PATH, "--db", kioskDb.string(), "sync", "run", "--once"});
    CHECK(again.Wait() == 0);
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM batches") == 1);  // the same key both times
    CheckLedger(kioskDb, hoDb);
}

TEST_CASE("head office killed between commit and answer loses nothing and stores nothing twice", "[sync]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    const auto hoDb = dir.File("ho.db");
    const std::string hoUrl = "sqlite:" + hoDb.string();
    FileTickets(kioskDb, 5);
    int port = 0;
    {
        HeadOfficeProcess crashing(hoUrl, 0, {"KIOSK_SYNC_FAULT=server-after-commit"});
        port = crashing.port;
        Child add({HEADOFFICE_PATH, "--db", hoUrl, "kiosk", "add", "S012", "K1", "--qr", dir.File("qr.png").string()});
        const std::string token = add.ReadLine();
        REQUIRE(add.Wait() == 0);
        CHECK(token.starts_with(kEnrolPrefix));
        CHECK(std::filesystem::file_size(dir.File("qr.png")) > 100);
        Ok(Enrol(kioskDb, crashing.Url(), token));

        auto worker = Ok(SyncWorker::Open(kioskDb));
        auto lost = worker.Drain();
        REQUIRE_FALSE(lost);
        CHECK(lost.error().code == core::ErrorCode::Unavailable);
        CHECK(crashing.child->Wait() == 128 + SIGKILL);
        CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM records") == 5);
        CHECK(Ok(worker.Status()).backlog == 5);
    }
    HeadOfficeProcess restarted(hoUrl, port);
    auto worker = Ok(SyncWorker::Open(kioskDb));
    CHECK(Ok(worker.Drain()).records == 5);
    CheckLedger(kioskDb, hoDb);

    Child list({HEADOFFICE_PATH, "--db", hoUrl, "kiosk", "list"});
    CHECK_THAT(list.ReadLine(), Catch::Contains("S012-K1") && Catch::Contains("seq 5"));
    CHECK(list.Wait() == 0);
}

TEST_CASE("a kiosk with a wrong clock corrects it from head office's answer", "[sync]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    FileTickets(kioskDb, 2);
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));
    {
        auto outbox = Ok(storage::Outbox::Open(Ok(storage::Database::Open(kioskDb))));
        Ok(outbox.SetSetting("clock_offset_ms", std::to_string(-3'600'000)));
    }
    auto worker = Ok(SyncWorker::Open(kioskDb));
    CHECK(Ok(worker.Drain()).records == 2);
}

TEST_CASE("backoff waits are random up to a doubling ceiling", "[sync]") {
    std::mt19937_64 random(7);
    const std::chrono::milliseconds base{1000};
    const std::chrono::milliseconds cap{8000};
    for (int failures = 1; failures <= 6; ++failures) {
        const std::int64_t ceiling = std::min<std::int64_t>(8000, 1000LL << (failures - 1));
        std::int64_t highest = 0;
        for (int i = 0; i < 200; ++i) {
            const auto delay = BackoffDelay(failures, base, cap, random).count();
            CHECK(delay >= 0);
            CHECK(delay <= ceiling);
            highest = std::max(highest, delay);
        }
        CHECK(highest > ceiling / 2);
    }
}

TEST_CASE("an unenrolled kiosk says so and keeps its records", "[sync]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    FileTickets(kioskDb, 1);
    auto worker = Ok(SyncWorker::Open(kioskDb));
    auto refused = worker.Drain();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::ErrorCode::Forbidden);
    CHECK_THAT(refused.error().message, Catch::Contains("kioskctl enroll"));
    CHECK(Ok(worker.Status()).backlog == 1);
}
