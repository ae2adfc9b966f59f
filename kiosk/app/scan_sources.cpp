// Scan sources: one entry per configured source, each started on its own; scans meet in Accept.
#include "kiosk/app/scan_sources.hpp"

#include <algorithm>
#include <cstdio>

#include "drivers/barcode/camera_source.hpp"
#include "drivers/scanner/usb_scanner.hpp"

namespace kiosk::app {
namespace {

std::string UsbName(const std::optional<config::UsbScannerId>& id) {
    if (!id) return "USB scanner (any)";
    char text[16];
    std::snprintf(text, sizeof text, "%04x:%04x", id->vendor, id->product);
    return std::string("USB scanner ") + text;
}

}  // namespace

ScanSources::Factory ScanSources::DriverFactory() {
    Factory factory;
    factory.usb = [](const config::ScannerConfig& config, const std::optional<config::UsbScannerId>& id) {
        drivers::UsbScannerOptions options;
        if (id) options.device = drivers::VidPid{id->vendor, id->product};
        options.keyboard.layout = config.keyboardLayout == "de" ? drivers::KeyboardLayout::German : drivers::KeyboardLayout::Us;
        options.repeatWindow = std::chrono::milliseconds{config.repeatWindowMs};
        return std::unique_ptr<core::BarcodeSource>(std::make_unique<drivers::UsbScannerSource>(options));
    };
    factory.camera = [](const config::ScannerConfig& config) {
        drivers::CameraOptions options;
        options.device = config.camera;
        options.repeatWindow = std::chrono::milliseconds{config.repeatWindowMs};
        return std::unique_ptr<core::BarcodeSource>(std::make_unique<drivers::CameraSource>(options));
    };
    factory.usbConnected = [](const core::BarcodeSource& source) {
        return static_cast<const drivers::UsbScannerSource&>(source).Connected();
    };
    return factory;
}

ScanSources::ScanSources(config::ScannerConfig config, MainThreadQueue& queue, const core::Clock& clock,
                         ScanDelivery deliver, Factory factory)
    : m_config(std::move(config)),
      m_queue(queue),
      m_clock(clock),
      m_deliver(std::move(deliver)),
      m_factory(std::move(factory)),
      m_repeats(std::chrono::milliseconds{m_config.repeatWindowMs}),
      m_alive(std::make_shared<std::atomic<bool>>(true)) {
    if (m_config.keyboardWedge) {
        auto wedge = std::make_unique<drivers::KeyboardWedgeSource>();
        m_wedge = wedge.get();
        m_sources.push_back({{ScanSourceKind::Wedge, "keyboard wedge", false, "", "", std::nullopt}, std::move(wedge), false});
    }
    if (m_config.usb) {
        std::vector<std::optional<config::UsbScannerId>> ids;
        for (const auto& id : m_config.usbDevices) ids.emplace_back(id);
        if (!m_config.usbDevicesGiven) ids.emplace_back(std::nullopt);
        for (const auto& id : ids) {
            m_sources.push_back({{ScanSourceKind::Usb, UsbName(id), false, "", "", std::nullopt}, m_factory.usb(m_config, id), false});
        }
    }
    if (!m_config.camera.empty()) {
        m_sources.push_back({{ScanSourceKind::Camera, "camera " + m_config.camera, false, "", "", std::nullopt},
                             m_factory.camera(m_config), false});
    }
}

ScanSources::~ScanSources() {
    m_alive->store(false);
    Stop();
}

void ScanSources::Start() {
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
        Source& source = m_sources[i];
        auto started = source.driver->Start([this, i](const core::ScanEvent& event) { Accept(i, event); });
        const std::scoped_lock lock(m_mutex);
        source.startFailed = !started;
        source.state.working = static_cast<bool>(started);
        source.state.detail = started ? "" : started.error().message;
        if (!started) std::fprintf(stderr, "kiosk: %s: %s\n", source.state.name.c_str(), started.error().message.c_str());
    }
}

void ScanSources::Stop() {
    for (Source& source : m_sources) source.driver->Stop();
}

