// Network faults between the kiosk's sync worker and a real head office process, through the fault
// proxy: latency, cut request bodies, answers dropped after commit, duplicated requests, refused and
// half-open connections, and head office killed in the middle of a batch. Once the faults stop,
// the backlog drains and head office holds every record exactly once.
#include <random>

#include "fault_proxy.hpp"
#include "reliability_support.hpp"
#include "sync/sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::reliability;
using namespace kiosk::sync::test;

namespace {

// Head office holds only records the kiosk wrote, each once, under the kiosk's sequence number.
void CheckNoDuplicates(const std::filesystem::path& kioskDb, const std::filesystem::path& hoDb) {
    auto kiosk = Ok(storage::Database::Open(kioskDb));
    auto ho = Ok(storage::Database::Open(hoDb));
    CHECK(Ok(ho.QueryInt("SELECT count(*) - count(DISTINCT seq) FROM records")) == 0);
    auto theirs = Ok(ho.Prepare("SELECT id, seq FROM records"));
    while (Ok(theirs.Step())) {
        auto mine = Ok(kiosk.Prepare("SELECT seq FROM outbox WHERE id = ?1"));
        mine.Bind(1, theirs.Text(0));
        REQUIRE(Ok(mine.Step()));
        CHECK(mine.Int(0) == theirs.Int(1));
    }
}

// Every outbox record is at head office exactly once, in order, and the kiosk knows it.
std::int64_t CheckExactlyOnce(const std::filesystem::path& kioskDb, const std::filesystem::path& hoDb) {
    CheckNoDuplicates(kioskDb, hoDb);
    auto kiosk = Ok(storage::Database::Open(kioskDb));
    auto ho = Ok(storage::Database::Open(hoDb));
    const std::int64_t outbox = Ok(kiosk.QueryInt("SELECT count(*) FROM outbox"));
    CHECK(Ok(ho.QueryInt("SELECT count(*) FROM records")) == outbox);
    CHECK(Ok(ho.QueryInt("SELECT coalesce(max(seq), 0) FROM records")) == outbox);
    CHECK(Ok(kiosk.QueryInt("SELECT count(*) FROM outbox WHERE sent_at IS NULL")) == 0);
    return outbox;
}

sync::WorkerOptions Impatient() {
    sync::WorkerOptions options;
    options.maxRecords = 4;
    options.timeouts.connect = std::chrono::milliseconds{1000};
    options.timeouts.total = std::chrono::milliseconds{1500};
    return options;
}

}  // namespace

TEST_CASE("network faults: every record reaches head office exactly once after the faults stop", "[reliability][network]") {
    const RunLength length = RunLength::FromEnvironment();
    const int rounds = length.Pick(40, 400);
    std::mt19937_64 random(length.seed);
    WARN("network faults: " << rounds << " rounds, seed " << length.seed);
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    const auto hoDb = dir.File("ho.db");
    const std::string hoUrl = "sqlite:" + hoDb.string();
    FileTickets(kioskDb, 12);

    auto ho = std::make_unique<HeadOfficeProcess>(hoUrl);
    const int hoPort = ho->port;
    FaultProxy proxy(hoPort, nullptr);
    Child add({HEADOFFICE_PATH, "--db", hoUrl, "kiosk", "add", "S012", "K1", "--qr", dir.File("qr.png").string()});
    const std::string token = add.ReadLine();
    REQUIRE(add.Wait() == 0);
    Ok(sync::Enrol(kioskDb, proxy.Url(), token));

    std::discrete_distribution<int> pickFault({30, 15, 12, 15, 12, 8, 8});
    std::mutex randomMutex;
    proxy.SetPlan([&](std::int64_t) {
        std::lock_guard lock(randomMutex);
        return static_cast<Fault>(pickFault(random));
    });
    auto worker = Ok(sync::SyncWorker::Open(kioskDb, Impatient()));
    int failedDrains = 0;
    int restarts = 0;
    int filed = 12;
    for (int round = 0; round < rounds; ++round) {
        int more = 0;
        {
            std::lock_guard lock(randomMutex);
            more = std::uniform_int_distribution<int>(0, 3)(random);
        }
        FileTickets(kioskDb, more, filed);
        filed += more;
        // Every tenth round head office is killed while the batch may be on its way, and started again.
        std::thread killer;
        if (round % 10 == 9) {
            int delayMs = 0;
            {
                std::lock_guard lock(randomMutex);
                delayMs = std::uniform_int_distribution<int>(0, 40)(random);
            }
            killer = std::thread([&ho, delayMs] {
                std::this_thread::sleep_for(std::chrono::milliseconds{delayMs});
                ho->child->Signal(SIGKILL);
            });
        }
        if (!worker.Drain()) ++failedDrains;
        if (killer.joinable()) {
            killer.join();
            ho.reset();
            ho = std::make_unique<HeadOfficeProcess>(hoUrl, hoPort);
            ++restarts;
        }
        CheckNoDuplicates(kioskDb, hoDb);
    }

    proxy.SetPlan(nullptr);
    bool drained = false;
    for (int attempt = 0; attempt < 5 && !drained; ++attempt) {
        auto report = worker.Drain();
        drained = report.has_value() && Ok(worker.Status()).backlog == 0;
    }
    REQUIRE(drained);
    const std::int64_t records = CheckExactlyOnce(kioskDb, hoDb);

    const std::int64_t faults = proxy.Faults();
    const std::string summary = proxy.Summary();
    WARN("network faults: " << proxy.Requests() << " requests, " << faults << " faults injected (" << summary << restarts
                            << " head-office kills), " << failedDrains << " drains failed, " << records
                            << " records checked exactly once");
    CHECK(faults > 0);
}

// Head office commits an enrolment and its answer is lost on the way back: `kioskctl enroll` with the
// same token again gets the same credentials (not "already used"), and the kiosk syncs with them.
TEST_CASE("network faults: an enrolment whose answer was dropped after commit succeeds on retry", "[reliability][network]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    const auto hoDb = dir.File("ho.db");
    const std::string hoUrl = "sqlite:" + hoDb.string();
    FileTickets(kioskDb, 3);

    HeadOfficeProcess ho(hoUrl);
    FaultProxy proxy(ho.port, [](std::int64_t request) { return request == 0 ? Fault::DropResponse : Fault::None; });
    Child add({HEADOFFICE_PATH, "--db", hoUrl, "kiosk", "add", "S012", "K1", "--qr", dir.File("qr.png").string()});
    const std::string token = add.ReadLine();
    REQUIRE(add.Wait() == 0);

    const ProgramRun lost = RunProgram({KIOSKCTL_PATH, "--db", kioskDb.string(), "enroll", proxy.Url(), token}, dir.Path());
    INFO(lost.output);
    REQUIRE(lost.status != 0);
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM enrolments") == 1);  // committed before the answer was dropped

    const ProgramRun retried = RunProgram({KIOSKCTL_PATH, "--db", kioskDb.string(), "enroll", proxy.Url(), token}, dir.Path());
    INFO(retried.output);
    REQUIRE(retried.status == 0);
    const ProgramRun synced = RunProgram({KIOSKCTL_PATH, "--db", kioskDb.string(), "sync", "run", "--once"}, dir.Path());
    INFO(synced.output);
    REQUIRE(synced.status == 0);
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM records") == HeadOfficeCount(kioskDb, "SELECT count(*) FROM outbox"));
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM kiosks WHERE token_sha IS NOT NULL") == 0);  // spent by the sync
    CHECK(proxy.Counts()[static_cast<std::size_t>(Fault::DropResponse)] == 1);
}
