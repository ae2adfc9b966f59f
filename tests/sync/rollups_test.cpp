// Ticket rollups on SQLite: kept at ingest equal to a recomputation from the tickets after randomised
// ingest, and `headoffice rollups rebuild|check`.
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

}  // namespace kiosk::sync::test
