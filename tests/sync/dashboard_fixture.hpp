// Fixed service data for the dashboard tests: four tickets filed and worked on a real kiosk database
// (store S012, kiosk K1) at known times, whose report figures are worked out by hand below.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "admin/admin_test_support.hpp"
#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "sync/headoffice/projection.hpp"
#include "sync/headoffice/reports.hpp"
#include "sync/headoffice/service_reports.hpp"
#include "storage/storage_test_support.hpp"
#include "sync/sync_test_support.hpp"

namespace kiosk::sync::test {

// Period and figures (SLA targets of assets/sla.toml on assets/calendar.toml, "now" after 2026-11-30):
//   A repair/returning, created 11-01 00:00, received +30 min, ready_for_pickup +10 d, CSAT 5 -> SLA met (15 d)
//   B repair/returning, same serial as A, created 11-02 00:00, received +90 min, ready +20 d, CSAT 2 -> breached; repeat repair
//   C complaint/new, created 11-03 00:00, in_progress +10 min, resolved +1 d, CSAT 4 -> met (7 d)
//   D return/new, created 11-04 00:00, still submitted -> open past its 3 d target: counted, not met
// Totals: 4 tickets, SLA 2 of 4 = 50.0 %, first response (30 + 90 + 10) / 3 = 43.3 min,
// resolution (240 + 480 + 24) / 3 = 248.0 h, CSAT (5 + 2 + 4) / 3 = 3.67, complaints 1 of 4 = 25.0 %, 1 repeat repair.
struct QualityTickets {
    std::string a, b, c, d;  // ticket numbers
};

inline QualityTickets FileQualityTickets(const std::filesystem::path& kioskDb) {
    using storage::test::At;
    using storage::test::Ok;
    auto store = storage::test::OpenStore(kioskDb);
    if (!store.Identity()) Ok(store.Initialize("S012", "K1", At("2026-10-01T00:00:00Z")));
    const core::Actor& staff = storage::test::kSupervisor;
    QualityTickets out;

    core::NewTicket repair = storage::test::RepairRequest();
    repair.serial = "SN-REPEAT-0001";
    out.a = Ok(store.CreateTicket(repair, storage::test::kCustomer, At("2026-11-01T00:00:00Z"))).number;
    Ok(store.TransitionTicket(out.a, "received", staff, "", At("2026-11-01T00:30:00Z")));
    Ok(store.TransitionTicket(out.a, "diagnosing", staff, "", At("2026-11-02T00:00:00Z")));
    Ok(store.TransitionTicket(out.a, "ready_for_pickup", staff, "", At("2026-11-11T00:00:00Z")));
    Ok(store.RateTicket(out.a, 5, "fast and friendly", At("2026-11-11T02:00:00Z")));

    repair.customerPhone = "13900001111";
    out.b = Ok(store.CreateTicket(repair, storage::test::kCustomer, At("2026-11-02T00:00:00Z"))).number;
    Ok(store.TransitionTicket(out.b, "received", staff, "", At("2026-11-02T01:30:00Z")));
    Ok(store.TransitionTicket(out.b, "diagnosing", staff, "", At("2026-11-03T00:00:00Z")));
    Ok(store.TransitionTicket(out.b, "ready_for_pickup", staff, "", At("2026-11-22T00:00:00Z")));
    Ok(store.RateTicket(out.b, 2, "", At("2026-11-22T03:00:00Z")));

    core::NewTicket complaint;
    complaint.type = core::TicketType::Complaint;
    complaint.customerPhone = "13700002222";
    complaint.description = "<script>alert('x')</script> rude staff";
    out.c = Ok(store.CreateTicket(complaint, storage::test::kCustomer, At("2026-11-03T00:00:00Z"))).number;
    Ok(store.TransitionTicket(out.c, "in_progress", staff, "", At("2026-11-03T00:10:00Z")));
    Ok(store.TransitionTicket(out.c, "resolved", staff, "apologised", At("2026-11-04T00:00:00Z")));
    Ok(store.RateTicket(out.c, 4, "", At("2026-11-04T01:00:00Z")));

    core::NewTicket refund = storage::test::RepairRequest();
    refund.type = core::TicketType::Return;
    refund.remedy = core::Remedy::Refund;
    refund.customerTier = core::Tier::New;
    refund.serial = "SN-RETURN-0001";
    refund.customerPhone = "13600003333";
    out.d = Ok(store.CreateTicket(refund, storage::test::kCustomer, At("2026-11-04T00:00:00Z"))).number;
    return out;
}

// The kiosk's parsers for published SLA targets and calendars, the shipped files when none is published,
// as `headoffice serve` hands them to head office.
inline headoffice::SlaParsers TestSlaParsers() {
    headoffice::SlaParsers parsers;
    parsers.sla = [](const headoffice::PublishedDocument& doc) {
        return doc.version > 0 ? config::ParseSlaPolicy(doc.text, "published sla")
                               : config::LoadSlaPolicyFile(KIOSK_TEST_ASSET_DIR "/sla.toml");
    };
    parsers.calendar = [](const headoffice::PublishedDocument& doc) {
        return doc.version > 0 ? config::ParseCalendar(doc.text, "published calendar")
                               : config::LoadCalendarFile(KIOSK_TEST_ASSET_DIR "/calendar.toml");
    };
    return parsers;
}

// The lifecycle's first-response and resolving statuses and the SLA rules, as `headoffice serve` loads them.
inline headoffice::ProjectionRules TestProjectionRules() {
    core::Lifecycle lifecycle = Ok(config::LoadLifecycleFile(KIOSK_TEST_ASSET_DIR "/lifecycle.toml"));
    headoffice::ProjectionRules rules;
    for (const core::StatusInfo& s : lifecycle.statuses) {
        if (s.firstResponse) rules.firstResponse.insert(s.id);
        if (s.resolves) rules.resolves.insert(s.id);
    }
    rules.sla = std::make_shared<headoffice::SlaRulesSource>(std::move(lifecycle), TestSlaParsers());
    return rules;
}

inline core::SlaPolicy TestSla() { return Ok(config::LoadSlaPolicyFile(KIOSK_TEST_ASSET_DIR "/sla.toml")); }

inline std::int64_t Ms(std::string_view iso) { return storage::test::At(iso).time_since_epoch().count() * 1000; }

// The kiosk's admin store on `kioskDb`, as the kiosk opens it (the shipped lifecycle and roles, an
// always-open calendar so approval deadlines are 30 minutes).
struct KioskAdmin {
    core::Lifecycle lifecycle = Ok(config::LoadLifecycleFile(KIOSK_TEST_ASSET_DIR "/lifecycle.toml"));
    core::SlaPolicy sla = TestSla();
    core::BusinessCalendar calendar = admin_test::AlwaysOpen();
    storage::KioskStore tickets;
    storage::AdminStore admin;

