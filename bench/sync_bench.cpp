// Head-office ingest at chain scale: 200 enrolled kiosks, each with its own key and backlog of ticket
// events, upload at once over HTTP on loopback to the in-process head-office server, on SQLite and on
// a throwaway PostgreSQL 15 cluster, against a bare bulk insert of the same rows (SQLite: a prepared
// INSERT, 500 rows per transaction; PostgreSQL: COPY, 500 rows per transaction). Then one kiosk's
// 100,000-record outbox drains through the real upload worker (SQLite), as the spec's drain target. Last,
// real ticket events (2,000 tickets worked through 5 statuses) drain with the ticket projection, without
// and with the SLA head office measures each ticket with (the kiosk's engine, evaluated in the ingest).
//
//   sync_bench [--kiosks N] [--records N] [--batch N] [--unprojected] [--skip-drain] [--skip-pg] [--skip-sqlite] [--skip-sla]
//              [--pg-statements]
//   (--records: per kiosk; defaults 200 kiosks x 500 records in batches of 100; --unprojected: records
//   without a ticket number, which the ticket projection leaves out, as the earlier bench sent;
//   --pg-statements: after the PostgreSQL fleet runs, the statements that took the most server time)
#include <libpq-fe.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "kiosk/storage/database.hpp"
#include "kiosk/storage/kiosk_store.hpp"
#include "kiosk/storage/outbox.hpp"
#include "support/temp_dir.hpp"
#include "sync/codec.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/http_client.hpp"
#include "sync/worker.hpp"
#include "sync/wire/ids.hpp"

namespace {

using namespace kiosk;
using Clock = std::chrono::steady_clock;
constexpr int kDrainRecords = 100'000;
constexpr int kChunk = 500;
const std::filesystem::path kPgBin = "/usr/lib/postgresql/15/bin";

struct Options {
    int kiosks = 200;
    int records = 500;  // per kiosk
    int batch = 100;
    bool drain = true;
    bool pg = true;
    bool sqlite = true;
    bool projected = true;  // ticket events head office projects; false: records it stores only
    bool sla = true;        // the projected drain without and with head office's SLA per ticket
    bool pgStatements = false;
};

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

[[noreturn]] void Fail(const std::string& message) {
    std::fprintf(stderr, "sync_bench: %s\n", message.c_str());
    std::exit(1);
}

std::int64_t WallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A ticket event as a kiosk's outbox holds it (kiosk_store.cpp): every fourth record files a ticket,
// the next three move it along, so head office's projection does its full work. Each repair is of
// the kiosk's own unit, and every eighth is of a unit repaired four tickets before (a repeat repair).
std::string TicketEvent(const std::string& store, int kiosk, int n) {
    const int ticket = n / 4;
    const std::string number = store + "-K1-261122-" + std::to_string(kiosk) + "-" + std::to_string(ticket);
    const std::string serial = "SN" + std::to_string(kiosk) + "-" + std::to_string(ticket % 8 == 7 ? ticket - 4 : ticket);
    const std::string hash = sync::Sha256Hex(number + std::to_string(n));
    const std::string at = "2026-11-22T0" + std::to_string(2 + n % 4) + ":00:00Z";
    std::string head = R"({"id":")" + std::to_string(n) + R"(","ticketNumber":")" + number + R"(","actorRole":")";
    switch (n % 4) {
        case 0:
            return head + R"(customer","actorId":"","kind":"created","at":")" + at +
                   R"(","fromStatus":"","toStatus":"received","note":"","value":"","created":{"type":"repair","gtin":"6910000000006",)"
                   R"("serial":")" + serial + R"(","customerPhone":"13800000000","customerTier":"standard",)"
                   R"("problemCategory":"battery","description":"the battery runs flat within an hour of charging"},"seq":)" +
                   std::to_string(n) + R"(,"prevHash":"","hash":")" + hash + R"("})";
        case 1:
            return head + R"(technician","actorId":"E1001","kind":"status_changed","at":")" + at +
                   R"(","fromStatus":"received","toStatus":"diagnosing","note":"","value":"","created":null,"seq":)" +
                   std::to_string(n) + R"(,"prevHash":"","hash":")" + hash + R"("})";
        case 2:
            return head + R"(supervisor","actorId":"E1002","kind":"assigned","at":")" + at +
                   R"(","fromStatus":"","toStatus":"","note":"","value":"E1001","created":null,"seq":)" + std::to_string(n) +
                   R"(,"prevHash":"","hash":")" + hash + R"("})";
        default:
            return head + R"(technician","actorId":"E1001","kind":"status_changed","at":")" + at +
                   R"(","fromStatus":"diagnosing","toStatus":"ready_for_pickup","note":"new battery","value":"","created":null,"seq":)" +
                   std::to_string(n) + R"(,"prevHash":"","hash":")" + hash + R"("})";
    }
}

