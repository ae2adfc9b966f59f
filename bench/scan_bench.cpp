// Scanning benchmark: our image pipeline against a bare ZXing call on the same images, the time
// from the last HID report of a code to the decoded code, and (under umockdev-wrapper) from a report
// leaving an emulated USB scanner to the scan event, against a bare libusb read of the same reports.
#include <ZXing/ReadBarcode.h>
#include <libusb.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "drivers/scan/fake_usb_scanner.hpp"
#include "drivers/scanner/usb_scanner.hpp"

#include "drivers/scan/barcode_corpus.hpp"
#include "drivers/scan/scan_reports.hpp"
#include "drivers/scanner/boot_keyboard_decoder.hpp"
#include "drivers/scanner/hid_pos_decoder.hpp"

using namespace kiosk;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRounds = 30;

template <class F>
double MeanMicros(F&& f) {
    const auto start = Clock::now();
    for (int i = 0; i < kRounds; ++i) f();
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / kRounds;
}

struct Latency {
    double median = 0;
    double p95 = 0;
};

Latency Summarise(std::vector<double> micros) {
    std::sort(micros.begin(), micros.end());
    return {micros[micros.size() / 2], micros[micros.size() * 95 / 100]};
}

constexpr int kUsbCodes = 300;

// One single-report HID POS code per round, unique so the repeat filter lets each through.
std::array<std::uint8_t, 64> PosCode(int i) {
    return testing::PosReportsFor("S012-K1-261122-" + std::to_string(1000 + i), "]Q1").front();
}

// Report queued on the emulated device -> ScanEvent delivered by UsbScannerSource.
Latency SourceLatency(UMockdevTestbed* bed) {
    testing::FakeUsbScanner scanner(bed, 1, testing::PosScanner());
    std::atomic<int> seen{0};
    std::atomic<Clock::rep> arrived{0};
    drivers::UsbScannerSource source;
    if (!source.Start([&](const core::ScanEvent&) {
            arrived = Clock::now().time_since_epoch().count();
            ++seen;
        })) {
        return {};
    }
    if (!testing::WaitFor([&] { return source.Connected(); })) return {};
    std::vector<double> micros;
    for (int i = 0; i < kUsbCodes; ++i) {
        const auto report = PosCode(i);
        const auto sent = Clock::now();
        scanner.Send(report);
        if (!testing::WaitFor([&] { return seen == i + 1; })) return {};
        const Clock::time_point at{Clock::duration{arrived.load()}};
        micros.push_back(std::chrono::duration<double, std::micro>(at - sent).count());
    }
    source.Stop();
    return Summarise(micros);
}

// Report queued -> a bare synchronous libusb_interrupt_transfer returns it (the baseline).
Latency BareLibusbLatency(UMockdevTestbed* bed) {
    testing::FakeUsbScanner scanner(bed, 2, testing::PosScanner());
    libusb_context* ctx = nullptr;
    if (libusb_init(&ctx) != 0) return {};
    libusb_device_handle* handle = libusb_open_device_with_vid_pid(ctx, 0x0c2e, 0x0b87);
    std::vector<double> micros;
    if (handle != nullptr && libusb_detach_kernel_driver(handle, 0) == 0 && libusb_claim_interface(handle, 0) == 0) {
        std::atomic<bool> stop{false};
        std::atomic<int> seen{0};
        std::atomic<Clock::rep> arrived{0};
        std::thread reader([&] {
            unsigned char buffer[64];
            while (!stop) {
                int got = 0;
                const int rc = libusb_interrupt_transfer(handle, 0x81, buffer, sizeof buffer, &got, 50);
                if (got > 0) {
                    arrived = Clock::now().time_since_epoch().count();
                    ++seen;
                } else if (rc != LIBUSB_ERROR_TIMEOUT) {
                    return;
                }
            }
        });
        for (int i = 0; i < kUsbCodes; ++i) {
            const auto sent = Clock::now();
            scanner.Send(PosCode(i));
            if (!testing::WaitFor([&] { return seen == i + 1; })) break;
            const Clock::time_point at{Clock::duration{arrived.load()}};
            micros.push_back(std::chrono::duration<double, std::micro>(at - sent).count());
        }
        stop = true;
        reader.join();
        libusb_release_interface(handle, 0);
    }
    if (handle != nullptr) libusb_close(handle);
    libusb_exit(ctx);
    if (micros.size() != static_cast<std::size_t>(kUsbCodes)) return {};
    return Summarise(micros);
}