    explicit KioskAdmin(const std::filesystem::path& kioskDb)
        : tickets(storage::test::OpenStore(kioskDb)),
          admin(Ok(storage::AdminStore::Open(Ok(storage::Database::Open(kioskDb)), tickets, lifecycle, sla, calendar,
                                             admin_test::Roles()))) {}
};

// Files the fixed tickets on a kiosk database, enrols it with `ho` and drains it with the real worker,
// reporting a printer low on paper; the kiosk counted self-help (3 of 10 offered suggestions solved).
inline QualityTickets SyncQualityTickets(LocalHeadOffice& ho, const std::filesystem::path& kioskDb) {
    ho.service->SetProjectionRules(TestProjectionRules());
    QualityTickets tickets = FileQualityTickets(kioskDb);
    {
        KioskAdmin kiosk(kioskDb);
        for (int i = 0; i < 4; ++i) Ok(kiosk.admin.RecordSelfHelp("battery", i == 0, storage::test::At("2026-11-05T02:00:00Z")));
        for (int i = 0; i < 6; ++i) Ok(kiosk.admin.RecordSelfHelp("screen", i < 2, storage::test::At("2026-11-06T02:00:00Z")));
    }
    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));
    auto worker = Ok(SyncWorker::Open(kioskDb));
    worker.SetStatusProvider([] {
        KioskStatus status;
        core::PrinterStatus printer;
        printer.online = true;
        printer.paperNearEnd = true;
        DescribePrinter(printer, status);
        status.scanner = "ok";
        status.scannerSeenMs = Ms("2026-11-22T01:00:00Z");
        status.camera = "off";
        return status;
    });
    REQUIRE(Ok(worker.Drain()).records > 0);
    return tickets;
}