// One simulated kiosk: its credentials from enrolment and its backlog, already encoded as the
// zstd-compressed batch bodies the upload worker would send.
struct SimKiosk {
    std::string code;
    std::string secret;
    std::int64_t epoch = 0;
    std::vector<sync::WireRecord> records;
    struct Batch {
        std::string key;
        std::string body;
        std::int64_t records = 0;
    };
    std::vector<Batch> batches;
};

// A record the projection leaves out (no ticket number): what the earlier single-kiosk bench sent.
std::string UnprojectedEvent(int n) {
    return R"({"kind":"created","ticket":"S012-K1-20261122-)" + std::to_string(n) +
           R"(","actor":"customer","note":"the battery runs flat within an hour of charging, customer asks for repair"})";
}

std::vector<SimKiosk> MakeFleetRecords(const Options& options) {
    std::vector<SimKiosk> fleet(static_cast<std::size_t>(options.kiosks));
    for (int k = 0; k < options.kiosks; ++k) {
        SimKiosk& kiosk = fleet[static_cast<std::size_t>(k)];
        char store[16];
        std::snprintf(store, sizeof store, "S%03d", k + 1);
        kiosk.code = std::string(store) + "-K1";
        for (int n = 0; n < options.records; ++n) {
            kiosk.records.push_back({Must(wire::RandomUuid()), n + 1, "ticket_event", WallMs(),
                                     options.projected ? TicketEvent(store, k, n) : UnprojectedEvent(n)});
        }
    }
    return fleet;
}

// Enrols every kiosk over HTTP and encodes its batches.
void EnrolFleet(std::vector<SimKiosk>& fleet, sync::headoffice::IngestService& service, const std::string& url, int batchSize) {
    for (SimKiosk& kiosk : fleet) {
        const std::string store = kiosk.code.substr(0, kiosk.code.find('-'));
        const std::string token = Must(service.AddKiosk(store, "K1"));
        const std::string body = sync::EncodeEnrolRequest({token, Must(wire::RandomUuid()), 0});
        auto response = Must(sync::SendHttp("POST", url + std::string(sync::kEnrolPath), {{"Content-Type", "application/json"}}, body));
        if (response.status != 200) Fail("enrol " + kiosk.code + ": " + std::to_string(response.status) + " " + response.body);
        const sync::EnrolReply reply = Must(sync::ParseEnrolReply(response.body));
        kiosk.code = reply.kiosk;
        kiosk.secret = reply.secret;
        kiosk.epoch = reply.epoch;
        kiosk.batches.clear();
        const auto total = static_cast<std::int64_t>(kiosk.records.size());
        for (std::int64_t first = 0; first < total; first += batchSize) {
            const std::int64_t last = std::min<std::int64_t>(first + batchSize, total);
            sync::BatchRequest request{kiosk.code, kiosk.epoch, Must(wire::RandomUuid()), first + 1, last, total - first, {}, std::nullopt};
            request.records.assign(kiosk.records.begin() + first, kiosk.records.begin() + last);
            kiosk.batches.push_back({request.batchKey, Must(sync::ZstdCompress(Must(sync::EncodeBatch(request)))), last - first});
        }
    }
}

