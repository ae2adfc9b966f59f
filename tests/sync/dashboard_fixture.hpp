// Fixed service data for the dashboard tests: four tickets filed and worked on a real kiosk database
// (store S012, kiosk K1) at known times, whose report figures are worked out by hand below.
#pragma once

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "sync/headoffice/projection.hpp"
#include "sync/headoffice/reports.hpp"
#include "storage/storage_test_support.hpp"
#include "sync/sync_test_support.hpp"

namespace kiosk::sync::test {

// Period and figures (SLA targets of assets/sla.toml, "now" after 2026-11-30):
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
    Ok(store.AddNote(out.a, storage::test::kCustomer, "csat 5/5\nfast and friendly", At("2026-11-11T02:00:00Z")));

    repair.customerPhone = "13900001111";
    out.b = Ok(store.CreateTicket(repair, storage::test::kCustomer, At("2026-11-02T00:00:00Z"))).number;
    Ok(store.TransitionTicket(out.b, "received", staff, "", At("2026-11-02T01:30:00Z")));
    Ok(store.TransitionTicket(out.b, "diagnosing", staff, "", At("2026-11-03T00:00:00Z")));
    Ok(store.TransitionTicket(out.b, "ready_for_pickup", staff, "", At("2026-11-22T00:00:00Z")));
    Ok(store.AddNote(out.b, storage::test::kCustomer, "csat 2/5", At("2026-11-22T03:00:00Z")));

    core::NewTicket complaint;
    complaint.type = core::TicketType::Complaint;
    complaint.customerPhone = "13700002222";
    complaint.description = "<script>alert('x')</script> rude staff";
    out.c = Ok(store.CreateTicket(complaint, storage::test::kCustomer, At("2026-11-03T00:00:00Z"))).number;
    Ok(store.TransitionTicket(out.c, "in_progress", staff, "", At("2026-11-03T00:10:00Z")));
    Ok(store.TransitionTicket(out.c, "resolved", staff, "apologised", At("2026-11-04T00:00:00Z")));
    Ok(store.AddNote(out.c, storage::test::kCustomer, "csat 4/5", At("2026-11-04T01:00:00Z")));

    core::NewTicket refund = storage::test::RepairRequest();
    refund.type = core::TicketType::Return;
    refund.remedy = core::Remedy::Refund;
    refund.customerTier = core::Tier::New;
    refund.serial = "SN-RETURN-0001";
    refund.customerPhone = "13600003333";
    out.d = Ok(store.CreateTicket(refund, storage::test::kCustomer, At("2026-11-04T00:00:00Z"))).number;
    return out;
}

// The lifecycle's first-response and resolving statuses, as `headoffice serve` loads them.
inline headoffice::ProjectionRules TestProjectionRules() {
    const core::Lifecycle lifecycle = Ok(config::LoadLifecycleFile(KIOSK_TEST_ASSET_DIR "/lifecycle.toml"));
    headoffice::ProjectionRules rules;
    for (const core::StatusInfo& s : lifecycle.statuses) {
        if (s.firstResponse) rules.firstResponse.insert(s.id);
        if (s.resolves) rules.resolves.insert(s.id);
    }
    return rules;
}

inline core::SlaPolicy TestSla() { return Ok(config::LoadSlaPolicyFile(KIOSK_TEST_ASSET_DIR "/sla.toml")); }

inline std::int64_t Ms(std::string_view iso) { return storage::test::At(iso).time_since_epoch().count() * 1000; }

// Files the fixed tickets on a kiosk database, enrols it with `ho` and drains it with the real worker,
// reporting a printer low on paper and self-help counts (3 of 10 offered suggestions solved).
inline QualityTickets SyncQualityTickets(LocalHeadOffice& ho, const std::filesystem::path& kioskDb) {
    ho.service->SetProjectionRules(TestProjectionRules());
    QualityTickets tickets = FileQualityTickets(kioskDb);
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
        status.selfHelp = {{"2026-11-05", "battery", 4, 1}, {"2026-11-06", "screen", 6, 2}};
        return status;
    });
    REQUIRE(Ok(worker.Drain()).records > 0);
    return tickets;
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