// The SLA agreement scenario (issue 18): head office publishes a calendar for a store closed at weekends,
// with Labour Day 2026-05-01..05 off and Saturday 05-09 worked instead (调休), and SLA targets under which
// repairs are resolved within 36 business hours. Times below are local (+08:00).
inline constexpr std::string_view kAgreementCalendar = R"(utc_offset = "+08:00"
make_up_hours = ["09:00-18:00"]

[weekly]
mon = ["09:00-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-18:00"]
sat = []
sun = []

[[holidays]]
name = "劳动节 Labour Day"
from = "2026-05-01"
to = "2026-05-05"
make_up_workdays = ["2026-05-09"]
)";

inline std::string AgreementSla() {
    std::ifstream in(KIOSK_TEST_ASSET_DIR "/sla.toml");
    std::stringstream text;
    text << in.rdbuf();
    std::string sla = text.str();
    const std::string shipped = R"(resolution = { basis = "calendar", new = "15d", returning = "15d", vip = "180h" })";
    const auto at = sla.find(shipped);
    REQUIRE(at != std::string::npos);
    return sla.replace(at, shipped.size(), R"(resolution = { basis = "business", new = "36h", returning = "36h", vip = "18h" })");
}

//   R repair/new, filed Thu 04-30 16:00. First response (4 business hours): 2 h that day, the holiday, 2 h
//     more on Wed 05-06: due 05-06 11:00; received 10:30 -> met on time (3 h 30 counted).
//     Resolution (36 business hours): 04-30 2 h, 05-06 9 h, 05-07 09:00-10:00 1 h, then awaiting parts
//     until Fri 05-08 17:00 (paused), 1 h, the 调休 Saturday 05-09 9 h, Sun closed, Mon 05-11 9 h, Tue
//     05-12 5 h: due 05-12 14:00; ready for pickup 15:00 -> met late (37 h counted): breached.
//   Q complaint/new, filed on the 调休 Saturday 05-09 17:50 and never answered. First response (30 business
//     minutes): 10 min that day, Sun closed, due Mon 05-11 09:20. Resolution (7 calendar days): 05-16
//     17:50 is a Saturday, so due at the next opening, Mon 05-18 09:00.
struct AgreementTickets {
    std::string repair, complaint;
};

inline AgreementTickets FileAgreementTickets(const std::filesystem::path& kioskDb) {
    using storage::test::At;
    using storage::test::Ok;
    auto store = storage::test::OpenStore(kioskDb);
    if (!store.Identity()) Ok(store.Initialize("S012", "K1", At("2026-04-01T00:00:00Z")));
    const core::Actor& staff = storage::test::kTechnician;
    AgreementTickets out;
    core::NewTicket repair = storage::test::RepairRequest();
    repair.customerTier = core::Tier::New;
    repair.purchasedOn = storage::test::Day("2026-04-01");
    repair.orderNumber = "SO-S012-20260401-00001";
    out.repair = Ok(store.CreateTicket(repair, storage::test::kCustomer, At("2026-04-30T08:00:00Z"))).number;
    Ok(store.TransitionTicket(out.repair, "received", staff, "", At("2026-05-06T02:30:00Z")));
    Ok(store.TransitionTicket(out.repair, "diagnosing", staff, "", At("2026-05-06T03:00:00Z")));
    Ok(store.TransitionTicket(out.repair, "awaiting_parts", staff, "battery ordered", At("2026-05-07T02:00:00Z")));
    Ok(store.TransitionTicket(out.repair, "in_repair", staff, "", At("2026-05-08T09:00:00Z")));
    Ok(store.TransitionTicket(out.repair, "ready_for_pickup", staff, "", At("2026-05-12T07:00:00Z")));
    core::NewTicket complaint;
    complaint.type = core::TicketType::Complaint;
    complaint.customerTier = core::Tier::New;
    complaint.customerPhone = "13700004444";
    complaint.description = "nobody called back";
    out.complaint = Ok(store.CreateTicket(complaint, storage::test::kCustomer, At("2026-05-09T09:50:00Z"))).number;
    return out;
}

