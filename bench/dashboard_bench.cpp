// The dashboard over 1,000,000 projected tickets (KIOSK_BENCH_TICKETS, KIOSK_BENCH_PG_TICKETS change
// it): server time of the main page, every report, ticket searches and the read API's searches and
// report over HTTP on loopback, against a bare count(*) over the same table; the figures read from the
// rollups against the same figures scanned from the raw rows, the service tables one by one; and the
// targets (main page < 200 ms, every report < 1 s, searches < 50 ms) with the naive report beside them,
// on SQLite and (when a throwaway cluster can be started) PostgreSQL. The tickets, then their CSAT
// answers, follow-up calls, scripts used, approvals and queue numbers, are written straight into the projection by
// INSERT ... SELECT; `RebuildRollups` then makes their rollups. Prints the query plans used.
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
std::pair<double, double> Time(const std::function<void()>& work, int runs = kRuns) {
    std::vector<double> ms;
    work();  // warm the caches once, as a page viewed twice would
    for (int i = 0; i < runs; ++i) {
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

// The service records of the filled tickets: an answer for each rated ticket (every seventh with a
// comment), one to three follow-up calls for most closed tickets, a script (of six scenes) for two
// tickets in five, an approval for each return and a queue number for each ticket.
std::vector<std::string> ServiceFillSql() {
    const std::string scene =
        "CASE t.created_at % 6 WHEN 0 THEN 'greeting' WHEN 1 THEN 'complaint' WHEN 2 THEN 'warranty_decision' WHEN 3 THEN 'follow_up' "
        "WHEN 4 THEN 'ready_for_pickup' ELSE 'delay' END";
    return {
        "INSERT INTO csat_answers (ticket, kiosk, store, score, comment, staff, answered_at) SELECT t.number, t.kiosk, t.store, t.csat, "
        "CASE WHEN t.created_at % 7 = 0 THEN 'quick and friendly' ELSE '' END, t.staff, coalesce(t.resolved_at, t.created_at) + 600000 "
        "FROM tickets t WHERE t.csat IS NOT NULL",
        "INSERT INTO followup_calls (record_id, kiosk, store, ticket, staff, outcome, note, at, closed_at) SELECT t.number || '-call1', "
        "t.kiosk, t.store, t.number, t.staff, CASE WHEN t.created_at % 3 = 0 THEN 'no_answer' ELSE 'reached' END, '', "
        "t.closed_at + (t.created_at % 30) * 3600000, t.closed_at FROM tickets t WHERE t.closed_at IS NOT NULL AND t.created_at % 10 <> 0",
        "INSERT INTO followup_calls (record_id, kiosk, store, ticket, staff, outcome, note, at, closed_at) SELECT t.number || '-call2', "
        "t.kiosk, t.store, t.number, t.staff, 'reached', '', t.closed_at + (t.created_at % 40) * 3600000, t.closed_at FROM tickets t "
        "WHERE t.closed_at IS NOT NULL AND t.created_at % 3 = 0",
        "INSERT INTO script_uses (record_id, ticket, kiosk, store, script, scene, staff, at) SELECT t.number || '-script', t.number, "
        "t.kiosk, t.store, 'script-1', " + scene + ", t.staff, t.created_at + 60000 FROM tickets t WHERE t.created_at % 5 < 2",
        "INSERT INTO approvals (id, kiosk, store, ticket, kind, amount, reason, requested_by, requested_at, deadline, state, decided_by, "
        "decided_at, decision_reason) SELECT 'A-' || t.number, t.kiosk, t.store, t.number, 'refund', 1000, '', t.staff, t.created_at, "
        "t.created_at + 7200000, CASE t.created_at % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'approved' ELSE 'refused' END, "
        "CASE WHEN t.created_at % 3 = 0 THEN '' ELSE 'E9001' END, "
        "CASE WHEN t.created_at % 3 = 0 THEN NULL ELSE t.created_at + (t.created_at % 4) * 3600000 END, '' FROM tickets t "
        "WHERE t.type = 'return'",
        // A queue number for each ticket (the ticket number as its kiosk keeps them apart), taken half an
        // hour before it; a quarter still waiting, a quarter given up.
        "INSERT INTO queue_numbers (kiosk, day, service, number, store, label, hour, state, stage, taken_at, called_at, finished_at, "
        "ticket) SELECT t.number, 'day', CASE WHEN t.created_at % 2 = 0 THEN 'repair' ELSE 'returns' END, 1, t.store, 'A001', "
        "(t.created_at / 3600000) % 24, CASE t.created_at % 4 WHEN 0 THEN 'waiting' WHEN 1 THEN 'no_show' ELSE 'served' END, "
        "CASE WHEN t.created_at % 4 = 0 THEN 0 ELSE 2 END, t.created_at - 1800000, "
        "CASE WHEN t.created_at % 4 = 0 THEN NULL ELSE t.created_at - 600000 END, "
        "CASE WHEN t.created_at % 4 = 0 THEN NULL ELSE t.created_at END, t.number FROM tickets t",
    };
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
        for (const std::string& sql : ServiceFillSql()) Must(lease->Query(sql), "fill service records");
        Must(lease->Commit(), "commit");
        Must(lease->Query("ANALYZE"), "analyze");
        std::printf("filled %lld tickets in %.1f s\n", static_cast<long long>(engine.tickets),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        const auto rebuildStart = std::chrono::steady_clock::now();
        const std::int64_t rows = Must(RebuildRollups(*lease), "rebuild rollups");
        Must(lease->Query("ANALYZE"), "analyze");
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
    const std::vector<Dimension> dimensions{Dimension::Store, Dimension::Region,  Dimension::Product,
                                            Dimension::Category, Dimension::Channel, Dimension::Staff};
    std::vector<Line> lines{{"SELECT count(*) FROM tickets (baseline)", baseline}, {"GET / (main dashboard page)", Time(page("/"))}};
    std::vector<std::string> reportNames;  // kept alive for the lines that point at them
    reportNames.reserve(dimensions.size() + 1);
    for (Dimension by : dimensions) {
        reportNames.push_back("GET /reports?by=" + std::string(ToString(by)) + " (30 days)");
        lines.push_back({reportNames.back().c_str(), Time(page("/reports?by=" + std::string(ToString(by))))});
    }
    lines.push_back({"GET /api/v1/reports/quality (30 days)", Time(call("/api/v1/reports/quality"))});
    lines.push_back({"GET /api/v1/reports/service (30 days)", Time(call("/api/v1/reports/service"))});
    const std::size_t reportsEnd = lines.size();
    // The pages' periods are whole UTC days, read from the summaries alone; one starting at any time
    // reads its partial first day from the raw rows.
    const std::int64_t reportTo = now / kDayMs * kDayMs + kDayMs;
    const std::int64_t reportFrom = reportTo - 30 * kDayMs;
    lines.push_back({"service tables of /reports (30 days)", Time([&] {
                         Must(LoadServiceReport(*lease, reportFrom, reportTo, now), "service report");
                     })});
    lines.push_back({"service tables, 30 days from this hour", Time([&] {
                         Must(LoadServiceReport(*lease, now - 30 * kDayMs, now + kDayMs, now), "service report");
                     })});
    const std::size_t searchesBegin = lines.size();
    lines.push_back({"GET /tickets?serial=SN4242", Time(page("/tickets?serial=SN4242"))});
    lines.push_back({"GET /tickets?phone=13800004242", Time(page("/tickets?phone=13800004242"))});
    lines.push_back({"GET /tickets?number=S42-K1-4242", Time(page("/tickets?number=S42-K1-4242"))});
    lines.push_back({"GET /api/v1/tickets?serial=SN4242", Time(call("/api/v1/tickets?serial=SN4242"))});
    lines.push_back({"GET /api/v1/tickets?phone=13800004242", Time(call("/api/v1/tickets?phone=13800004242"))});
    const std::size_t searchesEnd = lines.size();
    lines.push_back({"GET /fleet (200 kiosks)", Time(page("/fleet"))});
    lines.push_back({"GET /api/v1/tickets?limit=200 (first page)", Time(call("/api/v1/tickets?limit=200"))});
    std::printf("%-44s %12s %12s %10s\n", "what", "median ms", "worst ms", "x baseline");
    for (const Line& l : lines) {
        std::printf("%-44s %12.1f %12.1f %10.2f\n", l.what, l.ms.first, l.ms.second, l.ms.first / baseline.first);
    }
    const auto worstMedian = [&](std::size_t from, std::size_t to) {
        double worst = 0;
        for (std::size_t i = from; i < to; ++i) worst = std::max(worst, lines[i].ms.first);
        return worst;
    };

    // The report by store as computed before the rollups: its figures and its service tables scanned from the raw rows.
    const auto naive = Time(
        [&] {
            Must(lease->Query(ScannedFiguresSql(true), {reportFrom, reportTo, now}), "scan");
            Must(LoadServiceReport(*lease, reportFrom, reportTo, now, ServiceSource::RawRows), "raw service report");
        },
        2);
    const double reportsWorst = worstMedian(2, reportsEnd);
    const double searchesWorst = worstMedian(searchesBegin, searchesEnd);
    std::printf("targets: main page < 200 ms: %s (%.1f ms); every report < 1 s: %s (worst %.1f ms; the report by store %.1f ms, "
                "naive scan of the raw rows %.1f ms, %.1fx faster); searches by number / phone / serial < 50 ms: %s (worst %.1f ms)\n",
                lines[1].ms.first < 200 ? "met" : "NOT met", lines[1].ms.first, reportsWorst < 1000 ? "met" : "NOT met", reportsWorst,
                lines[2].ms.first, naive.first, naive.first / lines[2].ms.first, searchesWorst < 50 ? "met" : "NOT met",
                searchesWorst);

    const bool same = Must(LoadServiceReport(*lease, now - 30 * kDayMs, now, now), "service report") ==
                      Must(LoadServiceReport(*lease, now - 30 * kDayMs, now, now, ServiceSource::RawRows), "raw service report");
    std::printf("service tables of the last 30 days to this hour from the summaries equal those scanned from the raw rows: %s\n",
                same ? "yes" : "NO");

    // Each service table from the summaries against the same table scanned from the raw rows.
    std::printf("\n%-28s %14s %14s %8s\n", "service table (median ms)", "raw rows", "summaries", "ratio");
    for (const ServiceSection section : kServiceSections) {
        const auto load = [&](ServiceSource source) {
            return [&, source] {
                ServiceReport report;
                Must(LoadServiceSection(*lease, section, reportFrom, reportTo, now, report, source), "service table");
            };
        };
        const auto raw = Time(load(ServiceSource::RawRows), 2);
        const auto summaries = Time(load(ServiceSource::Summaries));
        std::printf("%-28s %14.1f %14.1f %8.1f\n", std::string(ToString(section)).c_str(), raw.first, summaries.first,
                    raw.first / summaries.first);
    }

    // The same figures scanned from the tickets (as every page did before the rollups) and read from the
    // rollups, over the main page's period.
    struct Versus {
        std::string what;
        std::pair<double, double> scan, rollups;
    };
    const std::vector<Versus> versus{
        {"totals (main page)", Time([&] { Must(lease->Query(ScannedFiguresSql(false), {reportFrom, reportTo, now}), "scan"); }),
         Time([&] { Must(LoadTotals(*lease, reportFrom, reportTo, now), "totals"); })},
    };
    std::vector<Versus> reports = versus;
    for (Dimension by : {Dimension::Store, Dimension::Region, Dimension::Product, Dimension::Category, Dimension::Channel,
                         Dimension::Staff}) {
        const std::string grouping = by == Dimension::Store ? ScannedFiguresSql(true) : "";
        reports.push_back({"report by " + std::string(ToString(by)),
                           by == Dimension::Store
                               ? Time([&] { Must(lease->Query(grouping, {reportFrom, reportTo, now}), "scan"); })
                               : std::pair{0.0, 0.0},
                           Time([&] { Must(LoadQualityReport(*lease, by, reportFrom, reportTo, now), "report"); })});
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