void ScanSources::Accept(std::size_t index, const core::ScanEvent& scanned) {
    const auto handedOver = std::chrono::steady_clock::now();
    core::ScanEvent event = scanned;
    event.at = m_clock.Now();
    {
        const std::scoped_lock lock(m_mutex);
        ScanSourceState& state = m_sources[index].state;
        state.lastCode = event.input.text;
        state.lastAt = event.at;
        m_lastDeviceScan = event.at;
        // The same code from another source (a camera and a scanner both reading it) counts once.
        if (!m_repeats.Accept(event.input.text, handedOver)) return;
    }
    m_queue.Post([alive = m_alive, this, event = std::move(event), handedOver] {
        if (alive->load()) m_deliver(event, handedOver);
    });
}

std::vector<drivers::WedgeOutput> ScanSources::WedgeText(std::string_view utf8) {
    if (m_wedge == nullptr) return {drivers::TypedText{std::string(utf8)}};
    return m_wedge->Text(utf8, drivers::ScanClock::now());
}

std::vector<drivers::WedgeOutput> ScanSources::WedgeEnter() {
    if (m_wedge == nullptr) return {drivers::TypedEnter{}};
    return m_wedge->Enter(drivers::ScanClock::now());
}

std::vector<drivers::WedgeOutput> ScanSources::WedgePoll() {
    if (m_wedge == nullptr) return {};
    return m_wedge->Poll(drivers::ScanClock::now());
}

std::optional<std::chrono::milliseconds> ScanSources::WedgeWait() const {
    if (m_wedge == nullptr) return std::nullopt;
    const auto deadline = m_wedge->NextDeadline();
    if (!deadline) return std::nullopt;
    return std::max(std::chrono::milliseconds{0},
                    std::chrono::ceil<std::chrono::milliseconds>(*deadline - drivers::ScanClock::now()));
}

std::vector<ScanSourceState> ScanSources::States() const {
    const std::scoped_lock lock(m_mutex);
    std::vector<ScanSourceState> states;
    for (const Source& source : m_sources) {
        ScanSourceState state = source.state;
        if (!source.startFailed) {
            switch (state.kind) {
                case ScanSourceKind::Usb:
                    state.working = m_factory.usbConnected(*source.driver);
                    source.everConnected = source.everConnected || state.working;
                    state.detail = state.working ? "connected" : "not connected: waiting for it to be plugged in";
                    break;
                case ScanSourceKind::Wedge:
                    state.working = true;
                    state.detail = "listening to the keyboard";
                    break;
                case ScanSourceKind::Camera:
                    state.working = true;
                    state.detail = "streaming";
                    break;
            }
        }
        states.push_back(std::move(state));
    }
    return states;
}

ScanHealth ScanSources::Health() const {
    const auto states = States();
    ScanHealth health;
    bool anyWorking = false, usbMissing = false;
    health.camera = "off";
    for (std::size_t i = 0; i < states.size(); ++i) {
        const ScanSourceState& state = states[i];
        anyWorking = anyWorking || state.working;
        if (state.kind == ScanSourceKind::Usb && !state.working) {
            // "Any scanner" is missing once one was there and went; until then the wedge may be the scanner.
            const bool named = state.name != UsbName(std::nullopt);
            const std::scoped_lock lock(m_mutex);
            if (named || m_sources[i].everConnected) usbMissing = true;
        }
        if (state.kind == ScanSourceKind::Camera) health.camera = state.working ? "ok" : "failed";
        if (!health.detail.empty()) health.detail += "; ";
        health.detail += state.name + ": " + state.detail;
    }
    health.scanner = !anyWorking ? "none" : usbMissing ? "missing" : "ok";
    for (const std::string& problem : m_config.problems) health.detail += "; settings: " + problem;
    if (health.detail.size() > 1000) health.detail.resize(1000);
    {
        const std::scoped_lock lock(m_mutex);
        health.lastScan = m_lastDeviceScan;
    }
    return health;
}

}  // namespace kiosk::app
