// The kiosk's scan sources with stand-in drivers at the edge: which sources the settings make, that a
// code read by two sources counts once, that a source that cannot start leaves the others working, the
// health words head office receives, and the keyboard wedge telling a scanner from a person.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "kiosk/app/main_thread_queue.hpp"
#include "kiosk/app/scan_sources.hpp"
#include "support/timestamps.hpp"

using namespace kiosk;

namespace {

class StandInSource final : public core::BarcodeSource {
public:
    explicit StandInSource(bool fails) : m_fails(fails) {}
    core::Result<void> Start(std::function<void(const core::ScanEvent&)> sink) override {
        if (m_fails) return core::Fail(core::ErrorCode::Unavailable, "cannot open /dev/video9: No such file or directory");
        m_sink = std::move(sink);
        return {};
    }
    void Stop() override { m_sink = nullptr; }
    void Read(const std::string& code) {
        if (m_sink) m_sink(core::ScanEvent{core::ScanInput{code, "]E0"}, "stand-in", {}});
    }
    bool connected = true;

private:
    bool m_fails;
    std::function<void(const core::ScanEvent&)> m_sink;
};

struct Rig {
    std::vector<StandInSource*> usb;
    StandInSource* camera = nullptr;
    bool cameraFails = false;
    app::ScanSources::Factory Factory() {
        app::ScanSources::Factory factory;
        factory.usb = [this](const config::ScannerConfig&, const std::optional<config::UsbScannerId>&) {
            auto source = std::make_unique<StandInSource>(false);
            usb.push_back(source.get());
            return std::unique_ptr<core::BarcodeSource>(std::move(source));
        };
        factory.camera = [this](const config::ScannerConfig&) {
            auto source = std::make_unique<StandInSource>(cameraFails);
            camera = source.get();
            return std::unique_ptr<core::BarcodeSource>(std::move(source));
        };
        factory.usbConnected = [](const core::BarcodeSource& source) {
            return static_cast<const StandInSource&>(source).connected;
        };
        return factory;
    }
};

// Called inside test cases (At checks its text with REQUIRE).
const core::ManualClock& TestClock() {
    static const core::ManualClock clock(kiosk::testing::At("2026-12-04T09:00:00Z"));
    return clock;
}

}  // namespace

TEST_CASE("the settings choose the sources, and a code read by two of them counts once", "[scan-sources]") {
    const core::Clock& kClock = TestClock();
    config::ScannerConfig settings;
    settings.usbDevices = {{0x05e0, 0x1200}, {0x0c2e, 0x0b87}};
    settings.usbDevicesGiven = true;
    settings.camera = "/dev/video0";
    Rig rig;
    app::MainThreadQueue queue(0);
    std::vector<std::string> delivered;
    app::ScanSources sources(settings, queue, kClock,
                             [&](const core::ScanEvent& e, auto) { delivered.push_back(e.input.text + " " + e.input.aimId); },
                             rig.Factory());
    sources.Start();
    const auto states = sources.States();
    REQUIRE(states.size() == 4);
    CHECK(states[0].name == "keyboard wedge");
    CHECK(states[1].name == "USB scanner 05e0:1200");
    CHECK(states[2].name == "USB scanner 0c2e:0b87");
    CHECK(states[3].name == "camera /dev/video0");
    REQUIRE(rig.usb.size() == 2);

    rig.usb[0]->Read("6901234567892");
    rig.camera->Read("6901234567892");  // the same product seen by the camera too
    rig.usb[1]->Read("4006381333931");
    CHECK(delivered.empty());  // nothing reaches the flow off the main thread
    CHECK(queue.Drain());
    CHECK(delivered == std::vector<std::string>{"6901234567892 ]E0", "4006381333931 ]E0"});
    const auto after = sources.States();
    CHECK(after[1].lastCode == "6901234567892");
    CHECK(after[3].lastCode == "6901234567892");
    CHECK(after[1].lastAt == kClock.Now());
    sources.Stop();
}

