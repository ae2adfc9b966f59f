// The head-office dashboard: users and sessions, the ticket projection fed by a real kiosk sync, the
// hash-chain check, report figures on fixed data, and the web pages' guards (roles, CSRF, escaping).
#include <catch2/catch.hpp>

#include <cstdlib>

#include "kiosk/storage/device_status.hpp"
#include "sync/dashboard_fixture.hpp"
#include "sync/queue_report_fixture.hpp"
#include "sync/headoffice/notifications.hpp"
#include "sync/headoffice/notifier.hpp"
#include "sync/headoffice/reports.hpp"
#include "sync/headoffice/web_auth.hpp"
#include "sync/headoffice/web_dashboard.hpp"
#include "sync/sync_test_support.hpp"
#include "support/temp_dir.hpp"
#include "sync/wire/ids.hpp"

namespace kiosk::sync::test {
namespace {

using headoffice::WebAuth;
using headoffice::WebRole;
using kiosk::testing::TempDir;

constexpr std::int64_t kMinute = 60'000;

// A head office with the fixed tickets synced up from a real kiosk database by the real worker.
struct SyncedHeadOffice {
    TempDir dir{"dashboard"};
    std::string url = "sqlite:" + dir.File("ho.db").string();
    LocalHeadOffice ho{url};
    QualityTickets tickets;

    SyncedHeadOffice() { tickets = SyncQualityTickets(ho, dir.File("kiosk.db")); }
    headoffice::SessionPool::Lease Db() { return Ok(ho.service->Pool().Acquire()); }
};

}  // namespace

TEST_CASE("dashboard users: argon2id hashes, one answer for wrong name or password, idle and absolute expiry", "[dashboard]") {
    TempDir dir("dashboard-auth");
    auto service = Ok(headoffice::IngestService::Open("sqlite:" + dir.File("ho.db").string()));
    std::int64_t now = Ms("2026-11-22T08:00:00Z");
    WebAuth auth = Ok(WebAuth::Open(service->Pool(), [&now] { return now; }));

    Ok(auth.AddUser("ana", "correct horse battery", WebRole::Admin));
    CHECK(auth.AddUser("ana", "another long password", WebRole::Viewer).error().code == core::ErrorCode::Conflict);
    CHECK(auth.AddUser("bob", "short", WebRole::Viewer).error().code == core::ErrorCode::InvalidInput);
    CHECK(auth.AddUser("bob smith", "long enough password", WebRole::Viewer).error().code == core::ErrorCode::InvalidInput);
    const auto stored = HeadOfficeCount(dir.File("ho.db"), "SELECT count(*) FROM web_users WHERE password_hash LIKE '$argon2id$%'");
    CHECK(stored == 1);

    auto wrong = auth.Login("ana", "correct horse battery!");
    auto unknown = auth.Login("nobody", "correct horse battery");
    REQUIRE_FALSE(wrong);
    REQUIRE_FALSE(unknown);
    CHECK(wrong.error().code == core::ErrorCode::Forbidden);
    CHECK(wrong.error().message == unknown.error().message);

    const std::string token = Ok(auth.Login("ana", "correct horse battery"));
    CHECK(Ok(auth.Resume(token)).role == WebRole::Admin);
    // Idle expiry slides with use: 29 minutes between requests keeps the session, 31 ends it.
    now += 29 * kMinute;
    CHECK(auth.Resume(token).has_value());
    now += 29 * kMinute;
    CHECK(auth.Resume(token).has_value());
    now += 31 * kMinute;
    CHECK(auth.Resume(token).error().code == core::ErrorCode::Forbidden);

    // However busy, a session ends 12 hours after sign-in.
    const std::string busy = Ok(auth.Login("ana", "correct horse battery"));
    const std::int64_t signedIn = now;
    while (now + 20 * kMinute < signedIn + 12 * 60 * kMinute) {
        now += 20 * kMinute;
        REQUIRE(auth.Resume(busy).has_value());
    }
    now += 20 * kMinute;
    CHECK_FALSE(auth.Resume(busy).has_value());

    // A new password ends the user's sessions; logging out ends one.
    const std::string before = Ok(auth.Login("ana", "correct horse battery"));
    Ok(auth.SetPassword("ana", "a new long password"));
    CHECK_FALSE(auth.Resume(before).has_value());
    CHECK_FALSE(auth.Login("ana", "correct horse battery").has_value());
    const std::string after = Ok(auth.Login("ana", "a new long password"));
    Ok(auth.Logout(after));
    CHECK_FALSE(auth.Resume(after).has_value());
    CHECK(auth.SetPassword("nobody", "a new long password").error().code == core::ErrorCode::NotFound);
}

// Two servers on one database: wrong passwords sent to either count together, so a balancer in front of
// N servers does not give an attacker N times the attempts.
TEST_CASE("wrong passwords spread over two servers on one database are throttled together", "[dashboard]") {
    TempDir dir("dashboard-throttle");
    const std::string url = "sqlite:" + dir.File("ho.db").string();
    auto first = Ok(headoffice::IngestService::Open(url));
    auto second = Ok(headoffice::IngestService::Open(url));
    std::int64_t now = Ms("2026-11-22T08:00:00Z");
    headoffice::AuthOptions options;
    options.maxFailures = 4;
    options.failureWindow = std::chrono::seconds{60};
    WebAuth a = Ok(WebAuth::Open(first->Pool(), [&now] { return now; }, options));
    WebAuth b = Ok(WebAuth::Open(second->Pool(), [&now] { return now; }, options));
    Ok(a.AddUser("ana", "correct horse battery", WebRole::Admin));

    // Each server sees two wrong passwords, from four addresses; together they reach the limit.
    for (int i = 0; i < 4; ++i) {
        WebAuth& server = i % 2 == 0 ? a : b;
        CHECK(server.Login("ana", "wrong password", "10.0.0." + std::to_string(i)).error().code == core::ErrorCode::Forbidden);
        now += 1000;
    }
    CHECK(HeadOfficeCount(dir.File("ho.db"), "SELECT count(*) FROM web_login_failures WHERE key = 'user:ana'") == 4);
    for (WebAuth* server : {&a, &b}) {
        const auto refused = server->Login("ana", "correct horse battery", "10.0.0.9");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == core::ErrorCode::Busy);
        CHECK(Ok(server->ThrottledFor("ana", "10.0.0.9")) == 56);
    }
    // Once the oldest failure leaves the window, the right password works on either server, and a
    // sign-in clears the user's count.
    now += 56'000;
    CHECK(b.Login("ana", "correct horse battery", "10.0.0.9").has_value());
    CHECK(HeadOfficeCount(dir.File("ho.db"), "SELECT count(*) FROM web_login_failures WHERE key = 'user:ana'") == 0);

