// Attached files going up to head office on loopback: a kiosk with N tickets, each with one photo of
// SIZE bytes, drains through the real upload worker to the in-process head-office server on SQLite
// (records first, then the blobs in 256 KiB chunks, each checked and stored in the database), against
// a bare HTTP PUT of the same bytes in the same chunks to a server that only reads them. The drain runs
// twice: with head office's default rate limit (50 requests/s per kiosk, which the worker paces itself
// to) and with the limit lifted, which shows what the blob path itself costs.
//
//   blob_bench [--blobs N] [--kib SIZE]   (defaults: 200 blobs of 1024 KiB)
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/roles_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "kiosk/storage/admin_store.hpp"
#include "kiosk/storage/blob_store.hpp"
#include "kiosk/storage/kiosk_store.hpp"
#include "support/temp_dir.hpp"
#include "sync/codec.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/http_client.hpp"
#include "sync/worker.hpp"

namespace {

using namespace kiosk;
using Clock = std::chrono::steady_clock;

template <class T>
T Must(core::Result<T> result) {
    if (!result) {
        std::fprintf(stderr, "blob_bench: %s\n", result.error().message.c_str());
        std::exit(1);
    }
    return std::move(*result);
}

std::string PhotoBytes(std::uint64_t seed, std::size_t size) {
    std::mt19937_64 random(seed);
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i + 8 <= size; i += 8) {
        const std::uint64_t word = random();
        std::memcpy(bytes.data() + i, &word, 8);
    }
    bytes[0] = static_cast<char>(0xff);
    bytes[1] = static_cast<char>(0xd8);
    return bytes;
}