// Publishes the scenario's calendar and SLA at `ho`, files its tickets on `kioskDb` and drains them to `ho`.
inline AgreementTickets SyncAgreementTickets(LocalHeadOffice& ho, const std::filesystem::path& kioskDb) {
    Ok(ho.service->Publish("calendar", kAgreementCalendar, "test"));
    Ok(ho.service->Publish("sla", AgreementSla(), "test"));
    ho.service->SetProjectionRules(TestProjectionRules());
    AgreementTickets tickets = FileAgreementTickets(kioskDb);
    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));
    auto worker = Ok(SyncWorker::Open(kioskDb));
    REQUIRE(Ok(worker.Drain()).records > 0);
    return tickets;
}

// Service records made at a store's kiosk (S012-K1, a head office of its own) in November, worked out by hand:
//   Ratings: W handed back by E2001 and rated 2 "slow" (11-11 00:10); P handed back by E2003 and rated 5 "great"
//            (11-12 00:05). By staff: E2001 1 answer, 2.00; E2003 1 answer, 5.00. Comments newest first: great, slow.
//   Approvals (30-minute limit): X asked 11-10 04:00, approved 04:20 (20 min); Y asked 05:00, refused 05:50 (50 min,
//            late); Z asked 06:00, never decided (overdue). Asked 3, decided 2, 1 within the limit = 50.0 %,
//            average decision (20 + 50) / 2 = 35.0 min, 1 refused, 1 overdue.
//   Follow-ups: Q closed 11-12 01:00, no answer 05:00, reached 20:00 (19 h: in time); R closed 11-12 02:00, reached
//            11-13 10:00 (32 h: late). P and W were rated, so not due. Due 2, done in time 1 = 50.0 %, 3 calls.
//   Self-help on 11-10: battery offered 3, solved 1 (33.3 %); screen offered 1, solved 1 (100 %).
// `enrolAs`: the kiosk code head office enrols it under (its tickets are numbered S012-K1- all the same).
inline void SyncServiceRecords(LocalHeadOffice& ho, const std::filesystem::path& kioskDb,
                               std::pair<std::string, std::string> enrolAs = {"S012", "K1"}) {
    using storage::test::At;
    ho.service->SetProjectionRules(TestProjectionRules());
    const core::Actor technician{core::Role::Technician, "E2001"};
    const core::Actor supervisor{core::Role::Supervisor, "E2002"};
    const core::Actor clerk{core::Role::Clerk, "E2003"};
    {
        auto store = storage::test::OpenStore(kioskDb);
        Ok(store.Initialize("S012", "K1", At("2026-10-01T00:00:00Z")));
    }
    KioskAdmin kiosk(kioskDb);
    // A repair filed at `at` and worked by the technician to `status` an hour later.
    const auto repair = [&](std::string_view at, std::vector<std::string> path) {
        const core::Timestamp filed = At(at);
        const std::string number = Ok(kiosk.tickets.CreateTicket(storage::test::RepairRequest(), storage::test::kCustomer, filed)).number;
        int minute = 0;
        for (const std::string& status : path) {
            Ok(kiosk.tickets.TransitionTicket(number, status, technician, "", filed + std::chrono::minutes{++minute}));
        }
        return number;
    };
    const std::vector<std::string> toPickup{"received", "diagnosing", "ready_for_pickup"};
    const std::vector<std::string> toDiagnosing{"received", "diagnosing"};

    const std::string w = repair("2026-11-10T07:00:00Z", toPickup);
    Ok(kiosk.admin.HandBack(technician, w, "", At("2026-11-11T00:00:00Z")));
    Ok(kiosk.admin.RecordCsat(w, 2, "slow", At("2026-11-11T00:10:00Z")));
    const std::string p = repair("2026-11-10T00:00:00Z", toPickup);
    Ok(kiosk.admin.HandBack(clerk, p, "", At("2026-11-12T00:00:00Z")));
    Ok(kiosk.admin.RecordCsat(p, 5, "great", At("2026-11-12T00:05:00Z")));

    namespace ca = core::admin;
    const std::string x = repair("2026-11-10T03:00:00Z", toDiagnosing);
    const std::string y = repair("2026-11-10T03:10:00Z", toDiagnosing);
    const std::string z = repair("2026-11-10T03:20:00Z", toDiagnosing);
    const auto ask = [&](const std::string& number, std::string_view at) {
        return Ok(kiosk.admin.RequestApproval(technician, ca::ApprovalRequest{number, ca::ApprovalKind::Refund, 150000, "refund"},
                                              At(at))).id;
    };
    Ok(kiosk.admin.Decide(supervisor, ask(x, "2026-11-10T04:00:00Z"), ca::ApprovalDecision{true, "within policy", ""},
                          At("2026-11-10T04:20:00Z")));
    Ok(kiosk.admin.Decide(supervisor, ask(y, "2026-11-10T05:00:00Z"), ca::ApprovalDecision{false, "no proof of purchase", ""},
                          At("2026-11-10T05:50:00Z")));
    ask(z, "2026-11-10T06:00:00Z");

    const std::string q = repair("2026-11-10T01:00:00Z", toPickup);
    Ok(kiosk.admin.HandBack(clerk, q, "", At("2026-11-12T01:00:00Z")));
    Ok(kiosk.admin.RecordCall(clerk, q, ca::CallOutcome::NoAnswer, "", At("2026-11-12T05:00:00Z")));
    Ok(kiosk.admin.RecordCall(clerk, q, ca::CallOutcome::Reached, "happy with the repair", At("2026-11-12T20:00:00Z")));
    const std::string r = repair("2026-11-10T02:00:00Z", toPickup);
    Ok(kiosk.admin.HandBack(technician, r, "", At("2026-11-12T02:00:00Z")));
    Ok(kiosk.admin.RecordCall(clerk, r, ca::CallOutcome::Reached, "", At("2026-11-13T10:00:00Z")));

    for (int i = 0; i < 3; ++i) Ok(kiosk.admin.RecordSelfHelp("battery", i == 0, At("2026-11-10T02:00:00Z")));
    Ok(kiosk.admin.RecordSelfHelp("screen", true, At("2026-11-10T02:00:00Z")));

    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk(enrolAs.first, enrolAs.second))));
    auto worker = Ok(SyncWorker::Open(kioskDb));
    REQUIRE(Ok(worker.Drain()).records > 0);
}

