// Verify with intake files: tickets with six photos, a signature and its strokes each, the files
// rehashed by verify, beside verify of the same database reading no files.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/barcode/photo.hpp"
#include "kiosk/app/intake_files.hpp"
#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/roles_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "kiosk/storage/admin_store.hpp"
#include "kiosk/storage/kiosk_store.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace kiosk;
using SteadyClock = std::chrono::steady_clock;

constexpr int kDefaultTickets = 100;
constexpr int kPhotosPerTicket = 6;
constexpr int kRuns = 5;

[[noreturn]] void Die(const std::string& message) {
    std::fprintf(stderr, "verify_bench: %s\n", message.c_str());
    std::exit(1);
}

template <class T>
T Must(core::Result<T> result, std::string_view what) {
    if (!result) Die(std::string(what) + ": " + result.error().message);
    return std::move(*result);
}

// 1280 × 960 scenes as the camera pipeline makes them: a lit counter with an item and sensor noise,
// for JPEGs of a realistic size.
std::vector<drivers::RgbImage> MakeScenes(int count) {
    std::mt19937 random(20261122);
    std::uniform_int_distribution<int> noise(-12, 12);
    std::uniform_int_distribution<int> place(100, 700);
    std::vector<drivers::RgbImage> scenes;
    for (int n = 0; n < count; ++n) {
        drivers::RgbImage image{1280, 960, std::vector<std::uint8_t>(1280 * 960 * 3)};
        const int itemX = place(random);
        const int itemY = place(random) / 2;
        for (int y = 0; y < image.height; ++y) {
            for (int x = 0; x < image.width; ++x) {
                const bool item = x >= itemX && x < itemX + 420 && y >= itemY && y < itemY + 380;
                const int base = item ? 60 + (x - itemX) / 6 : 150 + (x + y) / 30;
                std::uint8_t* p = &image.pixels[(static_cast<std::size_t>(y) * 1280 + static_cast<std::size_t>(x)) * 3];
                for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(std::clamp(base + c * 12 + noise(random), 0, 255));
            }
        }
        scenes.push_back(std::move(image));
    }
    return scenes;
}

// A photo of its own: a scene with the photo's number marked in a corner, so every photo is a file.
std::string MakePhoto(drivers::RgbImage scene, int number) {
    for (int bit = 0; bit < 16; ++bit) {
        const std::uint8_t value = (number >> bit & 1) != 0 ? 0 : 255;
        for (int y = 0; y < 8; ++y) {
            for (int x = bit * 8; x < bit * 8 + 8; ++x) {
                std::uint8_t* p = &scene.pixels[(static_cast<std::size_t>(y) * 1280 + static_cast<std::size_t>(x)) * 3];
                p[0] = p[1] = p[2] = value;
            }
        }
    }
    return Must(drivers::EncodeJpeg(scene, 85), "encode photo");
}

double MillisSince(SteadyClock::time_point start) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int tickets = argc > 1 ? std::max(1, std::atoi(argv[1])) : kDefaultTickets;
    const std::filesystem::path assets = KIOSK_BENCH_ASSET_DIR;
    kiosk::testing::TempDir dir("verify-bench");
    const std::filesystem::path file = dir.Path() / "kiosk.db";
    const core::Timestamp t0 = Must(core::ParseTimestamp("2026-11-22T02:00:00Z"), "time");
    const core::Lifecycle lifecycle = Must(config::LoadLifecycleFile(assets / "lifecycle.toml"), "lifecycle");
    const core::SlaPolicy sla = Must(config::LoadSlaPolicyFile(assets / "sla.toml"), "sla");
    const core::BusinessCalendar calendar = Must(config::LoadCalendarFile(assets / "calendar.toml"), "calendar");
    storage::KioskStore store = Must(storage::KioskStore::Open(Must(storage::Database::Open(file), "open"), lifecycle,
                                                               storage::StoreOptions{"S012", "K1", std::chrono::minutes{480}}),
                                     "store");
    Must(store.Initialize("S012", "K1", t0), "initialize");
    const core::Actor importer{core::Role::System, "bench"};
    const core::Actor clerk{core::Role::Clerk, "E1004"};
    Must(store.ImportStaff(std::vector<core::Staff>{{"E1004", "Chen Jie", core::Role::Clerk, "B-1004", true}}, importer, t0),
         "staff");
    storage::AdminStore admin = Must(storage::AdminStore::Open(Must(storage::Database::Open(file), "open"), store, lifecycle,
                                                               sla, calendar,
                                                               Must(config::LoadRolesFile(assets / "roles.toml"), "roles")),
                                     "admin store");
    const storage::BlobStore blobs(storage::BlobStore::DirectoryFor(file));
    app::IntakeFiles intake(blobs);
    const std::vector<drivers::escpos::SignatureStroke> strokes{
        {{0.1f, 0.6f, 0}, {0.2f, 0.3f, 80}, {0.3f, 0.7f, 160}, {0.4f, 0.3f, 240}, {0.5f, 0.6f, 320}},
        {{0.15f, 0.85f, 600}, {0.85f, 0.85f, 900}}};

    std::setvbuf(stdout, nullptr, _IONBF, 0);
    std::printf("Setting up %d tickets with %d photos, a signature and its strokes each...\n", tickets, kPhotosPerTicket);
    const std::vector<drivers::RgbImage> scenes = MakeScenes(kPhotosPerTicket);
    std::int64_t bytes = 0;
    for (int i = 0; i < tickets; ++i) {
        core::NewTicket request;
        request.type = core::TicketType::Complaint;
        request.description = "bench ticket " + std::to_string(i);
        const std::string number = Must(store.CreateTicket(request, clerk, t0), "create").number;
        std::vector<core::Attachment> files;
        for (int p = 0; p < kPhotosPerTicket; ++p) {
            files.push_back(Must(intake.PutPhoto(MakePhoto(scenes[static_cast<std::size_t>(p)], i * kPhotosPerTicket + p)), "photo"));
        }
        const auto signature = Must(intake.PutSignature(strokes), "signature");
        files.insert(files.end(), signature.begin(), signature.end());
        for (const core::Attachment& a : files) bytes += a.bytes;
        Must(admin.Attach(clerk, number, files, "bench", t0), "attach");
    }
    std::printf("%zu files, %.1f MB in %s\n", Must(blobs.List(), "list").size(), static_cast<double>(bytes) / 1e6,
                blobs.Directory().c_str());

    std::printf("\n%-44s %6s %10s %10s %10s\n", "verify (warm page cache)", "runs", "min ms", "median ms", "files");
    for (const bool withFiles : {false, true}) {
        std::vector<double> times;
        std::int64_t checked = 0;
        for (int run = 0; run < kRuns; ++run) {
            const auto start = SteadyClock::now();
            const storage::VerifyReport report = Must(store.Verify(withFiles ? &blobs : nullptr), "verify");
            times.push_back(MillisSince(start));
            if (!report.ok) Die("verify failed on an untouched database");
            checked = report.filesChecked;
        }
        std::sort(times.begin(), times.end());
        std::printf("  %-42s %6d %10.1f %10.1f %10lld\n", withFiles ? "chain, projections and every file" : "chain and projections only",
                    kRuns, times.front(), times[times.size() / 2], static_cast<long long>(checked));
    }
    return 0;
}