    // Per client address as well, across the two servers and several user names.
    for (int i = 0; i < 4; ++i) {
        WebAuth& server = i % 2 == 0 ? b : a;
        CHECK(server.Login("guess" + std::to_string(i), "wrong password", "10.0.0.66").error().code == core::ErrorCode::Forbidden);
    }
    CHECK(a.Login("ana", "correct horse battery", "10.0.0.66").error().code == core::ErrorCode::Busy);
    CHECK(b.Login("ana", "correct horse battery", "10.0.0.67").has_value());
}

TEST_CASE("the ticket projection follows the kiosk's events through the real sync, with the device status", "[dashboard]") {
    SyncedHeadOffice h;
    auto db = h.Db();
    const auto rows = Ok(headoffice::SearchTickets(*db, {}));
    REQUIRE(rows.size() == 4);
    const headoffice::TicketRow a = Ok(headoffice::SearchTickets(*db, {h.tickets.a, "", "", "", "", "", 0, 0, 10})).at(0);
    CHECK(a.number == h.tickets.a);
    CHECK(a.store == "S012");
    CHECK(a.kiosk == "S012-K1");
    CHECK(a.type == "repair");
    CHECK(a.status == "ready_for_pickup");
    CHECK(a.serial == "SN-REPEAT-0001");
    CHECK(a.tier == "returning");
    CHECK(a.category == "battery");
    CHECK(a.staff == "E1001");
    CHECK(a.createdAtMs == Ms("2026-11-01T00:00:00Z"));
    CHECK(a.firstResponseAtMs == Ms("2026-11-01T00:30:00Z"));
    CHECK(a.resolvedAtMs == Ms("2026-11-11T00:00:00Z"));
    CHECK(a.csat == 5);
    CHECK(a.events == 5);

    // Search by phone, serial, status and date.
    CHECK(Ok(headoffice::SearchTickets(*db, {"", "13900001111", "", "", "", "", 0, 0, 10})).at(0).number == h.tickets.b);
    CHECK(Ok(headoffice::SearchTickets(*db, {"", "", "SN-REPEAT-0001", "", "", "", 0, 0, 10})).size() == 2);
    CHECK(Ok(headoffice::SearchTickets(*db, {"", "", "", "", "", "submitted", 0, 0, 10})).at(0).number == h.tickets.d);
    CHECK(Ok(headoffice::SearchTickets(*db, {"", "", "", "", "S012", "", Ms("2026-11-03T00:00:00Z"), Ms("2026-11-04T00:00:00Z"), 10}))
              .at(0)
              .number == h.tickets.c);
    CHECK(headoffice::MaskPhone("13812345678") == "138****5678");

    // The kiosk's status arrived with its records.
    const auto fleet = Ok(headoffice::LoadFleet(*db, NowMs(), 60 * kMinute));
    REQUIRE(fleet.size() == 1);
    CHECK(fleet[0].printer == "paper_near_end");
    CHECK(fleet[0].paper == "low");
    CHECK_FALSE(fleet[0].software.empty());
    CHECK(fleet[0].scanner == "ok");
    CHECK(fleet[0].scannerSeenMs == Ms("2026-11-22T01:00:00Z"));
    CHECK(fleet[0].camera == "off");
    CHECK(fleet[0].backlog == 0);
    CHECK_FALSE(fleet[0].silent);
    CHECK(Ok(headoffice::LoadFleet(*db, NowMs() + 61 * kMinute, 60 * kMinute))[0].silent);
}

TEST_CASE("a ticket's timeline recomputes the kiosk's hash chain and finds a changed event", "[dashboard]") {
    SyncedHeadOffice h;
    {
        auto db = h.Db();
        const auto detail = Ok(headoffice::LoadTicket(*db, h.tickets.b));
        REQUIRE(detail.events.size() == 5);
        CHECK(detail.chainIntact);
        CHECK(detail.events[0].kind == "created");
        CHECK(detail.description == "电池一小时就没电了");
        CHECK(detail.remedy == "repair");
        CHECK(detail.clauseId == "sanbao-repair");
        CHECK(detail.events[1].toStatus == "received");
        CHECK(detail.events[1].at == "2026-11-02T01:30:00Z");
        CHECK(detail.events[1].receivedAtMs > 0);
        for (const auto& e : detail.events) CHECK(e.check == "ok");
        CHECK(headoffice::LoadTicket(*db, "S999-K9-261122-0001").error().code == core::ErrorCode::NotFound);
    }
    // Someone edits a stored event at head office: its hash no longer matches.
    auto raw = Ok(storage::Database::Open(h.dir.File("ho.db")));
    Ok(raw.Execute("UPDATE records SET payload = replace(payload, '\"toStatus\":\"received\"', '\"toStatus\":\"rejected\"') "
                "WHERE id IN (SELECT record_id FROM ticket_events WHERE ticket = '" + h.tickets.b + "')"));
    auto db = h.Db();
    const auto detail = Ok(headoffice::LoadTicket(*db, h.tickets.b));
    CHECK_FALSE(detail.chainIntact);
    CHECK(detail.events[1].check == "hash mismatch");
    CHECK(detail.events[0].check == "ok");
}