// A kiosk database with `blobs` repairs, each with one attached photo; returns the photos' total bytes.
std::int64_t FileAttachedTickets(const std::filesystem::path& file, int blobs, std::size_t size) {
    const core::Lifecycle lifecycle = Must(config::LoadLifecycleFile(KIOSK_BENCH_ASSET_DIR "/lifecycle.toml"));
    static const core::SlaPolicy sla = Must(config::LoadSlaPolicyFile(KIOSK_BENCH_ASSET_DIR "/sla.toml"));
    static const core::BusinessCalendar calendar = Must(config::LoadCalendarFile(KIOSK_BENCH_ASSET_DIR "/calendar.toml"));
    static const core::admin::RoleTable roles = Must(config::LoadRolesFile(KIOSK_BENCH_ASSET_DIR "/roles.toml"));
    auto store = Must(storage::KioskStore::Open(Must(storage::Database::Open(file)), lifecycle, {"S012", "K1", std::chrono::minutes{8 * 60}}));
    const auto start = core::Timestamp{std::chrono::seconds{1'777'507'200}};  // 2026-04-30T00:00:00Z
    Must(store.Initialize("S012", "K1", start));
    const std::vector<core::Staff> staff{{"E1004", "Chen Jie", core::Role::Clerk, "B-1004", true}};
    Must(store.ImportStaff(staff, {core::Role::System, "blob_bench"}, start));
    auto admin = Must(storage::AdminStore::Open(Must(storage::Database::Open(file)), store, lifecycle, sla, calendar, roles, {}));
    const storage::BlobStore files(storage::BlobStore::DirectoryFor(file));
    core::NewTicket repair;
    repair.type = core::TicketType::Repair;
    repair.description = "the screen is cracked";
    std::int64_t total = 0;
    for (int i = 0; i < blobs; ++i) {
        const core::Timestamp filed = start + std::chrono::minutes{i};
        const std::string number = Must(store.CreateTicket(repair, {core::Role::Customer, "customer"}, filed)).number;
        const core::Attachment photo = Must(files.Put(PhotoBytes(static_cast<std::uint64_t>(i) + 1, size), "photo", "image/jpeg"));
        Must(admin.Attach({core::Role::Clerk, "E1004"}, number, {photo}, "at intake", filed));
        total += photo.bytes;
    }
    return total;
}

// Drains a copy of `kioskDb` (with its files) to a fresh head office on SQLite; seconds, or -1 when not
// every blob arrived. Appends head office's count of stored blobs to `stored`.
double DrainSeconds(const testing::TempDir& dir, const std::filesystem::path& kioskDb, const std::string& name,
                    sync::headoffice::ServiceLimits limits, int blobs, std::int64_t bytes, std::vector<std::string>& stored) {
    const auto copy = dir.File(name + "-kiosk.db");
    std::filesystem::copy_file(kioskDb, copy);
    std::filesystem::copy(storage::BlobStore::DirectoryFor(kioskDb), storage::BlobStore::DirectoryFor(copy));
    auto service = Must(sync::headoffice::IngestService::Open("sqlite:" + dir.File(name + "-ho.db").string(), limits));
    sync::headoffice::HttpServer server(*service);
    const int port = Must(server.Start("127.0.0.1", 0));
    Must(sync::Enrol(copy, "http://127.0.0.1:" + std::to_string(port), Must(service->AddKiosk("S012", "K1"))));
    auto worker = Must(sync::SyncWorker::Open(copy));
    const auto begin = Clock::now();
    const sync::DrainReport report = Must(worker.Drain());
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    server.Stop();
    auto lease = Must(service->Pool().Acquire());
    stored.push_back(Must(lease->Query("SELECT count(*) FROM blobs")).front()[0]);
    if (report.blobsSent != blobs || report.blobBytes != bytes) {
        std::fprintf(stderr, "blob_bench: sent %lld of %d blobs, %lld of %lld bytes\n", static_cast<long long>(report.blobsSent), blobs,
                     static_cast<long long>(report.blobBytes), static_cast<long long>(bytes));
        return -1;
    }
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    int blobs = 200;
    std::size_t kib = 1024;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--blobs") == 0) blobs = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--kib") == 0) kib = static_cast<std::size_t>(std::atoi(argv[i + 1]));
    }
    const std::size_t size = kib * 1024;
    testing::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    const std::int64_t bytes = FileAttachedTickets(kioskDb, blobs, size);
    const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);

    // Baseline: the same bytes, in the same chunks, one PUT each to a server that only reads them.
    double bareSeconds = 0;
    {
        httplib::Server bare;
        bare.set_payload_max_length(64 * 1024 * 1024);
        bare.Put(R"(/put/.*)", [](const httplib::Request& req, httplib::Response& res) {
            res.set_content(std::to_string(req.body.size()), "text/plain");
        });
        const int port = bare.bind_to_any_port("127.0.0.1");
        std::thread serving([&bare] { bare.listen_after_bind(); });
        while (!bare.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds{1});
        const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/put/";
        const auto begin = Clock::now();
        for (int i = 0; i < blobs; ++i) {
            const std::string data = PhotoBytes(static_cast<std::uint64_t>(i) + 1, size);
            for (std::size_t offset = 0; offset < data.size(); offset += sync::kBlobChunkBytes) {
                const std::string_view chunk = std::string_view(data).substr(offset, sync::kBlobChunkBytes);
                const auto answer = Must(sync::SendHttp("PUT", url + std::to_string(i), {{"Content-Type", "application/octet-stream"}}, chunk));
                if (answer.status != 200) {
                    std::fprintf(stderr, "blob_bench: bare PUT answered %d\n", answer.status);
                    return 1;
                }
            }
        }
        bareSeconds = std::chrono::duration<double>(Clock::now() - begin).count();
        bare.stop();
        serving.join();
    }

    std::vector<std::string> stored;
    sync::headoffice::ServiceLimits unlimited;
    unlimited.requestsPerSecond = 1e9;
    unlimited.burst = 1e9;
    const double limitedSeconds = DrainSeconds(dir, kioskDb, "limited", {}, blobs, bytes, stored);
    const double unlimitedSeconds = DrainSeconds(dir, kioskDb, "unlimited", unlimited, blobs, bytes, stored);
    if (limitedSeconds < 0 || unlimitedSeconds < 0) return 1;

    std::printf("%d blobs of %zu KiB (%.0f MiB), %zu KiB chunks, loopback, head office on SQLite\n", blobs, kib, mib,
                sync::kBlobChunkBytes / 1024);
    std::printf("%-58s %9s %9s %8s\n", "", "seconds", "MiB/s", "blobs/s");
    std::printf("%-58s %9.2f %9.1f %8.1f\n", "bare HTTP PUT of the chunks (server only reads them)", bareSeconds, mib / bareSeconds,
                blobs / bareSeconds);
    std::printf("%-58s %9.2f %9.1f %8.1f\n", "worker drain, records then blobs, default rate limit", limitedSeconds,
                mib / limitedSeconds, blobs / limitedSeconds);
    std::printf("%-58s %9.2f %9.1f %8.1f\n", "worker drain, records then blobs, rate limit lifted", unlimitedSeconds,
                mib / unlimitedSeconds, blobs / unlimitedSeconds);
    std::printf("blobs stored at head office: %s (default limit), %s (lifted)\n", stored[0].c_str(), stored[1].c_str());
    return 0;
}