// The figures SyncServiceRecords worked out, as head office reports them for November.
inline void CheckServiceReport(headoffice::SqlSession& db) {
    const auto report = Ok(headoffice::LoadServiceReport(db, Ms("2026-11-01T00:00:00Z"), Ms("2026-12-01T00:00:00Z"),
                                                         Ms("2026-11-30T00:00:00Z")));
    REQUIRE(report.csat.size() == 2);
    CHECK(report.csat[0].store == "S012");
    CHECK(report.csat[0].staff == "E2001");
    CHECK(report.csat[0].answers == 1);
    CHECK(report.csat[0].Average() == Approx(2.0));
    CHECK(report.csat[0].distribution == std::array<std::int64_t, 5>{0, 1, 0, 0, 0});
    CHECK(report.csat[1].staff == "E2003");
    CHECK(report.csat[1].Average() == Approx(5.0));
    REQUIRE(report.comments.size() == 2);
    CHECK(report.comments[0].comment == "great");
    CHECK(report.comments[0].score == 5);
    CHECK(report.comments[1].comment == "slow");

    REQUIRE(report.approvals.size() == 2);  // S012, then the total
    const headoffice::ApprovalFigures& a = report.approvals.back();
    CHECK(report.approvals[0].store == "S012");
    CHECK(a.store.empty());
    CHECK(a.requested == 3);
    CHECK(a.decided == 2);
    CHECK(a.withinLimit == 1);
    CHECK(a.WithinLimitShare() == Approx(0.5));
    CHECK(a.AverageMinutes() == Approx(35.0));
    CHECK(a.refused == 1);
    CHECK(a.overdue == 1);

    REQUIRE(report.followUps.size() == 2);
    const headoffice::FollowUpFigures& f = report.followUps.back();
    CHECK(f.due == 2);
    CHECK(f.doneInTime == 1);
    CHECK(f.Completion() == Approx(0.5));
    CHECK(f.calls == 3);

    REQUIRE(report.deflection.size() == 2);
    CHECK(report.deflection[0].category == "battery");
    CHECK(report.deflection[0].offered == 3);
    CHECK(report.deflection[0].Deflection() == Approx(1.0 / 3.0));
    CHECK(report.deflection[1].category == "screen");
    CHECK(report.deflection[1].Deflection() == Approx(1.0));

    // The ratings are their own event kind in the tickets' timelines, and set the tickets' CSAT.
    const auto rated = Ok(headoffice::SearchTickets(db, {"", "", "", "", "S012", "closed", 0, 0, 10}));
    CHECK(rated.size() == 4);
    std::int64_t csatSum = 0;
    for (const headoffice::TicketRow& t : rated) csatSum += t.csat;
    CHECK(csatSum == 7);
}