// Every kiosk uploads its batches one after another, all kiosks at once; returns the seconds from the
// first request to the last acknowledgement. A batch answered 503 or 429 is sent again after the
// Retry-After head office asks for (as the upload worker does), one that could not be sent after a
// second; both are counted in `retries`. Any other answer but a full acknowledgement fails the run.
// CPU seconds the calling thread has used.
double ThreadCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Uploads every kiosk's backlog at once, a thread per kiosk; returns the seconds it took, and in
// `kioskCpu` the CPU seconds the kiosks' threads used (signing, compressing, HTTP).
double UploadFleet(const std::vector<SimKiosk>& fleet, const std::string& url, std::atomic<int>& retries, double& kioskCpu) {
    std::latch ready(static_cast<std::ptrdiff_t>(fleet.size()) + 1);
    std::atomic<int> failures{0};
    std::atomic<std::int64_t> kioskCpuUs{0};
    std::vector<std::thread> threads;
    threads.reserve(fleet.size());
    for (const SimKiosk& kiosk : fleet) {
        threads.emplace_back([&kiosk, &url, &ready, &failures, &retries, &kioskCpuUs] {
            ready.arrive_and_wait();
            const double cpuBefore = ThreadCpuSeconds();
            struct CountCpu {
                double before;
                std::atomic<std::int64_t>& total;
                ~CountCpu() { total += static_cast<std::int64_t>((ThreadCpuSeconds() - before) * 1e6); }
            } countCpu{cpuBefore, kioskCpuUs};
            for (const SimKiosk::Batch& batch : kiosk.batches) {
                core::Result<sync::HttpResponse> response;
                for (;;) {
                    auto headers = sync::SignRequest("POST", sync::kBatchPath, kiosk.code, kiosk.secret, WallMs(), batch.body);
                    if (!headers) Fail(headers.error().message);
                    headers->emplace_back(sync::kHeaderIdempotencyKey, batch.key);
                    headers->emplace_back("Content-Type", "application/json");
                    headers->emplace_back("Content-Encoding", "zstd");
                    // Longer than the worker's 60 s: a request queued behind 199 others still counts.
                    response = sync::SendHttp("POST", url + std::string(sync::kBatchPath), *headers, batch.body,
                                              {std::chrono::seconds(10), std::chrono::seconds(600)});
                    if (response && response->status != 503 && response->status != 429) break;
                    if (++retries <= 3) {  // a connection refused or timed out is sent again too
                        std::fprintf(stderr, "sync_bench: %s sends a batch again: %s\n", kiosk.code.c_str(),
                                     response ? (std::to_string(response->status) + " " + response->body).c_str()
                                              : response.error().message.c_str());
                    }
                    const int after = response ? std::atoi(response->retryAfter.c_str()) : 1;
                    std::this_thread::sleep_for(std::chrono::seconds(std::max(1, after)));
                }
                if (!response || response->status != 200) {
                    std::fprintf(stderr, "sync_bench: %s batch: %s\n", kiosk.code.c_str(),
                                 response ? (std::to_string(response->status) + " " + response->body).c_str()
                                          : response.error().message.c_str());
                    ++failures;
                    return;
                }
                auto ack = sync::ParseAck(response->body);
                if (!ack || ack->inserted + ack->duplicates != batch.records) {
                    std::fprintf(stderr, "sync_bench: %s: acknowledgement does not count the batch\n", kiosk.code.c_str());
                    ++failures;
                    return;
                }
            }
        });
    }
    ready.arrive_and_wait();
    const auto start = Clock::now();
    for (std::thread& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (failures > 0) Fail(std::to_string(failures.load()) + " kiosks failed to upload");
    kioskCpu = static_cast<double>(kioskCpuUs.load()) / 1e6;
    return seconds;
}

// CPU seconds this process has used, all threads (the bench's kiosks and the in-process head office;
// PostgreSQL's own processes are not counted).
double ProcessCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds of a PostgreSQL cluster's processes: the postmaster's own and its children's, live
// (backends, background workers, read from /proc) and ended (the postmaster's cutime and cstime). -1
// when the postmaster of `dataDir` cannot be read.
double PostgresCpuSeconds(const std::filesystem::path& dataDir) {
    long pid = 0;
    if (FILE* f = std::fopen((dataDir / "postmaster.pid").c_str(), "r")) {
        if (std::fscanf(f, "%ld", &pid) != 1) pid = 0;
        std::fclose(f);
    }
    if (pid <= 0) return -1;
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    // Fields 4 (ppid) and 14-17 (utime, stime, cutime, cstime) of /proc/PID/stat, after the command in parentheses.
    const auto read = [](const std::filesystem::path& stat, long& ppid, double& own, double& children) {
        FILE* f = std::fopen(stat.c_str(), "r");
        if (!f) return false;
        char line[1024] = {};
        const bool got = std::fgets(line, sizeof line, f) != nullptr;
        std::fclose(f);
        const char* after = got ? std::strrchr(line, ')') : nullptr;
        unsigned long long utime = 0, stime = 0;
        long long cutime = 0, cstime = 0;
        if (!after || std::sscanf(after + 2, "%*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld", &ppid, &utime, &stime,
                                  &cutime, &cstime) != 5) {
            return false;
        }
        own = static_cast<double>(utime + stime);
        children = static_cast<double>(cutime + cstime);
        return true;
    };
    long ppid = 0;
    double own = 0, ended = 0;
    if (!read("/proc/" + std::to_string(pid) + "/stat", ppid, own, ended)) return -1;
    double total = own + ended;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        long parent = 0;
        double childOwn = 0, childEnded = 0;
        if (read(entry.path() / "stat", parent, childOwn, childEnded) && parent == pid) total += childOwn;
    }
    return total / tick;
}

