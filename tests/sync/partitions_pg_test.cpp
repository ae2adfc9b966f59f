// Tickets and their events by month on a throwaway PostgreSQL cluster: partitions made ahead, a row
// of a far month moved out of the default partition, an unpartitioned database converted with every
// row kept, and `headoffice archive` run as an operator would. Exits with 77 (SKIP) when PostgreSQL
// is not installed.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "sync/headoffice/api_tokens.hpp"
#include "sync/headoffice/audit_log.hpp"
#include "sync/headoffice/partitions.hpp"
#include "sync/headoffice/projection.hpp"
#include "sync/headoffice/reports.hpp"
#include "sync/headoffice/rollups.hpp"
#include "sync/headoffice/service_reports.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/headoffice/web_api.hpp"
#include "sync/headoffice/web_auth.hpp"
#include "sync/headoffice/web_dashboard.hpp"
#include "sync/postgres_cluster.hpp"
#include "sync/sync_test_support.hpp"

namespace kiosk::sync::test {
namespace {

using headoffice::Month;

void SkipWithoutPostgres() {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
}

std::int64_t CountOf(headoffice::SqlSession& db, const std::string& sql) { return headoffice::ToInt(Ok(db.Query(sql)).at(0).at(0)); }

Month MonthsFrom(Month m, int months) {
    for (; months > 0; --months) m = headoffice::NextMonth(m);
    for (; months < 0; ++months) m = headoffice::PreviousMonth(m);
    return m;
}

std::string IsoOf(std::int64_t ms) { return core::FormatTimestamp(core::Timestamp{std::chrono::seconds{ms / 1000}}); }

// A ticket of kiosk S001-K1 created on the 10th of `m` at 10:00 UTC, its number carrying that date.
struct MonthTicket {
    std::string number;
    std::int64_t createdMs = 0;
};

MonthTicket TicketIn(Month m, int serial) {
    const std::int64_t created = headoffice::MonthStartMs(m) + 9 * 86'400'000LL + 10 * 3'600'000LL;
    char number[40];
    std::snprintf(number, sizeof number, "S001-K1-%02d%02d10-%04d", m.year % 100, m.month, serial);
    return {number, created};
}

// Projects a ticket's created event and, an hour later, its move to resolved: two events each.
void FileTicket(headoffice::SqlSession& db, const MonthTicket& t) {
    static int record = 0;
    const auto event = [&t](const std::string& kind, std::int64_t at, const std::string& to) {
        Json e{{"ticketNumber", t.number}, {"kind", kind}, {"at", IsoOf(at)}, {"toStatus", to}, {"seq", 1}, {"hash", "h"}};
        if (kind == "created") e["created"] = {{"type", "repair"}, {"gtin", "6901234567892"}, {"problemCategory", "battery"}};
        if (kind == "status_changed") e["fromStatus"] = "submitted";
        return e.dump();
    };
    const std::vector<headoffice::NewRecord> records{
        {"rec-" + std::to_string(++record), "ticket_event", event("created", t.createdMs, "submitted")},
        {"rec-" + std::to_string(++record), "ticket_event", event("status_changed", t.createdMs + 3'600'000, "resolved")}};
    headoffice::ProjectionRules rules{{"in_diagnosis"}, {"resolved"}, nullptr};
    Ok(db.Begin());
    Ok(headoffice::ProjectRecords(db, rules, "S001-K1", records));
    Ok(db.Commit());
}

std::string PartitionOf(headoffice::SqlSession& db, const std::string& table, const std::string& where) {
    return Ok(db.Query("SELECT tableoid::regclass::text FROM " + table + " WHERE " + where)).at(0).at(0);
}

std::string FileText(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Runs `headoffice ARGS` as an operator would; returns the exit status with stdout and stderr.
struct CliRun {
    int status = 0;
    std::string out, err;
};
CliRun RunArchiveCli(const std::string& args, const std::filesystem::path& scratch) {
    const auto out = scratch / "cli.out";
    const auto err = scratch / "cli.err";
    const std::string command = std::string(HEADOFFICE_PATH) + " " + args + " >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, FileText(out), FileText(err)};
}

std::int64_t MonthTickets(headoffice::SqlSession& db, Month m, std::int64_t nowMs) {
    return Ok(headoffice::LoadQualityReport(db, headoffice::Dimension::Store, headoffice::MonthStartMs(m),
                                            headoffice::MonthStartMs(headoffice::NextMonth(m)), nowMs))
        .total.tickets;
}

// The month's script-use table as the /reports page reads it (whole days from the summaries).
std::vector<headoffice::ScriptUseFigures> MonthScripts(headoffice::SqlSession& db, Month m, std::int64_t nowMs) {
    headoffice::ServiceReport report;
    Ok(headoffice::LoadServiceSection(db, headoffice::ServiceSection::Scripts, headoffice::MonthStartMs(m),
                                      headoffice::MonthStartMs(headoffice::NextMonth(m)), nowMs, report));
    return report.scripts;
}

}  // namespace

TEST_CASE("on PostgreSQL, tickets and events have month partitions ahead, and a far month's rows move out of the default one",
          "[sync][postgres][partitions]") {
    SkipWithoutPostgres();
    PostgresCluster cluster;
    auto service = Ok(headoffice::IngestService::Open(cluster.Url()));
    auto db = Ok(service->Pool().Acquire());
    const std::int64_t now = NowMs();
    const Month current = headoffice::MonthOf(now);

    CHECK(CountOf(*db, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid IN ('tickets'::regclass, 'ticket_events'::regclass)") == 2);
    for (const std::string table : {"tickets", "ticket_events"}) {
        const auto months = Ok(headoffice::PartitionMonths(*db, table));
        for (int ahead = -1; ahead <= headoffice::kMonthsAhead; ++ahead) {
            INFO(table << " " << headoffice::MonthText(MonthsFrom(current, ahead)));
            CHECK(std::find(months.begin(), months.end(), MonthsFrom(current, ahead)) != months.end());
        }
    }

    // A ticket of a month six ahead (a kiosk with a wrong clock) lands in the default partitions...
    const Month far = MonthsFrom(current, 6);
    const MonthTicket t = TicketIn(far, 1);
    FileTicket(*db, t);
    CHECK(PartitionOf(*db, "tickets", "number = '" + t.number + "'") == "tickets_default");
    CHECK(CountOf(*db, "SELECT count(*) FROM ticket_events_default WHERE ticket = '" + t.number + "'") == 2);
    // ...and moves to its month's partitions when they are made, nothing lost on the way.
    Ok(headoffice::EnsureMonthPartitions(*db, headoffice::MonthStartMs(MonthsFrom(far, -1))));
    std::string month = headoffice::MonthText(far);
    month[4] = '_';
    CHECK(PartitionOf(*db, "tickets", "number = '" + t.number + "'") == "tickets_p" + month);
    CHECK(CountOf(*db, "SELECT count(*) FROM ticket_events_p" + month + " WHERE ticket = '" + t.number + "'") == 2);
    CHECK(CountOf(*db, "SELECT count(*) FROM tickets_default") == 0);
    CHECK(CountOf(*db, "SELECT count(*) FROM ticket_events_default") == 0);
    CHECK(Ok(headoffice::LoadTicket(*db, t.number)).ticket.status == "resolved");
    CHECK(Ok(headoffice::CheckRollups(*db)).empty());

    // A created event seen again with another time moves the ticket, still one row.
    FileTicket(*db, {t.number, t.createdMs - 86'400'000});
    CHECK(CountOf(*db, "SELECT count(*) FROM tickets WHERE number = '" + t.number + "'") == 1);
    CHECK(Ok(headoffice::CheckRollups(*db)).empty());
}

TEST_CASE("on PostgreSQL, a database from before the partitions is converted once, by one of two servers, keeping every row",
          "[sync][postgres][partitions]") {
    SkipWithoutPostgres();
    PostgresCluster cluster;
    const Month current = headoffice::MonthOf(NowMs());
    std::vector<MonthTicket> filed;
    {
        // The tables as the previous version made them (ticket_events without ticket_created), filled through
        // its statements' columns.
        auto sessions = Ok(headoffice::SessionFactoryFor(cluster.Url()));
        auto old = Ok(sessions());
        Ok(old->EnsureSchema(headoffice::ProjectionSchema()));
        int serial = 0;
        for (const int ago : {14, 8, 2, 1, 0}) {
            for (int i = 0; i < 3; ++i) {
                const MonthTicket t = TicketIn(MonthsFrom(current, -ago), ++serial);
                filed.push_back(t);
                Ok(old->Query("INSERT INTO tickets (number, kiosk, store, type, status, created_at, updated_at, events) VALUES ($1, "
                              "'S001-K1', 'S001', 'repair', 'submitted', $2, $2, 1)",
                              {t.number, t.createdMs}));
                for (int e = 0; e < 2; ++e) {
                    Ok(old->Query("INSERT INTO ticket_events (record_id, ticket, kiosk, chain_seq, hash) VALUES ($1, $2, 'S001-K1', $3, 'h')",
                                  {t.number + "-e" + std::to_string(e), t.number, std::int64_t{e}}));
                }
            }
        }
        Ok(old->Query("INSERT INTO ticket_events (record_id, ticket, kiosk, chain_seq, hash) VALUES ('orphan', 'S001-K1-990101-0001', "
                      "'S001-K1', 9, 'h')"));
    }
    // Two servers start together on it.
    std::vector<std::thread> servers;
    std::vector<int> opened(2, 0);
    for (int i = 0; i < 2; ++i) {
        servers.emplace_back([&cluster, &opened, i] { opened[static_cast<std::size_t>(i)] = headoffice::IngestService::Open(cluster.Url()).has_value() ? 1 : 0; });
    }
    for (auto& s : servers) s.join();
    CHECK(opened == std::vector<int>{1, 1});

    auto service = Ok(headoffice::IngestService::Open(cluster.Url()));
    auto db = Ok(service->Pool().Acquire());
    CHECK(CountOf(*db, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid IN ('tickets'::regclass, 'ticket_events'::regclass)") == 2);
    CHECK(CountOf(*db, "SELECT count(*) FROM tickets") == static_cast<std::int64_t>(filed.size()));
    CHECK(CountOf(*db, "SELECT count(*) FROM ticket_events") == static_cast<std::int64_t>(filed.size() * 2 + 1));
    CHECK(CountOf(*db, "SELECT count(*) FROM tickets_default") == 0);
    CHECK(CountOf(*db, "SELECT count(*) FROM ticket_events_default") == 1);  // the event without a ticket
    for (const MonthTicket& t : filed) {
        INFO(t.number);
        CHECK(CountOf(*db, "SELECT created_at FROM tickets WHERE number = '" + t.number + "'") == t.createdMs);
        CHECK(CountOf(*db, "SELECT count(*) FROM ticket_events WHERE ticket = '" + t.number + "' AND ticket_created = " +
                             std::to_string(t.createdMs)) == 2);
        std::string month = headoffice::MonthText(headoffice::MonthOf(t.createdMs));
        month[4] = '_';
        CHECK(PartitionOf(*db, "tickets", "number = '" + t.number + "'") == "tickets_p" + month);
    }
    // Its indexes and keys are back on the new tables, and the rollups agree with the tickets.
    CHECK(CountOf(*db, "SELECT count(*) FROM pg_indexes WHERE tablename = 'tickets' AND indexname IN ('tickets_created', "
                     "'tickets_serial', 'tickets_closed', 'tickets_created_sla', 'tickets_repairs', 'tickets_pkey')") == 6);
    CHECK(CountOf(*db, "SELECT count(*) FROM pg_indexes WHERE tablename = 'ticket_events' AND indexname IN ('ticket_events_ticket', "
                     "'ticket_events_pkey')") == 2);
    CHECK(Ok(headoffice::CheckRollups(*db)).empty());
    const MonthTicket late = TicketIn(current, 99);
    FileTicket(*db, late);
    CHECK(CountOf(*db, "SELECT events FROM tickets WHERE number = '" + late.number + "'") == 2);
}

TEST_CASE("on PostgreSQL, `headoffice archive` writes old months to CSV, drops them, and the dashboard names the archive",
          "[sync][postgres][partitions]") {
    SkipWithoutPostgres();
    PostgresCluster cluster;
    storage::test::TempDir scratch("partitions-archive");
    auto service = Ok(headoffice::IngestService::Open(cluster.Url()));
    auto db = Ok(service->Pool().Acquire());
    const std::int64_t now = NowMs();
    const Month current = headoffice::MonthOf(now);
    const Month oldest = MonthsFrom(current, -3), older = MonthsFrom(current, -2), last = MonthsFrom(current, -1);
    std::map<Month, std::vector<MonthTicket>> byMonth;
    int serial = 0;
    for (const auto& [m, count] : {std::pair{oldest, 3}, {older, 2}, {last, 2}, {current, 1}}) {
        for (int i = 0; i < count; ++i) {
            byMonth[m].push_back(TicketIn(m, ++serial));
            FileTicket(*db, byMonth[m].back());
        }
    }
    std::map<Month, std::int64_t> figures;
    std::map<Month, std::vector<headoffice::ScriptUseFigures>> scripts;
    for (const Month m : {oldest, older, last}) {
        figures[m] = MonthTickets(*db, m, now);
        scripts[m] = MonthScripts(*db, m, now);
        CHECK_FALSE(scripts[m].empty());
    }
    CHECK(figures[oldest] == 3);
    CHECK(figures[last] == 2);

    // Refused, with nothing changed: a month that is not one, the current month, SQLite.
    const std::string db_ = "--db '" + cluster.Url() + "'";
    CliRun bad = RunArchiveCli(db_ + " archive --before 2026-13 --to '" + scratch.Path().string() + "'", scratch.Path());
    CHECK(bad.status != 0);
    CHECK_THAT(bad.err, Catch::Contains("'2026-13'"));
    CliRun future = RunArchiveCli(db_ + " archive --before " + headoffice::MonthText(MonthsFrom(current, 1)), scratch.Path());
    CHECK(future.status != 0);
    CHECK_THAT(future.err, Catch::Contains("current month (" + headoffice::MonthText(current) + ")"));
    CliRun sqlite = RunArchiveCli("--db 'sqlite:" + scratch.File("ho.db").string() + "' archive --before 2020-01", scratch.Path());
    CHECK(sqlite.status != 0);
    CHECK_THAT(sqlite.err, Catch::Contains("archiving needs PostgreSQL"));
    CHECK(CountOf(*db, "SELECT count(*) FROM tickets") == 8);
    CHECK(CountOf(*db, "SELECT count(*) FROM archived_months") == 0);

    // A file that cannot be written (a directory in its way) fails the month, which stays as it was.
    const std::filesystem::path dir = scratch.Path() / "archive";
    std::filesystem::create_directories(dir / ("tickets-" + headoffice::MonthText(oldest) + ".csv.partial"));
    CliRun blocked = RunArchiveCli(db_ + " archive --before " + headoffice::MonthText(last) + " --to '" + dir.string() + "'", scratch.Path());
    CHECK(blocked.status != 0);
    CHECK_THAT(blocked.err, Catch::Contains("cannot write"));
    CHECK(CountOf(*db, "SELECT count(*) FROM tickets") == 8);
    CHECK(CountOf(*db, "SELECT count(*) FROM ticket_events") == 16);
    CHECK(CountOf(*db, "SELECT count(*) FROM archived_months") == 0);
    std::filesystem::remove(dir / ("tickets-" + headoffice::MonthText(oldest) + ".csv.partial"));

    // The two months before last: CSV files with exactly their rows, then gone from the database.
    CliRun run = RunArchiveCli(db_ + " archive --before " + headoffice::MonthText(last) + " --to '" + dir.string() + "'", scratch.Path());
    INFO(run.out << run.err);
    REQUIRE(run.status == 0);
    for (const Month m : {oldest, older}) {
        const std::string csv = FileText(dir / ("tickets-" + headoffice::MonthText(m) + ".csv"));
        CHECK(csv.starts_with("number,kiosk,store,"));
        CHECK(std::count(csv.begin(), csv.end(), '\n') == static_cast<long>(byMonth[m].size()) + 1);
        for (const MonthTicket& t : byMonth[m]) CHECK_THAT(csv, Catch::Contains(t.number));
        const std::string events = FileText(dir / ("ticket_events-" + headoffice::MonthText(m) + ".csv"));
        CHECK(std::count(events.begin(), events.end(), '\n') == static_cast<long>(byMonth[m].size() * 2) + 1);
        CHECK_THAT(run.out, Catch::Contains(headoffice::MonthText(m) + ": " + std::to_string(byMonth[m].size()) + " tickets"));
        CHECK(CountOf(*db, "SELECT count(*) FROM archived_months WHERE month = '" + headoffice::MonthText(m) + "' AND tickets = " +
                             std::to_string(byMonth[m].size())) == 1);
    }
    CHECK_FALSE(std::filesystem::exists(dir / ("tickets-" + headoffice::MonthText(last) + ".csv")));
    CHECK(CountOf(*db, "SELECT count(*) FROM tickets") == 3);
    CHECK(CountOf(*db, "SELECT count(*) FROM ticket_events") == 6);
    CHECK(CountOf(*db, "SELECT count(*) FROM tickets_default") == 0);
    const auto audit = Ok(headoffice::LoadAudit(*db, 10));
    CHECK(std::count_if(audit.begin(), audit.end(), [](const headoffice::AuditEntry& e) { return e.action == "archive"; }) == 2);

    // The figures stay as they were, archived months' included (their rollup rows are kept), and the
    // rollups still agree with the tickets, before and after a rebuild.
    // The service summaries made from tickets (script use here) keep the archived tickets' share too.
    for (const Month m : {oldest, older, last}) CHECK(MonthTickets(*db, m, now) == figures[m]);
    CHECK(Ok(headoffice::CheckRollups(*db)).empty());
    Ok(headoffice::RebuildRollups(*db));
    CHECK(Ok(headoffice::CheckRollups(*db)).empty());
    for (const Month m : {oldest, older, last}) {
        INFO(headoffice::MonthText(m));
        CHECK(MonthTickets(*db, m, now) == figures[m]);
        CHECK(MonthScripts(*db, m, now) == scripts[m]);
    }

    // An archived ticket is a 404 naming its file, by the API as on the ticket page (LoadTicket).
    const MonthTicket gone = byMonth[oldest].front();
    const auto missing = headoffice::LoadTicket(*db, gone.number);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == core::ErrorCode::NotFound);
    const std::string file = (dir / ("tickets-" + headoffice::MonthText(oldest) + ".csv")).string();
    CHECK_THAT(missing.error().message, Catch::Contains(file));
    const std::string token = Ok(headoffice::AddApiToken(*db, "crm", false, now));
    headoffice::WebAuth auth = Ok(headoffice::WebAuth::Open(service->Pool(), {}));
    Ok(auth.AddUser("viewer", "viewer password", headoffice::WebRole::Viewer));
    const std::string session = Ok(auth.Login("viewer", "viewer password"));
    headoffice::WebDashboard dashboard(*service, std::move(auth), headoffice::DashboardOptions{60 * 60'000, false, {}, {}});
    headoffice::WebApi api(*service, headoffice::ApiOptions{});
    headoffice::HttpServer server(*service, &dashboard, &api);
    const std::string base = "http://127.0.0.1:" + std::to_string(Ok(server.Start("127.0.0.1", 0)));
    const auto answer = Ok(SendHttp("GET", base + "/api/v1/tickets/" + gone.number, {{"Authorization", "Bearer " + token}}, ""));
    CHECK(answer.status == 404);
    CHECK_THAT(answer.body, Catch::Contains("archived to"));
    const auto page = Ok(SendHttp("GET", base + "/tickets/" + gone.number, {{"Cookie", "ho_session=" + session + "; ho_lang=en"}}, ""));
    CHECK(page.status == 404);
    CHECK_THAT(page.body, Catch::Contains("was created in " + headoffice::MonthText(oldest)));
    CHECK_THAT(page.body, Catch::Contains(file));
    CHECK(Ok(headoffice::LoadTicket(*db, byMonth[last].front().number)).ticket.number == byMonth[last].front().number);
    CHECK_THAT(headoffice::LoadTicket(*db, "S001-K1-" + std::string("991231") + "-0001").error().message,
               Catch::Contains("no ticket S001-K1-991231-0001"));
    server.Stop();

    // Nothing left to archive before that month; the month's partitions are not made again.
    CliRun again = RunArchiveCli(db_ + " archive --before " + headoffice::MonthText(last) + " --to '" + dir.string() + "'", scratch.Path());
    CHECK(again.status == 0);
    CHECK_THAT(again.out, Catch::Contains("nothing to archive"));
    const auto months = Ok(headoffice::PartitionMonths(*db, "tickets"));
    CHECK(std::find(months.begin(), months.end(), oldest) == months.end());
}

}  // namespace kiosk::sync::test
