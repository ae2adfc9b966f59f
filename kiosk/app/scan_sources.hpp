// The kiosk's scan sources as its settings ([scanner] in kiosk.toml) describe them: USB scanners read
// through libusb (hot-plug in and out), the keyboard wedge fed from the window's text events, and a
// V4L2 camera. Devices deliver on their own threads; every scan reaches the main thread through the
// MainThreadQueue, and the same code from two sources within the repeat window counts once. Each
// source's state and last code are kept for admin mode's device tab and for head office.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/scanner/duplicate_filter.hpp"
#include "drivers/scanner/keyboard_wedge.hpp"
#include "kiosk/app/main_thread_queue.hpp"
#include "kiosk/config/kiosk_config.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/devices.hpp"

namespace kiosk::app {

enum class ScanSourceKind { Usb, Wedge, Camera };

struct ScanSourceState {
    ScanSourceKind kind = ScanSourceKind::Usb;
    std::string name;    // "USB scanner 05e0:1200", "USB scanner (any)", "keyboard wedge", "camera /dev/video0"
    bool working = false;  // connected, streaming or listening
    std::string detail;  // for staff: "connected", "not connected", "cannot open /dev/video0: ..."
    std::string lastCode;
    std::optional<core::Timestamp> lastAt;
};

// What head office is told (storage::device names scanner, scanner_detail, scanner_seen, camera).
struct ScanHealth {
    // ok; missing: a USB scanner named in the settings is not connected, or the one that was has been
    // unplugged; none: no source can deliver a scan.
    std::string scanner;
    std::string detail;
    std::optional<core::Timestamp> lastScan;  // from a device (not a script)
    std::string camera;   // ok, failed, off
};

// A scan as the main thread receives it, with when its source handed it over (for latency figures).
using ScanDelivery = std::function<void(const core::ScanEvent&, std::chrono::steady_clock::time_point handedOver)>;

class ScanSources {
public:
    // Hook for tests and the bench: makes the USB and camera sources (the real drivers by default).
    struct Factory {
        std::function<std::unique_ptr<core::BarcodeSource>(const config::ScannerConfig&, const std::optional<config::UsbScannerId>&)> usb;
        std::function<std::unique_ptr<core::BarcodeSource>(const config::ScannerConfig&)> camera;
        // Whether a USB source has its device open now.
        std::function<bool(const core::BarcodeSource&)> usbConnected;
    };
    static Factory DriverFactory();

    // `deliver` runs on the main thread (queue.Drain()). `queue` and `clock` must outlive this object.
    ScanSources(config::ScannerConfig config, MainThreadQueue& queue, const core::Clock& clock, ScanDelivery deliver,
                Factory factory = DriverFactory());
    ~ScanSources();
    ScanSources(const ScanSources&) = delete;
    ScanSources& operator=(const ScanSources&) = delete;

    // Starts every configured source; one that fails is recorded in its state, the others still run.
    void Start();
    void Stop();

    // The keyboard wedge, called with the window's events on the main thread. What comes back is a
    // person's typing, for the UI; scanner bursts become scans. Empty when the wedge is off.
    bool WedgeOn() const { return m_wedge != nullptr; }
    std::vector<drivers::WedgeOutput> WedgeText(std::string_view utf8);
    std::vector<drivers::WedgeOutput> WedgeEnter();
    std::vector<drivers::WedgeOutput> WedgePoll();
    // How long until WedgePoll has held characters to release.
    std::optional<std::chrono::milliseconds> WedgeWait() const;

    // Thread-safe.
    std::vector<ScanSourceState> States() const;
    ScanHealth Health() const;
    const std::vector<std::string>& Problems() const { return m_config.problems; }

private:
    struct Source {
        ScanSourceState state;
        std::unique_ptr<core::BarcodeSource> driver;
        bool startFailed = false;
        mutable bool everConnected = false;  // a USB scanner seen since the kiosk started
    };
    void Accept(std::size_t index, const core::ScanEvent& event);

    config::ScannerConfig m_config;
    MainThreadQueue& m_queue;
    const core::Clock& m_clock;
    ScanDelivery m_deliver;
    Factory m_factory;
    mutable std::mutex m_mutex;  // guards m_sources' states, m_repeats, m_lastDeviceScan
    std::vector<Source> m_sources;
    drivers::DuplicateFilter m_repeats;
    std::optional<core::Timestamp> m_lastDeviceScan;
    drivers::KeyboardWedgeSource* m_wedge = nullptr;  // owned by m_sources
    std::shared_ptr<std::atomic<bool>> m_alive;  // posted work checks it: nothing runs after destruction
};

}  // namespace kiosk::app
