// The libusb transport for real against umockdev-emulated USB printers: enumeration, taking the
// interface from usblp, bytes in order, status replies, a silent printer, and an unplug mid-job.
#include <catch2/catch.hpp>

#include <libusb.h>

#include <string>
#include <vector>

#include "drivers/print/fake_usb_printer.hpp"
#include "drivers/printer/print_worker.hpp"
#include "drivers/printer/transport.hpp"

using namespace kiosk;
using core::ErrorCode;
using testing::FakeUsbPrinter;

namespace {

std::unique_ptr<drivers::printer::Transport> Open(const std::string& uri) {
    drivers::printer::TransportOptions options;
    options.timeout = std::chrono::milliseconds{300};
    options.chunkBytes = 512;
    auto transport = drivers::printer::OpenTransport(uri, options);
    REQUIRE(transport);
    return std::move(*transport);
}

std::vector<std::uint8_t> Job(std::size_t size) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>('A' + i % 26);
    return bytes;
}

}  // namespace

TEST_CASE("usb: printers are found by interface class 7") {
    FakeUsbPrinter printer;
    auto list = drivers::printer::ListUsbPrinters();
    REQUIRE(list);
    REQUIRE(list->size() == 1);
    CHECK((*list)[0].uri.rfind("usb://04b8:0e15", 0) == 0);
}

TEST_CASE("usb: claiming fails with EBUSY while usblp holds the printer; the transport detaches it") {
    FakeUsbPrinter printer;
    libusb_context* context = nullptr;
    REQUIRE(libusb_init(&context) == 0);
    libusb_device_handle* handle = libusb_open_device_with_vid_pid(context, 0x04b8, 0x0e15);
    REQUIRE(handle != nullptr);
    CHECK(libusb_kernel_driver_active(handle, 0) == 1);
    CHECK(libusb_claim_interface(handle, 0) == LIBUSB_ERROR_BUSY);
    libusb_close(handle);
    libusb_exit(context);

    auto transport = Open("usb://04b8:0e15");
    REQUIRE(transport->Connect());
    CHECK(!printer.DriverBound());
    auto other = Open("usb://04b8:9999");
    auto missing = other->Connect();
    REQUIRE(!missing);
    CHECK(missing.error().code == ErrorCode::Unavailable);
}

TEST_CASE("usb: a job arrives whole and in order, in chunks") {
    FakeUsbPrinter printer;
    auto transport = Open("usb://auto");
    const auto job = Job(5000);
    REQUIRE(transport->Send(job, "job"));
    CHECK(printer.Received() == std::string(job.begin(), job.end()));
}

TEST_CASE("usb: status replies report paper out and cover open") {
    FakeUsbPrinter printer;
    auto transport = Open("usb://04b8:0e15");
    auto ok = transport->Status();
    REQUIRE(ok);
    CHECK(ok->CanPrint());

    printer.SetPaperStatus(0x7E);
    auto paper = transport->Status();
    REQUIRE(paper);
    CHECK(paper->paperOut);
    CHECK(!paper->CanPrint());

    printer.SetPaperStatus(0x12);
    printer.SetPrinter(0x1A);
    printer.SetOfflineCause(0x16);
    auto cover = transport->Status();
    REQUIRE(cover);
    CHECK(cover->coverOpen);
    CHECK(!cover->online);

    printer.SetPrinter(0xFF);
    auto garbled = transport->Status();
    REQUIRE(!garbled);
    CHECK(garbled.error().code == ErrorCode::InvalidInput);
}

TEST_CASE("usb: a printer that never answers times out cleanly") {
    FakeUsbPrinter printer;
    printer.SetSilent(true);
    auto transport = Open("usb://auto");
    const auto started = std::chrono::steady_clock::now();
    auto status = transport->Status();
    REQUIRE(!status);
    CHECK(status.error().code == ErrorCode::Unavailable);
    CHECK(status.error().message.find("no answer to DLE EOT 1") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds{5});
}

namespace {

// A queue in memory: enough to watch the worker's state changes around an unplug.
class MemoryJobs final : public drivers::printer::PrintJobStore {
public:
    struct Row {
        core::PrintRequest request;
        std::string state = "queued";
        int printedCount = 0;
    };
    std::vector<Row> rows;

    core::Result<std::int64_t> Add(const core::PrintRequest& r) override {
        rows.push_back(Row{r});
        return static_cast<std::int64_t>(rows.size());
    }
    core::Result<std::optional<drivers::printer::PendingJob>> NextPending() override {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].state == "queued") {
                return std::optional<drivers::printer::PendingJob>{
                    drivers::printer::PendingJob{static_cast<std::int64_t>(i + 1), rows[i].request}};
            }
        }
        return std::optional<drivers::printer::PendingJob>{};
    }
    core::Result<void> MarkPrinting(std::int64_t id) override { return Move(id, "printing"); }
    core::Result<void> MarkPrinted(std::int64_t id) override {
        ++rows[static_cast<std::size_t>(id - 1)].printedCount;
        return Move(id, "printed");
    }
    core::Result<void> MarkRetry(std::int64_t id, std::string_view) override { return Move(id, "queued"); }
    core::Result<void> MarkFailed(std::int64_t id, std::string_view) override { return Move(id, "failed"); }
    core::Result<std::vector<std::int64_t>> RecoverInterrupted() override { return std::vector<std::int64_t>{}; }

private:
    core::Result<void> Move(std::int64_t id, const char* state) {
        rows[static_cast<std::size_t>(id - 1)].state = state;
        return {};
    }
};

}  // namespace

TEST_CASE("usb: unplugged in the middle of a job, the job stays queued and prints once after replug") {
    FakeUsbPrinter printer;
    auto transport = Open("usb://04b8:0e15");
    MemoryJobs jobs;
    const auto job = Job(4000);
    drivers::printer::PrintWorker worker(jobs, *transport, [&](const core::PrintRequest&) { return job; });
    REQUIRE(worker.Enqueue(core::PrintRequest{"S012-K1-261122-0001"}));

    printer.UnplugAfter(1500);
    auto failed = worker.PrintNext();
    REQUIRE(!failed);
    CHECK(failed.error().code == ErrorCode::Unavailable);
    CHECK(jobs.rows[0].state == "queued");
    const std::string partial = printer.Received();

    auto whileAway = worker.PrintNext();
    REQUIRE(!whileAway);
    CHECK(jobs.rows[0].state == "queued");

    printer.Replug();
    auto printed = worker.PrintNext();
    INFO((printed ? std::string("ok") : printed.error().message));
    REQUIRE(printed);
    CHECK(*printed);
    CHECK(jobs.rows[0].state == "printed");
    CHECK(jobs.rows[0].printedCount == 1);
    auto none = worker.PrintNext();
    REQUIRE(none);
    CHECK(!*none);
    const std::string after = printer.Received().substr(partial.size());
    // After the replug: the status requests and the whole job once, nothing else.
    std::string expected;
    expected += std::string("\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04", 12);
    expected += std::string(job.begin(), job.end());
    expected += std::string("\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04", 12);
    CHECK(after == expected);
}