std::int64_t StoredRecords(sync::headoffice::IngestService& service) {
    auto lease = Must(service.Pool().Acquire());
    auto rows = Must(lease->Query("SELECT count(*) FROM records"));
    return std::stoll(rows.front()[0]);
}

// The projection rules head office ingests with, from the shipped lifecycle: without or with the SLA
// it measures each ticket with (the shipped SLA policy and calendar, as published).
sync::headoffice::ProjectionRules FleetRules(bool withSla) {
    const core::Lifecycle lifecycle = Must(config::LoadLifecycleFile(KIOSK_BENCH_ASSET_DIR "/lifecycle.toml"));
    sync::headoffice::ProjectionRules rules;
    for (const core::StatusInfo& status : lifecycle.statuses) {
        if (status.firstResponse) rules.firstResponse.insert(status.id);
        if (status.resolves) rules.resolves.insert(status.id);
    }
    if (withSla) {
        sync::headoffice::SlaParsers parsers;
        parsers.sla = [](const sync::headoffice::PublishedDocument&) { return config::LoadSlaPolicyFile(KIOSK_BENCH_ASSET_DIR "/sla.toml"); };
        parsers.calendar = [](const sync::headoffice::PublishedDocument&) {
            return config::LoadCalendarFile(KIOSK_BENCH_ASSET_DIR "/calendar.toml");
        };
        rules.sla = std::make_shared<sync::headoffice::SlaRulesSource>(lifecycle, std::move(parsers));
    }
    return rules;
}

// What the fleet's upload cost in CPU, per record: the kiosks' threads, the rest of this process (the
// head-office server), and PostgreSQL's processes (negative when not measured).
struct FleetCpu {
    double kiosksUs = 0;
    double headOfficeUs = 0;
    double postgresUs = -1;
};

