// Drains a 100,000-record outbox backlog to a head-office server on loopback (SQLite store), with the
// worker's default batches and with head office's largest, against a bare bulk insert in the same run;
// then real ticket events (2,000 tickets worked through 5 statuses) with the ticket projection, without
// and with the SLA head office measures each ticket with (the kiosk's engine, evaluated in the ingest).
#include <chrono>
#include <cstdio>
#include <string>

#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "kiosk/storage/database.hpp"
#include "kiosk/storage/kiosk_store.hpp"
#include "kiosk/storage/outbox.hpp"
#include "support/temp_dir.hpp"
#include "sync/codec.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/worker.hpp"
#include "sync/wire/ids.hpp"

namespace {

using namespace kiosk;
constexpr int kRecords = 100'000;
constexpr int kChunk = 500;

template <class T>
T Must(core::Result<T> result) {
    if (!result) {
        std::fprintf(stderr, "sync_bench: %s\n", result.error().message.c_str());
        std::exit(1);
    }
    return std::move(*result);
}

void Must(core::Result<void> result) {
    if (!result) {
        std::fprintf(stderr, "sync_bench: %s\n", result.error().message.c_str());
        std::exit(1);
    }
}

std::string Payload(int n) {
    return R"({"kind":"created","ticket":"S012-K1-20261122-)" + std::to_string(n) +
           R"(","actor":"customer","note":"the battery runs flat within an hour of charging, customer asks for repair"})";
}

// The kiosk database with the backlog written straight into its outbox (one transaction).
void FillOutbox(const std::filesystem::path& file) {
    auto outbox = Must(storage::Outbox::Open(Must(storage::Database::Open(file))));
    Must(outbox.Db().Execute("INSERT INTO meta (id, store_code, kiosk_code, kiosk_id, epoch, created_at) VALUES "
                             "(1, 'S012', 'K1', '36e279c9-56d3-4bfb-ab69-eedf11e0e64b', 1, '2026-11-01T00:00:00Z')"));
    auto tx = Must(storage::Transaction::Begin(outbox.Db()));
    auto insert = Must(outbox.Db().Prepare(
        "INSERT INTO outbox (id, epoch, record_type, payload, created_at) VALUES (?1, 1, 'ticket_event', ?2, '2026-11-22T02:00:00Z')"));
    for (int i = 0; i < kRecords; ++i) {
        insert.Bind(1, Must(wire::RandomUuid())).Bind(2, Payload(i));
        Must(insert.Run());
    }
    Must(tx.Commit());
}