TEST_CASE("service-quality figures on fixed data match the hand-computed values", "[dashboard]") {
    SyncedHeadOffice h;
    auto db = h.Db();
    const std::int64_t from = Ms("2026-11-01T00:00:00Z");
    const std::int64_t to = Ms("2026-12-01T00:00:00Z");
    const std::int64_t now = Ms("2026-11-30T00:00:00Z");
    const auto report = Ok(headoffice::LoadQualityReport(*db, headoffice::Dimension::Store, from, to, now));
    REQUIRE(report.rows.size() == 1);
    const headoffice::QualityRow& t = report.total;
    CHECK(t.tickets == 4);
    CHECK(t.slaCounted == 4);
    CHECK(t.slaMet == 2);
    CHECK(t.SlaCompliance() == Approx(0.5));
    CHECK(t.firstResponses == 3);
    CHECK(t.FirstResponseMinutes() == Approx(130.0 / 3.0));
    CHECK(t.resolved == 3);
    CHECK(t.ResolutionHours() == Approx(248.0));
    CHECK(t.CsatAverage() == Approx(11.0 / 3.0));
    CHECK(t.csatDistribution == std::array<std::int64_t, 5>{0, 1, 0, 1, 1});
    CHECK(t.ComplaintRate() == Approx(0.25));
    CHECK(t.repeatRepairs == 1);
    CHECK(report.selfHelpOffered == 10);
    CHECK(report.selfHelpSolved == 3);
    CHECK(report.Deflection() == Approx(0.3));
    const auto totals = Ok(headoffice::LoadTotals(*db, from, to, now));
    CHECK(totals.tickets == 4);
    CHECK(totals.slaMet == 2);

    // Before D's 3-day target ran out it was not yet counted against the SLA.
    CHECK(Ok(headoffice::LoadTotals(*db, from, to, Ms("2026-11-05T00:00:00Z"))).slaCounted == 3);

    Ok(db->Query("INSERT INTO stores (code, region) VALUES ('S012', 'South')"));
    const auto byRegion = Ok(headoffice::LoadQualityReport(*db, headoffice::Dimension::Region, from, to, now));
    REQUIRE(byRegion.rows.size() == 1);
    CHECK(byRegion.rows[0].key == "South");
    CHECK(byRegion.rows[0].slaMet == 2);

    const auto byStaff = Ok(headoffice::LoadQualityReport(*db, headoffice::Dimension::Staff, from, to, now));
    REQUIRE(byStaff.rows.size() == 2);  // E1001 worked three; nobody has touched D yet
    CHECK(byStaff.rows[0].key == "E1001");
    CHECK(byStaff.rows[0].tickets == 3);

    const std::string csv = headoffice::QualityCsv(report);
    CHECK(csv.find("\"S012\",\"S012\",4,4,2,0.50,43.33,248.00,3,3.67,0,1,0,1,1,1,0.25,1\r\n") != std::string::npos);
    CHECK(csv.find("\"total\",\"total\",4,") != std::string::npos);
}

// Scripts marked used at the kiosk (after the fixed tickets synced): A greeting twice and ready for pickup,
// C the complaint script; B and D none. Used: A (CSAT 5, resolved) and C (CSAT 4, resolved) -> 2 tickets,
// CSAT 4.50, resolved 100 %. Not used: B (CSAT 2, resolved) and D (open, unrated) -> 2 tickets, CSAT 2.00
// (one answer), resolved 50 %. Per scene: complaint C (no other complaint goes without); greeting A
// (counted once) against B, C and D (CSAT 3.00, resolved 2 of 3); ready_for_pickup A against B (the
// other product ticket that got there).
TEST_CASE("script use against CSAT and resolution per scene on fixed data, with the hash chain intact", "[dashboard]") {
    SyncedHeadOffice h;
    {
        KioskAdmin kiosk(h.dir.File("kiosk.db"));
        const core::Actor& staff = storage::test::kSupervisor;
        Ok(kiosk.admin.MarkScriptUsed(staff, h.tickets.a, "greeting-intake", "greeting", storage::test::At("2026-11-25T00:00:00Z")));
        Ok(kiosk.admin.MarkScriptUsed(staff, h.tickets.a, "greeting-intake", "greeting", storage::test::At("2026-11-25T00:01:00Z")));
        Ok(kiosk.admin.MarkScriptUsed(staff, h.tickets.a, "ready-for-pickup", "ready_for_pickup", storage::test::At("2026-11-25T00:02:00Z")));
        Ok(kiosk.admin.MarkScriptUsed(staff, h.tickets.c, "complaint", "complaint", storage::test::At("2026-11-25T00:03:00Z")));
        CHECK(kiosk.admin.MarkScriptUsed(staff, h.tickets.b, "", "greeting", storage::test::At("2026-11-25T00:04:00Z")).error().code ==
              core::ErrorCode::InvalidInput);
    }
    auto worker = Ok(SyncWorker::Open(h.dir.File("kiosk.db")));
    REQUIRE(Ok(worker.Drain()).records == 4);
    auto db = h.Db();
    const auto report = Ok(headoffice::LoadServiceReport(*db, Ms("2026-11-01T00:00:00Z"), Ms("2026-12-01T00:00:00Z"),
                                                         Ms("2026-11-30T00:00:00Z")));
    REQUIRE(report.scripts.size() == 4);
    const auto& any = report.scripts[0];
    CHECK(any.scene.empty());
    CHECK(any.used.tickets == 2);
    CHECK(any.used.CsatAverage() == Approx(4.5));
    CHECK(any.used.ResolutionRate() == Approx(1.0));
    CHECK(any.notUsed.tickets == 2);
    CHECK(any.notUsed.csatAnswers == 1);
    CHECK(any.notUsed.CsatAverage() == Approx(2.0));
    CHECK(any.notUsed.ResolutionRate() == Approx(0.5));
    CHECK(report.scripts[1].scene == "complaint");
    CHECK(report.scripts[1].used.tickets == 1);
    CHECK(report.scripts[1].used.CsatAverage() == Approx(4.0));
    CHECK(report.scripts[1].notUsed.tickets == 0);
    CHECK(report.scripts[2].scene == "greeting");
    CHECK(report.scripts[2].used.tickets == 1);
    CHECK(report.scripts[2].used.CsatAverage() == Approx(5.0));
    CHECK(report.scripts[2].used.ResolutionRate() == Approx(1.0));
    CHECK(report.scripts[2].notUsed.tickets == 3);
    CHECK(report.scripts[2].notUsed.CsatAverage() == Approx(3.0));
    CHECK(report.scripts[2].notUsed.ResolutionRate() == Approx(2.0 / 3.0));
    CHECK(report.scripts[3].scene == "ready_for_pickup");
    CHECK(report.scripts[3].used.tickets == 1);
    CHECK(report.scripts[3].notUsed.tickets == 1);
    CHECK(report.scripts[3].notUsed.CsatAverage() == Approx(2.0));
    // A month with no tickets: nothing used, nothing to average.
    const auto empty = Ok(headoffice::LoadServiceReport(*db, Ms("2026-12-01T00:00:00Z"), Ms("2027-01-01T00:00:00Z"),
                                                        Ms("2027-01-01T00:00:00Z")));
    REQUIRE(empty.scripts.size() == 1);
    CHECK(empty.scripts[0].used.CsatAverage() == -1.0);
    CHECK(empty.scripts[0].notUsed.ResolutionRate() == -1.0);
    // The script_used events join the kiosk's hash chain like every other event.
    const auto detail = Ok(headoffice::LoadTicket(*db, h.tickets.a));
    CHECK(detail.chainIntact);
    CHECK(detail.events.back().kind == "script_used");
}

