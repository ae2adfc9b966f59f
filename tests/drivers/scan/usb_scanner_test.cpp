// UsbScannerSource and ListUsbScanners for real, through libusb, against umockdev-emulated scanners:
// enumeration, taking the interface from usbhid, keyboard and HID POS reports, unplug and replug.
#include <catch2/catch.hpp>

#include <libusb.h>

#include <mutex>
#include <string>
#include <vector>

#include "drivers/scanner/usb_scanner.hpp"
#include "fake_usb_scanner.hpp"
#include "scan_reports.hpp"

using namespace kiosk;
using namespace std::chrono_literals;
using drivers::UsbScannerKind;
using drivers::UsbScannerOptions;
using drivers::UsbScannerSource;
using drivers::VidPid;
using testing::FakeUsbScanner;
using testing::KeyReportsFor;
using testing::PosReportsFor;
using testing::WaitFor;

namespace {

// One testbed per test; it must exist before libusb is initialised.
struct Testbed {
    UMockdevTestbed* bed = umockdev_testbed_new();
    Testbed() = default;
    ~Testbed() { g_clear_object(&bed); }
    Testbed(const Testbed&) = delete;
    Testbed& operator=(const Testbed&) = delete;
};

// What a source delivered, collected from its thread.
class Collected {
public:
    auto Sink() {
        return [this](const core::ScanEvent& event) {
            const std::scoped_lock lock(m_mutex);
            m_events.push_back(event);
        };
    }
    std::vector<core::ScanEvent> Events() {
        const std::scoped_lock lock(m_mutex);
        return m_events;
    }
    std::size_t Count() { return Events().size(); }
    std::vector<std::string> Texts() {
        std::vector<std::string> texts;
        for (const core::ScanEvent& e : Events()) texts.push_back(e.input.text);
        return texts;
    }

private:
    std::mutex m_mutex;
    std::vector<core::ScanEvent> m_events;
};

UsbScannerOptions Only(VidPid id) {
    UsbScannerOptions options;
    options.device = id;
    options.rescanInterval = 50ms;
    options.keyboard.interKeyTimeout = 10s;  // a half-read code is dropped by the unplug, not by time
    return options;
}

}  // namespace

TEST_CASE("usb scanners: listed by interface class and report descriptor, and by VID:PID") {
    Testbed testbed;
    FakeUsbScanner keyboard(testbed.bed, 1, testing::KeyboardScanner());
    FakeUsbScanner pos(testbed.bed, 2, testing::PosScanner());
    FakeUsbScanner mouse(testbed.bed, 3, testing::OtherHidDevice());

    auto all = drivers::ListUsbScanners();
    REQUIRE(all);
    REQUIRE(all->size() == 2);
    std::sort(all->begin(), all->end(), [](const auto& a, const auto& b) { return a.bus < b.bus; });
    CHECK((*all)[0].id == VidPid{0x05e0, 0x1200});
    CHECK((*all)[0].kind == UsbScannerKind::BootKeyboard);
    CHECK((*all)[0].bus == 1);
    CHECK((*all)[0].address == 1);
    CHECK((*all)[0].interfaceNumber == 0);
    CHECK((*all)[0].product == "Symbol Bar Code Scanner");
    CHECK((*all)[1].id == VidPid{0x0c2e, 0x0b87});
    CHECK((*all)[1].kind == UsbScannerKind::HidPos);
    CHECK((*all)[1].product == "Voyager 1450g");

    auto one = drivers::ListUsbScanners(VidPid{0x0c2e, 0x0b87});
    REQUIRE(one);
    REQUIRE(one->size() == 1);
    CHECK((*one)[0].kind == UsbScannerKind::HidPos);

    auto none = drivers::ListUsbScanners(VidPid{0x046d, 0xc077});
    REQUIRE(none);
    CHECK(none->empty());
    // Listing only looks: usbhid keeps the scanner.
    CHECK(keyboard.DriverBound());
    CHECK(!keyboard.Claimed());
}

TEST_CASE("usb scanners: claiming fails with BUSY while usbhid holds the scanner; the source detaches it") {
    Testbed testbed;
    FakeUsbScanner scanner(testbed.bed, 1, testing::KeyboardScanner());
    libusb_context* context = nullptr;
    REQUIRE(libusb_init(&context) == 0);
    libusb_device_handle* handle = libusb_open_device_with_vid_pid(context, 0x05e0, 0x1200);
    REQUIRE(handle != nullptr);
    CHECK(libusb_kernel_driver_active(handle, 0) == 1);
    CHECK(libusb_claim_interface(handle, 0) == LIBUSB_ERROR_BUSY);
    libusb_close(handle);
    libusb_exit(context);
    CHECK(scanner.DriverBound());

    Collected scans;
    UsbScannerSource source(Only({0x05e0, 0x1200}));
    REQUIRE(source.Start(scans.Sink()));
    REQUIRE(WaitFor([&] { return source.Connected(); }));
    CHECK(!scanner.DriverBound());
    CHECK(scanner.Claimed());
    source.Stop();
    CHECK(!scanner.Claimed());
}

