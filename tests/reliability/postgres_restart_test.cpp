// PostgreSQL restarted (immediate shutdown, as in a crash) under head office while kiosks drain:
// afterwards every record is there exactly once. Exits with 77 (SKIP) when PostgreSQL is absent.
#include <random>

#include "reliability_support.hpp"
#include "sync/postgres_cluster.hpp"
#include "sync/sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::reliability;
using namespace kiosk::sync::test;

namespace {

std::string PgText(const std::string& url, const std::string& sql) {
    auto factory = Ok(sync::headoffice::SessionFactoryFor(url));
    auto session = Ok(factory());
    auto rows = Ok(session->Query(sql));
    return rows.at(0).at(0);
}

std::int64_t PgCount(const std::string& url, const std::string& sql) { return std::stoll(PgText(url, sql)); }

}  // namespace

TEST_CASE("network faults: PostgreSQL restarted under head office mid-batch loses and duplicates nothing",
          "[reliability][postgres]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    const RunLength length = RunLength::FromEnvironment();
    const int rounds = length.Pick(6, 40);
    std::mt19937_64 random(length.seed);
    WARN("postgres restarts: " << rounds << " rounds, seed " << length.seed);

    PostgresCluster cluster;
    const std::string dataDir = PgText(cluster.Url(), "SHOW data_directory");
    LocalHeadOffice ho(cluster.Url());
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    FileTickets(kioskDb, 20);
    Ok(sync::Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));
    sync::WorkerOptions options;
    options.maxRecords = 3;
    options.timeouts.total = std::chrono::milliseconds{5000};
    auto worker = Ok(sync::SyncWorker::Open(kioskDb, options));

    int failedDrains = 0;
    int filed = 20;
    for (int round = 0; round < rounds; ++round) {
        FileTickets(kioskDb, 5, filed);
        filed += 5;
        const int delayMs = std::uniform_int_distribution<int>(0, 60)(random);
        int restarted = -1;
        std::thread restart([&dataDir, &restarted, delayMs] {
            std::this_thread::sleep_for(std::chrono::milliseconds{delayMs});
            restarted = RunAsPostgres((kPgBin / "pg_ctl").string() + " -D " + dataDir + " -m immediate -w restart");
        });
        if (!worker.Drain()) ++failedDrains;
        restart.join();
        REQUIRE(restarted == 0);
        CHECK(PgCount(cluster.Url(), "SELECT count(*) - count(DISTINCT seq) FROM records") == 0);
    }

    bool drained = false;
    for (int attempt = 0; attempt < 10 && !drained; ++attempt) {
        drained = worker.Drain().has_value() && Ok(worker.Status()).backlog == 0;
        if (!drained) std::this_thread::sleep_for(std::chrono::milliseconds{200});
    }
    INFO("last error: " << Ok(worker.Status()).lastError);
    REQUIRE(drained);
    auto kiosk = Ok(storage::Database::Open(kioskDb));
    const std::int64_t outbox = Ok(kiosk.QueryInt("SELECT count(*) FROM outbox"));
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM records") == outbox);
    CHECK(PgCount(cluster.Url(), "SELECT count(DISTINCT seq) FROM records") == outbox);
    CHECK(PgCount(cluster.Url(), "SELECT last_seq FROM cursors WHERE kiosk = 'S012-K1'") == outbox);
    WARN("postgres restarts: " << rounds << " restarts, " << failedDrains << " drains failed, " << outbox
                               << " records checked exactly once");
}
