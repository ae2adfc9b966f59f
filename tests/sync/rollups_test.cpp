// Ticket and service rollups on SQLite: kept at ingest equal to a recomputation from the raw rows after
// randomised ingest, and `headoffice rollups rebuild|check`.
#include <catch2/catch.hpp>

#include "sync/rollup_scenario.hpp"

namespace kiosk::sync::test {

TEST_CASE("rollups kept at ingest equal a full recomputation after randomised ingest (SQLite)", "[dashboard][rollups]") {
    storage::test::TempDir dir("rollups");
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    RollupScenario scenario(ho);
    scenario.Run(60);
    scenario.CheckCoverage();
}

TEST_CASE("headoffice rollups check finds rollups that drifted and rebuild recomputes them", "[dashboard][rollups]") {
    storage::test::TempDir dir("rollups-command");
    const std::string url = "sqlite:" + dir.File("ho.db").string();
    {
        LocalHeadOffice ho(url);
        RollupScenario scenario(ho);
        scenario.Run(5);
        auto db = Ok(ho.service->Pool().Acquire());
        Ok(db->Query("UPDATE ticket_rollups SET tickets = tickets + 1 WHERE day = (SELECT min(day) FROM ticket_rollups)"));
    }
    const std::string headoffice = std::string(HEADOFFICE_PATH) + " --db " + url + " rollups ";
    CHECK(std::system((headoffice + "check >/dev/null").c_str()) != 0);
    CHECK(std::system((headoffice + "rebuild >/dev/null").c_str()) == 0);
    CHECK(std::system((headoffice + "check >/dev/null").c_str()) == 0);
}

TEST_CASE("the rollup check names a service rollup row that drifted and a rebuild recomputes it", "[dashboard][rollups]") {
    storage::test::TempDir dir("rollups-service-drift");
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    RollupScenario scenario(ho);
    scenario.Run(10);
    auto db = Ok(ho.service->Pool().Acquire());
    REQUIRE(Ok(headoffice::CheckRollups(*db)).empty());
    Ok(db->Query("INSERT INTO csat_rollups VALUES (20000, 'S009', 'E1', 1, 5, 0, 0, 0, 0, 1)"));
    Ok(db->Query("INSERT INTO followup_rollups VALUES (20000, 'S009', 1, 1, 2)"));
    Ok(db->Query("INSERT INTO script_rollups VALUES (20000, 'S001', 'greeting', 'used', 1, 0, 0, 1)"));
    const std::vector<std::string> drift = Ok(headoffice::CheckRollups(*db));
    REQUIRE(drift.size() == 3);
    CHECK(drift[0] == "csat_rollups 20000/S009/E1: stored 1 5 0 0 0 0 1, recomputed none");
    CHECK(drift[1] == "followup_rollups 20000/S009: stored 1 1 2, recomputed none");
    CHECK(drift[2] == "script_rollups 20000/S001/greeting/used: stored 1 0 0 1, recomputed none");
    Ok(headoffice::RebuildRollups(*db));
    CHECK(Ok(headoffice::CheckRollups(*db)).empty());
}

TEST_CASE("a head-office database from before the service rollups gets them filled when it is opened", "[dashboard][rollups]") {
    storage::test::TempDir dir("rollups-service-upgrade");
    const std::string url = "sqlite:" + dir.File("ho.db").string();
    {
        LocalHeadOffice ho(url);
        RollupScenario scenario(ho);
        scenario.Run(20);
        auto db = Ok(ho.service->Pool().Acquire());
        for (const char* table : {"csat_rollups", "followup_rollups", "script_rollups", "queue_rollups"}) {
            Ok(db->Query("DROP TABLE " + std::string(table)));
        }
    }
    auto service = Ok(headoffice::IngestService::Open(url));  // as `serve` opens it, without a server to stop
    auto db = Ok(service->Pool().Acquire());
    CHECK(headoffice::ToInt(Ok(db->Query("SELECT count(*) FROM script_rollups")).front()[0]) > 0);
    CHECK(Ok(headoffice::CheckRollups(*db)).empty());
}

}  // namespace kiosk::sync::test
