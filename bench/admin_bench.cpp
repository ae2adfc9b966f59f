// Admin timings: argon2id PIN hashing at several costs against a bare SHA-256 of the PIN, and the store
// report and queue on a demo-sized database and on a large one, against a bare SQL count.
//
// Usage: admin_bench [--tickets N] [--db EXISTING.db]. The generated databases live in a temporary
// directory (on /dev/shm when it exists: the report reads, it does not wait for the disk to sync).
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/roles_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "kiosk/core/admin/report.hpp"
#include "kiosk/storage/admin_store.hpp"
#include "kiosk/storage/pin_hash.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace kiosk;
using SteadyClock = std::chrono::steady_clock;

constexpr int kDemoTickets = 60;
constexpr int kDefaultTickets = 50'000;
constexpr int kReportRuns = 5;

[[noreturn]] void Die(const std::string& message) {
    std::fprintf(stderr, "admin_bench: %s\n", message.c_str());
    std::exit(1);
}

template <class T>
T Must(core::Result<T> result, std::string_view what) {
    if (!result) Die(std::string(what) + ": " + result.error().message);
    return std::move(*result);
}

double MillisSince(SteadyClock::time_point start) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

double Median(std::vector<double> values) {
    std::ranges::sort(values);
    return values[values.size() / 2];
}

// --- PIN hashing --------------------------------------------------------------------------------

double Sha256Millis(int runs) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    const std::string pin = "1001";
    volatile unsigned sink = 0;  // keeps the loop from being optimised away
    const auto start = SteadyClock::now();
    for (int i = 0; i < runs; ++i) {
        SHA256(reinterpret_cast<const unsigned char*>(pin.data()), pin.size(), digest);
        sink = sink + digest[0];
    }
    return MillisSince(start) / runs;
}