// A head-office database as an earlier version left it: kiosk_status without the scanner, camera,
// started_at and frame_failures columns, with one kiosk's status in it (S040-K4, whose printer is out of paper).
inline void MakeOldKioskStatusTable(const std::string& dbUrl) {
    auto sessions = Ok(headoffice::SessionFactoryFor(dbUrl));
    auto db = Ok(sessions());
    Ok(db->Query("CREATE TABLE kiosk_status (kiosk TEXT PRIMARY KEY, software TEXT NOT NULL, printer TEXT NOT NULL, "
                 "paper TEXT NOT NULL, scanner_seen BIGINT NOT NULL, reported_at BIGINT NOT NULL)"));
    Ok(db->Query("INSERT INTO kiosk_status (kiosk, software, printer, paper, scanner_seen, reported_at) "
                 "VALUES ('S040-K4', '0.9.0', 'paper_out', 'out', 1795098400000, 1795098500000)"));
}

// Opening the older database of MakeOldKioskStatusTable (several servers at once) adds the columns and
// keeps the row; a status with a missing scanner is then stored, and opening again keeps it.
inline void CheckKioskStatusUpgrade(const std::string& dbUrl) {
    MakeOldKioskStatusTable(dbUrl);
    const auto fleetRow = [](headoffice::IngestService& service, std::string_view code) {
        auto db = Ok(service.Pool().Acquire());
        for (headoffice::FleetRow& row : Ok(headoffice::LoadFleet(*db, Ms("2026-11-22T02:00:00Z"), 3'600'000))) {
            if (row.code == code) return row;
        }
        FAIL("no fleet row for " << code);
        return headoffice::FleetRow{};
    };
    // Servers starting together on the old database: each finds the columns missing or added.
    std::vector<std::thread> servers;
    std::vector<int> opened(3, 0);
    for (std::size_t i = 0; i < opened.size(); ++i) {
        servers.emplace_back([&, i] { opened[i] = headoffice::IngestService::Open(dbUrl).has_value() ? 1 : 0; });
    }
    for (std::thread& t : servers) t.join();
    CHECK(opened == std::vector<int>{1, 1, 1});
    {
        auto service = Ok(headoffice::IngestService::Open(dbUrl));
        Ok(service->AddKiosk("S040", "K4"));
        const headoffice::FleetRow kept = fleetRow(*service, "S040-K4");
        CHECK(kept.software == "0.9.0");
        CHECK(kept.printer == "paper_out");
        CHECK(kept.paper == "out");
        CHECK(kept.scannerSeenMs == 1795098400000);
        CHECK(kept.scanner.empty());
        CHECK(kept.camera.empty());
        CHECK(kept.startedAtMs == 0);
        CHECK(kept.frameFailures == 0);
        auto db = Ok(service->Pool().Acquire());
        // The old row took the columns' default, not NULL.
        CHECK(Ok(db->Query("SELECT kiosk FROM kiosk_status WHERE scanner = '' AND camera = '' AND started_at = 0 "
                           "AND frame_failures = 0")).size() == 1);

        KioskStatus status;
        status.software = "1.0.0";
        status.printer = "ok";
        status.paper = "ok";
        status.scanner = "missing";
        status.camera = "failed";
        status.frameFailures = 4;
        Ok(headoffice::StoreKioskStatus(*db, "S040-K4", status, Ms("2026-11-22T01:00:00Z")));
    }
    auto again = Ok(headoffice::IngestService::Open(dbUrl));
    const headoffice::FleetRow stored = fleetRow(*again, "S040-K4");
    CHECK(stored.scanner == "missing");
    CHECK(stored.camera == "failed");
    CHECK(stored.frameFailures == 4);
    CHECK(stored.software == "1.0.0");
}

}  // namespace kiosk::sync::test
