// USB devices for a whole program under test: preloaded (after umockdev's preload library) into the
// real `kiosk` or `kioskctl`, it puts an emulated receipt printer (Epson TM-T20II, bus 1) and an
// emulated keyboard-mode barcode scanner (Symbol 05e0:1200, bus 2) into a umockdev testbed before the
// program's main() runs, so the program's own libusb code finds them as a store's kiosk would.
//
// KIOSK_USB_FIXTURE=DIR turns it on. The test steers the devices by appending lines to the file
// DIR/control, one command per line (a short line appended with one write arrives whole):
//   scan TEXT              the scanner reads TEXT (a key press and release per character, then Enter)
//   garbage                the scanner sends reports no keyboard sends (bad lengths, unknown keys)
//   unplug-scanner         the scanner's cable is pulled (transfers end with ENODEV, a remove uevent)
//   replug-scanner         plugged in again (a new device address, an add uevent)
//   paper ok|low|out       what the printer answers to DLE EOT 4
//   cover open|closed      what the printer answers to DLE EOT 1 and 2
//   printer offline|online what the printer answers to DLE EOT 1
// Each line is answered in DIR/events.log ("done LINE", or "error LINE: why"); "ready" is written once
// the devices are in place. Every byte the program sends the printer is appended to DIR/printer.bin.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "drivers/print/fake_usb_printer.hpp"
#include "drivers/scan/fake_usb_scanner.hpp"
#include "drivers/scan/scan_reports.hpp"

namespace {

using kiosk::testing::FakeUsbPrinter;
using kiosk::testing::FakeUsbScanner;

class UsbFixture {
public:
    explicit UsbFixture(std::string dir) : m_dir(std::move(dir)) {
        m_testbed = umockdev_testbed_new();
        m_printer = std::make_unique<FakeUsbPrinter>(m_testbed);
        m_printer->OnReceived([this](std::string_view bytes) {
            std::ofstream out(m_dir + "/printer.bin", std::ios::binary | std::ios::app);
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        });
        m_scanner = std::make_unique<FakeUsbScanner>(m_testbed, 2, kiosk::testing::KeyboardScanner());
        const std::string control = m_dir + "/control";
        std::ofstream(control, std::ios::app).flush();
        Event("ready");
        std::thread([this, control] { Listen(control); }).detach();
    }

private:
    void Event(const std::string& line) {
        const std::scoped_lock lock(m_eventMutex);
        std::ofstream(m_dir + "/events.log", std::ios::app) << line << '\n' << std::flush;
    }

    // Reads new whole lines of the control file for as long as the program runs. It polls a regular
    // file: umockdev's preload library holds a lock through every open() it wraps, so a reader blocked
    // on a FIFO would stop the whole program.
    void Listen(const std::string& control) {
        std::streamoff done = 0;
        for (;;) {
            std::ifstream in(control, std::ios::binary);
            in.seekg(done);
            std::string line;
            while (std::getline(in, line) && !in.eof()) {
                done += static_cast<std::streamoff>(line.size()) + 1;
                if (line.empty()) continue;
                const std::string why = Apply(line);
                Event(why.empty() ? "done " + line : "error " + line + ": " + why);
            }
            in.close();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    // Carries out one command; the reason it cannot, or empty.
    std::string Apply(const std::string& line) {
        std::istringstream words(line);
        std::string verb, arg;
        words >> verb;
        std::getline(words >> std::ws, arg);
        if (verb == "scan") {
            try {
                m_scanner->SendAll(kiosk::testing::KeyReportsFor(arg + "\n"));
            } catch (const std::exception& e) {
                return e.what();
            }
        } else if (verb == "garbage") {
            const std::uint8_t shortReport[3] = {0x00, 0x00, 0x04};
            const std::uint8_t unknownKeys[8] = {0x00, 0x00, 0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5};
            const std::uint8_t rollover[8] = {0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01};
            const std::uint8_t release[8] = {};
            for (const auto report : {std::span<const std::uint8_t>(shortReport), std::span<const std::uint8_t>(unknownKeys),
                                      std::span<const std::uint8_t>(release), std::span<const std::uint8_t>(rollover),
                                      std::span<const std::uint8_t>(release)}) {
                m_scanner->Send(report);
            }
            m_scanner->SendAll(kiosk::testing::KeyReportsFor("\n"));
        } else if (verb == "unplug-scanner") {
            m_scanner->Unplug();
        } else if (verb == "replug-scanner") {
            m_scanner->Replug();
        } else if (verb == "paper" && (arg == "ok" || arg == "low" || arg == "out")) {
            m_printer->SetPaperStatus(arg == "ok" ? 0x12 : arg == "low" ? 0x1E : 0x7E);
        } else if (verb == "cover" && (arg == "open" || arg == "closed")) {
            m_cover = arg == "open";
            SetPrinterState();
        } else if (verb == "printer" && (arg == "offline" || arg == "online")) {
            m_offline = arg == "offline";
            SetPrinterState();
        } else {
            return "unknown command";
        }
        return {};
    }

    // DLE EOT 1 says offline when the cover is open or the printer is off line; DLE EOT 2 says why.
    void SetPrinterState() {
        m_printer->SetPrinter(m_cover || m_offline ? 0x1A : 0x12);
        m_printer->SetOfflineCause(m_cover ? 0x16 : 0x12);
    }

    std::string m_dir;
    UMockdevTestbed* m_testbed = nullptr;
    std::unique_ptr<FakeUsbPrinter> m_printer;
    std::unique_ptr<FakeUsbScanner> m_scanner;
    std::mutex m_eventMutex;
    bool m_cover = false;
    bool m_offline = false;
};

// Made before main() and kept until the process ends (never destroyed: the program's libusb threads may
// still be talking to the devices while the process exits).
__attribute__((constructor)) void StartUsbFixture() {
    const char* dir = std::getenv("KIOSK_USB_FIXTURE");
    if (dir == nullptr || *dir == '\0') return;
    new UsbFixture(dir);
}

}  // namespace