void BenchHashing() {
    struct Row {
        const char* name;
        storage::PinHashParams params;
    };
    const Row rows[] = {
        {"t=1 m=64KiB (tests only)", {1, 64, 1}},
        {"t=2 m=19MiB (default)", {2, 19 * 1024, 1}},
        {"t=3 m=64MiB", {3, 64 * 1024, 1}},
        {"t=4 m=128MiB", {4, 128 * 1024, 1}},
    };
    const double sha = Sha256Millis(100'000);
    std::printf("PIN hashing (hash + verify of a 4-digit PIN; median of 5)\n");
    std::printf("  %-28s %12s %12s %14s\n", "method", "hash ms", "verify ms", "x SHA-256");
    std::printf("  %-28s %12.5f %12s %14s\n", "SHA-256 (baseline, no salt)", sha, "-", "1");
    for (const Row& row : rows) {
        std::vector<double> hash, verify;
        for (int i = 0; i < 5; ++i) {
            auto start = SteadyClock::now();
            const std::string encoded = Must(storage::HashPin("1001", row.params), "hash");
            hash.push_back(MillisSince(start));
            start = SteadyClock::now();
            if (!Must(storage::VerifyPin(encoded, "1001"), "verify")) Die("a PIN did not verify");
            verify.push_back(MillisSince(start));
        }
        std::printf("  %-28s %12.2f %12.2f %14.0f\n", row.name, Median(hash), Median(verify), Median(hash) / sha);
    }
}

// --- Reports ------------------------------------------------------------------------------------

struct Tables {
    core::Lifecycle lifecycle;
    core::SlaPolicy sla;
    core::BusinessCalendar calendar;
    core::admin::RoleTable roles;
};

Tables LoadTables() {
    const std::filesystem::path assets = KIOSK_BENCH_ASSET_DIR;
    return Tables{Must(config::LoadLifecycleFile(assets / "lifecycle.toml"), "lifecycle"),
                  Must(config::LoadSlaPolicyFile(assets / "sla.toml"), "sla"),
                  Must(config::LoadCalendarFile(assets / "calendar.toml"), "calendar"),
                  Must(config::LoadRolesFile(assets / "roles.toml"), "roles")};
}

// `count` tickets over the 30 days before `now`: most received, a third closed with a CSAT answer.
void Fill(const std::filesystem::path& file, const Tables& tables, int count, core::Timestamp now) {
    storage::KioskStore store = Must(
        storage::KioskStore::Open(Must(storage::Database::Open(file), "open"), tables.lifecycle, {}), "store");
    Must(store.Initialize("S012", "K1", now - std::chrono::days{40}), "init");
    const std::vector<core::Staff> staff{{"E1001", "Wang", core::Role::Supervisor, "B-1001", true},
                                         {"E1002", "Li", core::Role::Technician, "B-1002", true},
                                         {"E1003", "Zhao", core::Role::Technician, "B-1003", true}};
    const core::Actor importer{core::Role::System, "admin_bench"};
    Must(store.ImportStaff(staff, importer, now - std::chrono::days{40}), "staff");
    storage::AdminStore admin = Must(storage::AdminStore::Open(Must(storage::Database::Open(file), "open"), store,
                                                               tables.lifecycle, tables.sla, tables.calendar,
                                                               tables.roles, {}),
                                     "admin");
    const core::Actor tech{core::Role::Technician, "E1002"};
    const core::Actor customer{core::Role::Customer, "customer"};
    std::mt19937 random(42);
    std::uniform_int_distribution<int> second(0, 30 * 24 * 3600 - 4 * 3600);
    std::vector<int> offsets(static_cast<std::size_t>(count));
    for (int& s : offsets) s = second(random);
    std::ranges::sort(offsets);  // tickets are filed in time order
    const char* categories[] = {"battery", "screen", "charging", "audio", "other"};
    for (int i = 0; i < count; ++i) {
        const core::Timestamp at =
            now - std::chrono::days{30} + std::chrono::seconds{offsets[static_cast<std::size_t>(i)]};
        core::NewTicket request;
        request.type = i % 7 == 0 ? core::TicketType::Complaint : core::TicketType::Repair;
        request.customerPhone = "138" + std::to_string(10'000'000 + i % 5000);
        request.customerTier = i % 10 == 0 ? core::Tier::Vip : core::Tier::New;
        request.problemCategory = categories[i % 5];
        request.description = "bench";
        const std::string number = Must(store.CreateTicket(request, customer, at), "create").number;
        if (i % 5 == 4) continue;  // still submitted
        const bool shortFlow = request.type == core::TicketType::Complaint;
        const auto receivedAt = at + std::chrono::minutes{20};
        Must(store.TransitionTicket(number, shortFlow ? "in_progress" : "received", tech, "", receivedAt), "receive");
        if (i % 3 != 0) continue;
        if (!shortFlow) {
            Must(store.TransitionTicket(number, "diagnosing", tech, "", at + std::chrono::minutes{40}), "diagnose");
            Must(store.TransitionTicket(number, "ready_for_pickup", tech, "", at + std::chrono::hours{2}), "ready");
        } else {
            Must(store.TransitionTicket(number, "resolved", tech, "", at + std::chrono::hours{2}), "resolve");
        }
        Must(store.TransitionTicket(number, "closed", tech, "", at + std::chrono::hours{3}), "close");
        Must(admin.RecordCsat(number, 1 + i % 5, "", at + std::chrono::hours{3}), "csat");
    }
}

double BareCountMillis(storage::Database& db, core::Timestamp from) {
    const auto start = SteadyClock::now();
    auto stmt = Must(
        db.Prepare("SELECT type, status, count(*) FROM tickets WHERE created_at >= ?1 GROUP BY type, status"),
        "prepare");
    stmt.Bind(1, core::FormatTimestamp(from));
    while (Must(stmt.Step(), "step")) {
    }
    return MillisSince(start);
}

void BenchReports(const std::string& label, const std::filesystem::path& file, const Tables& tables,
                  core::Timestamp now) {
    storage::KioskStore store = Must(
        storage::KioskStore::Open(Must(storage::Database::Open(file), "open"), tables.lifecycle, {}), "store");
    storage::AdminStore admin = Must(storage::AdminStore::Open(Must(storage::Database::Open(file), "open"), store,
                                                               tables.lifecycle, tables.sla, tables.calendar,
                                                               tables.roles, {}),
                                     "admin");
    storage::Database bare = Must(storage::Database::Open(file), "open");
    const core::Actor supervisor{core::Role::Supervisor, "E1001"};
    const auto tickets = Must(bare.QueryInt("SELECT count(*) FROM tickets"), "count");
    std::printf("\n%s: %lld tickets (median of %d runs)\n", label.c_str(), static_cast<long long>(tickets),
                kReportRuns);
    std::printf("  %-26s %10s %12s %10s %10s\n", "query", "ms", "baseline ms", "ratio", "tickets");
    using core::admin::ReportPeriod;
    for (auto period : {ReportPeriod::Today, ReportPeriod::Week, ReportPeriod::Month}) {
        std::vector<double> report, baseline;
        int created = 0;
        for (int i = 0; i < kReportRuns; ++i) {
            auto start = SteadyClock::now();
            created = Must(admin.ComputeReport(period, now), "report").ticketsCreated;
            report.push_back(MillisSince(start));
            const auto from = core::admin::PeriodRange(period, now, tables.calendar.utcOffset).from;
            baseline.push_back(BareCountMillis(bare, from));
        }
        std::printf("  report %-19s %10.1f %12.2f %10.0f %10d\n", std::string(core::admin::ToString(period)).c_str(),
                    Median(report), Median(baseline), Median(report) / Median(baseline), created);
    }
    std::vector<double> queue;
    std::size_t open = 0;
    for (int i = 0; i < kReportRuns; ++i) {
        const auto start = SteadyClock::now();
        core::admin::QueueFilter all;
        all.limit = 0;
        open = Must(admin.Queue(supervisor, all, now), "queue").size();
        queue.push_back(MillisSince(start));
    }
    std::printf("  %-26s %10.1f %12s %10s %10zu\n", "queue (all open)", Median(queue), "-", "-", open);
}

}  // namespace

int main(int argc, char** argv) {
    int tickets = kDefaultTickets;
    std::string existing;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--tickets" && i + 1 < argc) {
            tickets = std::atoi(argv[++i]);
        } else if (arg == "--db" && i + 1 < argc) {
            existing = argv[++i];
        } else {
            Die("usage: admin_bench [--tickets N] [--db EXISTING.db]");
        }
    }
    BenchHashing();

    const Tables tables = LoadTables();
    const core::Timestamp now = Must(core::ParseTimestamp("2026-11-22T08:00:00Z"), "now");
    const bool shm = std::filesystem::is_directory("/dev/shm");
    if (shm) setenv("TMPDIR", "/dev/shm", 1);
    kiosk::testing::TempDir dir("admin-bench");
    Fill(dir.File("demo.db"), tables, kDemoTickets, now);
    BenchReports("demo-sized database", dir.File("demo.db"), tables, now);
    const auto start = SteadyClock::now();
    Fill(dir.File("large.db"), tables, tickets, now);
    std::printf("\n(filled %d tickets in %.1f s)\n", tickets, MillisSince(start) / 1000);
    BenchReports("large database", dir.File("large.db"), tables, now);
    if (!existing.empty()) {
        BenchReports(existing, existing, tables,
                     std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
    }
    return 0;
}