namespace {

// The dashboard on loopback, with a viewer and an admin signed in.
struct WebHeadOffice {
    SyncedHeadOffice synced;
    std::unique_ptr<headoffice::WebDashboard> dashboard;
    std::unique_ptr<headoffice::HttpServer> server;
    int port = 0;
    std::string viewer, admin, adminCsrf, viewerCsrf;

    WebHeadOffice() {
        auto& service = *synced.ho.service;
        WebAuth auth = Ok(WebAuth::Open(service.Pool(), {}));
        Ok(auth.AddUser("viewer", "viewer password", WebRole::Viewer));
        Ok(auth.AddUser("admin", "admin password", WebRole::Admin));
        viewer = Ok(auth.Login("viewer", "viewer password"));
        admin = Ok(auth.Login("admin", "admin password"));
        viewerCsrf = Ok(auth.Resume(viewer)).csrf;
        adminCsrf = Ok(auth.Resume(admin)).csrf;
        headoffice::DashboardOptions options{60 * kMinute, false,
                                             [](std::string_view, std::string_view text, std::string_view name)
                                                 -> core::Result<headoffice::CheckedUpload> {
                                                 if (text.find("bad") != std::string_view::npos) {
                                                     return core::Fail(core::ErrorCode::InvalidInput, std::string(name) + ":2: <b>bad</b> GTIN");
                                                 }
                                                 return headoffice::CheckedUpload{"[]", 0};
                                             },
                                             {}};
        dashboard = std::make_unique<headoffice::WebDashboard>(service, std::move(auth), std::move(options));
        server = std::make_unique<headoffice::HttpServer>(service, dashboard.get());
        port = Ok(server->Start("127.0.0.1", 0));
    }
    std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
    HttpResponse Get(const std::string& path, const std::string& token) const {
        return Ok(SendHttp("GET", Url(path), {{"Cookie", "ho_session=" + token + "; ho_lang=en"}}, ""));
    }
    HttpResponse Upload(const std::string& token, const std::string& csrf, const std::string& content) const {
        const std::string boundary = "----dashboardtest";
        std::string body;
        for (auto [name, value] : {std::pair{std::string("csrf"), csrf}, {std::string("dataset"), std::string("catalog")}}) {
            body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
        }
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"catalog.csv\"\r\n"
                "Content-Type: text/csv\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        return Ok(SendHttp("POST", Url("/publish"),
                           {{"Cookie", "ho_session=" + token + "; ho_lang=en"},
                            {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                           body));
    }
    // A second kiosk, S030-K3, with its tickets filed and enrolled; returns its database.
    std::filesystem::path EnrolSecondKiosk() {
        auto kioskDb = synced.dir.File("kiosk-S030-K3.db");
        FileTickets(kioskDb, 0);
        Ok(Enrol(kioskDb, synced.ho.Url(), Ok(synced.ho.service->AddKiosk("S030", "K3"))));
        return kioskDb;
    }
};

// One kiosk's row of a fleet page, from its opening tag to its end.
std::string FleetRowHtml(const std::string& page, const std::string& kiosk) {
    const auto end = page.find("data-kiosk=\"" + kiosk + "\"");
    REQUIRE(end != std::string::npos);
    const auto begin = page.rfind("<tr", end);
    return page.substr(begin, page.find("</tr>", end) - begin);
}

}  // namespace

TEST_CASE("ratings, approvals, follow-up calls and self-help made at a kiosk reach head office's reports as their own records", "[dashboard]") {
    TempDir dir("dashboard-service");
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    SyncServiceRecords(ho, dir.File("kiosk.db"));
    auto db = Ok(ho.service->Pool().Acquire());
    CheckServiceReport(*db);

    // What the kiosk queued: each answer, each approval as asked and as decided, each call, each suggestion shown.
    auto kioskDb = Ok(storage::Database::Open(dir.File("kiosk.db")));
    CHECK(Ok(kioskDb.QueryInt("SELECT count(*) FROM outbox WHERE record_type = 'csat_answer'")) == 2);
    CHECK(Ok(kioskDb.QueryInt("SELECT count(*) FROM outbox WHERE record_type = 'approval'")) == 5);
    CHECK(Ok(kioskDb.QueryInt("SELECT count(*) FROM outbox WHERE record_type = 'followup_call'")) == 3);
    CHECK(Ok(kioskDb.QueryInt("SELECT count(*) FROM outbox WHERE record_type = 'self_help'")) == 4);
}