// The fleet against a fresh head office at `dbUrl` projecting with `rules` (PostgreSQL: with its cluster
// in `pgData`); returns records per second, and in `cpu` what they cost.
double FleetRate(const std::string& dbUrl, std::vector<SimKiosk>& fleet, const Options& options, sync::headoffice::ProjectionRules rules,
                 std::atomic<int>& retries, FleetCpu& cpu, const std::filesystem::path& pgData = {}) {
    auto service = Must(sync::headoffice::IngestService::Open(dbUrl));
    service->SetProjectionRules(std::move(rules));
    sync::headoffice::HttpServer server(*service);
    const int port = Must(server.Start("127.0.0.1", 0));
    const std::string url = "http://127.0.0.1:" + std::to_string(port);
    EnrolFleet(fleet, *service, url, options.batch);
    const double cpuBefore = ProcessCpuSeconds();
    const double pgBefore = pgData.empty() ? -1 : PostgresCpuSeconds(pgData);
    double kioskCpu = 0;
    const double seconds = UploadFleet(fleet, url, retries, kioskCpu);
    const double processCpu = ProcessCpuSeconds() - cpuBefore;
    const double pgAfter = pgData.empty() ? -1 : PostgresCpuSeconds(pgData);
    server.Stop();
    const std::int64_t expected = std::int64_t{options.kiosks} * options.records;
    const double records = static_cast<double>(expected);
    cpu.kiosksUs = kioskCpu * 1e6 / records;
    cpu.headOfficeUs = (processCpu - kioskCpu) * 1e6 / records;
    cpu.postgresUs = pgBefore >= 0 && pgAfter >= 0 ? (pgAfter - pgBefore) * 1e6 / records : -1;
    if (const std::int64_t stored = StoredRecords(*service); stored != expected) {
        Fail("head office stored " + std::to_string(stored) + " of " + std::to_string(expected) + " records");
    }
    return static_cast<double>(expected) / seconds;
}

// The same rows into the records table with a cached prepared INSERT, kChunk rows per transaction,
// synchronous=FULL and WAL as the server runs. Returns records per second.
double BareSqliteRate(const std::filesystem::path& file, const std::vector<SimKiosk>& fleet) {
    Must(sync::headoffice::IngestService::Open("sqlite:" + file.string()));  // the same schema and indexes
    auto db = Must(storage::Database::Open(file));
    std::vector<std::vector<std::string>> rows;
    for (const SimKiosk& kiosk : fleet) {
        for (const sync::WireRecord& r : kiosk.records) {
            rows.push_back({r.id, kiosk.code, std::to_string(r.seq), std::to_string(r.kioskTimeMs), r.payload});
        }
    }
    const auto start = Clock::now();
    for (std::size_t chunk = 0; chunk < rows.size(); chunk += kChunk) {
        auto tx = Must(storage::Transaction::Begin(db));
        auto insert = Must(db.Cached("INSERT INTO records VALUES (?1, ?2, 1, ?3, 'ticket_event', ?4, ?5, ?6, 0)"));
        for (std::size_t i = chunk; i < std::min(rows.size(), chunk + kChunk); ++i) {
            const auto& row = rows[i];
            insert.Bind(1, row[0]).Bind(2, row[1]).Bind(3, std::int64_t{std::stoll(row[2])}).Bind(4, std::int64_t{std::stoll(row[3])});
            insert.Bind(5, row[4]).Bind(6, sync::Sha256Hex("ticket_event\n" + row[4]));
            Must(insert.Run());
        }
        Must(tx.Commit());
    }
    return static_cast<double>(rows.size()) / std::chrono::duration<double>(Clock::now() - start).count();
}