// The baseline: the same rows into the head office's records table, prepared statement, one
// transaction per kChunk rows, synchronous=FULL as the server runs.
double BareInsertSeconds(const std::filesystem::path& file) {
    auto db = Must(storage::Database::Open(file));
    Must(db.Execute("CREATE TABLE records (id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, epoch BIGINT NOT NULL, seq BIGINT NOT NULL, "
                    "type TEXT NOT NULL, kiosk_time BIGINT NOT NULL, payload TEXT NOT NULL, payload_sha TEXT NOT NULL, "
                    "received_at BIGINT NOT NULL, UNIQUE (kiosk, epoch, seq))"));
    const auto start = std::chrono::steady_clock::now();
    for (int chunk = 0; chunk < kRecords; chunk += kChunk) {
        auto tx = Must(storage::Transaction::Begin(db));
        auto insert = Must(db.Cached("INSERT INTO records VALUES (?1, 'S012-K1', 1, ?2, 'ticket_event', 0, ?3, ?4, 0)"));
        for (int i = chunk; i < chunk + kChunk; ++i) {
            const std::string payload = Payload(i);
            insert.Bind(1, Must(wire::RandomUuid())).Bind(2, std::int64_t{i + 1}).Bind(3, payload).Bind(4, sync::Sha256Hex(payload));
            Must(insert.Run());
        }
        Must(tx.Commit());
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Drains a fresh 100,000-record backlog with `options`; returns seconds and the report.
double DrainSeconds(const testing::TempDir& dir, const std::string& name, const sync::WorkerOptions& options,
                    sync::DrainReport& report) {
    const auto kioskDb = dir.File(name + "-kiosk.db");
    FillOutbox(kioskDb);
    auto service = Must(sync::headoffice::IngestService::Open("sqlite:" + dir.File(name + "-ho.db").string()));
    sync::headoffice::HttpServer server(*service);
    const int port = Must(server.Start("127.0.0.1", 0));
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    Must(sync::Enrol(kioskDb, url, Must(service->AddKiosk("S012", "K1"))));
    auto worker = Must(sync::SyncWorker::Open(kioskDb, options));
    const auto start = std::chrono::steady_clock::now();
    report = Must(worker.Drain());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    server.Stop();
    if (report.records != kRecords) {
        std::fprintf(stderr, "sync_bench: drained %lld of %d records\n", static_cast<long long>(report.records), kRecords);
        std::exit(1);
    }
    return seconds;
}

constexpr int kTickets = 2'000;

// A kiosk database whose outbox holds kTickets repairs, each created and moved through five statuses.
void FileTickets(const std::filesystem::path& file, const core::Lifecycle& lifecycle) {
    auto store = Must(storage::KioskStore::Open(Must(storage::Database::Open(file)), lifecycle, {"S012", "K1", std::chrono::minutes{8 * 60}}));
    const auto start = core::Timestamp{std::chrono::seconds{1'777'507'200}};  // 2026-04-30T00:00:00Z
    Must(store.Initialize("S012", "K1", start));
    core::NewTicket repair;
    repair.type = core::TicketType::Repair;
    repair.customerPhone = "13812345678";
    repair.description = "the battery runs flat within an hour of charging";
    const core::Actor technician{core::Role::Technician, "E1002"};
    for (int i = 0; i < kTickets; ++i) {
        const core::Timestamp filed = start + std::chrono::minutes{i * 7};
        const std::string number = Must(store.CreateTicket(repair, {core::Role::Customer, "customer"}, filed)).number;
        int hour = 0;
        for (const char* status : {"received", "diagnosing", "awaiting_parts", "in_repair", "ready_for_pickup"}) {
            Must(store.TransitionTicket(number, status, technician, "", filed + std::chrono::hours{++hour * 5}));
        }
    }
}

// Drains a copy of `kioskDb` to a fresh head office with the ticket projection (`rules`); returns seconds,
// with the records drained and the tickets whose SLA clocks head office stored.
double ProjectedDrainSeconds(const testing::TempDir& dir, const std::string& name, const std::filesystem::path& kioskDb,
                             sync::headoffice::ProjectionRules rules, std::int64_t& records, std::int64_t& measured) {
    const auto copy = dir.File(name + "-kiosk.db");
    std::filesystem::copy_file(kioskDb, copy);
    auto service = Must(sync::headoffice::IngestService::Open("sqlite:" + dir.File(name + "-ho.db").string()));
    service->SetProjectionRules(std::move(rules));
    sync::headoffice::HttpServer server(*service);
    const int port = Must(server.Start("127.0.0.1", 0));
    Must(sync::Enrol(copy, "http://127.0.0.1:" + std::to_string(port), Must(service->AddKiosk("S012", "K1"))));
    auto worker = Must(sync::SyncWorker::Open(copy));
    const auto start = std::chrono::steady_clock::now();
    records = Must(worker.Drain()).records;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    server.Stop();
    auto lease = Must(service->Pool().Acquire());
    measured = std::stoll(Must(lease->Query("SELECT count(*) FROM tickets WHERE sla_resolution_state <> ''")).front()[0]);
    return seconds;
}

}  // namespace

int main() {
    testing::TempDir dir("sync-bench");
    const sync::WorkerOptions defaults;
    sync::WorkerOptions large;
    large.maxRecords = 2000;  // head office's per-batch limit
    large.maxBytes = 1024 * 1024;
    sync::DrainReport report;
    sync::DrainReport largeReport;
    const double drainSeconds = DrainSeconds(dir, "default", defaults, report);
    const double largeSeconds = DrainSeconds(dir, "large", large, largeReport);
    const double bareSeconds = BareInsertSeconds(dir.File("bare.db"));

    std::printf("%-52s %10s %12s %8s\n", "case (100,000 records)", "seconds", "records/s", "ratio");
    std::printf("%-52s %10.2f %12.0f %8.2f\n", "bare SQLite insert, 500 rows/txn (baseline)", bareSeconds, kRecords / bareSeconds, 1.0);
    std::printf("%-52s %10.2f %12.0f %8.2f\n", "drain: outbox -> HTTP+zstd -> ingest (SQLite)", drainSeconds,
                kRecords / drainSeconds, bareSeconds / drainSeconds);
    std::printf("%-52s %10.2f %12.0f %8.2f\n", "drain with 2000-record batches", largeSeconds, kRecords / largeSeconds,
                bareSeconds / largeSeconds);
    std::printf("batches: %lld (worker default: %d records or %zu bytes per batch), %lld with 2000-record batches\n",
                static_cast<long long>(report.batches), defaults.maxRecords, defaults.maxBytes,
                static_cast<long long>(largeReport.batches));

    const core::Lifecycle lifecycle = Must(config::LoadLifecycleFile(KIOSK_BENCH_ASSET_DIR "/lifecycle.toml"));
    const auto ticketsDb = dir.File("tickets-kiosk.db");
    FileTickets(ticketsDb, lifecycle);
    sync::headoffice::ProjectionRules plain;
    for (const core::StatusInfo& status : lifecycle.statuses) {
        if (status.firstResponse) plain.firstResponse.insert(status.id);
        if (status.resolves) plain.resolves.insert(status.id);
    }
    sync::headoffice::ProjectionRules measured = plain;
    sync::headoffice::SlaParsers parsers;
    parsers.sla = [](const sync::headoffice::PublishedDocument&) { return config::LoadSlaPolicyFile(KIOSK_BENCH_ASSET_DIR "/sla.toml"); };
    parsers.calendar = [](const sync::headoffice::PublishedDocument&) {
        return config::LoadCalendarFile(KIOSK_BENCH_ASSET_DIR "/calendar.toml");
    };
    measured.sla = std::make_shared<sync::headoffice::SlaRulesSource>(lifecycle, std::move(parsers));
    std::int64_t plainRecords = 0, measuredRecords = 0, plainTickets = 0, measuredTickets = 0;
    const double plainSeconds = ProjectedDrainSeconds(dir, "plain", ticketsDb, plain, plainRecords, plainTickets);
    const double measuredSeconds = ProjectedDrainSeconds(dir, "sla", ticketsDb, measured, measuredRecords, measuredTickets);
    std::printf("%-52s %10s %12s %8s\n", "ticket events (2,000 tickets x 6), projected", "seconds", "records/s", "ratio");
    std::printf("%-52s %10.2f %12.0f %8.2f\n", "drain with the ticket projection", plainSeconds,
                static_cast<double>(plainRecords) / plainSeconds, 1.0);
    std::printf("%-52s %10.2f %12.0f %8.2f\n", "drain with the projection and the SLA per ticket", measuredSeconds,
                static_cast<double>(measuredRecords) / measuredSeconds, plainSeconds / measuredSeconds);
    std::printf("tickets with SLA clocks stored: %lld without the SLA, %lld with it\n", static_cast<long long>(plainTickets),
                static_cast<long long>(measuredTickets));
    return 0;
}