TEST_CASE("dashboard pages: sign-in required, viewers cannot publish, forms need the CSRF token, output is escaped", "[dashboard]") {
    WebHeadOffice web;
    CHECK(Ok(SendHttp("GET", web.Url("/tickets"), {}, "")).status == 303);
    CHECK(web.Get("/", "not-a-session").status == 303);

    const HttpResponse home = web.Get("/", web.viewer);
    REQUIRE(home.status == 200);
    CHECK(home.body.find("id=\"card-tickets\"><span>Tickets</span><b>") != std::string::npos);

    const HttpResponse ticket = web.Get("/tickets/" + web.synced.tickets.c, web.viewer);
    REQUIRE(ticket.status == 200);
    CHECK(ticket.body.find("Hash chain intact") != std::string::npos);
    CHECK(web.Get("/tickets/S999-K9-261122-0001", web.viewer).status == 404);
    const HttpResponse list = web.Get("/tickets?phone=13812345678", web.viewer);
    CHECK(list.body.find("138****5678") != std::string::npos);
    CHECK(list.body.find("13812345678\"") != std::string::npos);  // only in the search box's value
    CHECK(list.body.find(">13812345678<") == std::string::npos);
    // Whatever is typed into a search box comes back escaped.
    const HttpResponse hostile = web.Get("/tickets?serial=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", web.viewer);
    CHECK(hostile.body.find("<script>") == std::string::npos);
    CHECK(hostile.body.find("&quot;&gt;&lt;script&gt;") != std::string::npos);

    // A viewer may not publish, even with a valid token; a form without the token is refused.
    CHECK(web.Upload(web.viewer, web.viewerCsrf, "gtin\n").status == 403);
    CHECK(web.Upload(web.admin, "", "gtin\n").status == 403);
    CHECK(web.Upload(web.admin, web.viewerCsrf, "gtin\n").status == 403);
    const HttpResponse refused = web.Upload(web.admin, web.adminCsrf, "bad file");
    CHECK(refused.status == 422);
    CHECK(refused.body.find("catalog.csv:2: &lt;b&gt;bad&lt;/b&gt; GTIN") != std::string::npos);
    CHECK(Ok(web.synced.ho.service->CurrentVersions()).empty());
    const HttpResponse published = web.Upload(web.admin, web.adminCsrf, "good file");
    CHECK(published.status == 200);
    CHECK(Ok(web.synced.ho.service->CurrentVersions()).at("catalog") == 1);

    // A POST from another site is refused whatever it carries.
    auto crossSite = Ok(SendHttp("POST", web.Url("/logout"),
                                 {{"Cookie", "ho_session=" + web.admin}, {"Origin", "http://evil.example"},
                                  {"Content-Type", "application/x-www-form-urlencoded"}},
                                 "csrf=" + web.adminCsrf));
    CHECK(crossSite.status == 403);
    CHECK(web.Get("/", web.admin).status == 200);

    const HttpResponse csv = web.Get("/reports.csv?by=store&from=2026-11-01&to=2026-11-30", web.viewer);
    CHECK(csv.status == 200);
    CHECK(csv.body.find("\"S012\",\"S012\",4,") != std::string::npos);

    // A second kiosk's ratings, approvals, calls and self-help show in the reports page's own tables,
    // added to the first kiosk's ratings and self-help.
    SyncServiceRecords(web.synced.ho, web.synced.dir.File("kiosk-S012-K2.db"), {"S012", "K2"});
    const HttpResponse reports = web.Get("/reports?from=2026-11-01&to=2026-11-30", web.viewer);
    REQUIRE(reports.status == 200);
    const auto row = [&](std::string_view table, std::string_view key) {
        const auto at = reports.body.find("id=\"" + std::string(table) + "\"");
        REQUIRE(at != std::string::npos);
        const auto begin = reports.body.find("data-key=\"" + std::string(key) + "\"", at);
        REQUIRE(begin != std::string::npos);
        return reports.body.substr(begin, reports.body.find("</tr>", begin) - begin);
    };
    CHECK(row("csat-staff", "S012/E1001").find("<td class=\"answers\">3</td><td class=\"average\">3.67</td>") != std::string::npos);
    CHECK(row("csat-staff", "S012/E2003").find("<td class=\"average\">5.00</td>") != std::string::npos);
    CHECK(reports.body.find("<td class=\"comment\">fast and friendly</td>") != std::string::npos);
    CHECK(row("approvals", "total").find("<td class=\"within\">50.0% (1)</td><td class=\"minutes\">35.0</td>") != std::string::npos);
    CHECK(row("approvals", "total").find("<td class=\"overdue\">1</td>") != std::string::npos);
    CHECK(row("followups", "total").find("<td class=\"due\">2</td><td class=\"done\">1</td><td class=\"completion\">50.0%</td>") !=
          std::string::npos);
    // battery: 1 of 4 at the first kiosk, 1 of 3 at the second.
    CHECK(row("deflection-categories", "battery").find("<td>7</td><td>2</td><td class=\"deflection\">28.6%</td>") != std::string::npos);
    // No script was marked used at these kiosks: every ticket counts as served without one.
    CHECK(row("scripts", "any scene").find("<td class=\"used\">0</td>") != std::string::npos);

    // A third kiosk's queue numbers: per store, service and hour, waits and service times in minutes.
    SyncQueueNumbers(web.synced.ho, web.synced.dir.File("kiosk-S012-K9.db"), "K9");
    const HttpResponse withQueue = web.Get("/reports?from=2026-11-01&to=2026-11-30", web.viewer);
    REQUIRE(withQueue.status == 200);
    const auto queueAt = withQueue.body.find("<table id=\"queue\">");
    REQUIRE(queueAt != std::string::npos);
    const auto morning = withQueue.body.find("data-key=\"S012/pickup/9\"", queueAt);
    REQUIRE(morning != std::string::npos);
    const std::string morningRow = withQueue.body.substr(morning, withQueue.body.find("</tr>", morning) - morning);
    CHECK(morningRow.find("<td>09:00</td><td class=\"taken\">3</td><td class=\"called\">3</td><td class=\"served\">2</td>"
                          "<td class=\"no-shows\">1</td><td class=\"wait\">11.7</td><td class=\"service-time\">8.0</td>") !=
          std::string::npos);
}