// COPY of the same rows into the records table, kChunk rows per transaction. Returns records per second.
double BareCopyRate(const std::string& dbUrl, const std::vector<SimKiosk>& fleet) {
    Must(sync::headoffice::IngestService::Open(dbUrl));
    PGconn* conn = PQconnectdb(dbUrl.c_str());
    if (PQstatus(conn) != CONNECTION_OK) Fail(PQerrorMessage(conn));
    const auto exec = [conn](const char* sql) {
        PGresult* result = PQexec(conn, sql);
        const ExecStatusType status = PQresultStatus(result);
        PQclear(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_COPY_IN) Fail(std::string(sql) + ": " + PQerrorMessage(conn));
    };
    const auto escape = [](std::string_view text) {
        std::string out;
        for (char c : text) {
            if (c == '\\' || c == '\t' || c == '\n') out += '\\';
            out += c;
        }
        return out;
    };
    std::vector<std::string> lines;
    for (const SimKiosk& kiosk : fleet) {
        for (const sync::WireRecord& r : kiosk.records) {
            lines.push_back(r.id + '\t' + kiosk.code + "\t1\t" + std::to_string(r.seq) + "\tticket_event\t" +
                            std::to_string(r.kioskTimeMs) + '\t' + escape(r.payload) + '\t' + "\n");
        }
    }
    const auto start = Clock::now();
    std::size_t i = 0;
    for (const SimKiosk& kiosk : fleet) {
        for (const sync::WireRecord& r : kiosk.records) {
            if (i % kChunk == 0) {
                exec("BEGIN");
                exec("COPY records (id, kiosk, epoch, seq, type, kiosk_time, payload, payload_sha, received_at) FROM STDIN");
            }
            std::string line = lines[i];
            line.insert(line.size() - 1, sync::Sha256Hex("ticket_event\n" + r.payload) + "\t0");
            if (PQputCopyData(conn, line.data(), static_cast<int>(line.size())) != 1) Fail(PQerrorMessage(conn));
            ++i;
            if (i % kChunk == 0 || i == lines.size()) {
                if (PQputCopyEnd(conn, nullptr) != 1) Fail(PQerrorMessage(conn));
                PGresult* result = PQgetResult(conn);
                if (PQresultStatus(result) != PGRES_COMMAND_OK) Fail(std::string("COPY: ") + PQerrorMessage(conn));
                PQclear(result);
                exec("COMMIT");
            }
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    PQfinish(conn);
    return static_cast<double>(lines.size()) / seconds;
}

// --- the single-kiosk drain through the real upload worker ---

std::string DrainPayload(int n) {
    return R"({"kind":"created","ticket":"S012-K1-20261122-)" + std::to_string(n) +
           R"(","actor":"customer","note":"the battery runs flat within an hour of charging, customer asks for repair"})";
}

void FillOutbox(const std::filesystem::path& file) {
    auto outbox = Must(storage::Outbox::Open(Must(storage::Database::Open(file))));
    Must(outbox.Db().Execute("INSERT INTO meta (id, store_code, kiosk_code, kiosk_id, epoch, created_at) VALUES "
                             "(1, 'S012', 'K1', '36e279c9-56d3-4bfb-ab69-eedf11e0e64b', 1, '2026-11-01T00:00:00Z')"));
    auto tx = Must(storage::Transaction::Begin(outbox.Db()));
    auto insert = Must(outbox.Db().Prepare(
        "INSERT INTO outbox (id, epoch, record_type, payload, created_at) VALUES (?1, 1, 'ticket_event', ?2, '2026-11-22T02:00:00Z')"));
    for (int i = 0; i < kDrainRecords; ++i) {
        insert.Bind(1, Must(wire::RandomUuid())).Bind(2, DrainPayload(i));
        Must(insert.Run());
    }
    Must(tx.Commit());
}

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
    const auto start = Clock::now();
    report = Must(worker.Drain());
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    server.Stop();
    if (report.records != kDrainRecords) Fail("drained " + std::to_string(report.records) + " of " + std::to_string(kDrainRecords));
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

int RunAsPostgres(const std::string& command) {
    const std::string full = geteuid() == 0 ? "runuser -u postgres -- " + command : command;
    return std::system((full + " >/dev/null 2>&1").c_str());
}

void Row(const char* what, double rate, double baseline) {
    std::printf("%-64s %12.0f %8.2f\n", what, rate, rate / baseline);
}

}  // namespace