TEST_CASE("a source that cannot start is reported and the others keep working", "[scan-sources]") {
    const core::Clock& kClock = TestClock();
    config::ScannerConfig settings;
    settings.keyboardWedge = false;
    settings.camera = "/dev/video9";
    settings.problems = {"kiosk.toml:12:15: 'scanner.usb_devices' entry '05e0-1200' is not a USB id VVVV:PPPP"};
    Rig rig;
    rig.cameraFails = true;
    app::MainThreadQueue queue(0);
    int delivered = 0;
    app::ScanSources sources(settings, queue, kClock, [&](const core::ScanEvent&, auto) { ++delivered; }, rig.Factory());
    sources.Start();
    auto states = sources.States();
    REQUIRE(states.size() == 2);  // any USB scanner, the camera
    CHECK(states[0].name == "USB scanner (any)");
    CHECK(states[0].working);
    CHECK_FALSE(states[1].working);
    CHECK_THAT(states[1].detail, Catch::Contains("cannot open /dev/video9"));
    rig.usb[0]->Read("6901234567892");
    queue.Drain();
    CHECK(delivered == 1);

    app::ScanHealth health = sources.Health();
    CHECK(health.scanner == "ok");
    CHECK(health.camera == "failed");
    CHECK(health.lastScan == kClock.Now());
    CHECK_THAT(health.detail, Catch::Contains("settings: kiosk.toml:12:15"));
    CHECK(sources.Problems().size() == 1);

    rig.usb[0]->connected = false;  // unplugged: the scanner that was there is missing now
    health = sources.Health();
    CHECK(health.scanner == "none");  // and nothing else can read a code
    CHECK_THAT(health.detail, Catch::Contains("USB scanner (any): not connected"));
    sources.Stop();
}

TEST_CASE("scanner health words: a named scanner not plugged in is missing, the wedge alone is ok", "[scan-sources]") {
    const core::Clock& kClock = TestClock();
    app::MainThreadQueue queue(0);
    Rig rig;
    config::ScannerConfig named;
    named.usbDevices = {{0x05e0, 0x1200}};
    named.usbDevicesGiven = true;
    app::ScanSources withNamed(named, queue, kClock, [](const core::ScanEvent&, auto) {}, rig.Factory());
    withNamed.Start();
    CHECK(withNamed.Health().scanner == "ok");
    rig.usb[0]->connected = false;
    CHECK(withNamed.Health().scanner == "missing");  // the wedge still listens, but the scanner is gone
    CHECK(withNamed.Health().camera == "off");

    Rig anyRig;
    config::ScannerConfig any;  // the defaults: the wedge and any USB scanner
    app::ScanSources withAny(any, queue, kClock, [](const core::ScanEvent&, auto) {}, anyRig.Factory());
    anyRig.usb.clear();
    withAny.Start();
    // No USB scanner was ever there: the wedge may be the scanner, nothing is missing.
    CHECK(withAny.Health().scanner == "ok");
}

TEST_CASE("the keyboard wedge turns a fast burst into a scan and leaves a person's typing to the screen", "[scan-sources]") {
    const core::Clock& kClock = TestClock();
    app::MainThreadQueue queue(0);
    Rig rig;
    config::ScannerConfig settings;
    settings.usb = false;
    std::vector<std::string> delivered;
    app::ScanSources sources(settings, queue, kClock, [&](const core::ScanEvent& e, auto) { delivered.push_back(e.input.text); },
                             rig.Factory());
    sources.Start();
    REQUIRE(sources.WedgeOn());
    // A scanner types a whole code within milliseconds, then Enter.
    for (char c : std::string("6901234567892")) CHECK(sources.WedgeText(std::string(1, c)).empty());
    const auto atEnter = sources.WedgeEnter();
    CHECK(atEnter.empty());
    queue.Drain();
    CHECK(delivered == std::vector<std::string>{"6901234567892"});

    // A person: one key, then nothing for longer than the gap: it is released as typing.
    CHECK(sources.WedgeText("a").empty());
    REQUIRE(sources.WedgeWait().has_value());
    std::vector<drivers::WedgeOutput> typed;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (typed.empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(*sources.WedgeWait() + std::chrono::milliseconds(1));
        typed = sources.WedgePoll();
    }
    REQUIRE(typed.size() == 1);
    CHECK(std::get<drivers::TypedText>(typed[0]).text == "a");
    CHECK_FALSE(sources.WedgeWait().has_value());
    const auto enter = sources.WedgeEnter();
    REQUIRE(enter.size() == 1);
    CHECK(std::holds_alternative<drivers::TypedEnter>(enter[0]));
    sources.Stop();
}
