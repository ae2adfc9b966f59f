// The dashboard's projection and queries on a throwaway PostgreSQL cluster: the same figures as on
// SQLite. Exits with 77 (SKIP) when PostgreSQL is not installed.
#include <catch2/catch.hpp>

#include "sync/dashboard_fixture.hpp"
#include "sync/headoffice/api_tokens.hpp"
#include "sync/headoffice/audit_log.hpp"
#include "sync/headoffice/reports.hpp"
#include "sync/postgres_cluster.hpp"
#include "sync/queue_report_fixture.hpp"
#include "sync/rollup_scenario.hpp"

namespace kiosk::sync::test {

TEST_CASE("on PostgreSQL, the ticket projection, timeline check and report figures match SQLite's", "[dashboard][postgres]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice ho(cluster.Url());
    storage::test::TempDir dir("dashboard-pg");
    const QualityTickets tickets = SyncQualityTickets(ho, dir.File("kiosk.db"));
    auto db = Ok(ho.service->Pool().Acquire());

    CHECK(Ok(headoffice::SearchTickets(*db, {})).size() == 4);
    CHECK(Ok(headoffice::SearchTickets(*db, {"", "", "SN-REPEAT-0001", "", "", "", 0, 0, 10})).size() == 2);
    CHECK(Ok(headoffice::SearchTickets(*db, {tickets.c.substr(0, 10), "", "", "", "", "", 0, 0, 10})).size() == 4);
    CHECK(Ok(headoffice::SearchTickets(*db, {"", "", "", "Xinghe", "", "", 0, 0, 10})).empty());
    const auto detail = Ok(headoffice::LoadTicket(*db, tickets.a));
    CHECK(detail.events.size() == 5);
    CHECK(detail.chainIntact);

    const auto report = Ok(headoffice::LoadQualityReport(*db, headoffice::Dimension::Store, Ms("2026-11-01T00:00:00Z"),
                                                         Ms("2026-12-01T00:00:00Z"), Ms("2026-11-30T00:00:00Z")));
    const headoffice::QualityRow& t = report.total;
    CHECK(t.tickets == 4);
    CHECK(t.slaMet == 2);
    CHECK(t.slaCounted == 4);
    CHECK(t.FirstResponseMinutes() == Approx(130.0 / 3.0));
    CHECK(t.ResolutionHours() == Approx(248.0));
    CHECK(t.CsatAverage() == Approx(11.0 / 3.0));
    CHECK(t.repeatRepairs == 1);
    CHECK(report.Deflection() == Approx(0.3));
    for (headoffice::Dimension d : {headoffice::Dimension::Region, headoffice::Dimension::Product, headoffice::Dimension::Category,
                                    headoffice::Dimension::Channel, headoffice::Dimension::Staff}) {
        CHECK(Ok(headoffice::LoadQualityReport(*db, d, Ms("2026-11-01T00:00:00Z"), Ms("2026-12-01T00:00:00Z"),
                                               Ms("2026-11-30T00:00:00Z")))
                  .total.tickets == 4);
    }
    const auto fleet = Ok(headoffice::LoadFleet(*db, NowMs(), 3'600'000));
    REQUIRE(fleet.size() == 1);
    CHECK(fleet[0].paper == "low");
    CHECK(fleet[0].scanner == "ok");
    CHECK(fleet[0].camera == "off");
}

TEST_CASE("on PostgreSQL, head office measures the SLA with the kiosk's engine and the published calendar as on SQLite", "[dashboard][postgres][sla]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice ho(cluster.Url());
    storage::test::TempDir dir("dashboard-pg-sla");
    const AgreementTickets tickets = SyncAgreementTickets(ho, dir.File("kiosk.db"));
    auto db = Ok(ho.service->Pool().Acquire());
    const auto stored = Ok(db->Query("SELECT number, sla_response_due, sla_response_state, sla_resolution_due, sla_resolution_state "
                                     "FROM tickets ORDER BY created_at"));
    REQUIRE(stored.size() == 2);
    CHECK(stored[0] == headoffice::SqlRow{tickets.repair, std::to_string(Ms("2026-05-06T03:00:00Z")), "met_on_time",
                                          std::to_string(Ms("2026-05-12T06:00:00Z")), "met_late"});
    CHECK(stored[1] == headoffice::SqlRow{tickets.complaint, std::to_string(Ms("2026-05-11T01:20:00Z")), "on_track",
                                          std::to_string(Ms("2026-05-18T01:00:00Z")), "on_track"});
    const auto sla = Ok(headoffice::LoadTicketSla(*db, *ho.service->SlaSource(), tickets.repair, Ms("2026-05-20T00:00:00Z")));
    CHECK(sla.status.resolution.due == storage::test::At("2026-05-12T06:00:00Z"));
    CHECK(sla.status.Breached());
    CHECK(sla.rules->calendarVersion == 1);
    const std::int64_t from = Ms("2026-04-01T00:00:00Z"), to = Ms("2026-06-01T00:00:00Z");
    CHECK(Ok(headoffice::LoadTotals(*db, from, to, Ms("2026-05-18T00:59:59Z"))).slaCounted == 1);
    const auto late = Ok(headoffice::LoadQualityReport(*db, headoffice::Dimension::Store, from, to, Ms("2026-05-18T01:00:00Z")));
    CHECK(late.total.slaCounted == 2);
    CHECK(late.total.slaMet == 0);
    Ok(db->Query("UPDATE tickets SET sla_resolution_state = '', sla_resolution_due = NULL, sla_rules = ''"));
    CHECK(Ok(headoffice::RemeasureSla(*db, *Ok(ho.service->SlaSource()->Current(*db)))) == 2);
    CHECK(Ok(headoffice::LoadTotals(*db, from, to, Ms("2026-05-18T01:00:00Z"))).slaCounted == 2);
}

TEST_CASE("on PostgreSQL, ratings, approvals, follow-up calls and self-help reach head office's reports as on SQLite", "[dashboard][postgres]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice ho(cluster.Url());
    storage::test::TempDir dir("dashboard-pg-service");
    SyncServiceRecords(ho, dir.File("kiosk.db"));
    auto db = Ok(ho.service->Pool().Acquire());
    CheckServiceReport(*db);
}

TEST_CASE("on PostgreSQL, queue numbers reach head office and report waiting and service times as on SQLite", "[dashboard][postgres][queue]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice ho(cluster.Url());
    storage::test::TempDir dir("dashboard-pg-queue");
    const std::string ticket = SyncQueueNumbers(ho, dir.File("kiosk.db"));
    auto db = Ok(ho.service->Pool().Acquire());
    CheckQueueReport(*db, ticket);
}

TEST_CASE("on PostgreSQL, an older head-office database gains the status columns added since (scanner, camera, start, frame failures) and keeps its rows",
          "[dashboard][postgres]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    CheckKioskStatusUpgrade(cluster.Url());
}

TEST_CASE("on PostgreSQL, API tokens, the audit log and paged ticket search work as on SQLite", "[dashboard][postgres]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice ho(cluster.Url());
    storage::test::TempDir dir("dashboard-pg-api");
    SyncQualityTickets(ho, dir.File("kiosk.db"));
    // A second server opening the same database finds the tables in place.
    auto again = Ok(headoffice::IngestService::Open(cluster.Url()));
    auto db = Ok(ho.service->Pool().Acquire());

    const std::string secret = Ok(headoffice::AddApiToken(*db, "crm", true, 1000));
    CHECK(headoffice::AddApiToken(*db, "crm", false, 2000).error().code == core::ErrorCode::Conflict);
    const auto found = Ok(headoffice::FindApiToken(*db, secret));
    REQUIRE(found.has_value());
    CHECK(found->revealPhone);
    Ok(headoffice::RevokeApiToken(*db, "crm", 3000));
    CHECK_FALSE(Ok(headoffice::FindApiToken(*db, secret)).has_value());
    CHECK(Ok(headoffice::ListApiTokens(*db)).at(0).revokedAtMs == 3000);

    Ok(headoffice::WriteAudit(*db, {10, "web:admin", "phone_reveal", "S012-K1-261101-0001", "customer called"}));
    Ok(headoffice::WriteAudit(ho.service->Pool(), {20, "cli:ops", "token_revoke", "crm", ""}));
    const auto audit = Ok(headoffice::LoadAudit(*db, 10));
    REQUIRE(audit.size() == 2);
    CHECK(audit[0].action == "token_revoke");
    CHECK(audit[1].detail == "customer called");

    headoffice::TicketFilter page;
    page.limit = 3;
    CHECK(Ok(headoffice::SearchTickets(*db, page)).size() == 3);
    page.offset = 3;
    CHECK(Ok(headoffice::SearchTickets(*db, page)).size() == 1);
}

TEST_CASE("on PostgreSQL, rollups kept at ingest equal a full recomputation after randomised ingest", "[dashboard][postgres][rollups]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice ho(cluster.Url());
    RollupScenario scenario(ho);
    scenario.Run(60);
    scenario.CheckCoverage();
}

// A batch's events change their tickets together: folded per ticket, then on PostgreSQL one statement
// for all of them and one for their index rows. SQLite fed the same records one per batch applies each
// event alone; both must end with the same ticket rows, event index and queued customer messages.
TEST_CASE("on PostgreSQL, ticket rows after randomised batches equal SQLite's after the same records one by one",
          "[dashboard][postgres][rollups]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    const std::string rows =
        "SELECT number, kiosk, store, type, status, gtin, serial, phone, tier, category, staff, created_at, updated_at, events, "
        "first_response_at, resolved_at, closed_at, channel, csat, sla_response_due, sla_response_state, sla_resolution_due, "
        "sla_resolution_state FROM tickets ORDER BY number";
    const std::string events = "SELECT ticket, kiosk, chain_seq, ticket_created FROM ticket_events ORDER BY ticket, kiosk, chain_seq";
    PostgresCluster cluster;
    LocalHeadOffice pg(cluster.Url());
    RollupScenario onPg(pg);
    onPg.Run(40);
    onPg.CheckCoverage();
    storage::test::TempDir dir("dashboard-pg-same");
    LocalHeadOffice lite("sqlite:" + dir.File("ho.db").string());
    RollupScenario onSqlite(lite, onPg.Seed(), true);
    onSqlite.Run(40);
    INFO("KIOSK_ROLLUP_SEED=" << onPg.Seed());
    auto pgDb = Ok(pg.service->Pool().Acquire());
    auto liteDb = Ok(lite.service->Pool().Acquire());
    const std::vector<headoffice::SqlRow> pgTickets = Ok(pgDb->Query(rows));
    const std::vector<headoffice::SqlRow> liteTickets = Ok(liteDb->Query(rows));
    REQUIRE(pgTickets.size() > 20);
    REQUIRE(pgTickets.size() == liteTickets.size());
    for (std::size_t i = 0; i < pgTickets.size(); ++i) {
        INFO("ticket " << pgTickets[i][0]);
        CHECK(pgTickets[i] == liteTickets[i]);
    }
    CHECK(Ok(pgDb->Query(events)) == Ok(liteDb->Query(events)));
    const std::string messages = "SELECT ticket, from_status, to_status, event_at, state FROM notifications "
                                 "ORDER BY ticket, event_at, from_status, to_status";
    const std::vector<headoffice::SqlRow> pgMessages = Ok(pgDb->Query(messages));
    const std::vector<headoffice::SqlRow> liteMessages = Ok(liteDb->Query(messages));
    CHECK(pgMessages.size() > 5);
    const auto line = [](const headoffice::SqlRow& r) { return r[0] + " " + r[1] + " -> " + r[2] + " at " + r[3] + " " + r[4]; };
    std::string pgLines, liteLines;
    for (const headoffice::SqlRow& r : pgMessages) pgLines += line(r) + "\n";
    for (const headoffice::SqlRow& r : liteMessages) liteLines += line(r) + "\n";
    CHECK(pgLines == liteLines);
}

}  // namespace kiosk::sync::test
