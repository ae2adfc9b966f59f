// Attached files through the fault proxy: chunk bodies cut halfway, answers dropped after head office
// stored a chunk, and head office killed in the middle of an upload and started again. Every file
// arrives once and matches its hash.
#include <random>

#include "fault_proxy.hpp"
#include "reliability_support.hpp"
#include "sync/blob_test_support.hpp"

using namespace kiosk;
using namespace kiosk::reliability;
using namespace kiosk::sync::test;

namespace {

sync::WorkerOptions SmallChunks() {
    sync::WorkerOptions options;
    options.blobChunkBytes = 64 * 1024;
    options.timeouts.connect = std::chrono::milliseconds{1000};
    options.timeouts.total = std::chrono::milliseconds{5000};
    return options;
}

std::int64_t HoPartialBytes(const std::filesystem::path& hoDb) {
    auto ho = Ok(storage::Database::Open(hoDb));
    return Ok(ho.QueryInt("SELECT coalesce(sum(received), 0) FROM blob_uploads"));
}

}  // namespace

TEST_CASE("blob faults: through cut chunks, lost answers and a killed head office every file arrives once and whole",
          "[reliability][network][blobs]") {
    const RunLength length = RunLength::FromEnvironment();
    std::mt19937_64 random(length.seed);
    WARN("blob faults: seed " << length.seed);
    AttachingKiosk kiosk;
    kiosk.AttachPhotos(3, 300 * 1024, 11);  // five chunks each
    kiosk.AttachPhotos(2, 200 * 1024, 12);

    storage::test::TempDir dir;
    const auto hoDb = dir.File("ho.db");
    const std::string hoUrl = "sqlite:" + hoDb.string();
    auto ho = std::make_unique<HeadOfficeProcess>(hoUrl);
    const int hoPort = ho->port;
    FaultProxy proxy(hoPort, nullptr);
    Child add({HEADOFFICE_PATH, "--db", hoUrl, "kiosk", "add", "S012", "K1", "--qr", dir.File("qr.png").string()});
    const std::string token = add.ReadLine();
    REQUIRE(add.Wait() == 0);
    Ok(sync::Enrol(kiosk.File(), proxy.Url(), token));
    auto worker = Ok(sync::SyncWorker::Open(kiosk.File(), SmallChunks()));

    // A third of the requests (batches, pulls, blob states and chunks) are cut or lose their answer.
    std::mutex randomMutex;
    proxy.SetPlan([&](std::int64_t) {
        std::lock_guard lock(randomMutex);
        switch (std::uniform_int_distribution<int>(0, 5)(random)) {
            case 0: return Fault::CutRequestBody;
            case 1: return Fault::DropResponse;
            default: return Fault::None;
        }
    });
    int failedDrains = 0;
    bool killed = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes{3};
    while (Ok(worker.Status()).blobsWaiting > 0) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        if (!killed && HoPartialBytes(hoDb) > 0) {
            // Head office dies with a blob half received, and comes back on the same port.
            ho->child->Signal(SIGKILL);
            ho.reset();
            ho = std::make_unique<HeadOfficeProcess>(hoUrl, hoPort);
            killed = true;
        }
        if (!worker.Drain()) ++failedDrains;
    }
    WARN("blob faults: " << proxy.Summary() << failedDrains << " failed drains");
    CHECK(killed);
    CHECK(proxy.Counts()[static_cast<std::size_t>(Fault::CutRequestBody)] > 0);
    CHECK(proxy.Counts()[static_cast<std::size_t>(Fault::DropResponse)] > 0);
    CheckBlobsAtHeadOffice(hoDb, kiosk.files);
    CHECK(Ok(worker.Status()).blobProblems.empty());
}