TEST_CASE("usb scanners: keyboard reports with shift and repeated characters, Enter ends each code") {
    Testbed testbed;
    FakeUsbScanner scanner(testbed.bed, 1, testing::KeyboardScanner());
    Collected scans;
    UsbScannerSource source(Only({0x05e0, 0x1200}));
    REQUIRE(source.Start(scans.Sink()));
    REQUIRE(WaitFor([&] { return source.Connected(); }));

    scanner.SendAll(KeyReportsFor("Ab11_-BADGE:B-1001\n4006381333931\n"));
    REQUIRE(WaitFor([&] { return scans.Count() == 2; }));
    CHECK(scans.Texts() == std::vector<std::string>{"Ab11_-BADGE:B-1001", "4006381333931"});
    const auto events = scans.Events();
    CHECK(events[0].source == "usb-hid 05e0:1200");
    CHECK(events[0].input.aimId.empty());

    // Read again at once, the same code counts once; another code still comes through.
    scanner.SendAll(KeyReportsFor("4006381333931\n1100\n"));
    REQUIRE(WaitFor([&] { return scans.Count() == 3; }));
    REQUIRE(WaitFor([&] { return scanner.Queued() == 0 && scanner.Unreaped() == 0; }));
    CHECK(scans.Texts().back() == "1100");
    CHECK(scans.Count() == 3);
    CHECK(source.DroppedCodes() == 0);
}

TEST_CASE("usb scanners: unplugged mid-code, the half-read code is dropped and the next one after replug is read") {
    Testbed testbed;
    FakeUsbScanner scanner(testbed.bed, 1, testing::KeyboardScanner());
    Collected scans;
    UsbScannerSource source(Only({0x05e0, 0x1200}));
    REQUIRE(source.Start(scans.Sink()));
    REQUIRE(WaitFor([&] { return source.Connected(); }));

    scanner.SendAll(KeyReportsFor("12345"));
    REQUIRE(WaitFor([&] { return scanner.Queued() == 0 && scanner.Unreaped() == 0; }));
    scanner.Unplug();
    REQUIRE(WaitFor([&] { return !source.Connected(); }));
    CHECK(source.DroppedCodes() == 1);
    CHECK(scans.Count() == 0);

    scanner.Replug();
    REQUIRE(WaitFor([&] { return source.Connected(); }));
    CHECK(!scanner.DriverBound());  // usbhid bound again on replug, and was detached again
    scanner.SendAll(KeyReportsFor("67890\n"));
    REQUIRE(WaitFor([&] { return scans.Count() == 1; }));
    CHECK(scans.Texts() == std::vector<std::string>{"67890"});
    CHECK(source.DroppedCodes() == 1);
}

TEST_CASE("usb scanners: a source started before the scanner is plugged in picks it up") {
    Testbed testbed;
    FakeUsbScanner other(testbed.bed, 2, testing::OtherHidDevice());
    Collected scans;
    UsbScannerOptions options = Only({0x05e0, 0x1200});
    // Where libusb reports hot-plug events the arrival wakes the source; the long interval shows it.
    const bool hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0;
    options.rescanInterval = hotplug ? 60s : 50ms;
    UsbScannerSource source(options);
    REQUIRE(source.Start(scans.Sink()));
    std::this_thread::sleep_for(100ms);
    CHECK(!source.Connected());

    FakeUsbScanner scanner(testbed.bed, 1, testing::KeyboardScanner());
    REQUIRE(WaitFor([&] { return source.Connected(); }));
    scanner.SendAll(KeyReportsFor("ABC-123\n"));
    REQUIRE(WaitFor([&] { return scans.Count() == 1; }));
    CHECK(scans.Texts() == std::vector<std::string>{"ABC-123"});
    source.Stop();
}

TEST_CASE("usb scanners: HID POS reports of one code are joined and keep the AIM id") {
    Testbed testbed;
    FakeUsbScanner scanner(testbed.bed, 1, testing::PosScanner());
    Collected scans;
    UsbScannerSource source(Only({0x0c2e, 0x0b87}));
    REQUIRE(source.Start(scans.Sink()));
    REQUIRE(WaitFor([&] { return source.Connected(); }));
    CHECK(!scanner.DriverBound());

    std::string url = "https://service.example.com/t/";
    while (url.size() < 120) url += "0123456789";
    url += "/S012-K1-261122-0001";
    const auto reports = PosReportsFor(url, "]Q1");
    REQUIRE(reports.size() == 3);
    scanner.SendAll(reports);
    const std::string gs1 = "010400638133393110ABC123\x1D" "17261231";
    scanner.SendAll(PosReportsFor(gs1, "]C1"));
    REQUIRE(WaitFor([&] { return scans.Count() == 2; }));
    const auto events = scans.Events();
    CHECK(events[0].input.text == url);
    CHECK(events[0].input.aimId == "]Q1");
    CHECK(events[0].source == "usb-hid 0c2e:0b87");
    CHECK(events[1].input.text == gs1);
    CHECK(events[1].input.aimId == "]C1");
}
