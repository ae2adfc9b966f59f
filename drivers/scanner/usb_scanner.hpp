// USB barcode scanners read directly through libusb: keyboard-mode scanners (HID boot keyboard) and
// HID POS scanners (usage page 0x8C). The kernel's HID driver is detached so scans never type into
// the UI. Nothing of libusb is visible here.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "drivers/scanner/boot_keyboard_decoder.hpp"
#include "drivers/scanner/hid_pos_decoder.hpp"
#include "kiosk/core/devices.hpp"

namespace kiosk::drivers {

struct VidPid {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    std::string Format() const;  // "05e0:1200"
    friend bool operator==(const VidPid&, const VidPid&) = default;
};
// "05e0:1200" (hex). Fails with InvalidInput saying what is wrong.
core::Result<VidPid> ParseVidPid(std::string_view text);

enum class UsbScannerKind { BootKeyboard, HidPos };

struct UsbScannerInfo {
    VidPid id;
    int bus = 0;
    int address = 0;
    int interfaceNumber = 0;
    UsbScannerKind kind = UsbScannerKind::BootKeyboard;
    std::string product;  // the product string when the device gives one
};

// The scanners attached now: HID interfaces with the boot-keyboard protocol, and HID interfaces whose
// report descriptor starts with the POS usage page; with `only`, just that device's. Fails with
// Unavailable when USB cannot be used.
core::Result<std::vector<UsbScannerInfo>> ListUsbScanners(const std::optional<VidPid>& only = std::nullopt);

struct UsbScannerOptions {
    std::optional<VidPid> device;  // only this device; otherwise the first scanner found
    BootKeyboardOptions keyboard;
    HidPosOptions pos;
    std::chrono::milliseconds repeatWindow{1000};  // the same code again within this time counts once
    std::chrono::milliseconds rescanInterval{500}; // how often to look for the scanner while it is absent
};

// Reads one scanner on its own thread. Unplugging drops a half-read code and waits for the scanner
// to come back: woken by libusb's hot-plug event where libusb has one, and by looking again every
// rescanInterval in any case. Start fails with Unavailable only when USB itself cannot be used.
class UsbScannerSource final : public core::BarcodeSource {
public:
    explicit UsbScannerSource(UsbScannerOptions options = {});
    ~UsbScannerSource() override;
    UsbScannerSource(const UsbScannerSource&) = delete;
    UsbScannerSource& operator=(const UsbScannerSource&) = delete;

    core::Result<void> Start(std::function<void(const core::ScanEvent&)> sink) override;
    void Stop() override;

    // Whether a scanner is open now, and how many half-read codes were dropped (for diagnostics).
    bool Connected() const { return m_connected; }
    std::size_t DroppedCodes() const { return m_dropped; }

private:
    struct Usb;
    void Run();
    void WaitForScanner();

    UsbScannerOptions m_options;
    std::function<void(const core::ScanEvent&)> m_sink;
    std::unique_ptr<Usb> m_usb;
    std::atomic<bool> m_running{false};
    std::atomic<bool> m_connected{false};
    std::atomic<std::size_t> m_dropped{0};
    std::thread m_thread;
};

}  // namespace kiosk::drivers