void UsbLatencyTable() {
    UMockdevTestbed* bed = umockdev_testbed_new();
    if (umockdev_in_mock_environment() == 0) {
        std::printf("\nUSB report -> event: not measured (run under umockdev-wrapper to emulate the scanner)\n");
        g_object_unref(bed);
        return;
    }
    const Latency bare = BareLibusbLatency(bed);
    const Latency ours = SourceLatency(bed);
    g_object_unref(bed);
    std::printf("\n%-44s %12s %12s\n", "USB HID POS report -> code (umockdev, us)", "median", "p95");
    std::printf("%-44s %12.1f %12.1f\n", "bare libusb_interrupt_transfer", bare.median, bare.p95);
    std::printf("%-44s %12.1f %12.1f\n", "UsbScannerSource -> ScanEvent", ours.median, ours.p95);
    std::printf("%-44s %12.2f %12.2f\n", "ratio", ours.median / bare.median, ours.p95 / bare.p95);
}

}  // namespace

int main() {
    using ZXing::BarcodeFormat;
    struct Named { const char* name; drivers::GreyImage image; };
    const drivers::GreyImage ean = testing::MakeBarcode(BarcodeFormat::EAN13, L"6901234567892", 3, 60);
    const drivers::GreyImage qr = testing::MakeBarcode(BarcodeFormat::QRCode, L"https://example.com/t/S012-K1-261122-0007", 4);
    const std::vector<Named> images{
        {"EAN-13", ean},
        {"EAN-13 rotated 90", testing::Rotated(ean, 90)},
        {"Code 128 GS1", testing::MakeBarcode(BarcodeFormat::Code128, L"\u00f1" L"0109501101530003" L"21SN42")},
        {"QR", qr},
        {"QR rotated 30", testing::Rotated(qr, 30)},
        {"DataMatrix", testing::MakeBarcode(BarcodeFormat::DataMatrix, L"BADGE:B-1001", 4)},
        {"no code 640x480", testing::Noise(640, 480)},
    };
    const ZXing::BarcodeFormats retail = BarcodeFormat::EAN13 | BarcodeFormat::EAN8 | BarcodeFormat::UPCA |
                                         BarcodeFormat::UPCE | BarcodeFormat::Code128 | BarcodeFormat::QRCode |
                                         BarcodeFormat::DataMatrix;
    std::printf("%-20s %12s %12s %8s\n", "image", "ours (us)", "bare (us)", "ratio");
    for (const Named& n : images) {
        const double ours = MeanMicros([&] { (void)drivers::DecodeImage(n.image); });
        const double bare = MeanMicros([&] {
            const ZXing::ImageView view(n.image.pixels.data(), n.image.width, n.image.height, ZXing::ImageFormat::Lum);
            (void)ZXing::ReadBarcodes(view, ZXing::DecodeHints().setFormats(retail));
        });
        std::printf("%-20s %12.1f %12.1f %8.2f\n", n.name, ours, bare, ours / bare);
    }

    // HID path: the decoding time from the report that completes a code to the code.
    const auto keyReports = testing::KeyReportsFor("SO-S001-20261122-00001\n");
    const auto posReports = testing::PosReportsFor("https://example.com/t/S012-K1-261122-0007?lang=zh-Hans&x=12345678", "]Q1");
    constexpr int kCodes = 100000;
    double keyboardNs = 0;
    double posNs = 0;
    drivers::BootKeyboardDecoder keyboard;
    drivers::HidPosDecoder pos;
    for (int i = 0; i < kCodes; ++i) {
        const auto base = drivers::ScanClock::now();
        const std::size_t enter = keyReports.size() - 2;  // the Enter press; its release follows
        for (std::size_t r = 0; r < enter; ++r) (void)keyboard.Feed(keyReports[r], base);
        const auto start = Clock::now();
        auto code = keyboard.Feed(keyReports[enter], base);
        const auto stop = Clock::now();
        (void)keyboard.Feed(keyReports.back(), base);
        if (!code) return 1;
        keyboardNs += std::chrono::duration<double, std::nano>(stop - start).count();
        (void)pos.Feed(posReports[0], base);
        const auto posStart = Clock::now();
        auto scan = pos.Feed(posReports[1], base);
        posNs += std::chrono::duration<double, std::nano>(Clock::now() - posStart).count();
        if (!scan) return 1;
    }
    std::printf("\n%-36s %10.0f ns\n", "boot keyboard: Enter report -> code", keyboardNs / kCodes);
    std::printf("%-36s %10.0f ns\n", "HID POS: last report -> scan", posNs / kCodes);
    UsbLatencyTable();
    return 0;
}