// A gateway that takes the first message and refuses the rest (the webhook itself is tested in
// sync_tests and reliability_tests).
class FirstOnlyGateway final : public headoffice::NotificationGateway {
public:
    headoffice::DeliveryResult Deliver(const headoffice::OutgoingMessage&) override {
        if (m_taken++ == 0) return {headoffice::DeliveryResult::Outcome::Delivered, "HTTP 202"};
        return {headoffice::DeliveryResult::Outcome::Refused, "HTTP 400: number not reachable"};
    }

private:
    int m_taken = 0;
};

TEST_CASE("a ticket's page shows its customer messages; failed ones are listed and an admin sends one again", "[dashboard]") {
    WebHeadOffice web;
    const std::string number = web.synced.tickets.c;
    {
        auto lease = Ok(web.synced.ho.service->Pool().Acquire());
        Ok(headoffice::RememberConsent(*lease, number, Json{{"notify", true}, {"customerPhone", "13800138000"}, {"language", "en"}}));
        Ok(headoffice::QueueMove(*lease, "11111111-1111-4111-8111-111111111111", number, "submitted", "in_progress", "", 1000, 1000));
        Ok(headoffice::QueueMove(*lease, "22222222-2222-4222-8222-222222222222", number, "in_progress", "resolved", "", 2000, 2000));
        Ok(headoffice::QueueMove(*lease, "33333333-3333-4333-8333-333333333333", number, "resolved", "closed", "", 3000, 3000));
    }
    headoffice::NotificationTexts texts;
    texts.fallback.enabled = true;
    texts.fallback.messages = {{"progress", "in_progress", "", {"a", "a", "Working on {ticket_number}"}},
                               {"closed", "closed", "", {"b", "b", "Closed {ticket_number}"}}};
    FirstOnlyGateway gateway;
    headoffice::NotifierOptions options;
    options.owner = "test";
    headoffice::Notifier notifier(web.synced.ho.service->Pool(), gateway, texts, options, [] { return std::int64_t{5000}; });
    const auto round = Ok(notifier.RunOnce());
    CHECK(round.delivered == 1);
    CHECK(round.failed == 1);
    CHECK(round.notSent == 1);

    const HttpResponse page = web.Get("/tickets/" + number, web.viewer);
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<tr data-state=\"sent\" data-message=\"progress\">") != std::string::npos);
    CHECK(page.body.find("<tr data-state=\"failed\" data-message=\"closed\">") != std::string::npos);
    CHECK(page.body.find("HTTP 400: number not reachable") != std::string::npos);
    CHECK(page.body.find("<tr data-state=\"not_sent\"") != std::string::npos);
    // Another ticket's customer did not ask: the page says so.
    CHECK(web.Get("/tickets/" + web.synced.tickets.a, web.viewer).body.find("the customer did not ask for them") != std::string::npos);

    const HttpResponse failed = web.Get("/messages", web.viewer);
    REQUIRE(failed.status == 200);
    const std::string id = "n-33333333-3333-4333-8333-333333333333";
    CHECK(failed.body.find("data-id=\"" + id + "\"") != std::string::npos);
    CHECK(failed.body.find("/messages/resend") == std::string::npos);  // viewers see no button
    const auto resend = [&](const std::string& token, const std::string& csrf) {
        return Ok(SendHttp("POST", web.Url("/messages/resend"),
                           {{"Cookie", "ho_session=" + token + "; ho_lang=en"}, {"Content-Type", "application/x-www-form-urlencoded"}},
                           "csrf=" + csrf + "&id=" + id));
    };
    CHECK(resend(web.viewer, web.viewerCsrf).status == 403);
    CHECK(web.Get("/messages", web.admin).body.find("/messages/resend") != std::string::npos);
    const HttpResponse queued = resend(web.admin, web.adminCsrf);
    CHECK(queued.status == 200);
    CHECK(queued.body.find("id=\"resend-ok\"") != std::string::npos);
    CHECK(queued.body.find("data-id=\"" + id + "\"") == std::string::npos);
    CHECK(resend(web.admin, web.adminCsrf).status == 404);  // no longer failed
    CHECK(HeadOfficeCount(web.synced.dir.File("ho.db"), "SELECT count(*) FROM notifications WHERE state = 'queued'") == 1);
    CHECK(HeadOfficeCount(web.synced.dir.File("ho.db"), "SELECT count(*) FROM audit_log WHERE action = 'message_resend'") == 1);
}

}  // namespace kiosk::sync::test

