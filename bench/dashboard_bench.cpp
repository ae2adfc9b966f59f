// The dashboard over 1,000,000 projected tickets (KIOSK_BENCH_TICKETS, KIOSK_BENCH_PG_TICKETS change
// it): server time of the main page, the service-quality report, ticket searches and the read API's
// searches and report over HTTP on loopback, against a bare count(*) over the same table, and the
// figures read from the rollups against the same figures scanned from the tickets, on SQLite and (when
// a throwaway cluster can be started) PostgreSQL. The tickets are written straight into the projection
// by one INSERT ... SELECT over a row series; `RebuildRollups` then makes their rollups. Prints the
// query plans used.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sync/headoffice/api_tokens.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/reports.hpp"
#include "sync/headoffice/rollups.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/headoffice/service_reports.hpp"
#include "sync/headoffice/ticket_sla.hpp"
#include "sync/headoffice/web_api.hpp"
#include "sync/headoffice/web_auth.hpp"
#include "sync/headoffice/web_dashboard.hpp"
#include "sync/http_client.hpp"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::headoffice;

namespace {

constexpr std::int64_t kDefaultTickets = 1'000'000;
constexpr int kRuns = 9;
constexpr std::int64_t kDayMs = 86'400'000;
const std::filesystem::path kPgBin = "/usr/lib/postgresql/15/bin";

template <class T>
T Must(core::Result<T> result, const char* what) {
    if (!result) {
        std::fprintf(stderr, "dashboard_bench: %s: %s\n", what, result.error().message.c_str());
        std::exit(1);
    }
    return std::move(*result);
}

void Must(core::Result<void> result, const char* what) {
    if (!result) {
        std::fprintf(stderr, "dashboard_bench: %s: %s\n", what, result.error().message.c_str());
        std::exit(1);
    }
}

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Median and worst of `runs` timings of `work`, in ms.
std::pair<double, double> Time(const std::function<void()>& work) {
    std::vector<double> ms;
    work();  // warm the caches once, as a page viewed twice would
    for (int i = 0; i < kRuns; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

// `count` from the environment variable `name`, else the default.
std::int64_t TicketCount(const char* name) {
    const char* text = std::getenv(name);
    return text != nullptr && std::atoll(text) > 0 ? std::atoll(text) : kDefaultTickets;
}

// The figures as the pages computed them before the rollups, straight from the ticket rows: the totals
// of the main page, and the report grouped by store with its repeat repairs.
std::string ScannedFiguresSql(bool byStore) {
    std::string sql = std::string("SELECT ") + (byStore ? "t.store, " : "") + "count(*), sum(CASE WHEN " + SlaMeasuredSql("$3") +
                      " THEN 1 ELSE 0 END), sum(CASE WHEN " + SlaMetSql() +
                      " THEN 1 ELSE 0 END), count(t.first_response_at), coalesce(sum(t.first_response_at - t.created_at), 0), "
                      "count(t.resolved_at), coalesce(sum(t.resolved_at - t.created_at), 0), count(t.csat), coalesce(sum(t.csat), 0)";
    for (int score = 1; score <= 5; ++score) sql += ", sum(CASE WHEN t.csat = " + std::to_string(score) + " THEN 1 ELSE 0 END)";
    sql += ", sum(CASE WHEN t.type = 'complaint' THEN 1 ELSE 0 END)";
    if (byStore) {
        sql += ", count(CASE WHEN t.type = 'repair' AND t.serial <> '' THEN 1 END) - "
               "count(DISTINCT CASE WHEN t.type = 'repair' AND t.serial <> '' THEN t.serial END)";
    }
    return sql + " FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2" +
           (byStore ? " GROUP BY t.store ORDER BY count(*) DESC, t.store" : "");
}

// `tickets` tickets over the last 30 days (all inside the main page's period), 50 stores, repeats
// of serials, a third rated. `rows` is the engine's row source of i = 1..tickets.
std::string FillSql(const std::string& rows, std::int64_t now) {
    const std::string created = "(" + std::to_string(now - 30 * kDayMs) + " + (g.i * 7919) % " + std::to_string(30 * kDayMs - 1) + ")";
    return "INSERT INTO tickets (number, kiosk, store, type, status, gtin, serial, phone, tier, category, channel, staff, created_at, "
           "updated_at, first_response_at, resolved_at, closed_at, csat, events, sla_resolution_state, sla_resolution_due) SELECT "
           "'S' || CAST(g.i % 50 AS TEXT) || '-K1-' || CAST(g.i AS TEXT), 'S' || CAST(g.i % 50 AS TEXT) || '-K1', "
           "'S' || CAST(g.i % 50 AS TEXT), "
           "CASE g.i % 5 WHEN 0 THEN 'return' WHEN 1 THEN 'exchange' WHEN 3 THEN 'complaint' ELSE 'repair' END, "
           "CASE WHEN g.i % 4 = 0 THEN 'received' ELSE 'closed' END, CAST(6910000000000 + g.i % 300 AS TEXT), "
           "'SN' || CAST(g.i % 400000 AS TEXT), CAST(13800000000 + g.i % 500000 AS TEXT), "
           "CASE g.i % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'returning' ELSE 'vip' END, 'battery', "
           "CASE g.i % 3 WHEN 0 THEN 'in_store' WHEN 1 THEN 'authorised_centre' ELSE 'third_party' END, "
           "'E' || CAST(1000 + g.i % 200 AS TEXT), " + created + ", " + created + ", " + created + " + (g.i % 240) * 60000, "
           "CASE WHEN g.i % 4 = 0 THEN NULL ELSE " + created + " + (g.i % 400) * 3600000 END, "
           "CASE WHEN g.i % 4 = 0 THEN NULL ELSE " + created + " + (g.i % 400) * 3600000 END, "
           "CASE WHEN g.i % 3 = 0 THEN 1 + g.i % 5 ELSE NULL END, 4, "
           // The SLA as the projection stores it: open tickets running, resolved ones met on time or late.
           "CASE WHEN g.i % 4 = 0 THEN 'on_track' WHEN g.i % 400 < 360 THEN 'met_on_time' ELSE 'met_late' END, " +
           created + " + 360 * 3600000 FROM " + rows;
}

struct Engine {
    std::string name;
    std::int64_t tickets = kDefaultTickets;
    std::string url;
    std::string rows;     // row source for FillSql
    std::string explain;  // EXPLAIN QUERY PLAN or EXPLAIN
};

void Run(const Engine& engine) {
    std::printf("\n== %s ==\n", engine.name.c_str());
    auto service = Must(IngestService::Open(engine.url), "open head office");
    const std::int64_t now = NowMs();
    {
        auto lease = Must(service->Pool().Acquire(), "session");
        const auto start = std::chrono::steady_clock::now();
        Must(lease->Begin(), "begin");
        Must(lease->Query(FillSql(engine.rows, now)), "fill tickets");
        Must(lease->Commit(), "commit");
        Must(lease->Query(engine.name == "SQLite" ? "ANALYZE" : "ANALYZE tickets"), "analyze");
        std::printf("filled %lld tickets in %.1f s\n", static_cast<long long>(engine.tickets),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        const auto rebuildStart = std::chrono::steady_clock::now();
        const std::int64_t rows = Must(RebuildRollups(*lease), "rebuild rollups");
        Must(lease->Query(engine.name == "SQLite" ? "ANALYZE" : "ANALYZE ticket_rollups"), "analyze");
        std::printf("rollups rebuilt from the tickets in %.1f s: %lld rows\n",
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - rebuildStart).count(), static_cast<long long>(rows));
    }
    for (int k = 0; k < 200; ++k) Must(service->AddKiosk("S" + std::to_string(k % 50), "K" + std::to_string(k / 50 + 1)), "kiosk");

    WebAuth auth = Must(WebAuth::Open(service->Pool(), {}), "users");
    Must(auth.AddUser("bench", "bench password", WebRole::Viewer), "user");
    const std::string token = Must(auth.Login("bench", "bench password"), "login");
    WebDashboard dashboard(*service, std::move(auth), DashboardOptions{3'600'000, false, {}, {}});
    ApiOptions apiOptions;
    apiOptions.requestsPerMinute = 1'000'000;
    WebApi api(*service, apiOptions);
    const std::string apiToken = [&] {
        auto lease = Must(service->Pool().Acquire(), "session");
        return Must(AddApiToken(*lease, "bench", false, now), "token");
    }();
    HttpServer server(*service, &dashboard, &api);
    const int port = Must(server.Start("127.0.0.1", 0), "listen");
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    const Headers cookie{{"Cookie", "ho_session=" + token}};
    const auto page = [&](const std::string& path) {
        return [&, path] {
            auto response = Must(SendHttp("GET", base + path, cookie, ""), "GET");
            if (response.status != 200) {
                std::fprintf(stderr, "dashboard_bench: GET %s answered %d\n", path.c_str(), response.status);
                std::exit(1);
            }
        };
    };
    const auto call = [&](const std::string& path) {
        return [&, path] {
            auto response = Must(SendHttp("GET", base + path, {{"Authorization", "Bearer " + apiToken}}, ""), "GET");
            if (response.status != 200) {
                std::fprintf(stderr, "dashboard_bench: GET %s answered %d\n", path.c_str(), response.status);
                std::exit(1);
            }
        };
    };
    auto lease = Must(service->Pool().Acquire(), "session");
    const auto baseline = Time([&] { Must(lease->Query("SELECT count(*) FROM tickets"), "count"); });

    struct Line {
        const char* what;
        std::pair<double, double> ms;
    };
    const std::vector<Line> lines{
        {"SELECT count(*) FROM tickets (baseline)", baseline},
        {"GET / (main dashboard page)", Time(page("/"))},
        {"GET /reports (by store, 30 days)", Time(page("/reports?by=store"))},
        {"service tables of /reports (30 days)", Time([&] {
             Must(LoadServiceReport(*lease, now - 30 * kDayMs, now + kDayMs, now), "service report");
         })},
        {"GET /tickets?serial=SN4242", Time(page("/tickets?serial=SN4242"))},
        {"GET /tickets?phone=13800004242", Time(page("/tickets?phone=13800004242"))},
        {"GET /tickets?number=S42-K1-4242", Time(page("/tickets?number=S42-K1-4242"))},
        {"GET /fleet (200 kiosks)", Time(page("/fleet"))},
        {"GET /api/v1/tickets?serial=SN4242", Time(call("/api/v1/tickets?serial=SN4242"))},
        {"GET /api/v1/tickets?phone=13800004242", Time(call("/api/v1/tickets?phone=13800004242"))},
        {"GET /api/v1/tickets?limit=200 (first page)", Time(call("/api/v1/tickets?limit=200"))},
        {"GET /api/v1/reports/quality (30 days)", Time(call("/api/v1/reports/quality"))},
    };
    std::printf("%-44s %12s %12s %10s\n", "what", "median ms", "worst ms", "x baseline");
    for (const Line& l : lines) {
        std::printf("%-44s %12.1f %12.1f %10.2f\n", l.what, l.ms.first, l.ms.second, l.ms.first / baseline.first);
    }
    std::printf("targets: main page < 200 ms %s; report by store < 1 s %s; searches < 50 ms %s\n",
                lines[1].ms.first < 200 ? "met" : "NOT met", lines[2].ms.first < 1000 ? "met" : "NOT met",
                std::max({lines[4].ms.first, lines[5].ms.first, lines[6].ms.first}) < 50 ? "met" : "NOT met");

    // The same figures scanned from the tickets (as every page did before the rollups) and read from the
    // rollups, over the main page's period.
    const std::int64_t periodTo = now / kDayMs * kDayMs + kDayMs;
    const std::int64_t periodFrom = periodTo - 30 * kDayMs;
    struct Versus {
        std::string what;
        std::pair<double, double> scan, rollups;
    };
    const std::vector<Versus> versus{
        {"totals (main page)", Time([&] { Must(lease->Query(ScannedFiguresSql(false), {periodFrom, periodTo, now}), "scan"); }),
         Time([&] { Must(LoadTotals(*lease, periodFrom, periodTo, now), "totals"); })},
    };
    std::vector<Versus> reports = versus;
    for (Dimension by : {Dimension::Store, Dimension::Region, Dimension::Product, Dimension::Category, Dimension::Channel,
                         Dimension::Staff}) {
        const std::string grouping = by == Dimension::Store ? ScannedFiguresSql(true) : "";
        reports.push_back({"report by " + std::string(ToString(by)),
                           by == Dimension::Store
                               ? Time([&] { Must(lease->Query(grouping, {periodFrom, periodTo, now}), "scan"); })
                               : std::pair{0.0, 0.0},
                           Time([&] { Must(LoadQualityReport(*lease, by, periodFrom, periodTo, now), "report"); })});
    }
    std::printf("\n%-28s %14s %14s %8s\n", "figures (median ms)", "scan tickets", "rollups", "ratio");
    for (const Versus& v : reports) {
        if (v.scan.first > 0) {
            std::printf("%-28s %14.1f %14.1f %8.1f\n", v.what.c_str(), v.scan.first, v.rollups.first, v.scan.first / v.rollups.first);
        } else {
            std::printf("%-28s %14s %14.1f %8s\n", v.what.c_str(), "-", v.rollups.first, "-");
        }
    }

    for (const char* sql : {"SELECT count(*), sum(CASE WHEN t.csat = 1 THEN 1 ELSE 0 END) FROM tickets t WHERE t.created_at >= 0 AND t.created_at < 9000000000000",
                            "SELECT t.store, count(*) FROM tickets t WHERE t.created_at >= 0 AND t.created_at < 9000000000000 GROUP BY t.store",
                            "SELECT t.number FROM tickets t WHERE t.serial = 'SN4242' ORDER BY t.created_at DESC LIMIT 100",
                            "SELECT t.number FROM tickets t WHERE t.phone = '13800004242' ORDER BY t.created_at DESC LIMIT 100",
                            "SELECT record_id FROM ticket_events WHERE ticket = 'S1-K1-1'"}) {
        std::printf("\nplan: %s\n", sql);
        for (const SqlRow& r : Must(lease->Query(engine.explain + " " + sql), "explain")) std::printf("  %s\n", r.back().c_str());
    }
    server.Stop();
}

int RunAsPostgres(const std::string& command) {
    const std::string full = geteuid() == 0 ? "runuser -u postgres -- " + command : command;
    return std::system((full + " >/dev/null 2>&1").c_str());
}

}  // namespace

int main() {
    const auto dir = std::filesystem::temp_directory_path() / ("dashboard-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::int64_t sqliteTickets = TicketCount("KIOSK_BENCH_TICKETS");
    const std::int64_t pgTickets = TicketCount("KIOSK_BENCH_PG_TICKETS");
    std::printf("dashboard_bench: %lld tickets on SQLite, %lld on PostgreSQL, %d timed runs each after one warm-up\n",
                static_cast<long long>(sqliteTickets), static_cast<long long>(pgTickets), kRuns);
    const std::string sqliteRows =
        "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(sqliteTickets) + ") SELECT i FROM n) AS g";
    Run({"SQLite", sqliteTickets, "sqlite:" + (dir / "ho.db").string(), sqliteRows, "EXPLAIN QUERY PLAN"});

    if (!std::filesystem::exists(kPgBin / "initdb")) {
        std::printf("\nPostgreSQL: skipped (PostgreSQL 15 is not installed)\n");
    } else {
        const auto pg = dir / "pg";
        std::filesystem::create_directories(pg);
        chmod(dir.c_str(), 0755);
        if (geteuid() == 0 && std::system(("chown postgres " + pg.string()).c_str()) != 0) std::printf("cannot chown %s\n", pg.c_str());
        const int port = 20000 + static_cast<int>(getpid() % 20000);
        const bool started =
            RunAsPostgres((kPgBin / "initdb").string() + " -D " + (pg / "data").string() + " -A trust -U postgres") == 0 &&
            RunAsPostgres((kPgBin / "pg_ctl").string() + " -D " + (pg / "data").string() + " -l " + (pg / "log").string() +
                          " -w -o \"-c listen_addresses=127.0.0.1 -k " + pg.string() + " -p " + std::to_string(port) + "\" start") == 0;
        if (started) {
            Run({"PostgreSQL", pgTickets, "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres",
                 "generate_series(CAST(1 AS BIGINT), CAST(" + std::to_string(pgTickets) + " AS BIGINT)) AS g(i)", "EXPLAIN"});
            RunAsPostgres((kPgBin / "pg_ctl").string() + " -D " + (pg / "data").string() + " -m immediate -w stop");
        } else {
            std::printf("\nPostgreSQL: skipped (a throwaway cluster could not be started)\n");
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return 0;
}
