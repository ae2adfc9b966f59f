// The device recorder on a real SQLite file: what it records at start, the printer's and the scan
// sources' health as they change, print job results, and the frames the frame guard caught.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "kiosk/app/device_recorder.hpp"
#include "kiosk/storage/device_status.hpp"
#include "storage/storage_test_support.hpp"

using namespace kiosk;
using storage::test::At;
using storage::test::Ok;

namespace {

// A printer whose answer the test sets; nothing is ever queued.
class StandInPrinting final : public core::ReceiptPrinting {
public:
    core::Result<std::int64_t> Enqueue(const core::PrintRequest&) override { return 1; }
    void OnUpdate(std::function<void(const core::PrintJobUpdate&)>) override {}
    core::Result<core::PrinterStatus> Status() override {
        const std::scoped_lock lock(m_mutex);
        return m_status;
    }
    void Wake() override {}
    core::Result<void> PrintPage(std::span<const std::uint8_t>, std::string_view) override { return {}; }
    void Set(core::Result<core::PrinterStatus> status) {
        const std::scoped_lock lock(m_mutex);
        m_status = std::move(status);
    }

private:
    std::mutex m_mutex;
    core::Result<core::PrinterStatus> m_status = core::PrinterStatus{};
};

std::string Fact(const std::filesystem::path& file, std::string_view name) {
    auto db = Ok(storage::Database::Open(file));
    const auto facts = Ok(storage::DeviceStatus(db).ReadAll());
    const auto it = facts.find(std::string(name));
    return it == facts.end() ? std::string("(none)") : it->second.value;
}

template <typename Condition>
bool Eventually(Condition done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace

TEST_CASE("the device recorder keeps the printer, the scanners, job results and failed frames in the database", "[device-recorder]") {
    storage::test::TempDir dir("device-recorder");
    const auto file = dir.File("kiosk.db");
    storage::test::InitializedStore(file);  // the kiosk's schema, device_status included
    core::ManualClock clock(At("2026-11-22T06:00:00Z"));
    StandInPrinting printing;
    core::PrinterStatus paperOut;
    paperOut.online = true;
    paperOut.paperOut = true;
    printing.Set(paperOut);

    std::mutex healthMutex;
    app::ScanHealth health{"ok", "usb 05e0:1200 connected", At("2026-11-22T05:59:00Z"), "off"};
    auto recorder = Ok(app::DeviceRecorder::Start(file, printing, clock, "1.2.3", [&] {
        const std::scoped_lock lock(healthMutex);
        return health;
    }, std::chrono::milliseconds{10}));

    // At start: the version, the start time, no failed frames; then the first round of asking.
    CHECK(Fact(file, storage::device::kSoftware) == "1.2.3");
    CHECK(Fact(file, storage::device::kStartedAt) == "2026-11-22T06:00:00Z");
    CHECK(Fact(file, storage::device::kFrameFailures) == "0");
    REQUIRE(Eventually([&] { return Fact(file, storage::device::kPrinter) == "paper_out"; }));
    CHECK(Fact(file, storage::device::kPaper) == "out");
    REQUIRE(Eventually([&] { return Fact(file, storage::device::kScanner) == "ok"; }));
    CHECK(Fact(file, storage::device::kCamera) == "off");
    CHECK(Fact(file, storage::device::kScannerSeen) == "1795327140000");

    // The scanner is unplugged and the printer stops answering: both are recorded at the next round.
    {
        const std::scoped_lock lock(healthMutex);
        health.scanner = "missing";
        health.detail = "usb 05e0:1200 not connected";
    }
    printing.Set(core::Fail(core::ErrorCode::Unavailable, "no USB printer 04b8:0e15"));
    REQUIRE(Eventually([&] { return Fact(file, storage::device::kScanner) == "missing"; }));
    REQUIRE(Eventually([&] { return Fact(file, storage::device::kPrinter) == "offline"; }));
    CHECK(Fact(file, storage::device::kScannerDetail) == "usb 05e0:1200 not connected");
    CHECK(Fact(file, storage::device::kPrinterDetail) == "no USB printer 04b8:0e15");

    // Job results as the print worker reports them.
    recorder->JobUpdated({7, "S012-K1-261122-0001", core::PrintJobState::Failed, "paper out"});
    CHECK(Fact(file, storage::device::kLastJob) == "failed S012-K1-261122-0001: paper out");
    recorder->JobUpdated({7, "S012-K1-261122-0001", core::PrintJobState::Printed, ""});
    CHECK(Fact(file, storage::device::kLastJob) == "printed S012-K1-261122-0001");

    // Frames the frame guard caught: counted since start, the last one named with its screen.
    recorder->FrameFailed("decision", "vector too long");
    recorder->FrameFailed("review", "bad ticket");
    CHECK(Fact(file, storage::device::kFrameFailures) == "2");
    CHECK(Fact(file, storage::device::kLastFrameFailure) == "review: bad ticket");
}