namespace kiosk::sync::test {

// Not a test: the data the browser test (tests/web) reads, made through the real kiosk and ingest
// paths. Hidden from normal runs; run_web_test.sh runs it with KIOSK_WEB_FIXTURE_DIR set.
// What the kiosk application recorded of its devices reaches head office with the real worker (no
// status provider): the fleet shows the printer out of paper and the software version.
TEST_CASE("the device status a kiosk recorded reaches head office's fleet view", "[dashboard]") {
    TempDir dir("dashboard-devices");
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const auto kioskDb = dir.File("kiosk.db");
    FileTickets(kioskDb, 1);
    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S030", "K3"))));
    {
        auto db = Ok(storage::Database::Open(kioskDb));
        storage::DeviceStatus devices(db);
        const auto t = storage::test::At("2026-11-22T02:00:00Z");
        CHECK(Ok(devices.Record(storage::device::kPrinter, "ok", t)));
        CHECK(Ok(devices.Record(storage::device::kPrinter, "paper_out", t + std::chrono::seconds{5})));
        CHECK_FALSE(Ok(devices.Record(storage::device::kPrinter, "paper_out", t + std::chrono::seconds{10})));  // unchanged
        Ok(devices.Record(storage::device::kPaper, "out", t));
        Ok(devices.Record(storage::device::kSoftware, "9.8.7", t));
        Ok(devices.Record(storage::device::kScanner, "missing", t));
        Ok(devices.Record(storage::device::kScannerDetail, "usb 05e0:1200 not connected", t));
        Ok(devices.Record(storage::device::kScannerSeen, std::to_string(Ms("2026-11-22T01:30:00Z")), t));
        Ok(devices.Record(storage::device::kCamera, "failed", t));
        Ok(devices.Record(storage::device::kStartedAt, "2026-11-22T00:15:00Z", t));
        Ok(devices.Record(storage::device::kFrameFailures, "3", t));
        const auto facts = Ok(devices.ReadAll());
        CHECK(facts.at("printer").changedAt == t + std::chrono::seconds{5});
    }
    REQUIRE(Ok(Ok(SyncWorker::Open(kioskDb)).Drain()).records > 0);
    {
        auto db = Ok(ho.service->Pool().Acquire());
        const auto fleet = Ok(headoffice::LoadFleet(*db, NowMs(), 60 * kMinute));
        REQUIRE(fleet.size() == 1);
        CHECK(fleet[0].printer == "paper_out");
        CHECK(fleet[0].paper == "out");
        CHECK(fleet[0].software == "9.8.7");
        CHECK(fleet[0].scanner == "missing");
        CHECK(fleet[0].scannerSeenMs == Ms("2026-11-22T01:30:00Z"));
        CHECK(fleet[0].camera == "failed");
        CHECK(fleet[0].startedAtMs == Ms("2026-11-22T00:15:00Z"));
        CHECK(fleet[0].frameFailures == 3);
    }

    // A last-scan time or a frame-failure count that is not a decimal number is left out, as is a
    // start time that is not a UTC timestamp; the rest still goes.
    for (const std::string malformed : {"soon", "12ab", " 17", "-5", "99999999999999999999", ""}) {
        {
            auto kiosk = Ok(storage::Database::Open(kioskDb));
            storage::DeviceStatus devices(kiosk);
            Ok(devices.Record(storage::device::kScannerSeen, malformed, storage::test::At("2026-11-22T03:00:00Z")));
            Ok(devices.Record(storage::device::kScanner, malformed.empty() ? "ok" : "none", storage::test::At("2026-11-22T03:00:00Z")));
            Ok(devices.Record(storage::device::kFrameFailures, malformed, storage::test::At("2026-11-22T03:00:00Z")));
            Ok(devices.Record(storage::device::kStartedAt, malformed, storage::test::At("2026-11-22T03:00:00Z")));
        }
        Ok(Ok(SyncWorker::Open(kioskDb)).Drain());
        auto db = Ok(ho.service->Pool().Acquire());
        const auto fleet = Ok(headoffice::LoadFleet(*db, NowMs(), 60 * kMinute));
        CHECK(fleet[0].scannerSeenMs == 0);
        CHECK(fleet[0].frameFailures == 0);
        CHECK(fleet[0].startedAtMs == 0);
        CHECK(fleet[0].scanner == (malformed.empty() ? "ok" : "none"));
        CHECK(fleet[0].software == "9.8.7");
    }
}

TEST_CASE("an older head-office database gains the status columns added since (scanner, camera, start, frame failures) and keeps its rows", "[dashboard]") {
    TempDir dir("dashboard-upgrade");
    CheckKioskStatusUpgrade("sqlite:" + dir.File("ho.db").string());
}

TEST_CASE("the fleet page flags a kiosk whose scanner is missing or gone, and the dashboard counts it", "[dashboard]") {
    WebHeadOffice web;
    const auto kioskDb = web.EnrolSecondKiosk();
    const auto report = [&](std::string_view scanner) {
        {
            auto db = Ok(storage::Database::Open(kioskDb));
            storage::DeviceStatus devices(db);
            const auto t = storage::test::At("2026-11-22T03:00:00Z");
            Ok(devices.Record(storage::device::kPrinter, "ok", t));
            Ok(devices.Record(storage::device::kPaper, "ok", t));
            Ok(devices.Record(storage::device::kScanner, scanner, t));
            Ok(devices.Record(storage::device::kScannerSeen, std::to_string(Ms("2026-11-22T02:45:00Z")), t));
        }
        Ok(Ok(SyncWorker::Open(kioskDb)).Drain());  // the pull carries the recorded status
    };
    const auto row = FleetRowHtml;
    const auto card = [&web](const std::string& token) {
        const std::string home = web.Get("/", token).body;
        const std::string head = "id=\"card-scanner\"><span>Scanners missing</span><b>";
        const auto at = home.find(head);
        REQUIRE(at != std::string::npos);
        return std::make_pair(home.substr(at + head.size(), home.find('<', at + head.size()) - at - head.size()),
                              home.find("class=\"card alert\" id=\"card-scanner\"") != std::string::npos);
    };

    report("missing");
    std::string fleet = web.Get("/fleet", web.viewer).body;
    CHECK(fleet.find("<th>Scanner</th><th>Scanner seen</th>") != std::string::npos);
    std::string k3 = row(fleet, "S030-K3");
    CHECK(k3.starts_with("<tr class=\"attention\""));
    CHECK(k3.find("<td class=\"scanner\">missing</td><td>2026-11-22 02:45:00Z</td>") != std::string::npos);
    CHECK(k3.find("<td class=\"frame-failures\">0</td><td class=\"refused\">—</td><td class=\"state\">scanner missing</td>") !=
          std::string::npos);
    const std::string k1 = row(fleet, "S012-K1");
    CHECK(k1.starts_with("<tr class=\"\""));
    CHECK(k1.find("<td class=\"scanner\">ok</td>") != std::string::npos);
    CHECK(card(web.viewer) == std::make_pair(std::string("1"), true));
    // In Chinese, the scanner's word and the state are translated.
    const std::string zh = web.Get("/fleet?lang=zh", web.viewer).body;
    CHECK(zh.find("<th>扫码枪</th>") != std::string::npos);
    CHECK(row(zh, "S030-K3").find("<td class=\"scanner\">未连接</td>") != std::string::npos);
    CHECK(row(zh, "S030-K3").find("<td class=\"state\">扫码枪未连接</td>") != std::string::npos);
    CHECK(web.Get("/?lang=zh", web.viewer).body.find("<span>扫码枪缺失</span><b>1</b>") != std::string::npos);

    // No scan source at all is flagged too; a scanner back in place clears the flag.
    report("none");
    k3 = row(web.Get("/fleet", web.viewer).body, "S030-K3");
    CHECK(k3.starts_with("<tr class=\"attention\""));
    CHECK(k3.find("<td class=\"scanner\">none</td>") != std::string::npos);
    CHECK(k3.find("<td class=\"state\">no scanner</td>") != std::string::npos);
    CHECK(card(web.viewer).first == "1");
    report("ok");
    k3 = row(web.Get("/fleet", web.viewer).body, "S030-K3");
    CHECK(k3.starts_with("<tr class=\"\""));
    CHECK(k3.find("<td class=\"state\">ok</td>") != std::string::npos);
    CHECK(card(web.viewer) == std::make_pair(std::string("0"), false));
}

TEST_CASE("web fixture: a head office with synced tickets, a silent kiosk and two users", "[.web-fixture]") {
    const char* dirText = std::getenv("KIOSK_WEB_FIXTURE_DIR");
    REQUIRE(dirText != nullptr);
    const std::filesystem::path dir(dirText);
    const std::string url = "sqlite:" + (dir / "headoffice.db").string();
    {
        LocalHeadOffice ho(url);
        SyncQualityTickets(ho, dir / "kiosk-S012-K1.db");
        // Kiosk S030-K3's printer is out of paper: its application recorded that in its database, and
        // the real worker (no status provider) sends what is recorded.
        const auto paperOut = dir / "kiosk-S030-K3.db";
        FileTickets(paperOut, 0);  // no tickets: the report figures stay those of S012-K1
        Ok(Enrol(paperOut, ho.Url(), Ok(ho.service->AddKiosk("S030", "K3"))));
        {
            auto db = Ok(storage::Database::Open(paperOut));
            storage::DeviceStatus devices(db);
            Ok(devices.Record(storage::device::kPrinter, "paper_out", storage::test::At("2026-11-22T02:00:00Z")));
            Ok(devices.Record(storage::device::kPaper, "out", storage::test::At("2026-11-22T02:00:00Z")));
            Ok(devices.Record(storage::device::kSoftware, "0.1.0", storage::test::At("2026-11-22T02:00:00Z")));
        }
        Ok(Ok(SyncWorker::Open(paperOut)).Drain());  // the pull carries the recorded status
        WebAuth auth = Ok(WebAuth::Open(ho.service->Pool(), {}));
        Ok(auth.AddUser("admin", "admin password", WebRole::Admin));
        Ok(auth.AddUser("viewer", "viewer password", WebRole::Viewer));
    }
    // Kiosk S020-K2 enrolled three hours ago and has not been heard from since.
    auto earlier = Ok(headoffice::IngestService::Open(url, {}, [] { return NowMs() - 3 * 60 * kMinute; }));
    const std::string token = Ok(earlier->AddKiosk("S020", "K2"));
    const headoffice::Reply reply = earlier->HandleEnrol(
        {"POST", std::string(kEnrolPath), [](std::string_view) { return std::string(); }, EncodeEnrolRequest({token, Ok(wire::RandomUuid()), 0})});
    REQUIRE(reply.status == 200);
}


TEST_CASE("a published version the kiosk refuses stays out, and the fleet page names it until a good one applies", "[dashboard]") {
    WebHeadOffice web;
    auto& ho = web.synced.ho;
    const auto kioskDb = web.EnrolSecondKiosk();
    // The kiosk's loader stands in: it refuses any text that says "broken".
    WorkerOptions options;
    options.checkDocument = [](std::string_view dataset, std::string_view text, std::int64_t version) -> core::Result<void> {
        if (text.find("broken") == std::string_view::npos) return {};
        return core::Fail(core::ErrorCode::InvalidInput, "published " + std::string(dataset) + " v" + std::to_string(version) + ":2:1: broken");
    };
    const auto row = [&web] { return FleetRowHtml(web.Get("/fleet", web.viewer).body, "S030-K3"); };
    const auto applied = [&kioskDb](std::string_view dataset) {
        auto db = Ok(storage::Database::Open(kioskDb));
        for (const storage::AppliedDataset& d : Ok(storage::AppliedDatasets(db))) {
            if (d.dataset == dataset) return d.version;
        }
        return std::int64_t{0};
    };

    Ok(ho.service->Publish("calendar", "good calendar v1", "c1"));
    Ok(ho.service->Publish("calendar", "broken calendar v2", "c2"));
    auto worker = Ok(SyncWorker::Open(kioskDb, options));
    Ok(worker.Drain());
    CHECK(applied("calendar") == 0);  // head office sends only the newest, which is refused
    const SyncStatus status = Ok(worker.Status());
    REQUIRE(status.refused.size() == 1);
    CHECK(status.refused[0].dataset == "calendar");
    CHECK(status.refused[0].version == 2);
    CHECK(status.refused[0].why == "published calendar v2:2:1: broken");
    std::string k3 = row();
    CHECK(k3.starts_with("<tr class=\"attention\""));
    CHECK(k3.find("<td class=\"refused\">calendar v2: published calendar v2:2:1: broken</td>") != std::string::npos);
    CHECK(k3.find("<td class=\"state\">refused published data</td>") != std::string::npos);

    // Asking again changes nothing and is not repeated without end.
    Ok(worker.Drain());
    CHECK(applied("calendar") == 0);

    Ok(ho.service->Publish("calendar", "good calendar v3", "c3"));
    Ok(worker.Drain());
    CHECK(applied("calendar") == 3);
    CHECK(Ok(worker.Status()).refused.empty());
    Ok(worker.Drain());  // the next contact carries the cleared refusal
    k3 = row();
    CHECK(k3.find("<td class=\"refused\">—</td>") != std::string::npos);
    CHECK(k3.find("<td class=\"state\">ok</td>") != std::string::npos);
}

}  // namespace kiosk::sync::test