// The statements of the ingest that took the most time in PostgreSQL (pg_stat_statements), for profiling.
void PrintTopStatements(const std::string& url) {
    PGconn* conn = PQconnectdb(url.c_str());
    PQclear(PQexec(conn, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
    PGresult* r = PQexec(conn, "SELECT round(total_exec_time)::text, round(total_plan_time)::text, calls::text, "
                               "left(regexp_replace(query, '\\s+', ' ', 'g'), 110) FROM pg_stat_statements "
                               "ORDER BY total_exec_time + total_plan_time DESC LIMIT 25");
    std::printf("  PostgreSQL statements by time:   exec ms    plan ms      calls  statement\n");
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); ++i) {
        std::printf("  %31s %10s %10s  %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3));
    }
    PQclear(r);
    r = PQexec(conn, "SELECT sum(calls)::text, round(sum(total_exec_time))::text, round(sum(total_plan_time))::text FROM pg_stat_statements");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        std::printf("  all statements: %s calls, exec %s ms, plan %s ms\n", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
    }
    PQclear(r);
    PQfinish(conn);
}

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto number = [&] {
            if (i + 1 >= argc) Fail(arg + " needs a number");
            return std::atoi(argv[++i]);
        };
        if (arg == "--kiosks") options.kiosks = number();
        else if (arg == "--records") options.records = number();
        else if (arg == "--batch") options.batch = number();
        else if (arg == "--skip-drain") options.drain = false;
        else if (arg == "--skip-pg") options.pg = false;
        else if (arg == "--skip-sqlite") options.sqlite = false;
        else if (arg == "--unprojected") options.projected = false;
        else if (arg == "--skip-sla") options.sla = false;
        else if (arg == "--pg-statements") options.pgStatements = true;
        else Fail("unknown argument " + arg);
    }
    if (options.kiosks < 1 || options.records < 1 || options.batch < 1) Fail("--kiosks, --records and --batch must be positive");
    testing::TempDir dir("sync-bench");
    std::vector<SimKiosk> fleet = MakeFleetRecords(options);
    const std::int64_t total = std::int64_t{options.kiosks} * options.records;
    std::printf("fleet: %d kiosks x %d %s = %lld records, batches of %d, over HTTP on loopback\n", options.kiosks,
                options.records, options.projected ? "ticket events" : "unprojected records", static_cast<long long>(total),
                options.batch);
    std::printf("%-64s %12s %8s\n", "case", "records/s", "ratio");
    if (options.sqlite) {
        const double bare = BareSqliteRate(dir.File("bare.db"), fleet);
        std::atomic<int> retries{0};
        FleetCpu cpu;
        const double fleetRate = FleetRate("sqlite:" + dir.File("fleet.db").string(), fleet, options, FleetRules(false), retries, cpu);
        Row("SQLite: bare insert, prepared, 500 rows/txn (baseline)", bare, bare);
        Row("SQLite: fleet upload -> ingest (target >= 20,000/s)", fleetRate, bare);
        std::printf("  batches sent again (503, 429 or no connection): %d; CPU per record: kiosks %.0f us, head office %.0f us\n",
                    retries.load(), cpu.kiosksUs, cpu.headOfficeUs);
        if (options.sla) {
            const double slaRate = FleetRate("sqlite:" + dir.File("fleet-sla.db").string(), fleet, options, FleetRules(true), retries, cpu);
            Row("SQLite: the same, with head office's SLA per ticket", slaRate, bare);
            std::printf("  CPU per record: kiosks %.0f us, head office %.0f us\n", cpu.kiosksUs, cpu.headOfficeUs);
        }
    }
    if (options.pg) {
        if (!std::filesystem::exists(kPgBin / "initdb")) {
            std::printf("PostgreSQL: skipped (PostgreSQL 15 is not installed)\n");
        } else {
            const auto pg = dir.Path() / "pg";
            std::filesystem::create_directories(pg);
            chmod(dir.Path().c_str(), 0755);
            if (geteuid() == 0 && std::system(("chown postgres " + pg.string()).c_str()) != 0) Fail("cannot chown " + pg.string());
            // A port from the process id; when another cluster on the machine holds it, the next one.
            const bool initialised =
                RunAsPostgres((kPgBin / "initdb").string() + " -D " + (pg / "data").string() + " -A trust -U postgres") == 0;
            int port = 0;
            for (int attempt = 0; initialised && port == 0 && attempt < 5; ++attempt) {
                const int candidate = 20000 + static_cast<int>((getpid() + 7 + attempt * 4099) % 20000);
                if (RunAsPostgres((kPgBin / "pg_ctl").string() + " -D " + (pg / "data").string() + " -l " + (pg / "log").string() +
                                  " -w -o \"-c listen_addresses=127.0.0.1 -k " + pg.string() + " -p " + std::to_string(candidate) +
                                  " -c fsync=on -c max_connections=100 -c shared_preload_libraries=pg_stat_statements "
                                  "-c pg_stat_statements.track_planning=on\" start") == 0) {
                    port = candidate;
                }
            }
            const bool started = port != 0;
            if (!started) {
                std::printf("PostgreSQL: skipped (a throwaway cluster could not be started)\n");
            } else {
                const std::string base = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/";
                PGconn* admin = PQconnectdb((base + "postgres").c_str());
                PQclear(PQexec(admin, "CREATE DATABASE bare"));
                PQfinish(admin);
                const double bare = BareCopyRate(base + "bare", fleet);
                std::atomic<int> retries{0};
                FleetCpu cpu;
                const double fleetRate = FleetRate(base + "postgres", fleet, options, FleetRules(false), retries, cpu, pg / "data");
                Row("PostgreSQL: bare COPY, 500 rows/txn (baseline)", bare, bare);
                Row("PostgreSQL: fleet upload -> ingest (target >= 40,000/s)", fleetRate, bare);
                std::printf("  batches sent again (503, 429 or no connection): %d; CPU per record: kiosks %.0f us, head office %.0f us, "
                            "PostgreSQL %.0f us\n",
                            retries.load(), cpu.kiosksUs, cpu.headOfficeUs, cpu.postgresUs);
                if (options.sla) {
                    PGconn* create = PQconnectdb((base + "postgres").c_str());
                    PQclear(PQexec(create, "CREATE DATABASE fleet_sla"));
                    PQfinish(create);
                    const double slaRate = FleetRate(base + "fleet_sla", fleet, options, FleetRules(true), retries, cpu, pg / "data");
                    Row("PostgreSQL: the same, with head office's SLA per ticket", slaRate, bare);
                    std::printf("  CPU per record: kiosks %.0f us, head office %.0f us, PostgreSQL %.0f us\n", cpu.kiosksUs, cpu.headOfficeUs,
                                cpu.postgresUs);
                }
                if (options.pgStatements) PrintTopStatements(base + "postgres");
                RunAsPostgres((kPgBin / "pg_ctl").string() + " -D " + (pg / "data").string() + " -m immediate -w stop");
            }
        }
    }
    if (options.drain) {
        const sync::WorkerOptions defaults;
        sync::DrainReport report;
        const double drainSeconds = DrainSeconds(dir, "drain", defaults, report);
        std::printf("one kiosk's %d-record outbox through the upload worker (SQLite, %d-record batches): %.2f s, %.0f records/s\n",
                    kDrainRecords, defaults.maxRecords, drainSeconds, kDrainRecords / drainSeconds);
    }
    if (options.sla) {
        const core::Lifecycle lifecycle = Must(config::LoadLifecycleFile(KIOSK_BENCH_ASSET_DIR "/lifecycle.toml"));
        const auto ticketsDb = dir.File("tickets-kiosk.db");
        FileTickets(ticketsDb, lifecycle);
        const sync::headoffice::ProjectionRules plain = FleetRules(false);
        const sync::headoffice::ProjectionRules measured = FleetRules(true);
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
    }
    return 0;
}
