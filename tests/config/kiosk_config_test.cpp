// kiosk.toml: defaults, path resolution and refusal of bad values.
#include <catch2/catch.hpp>

#include "kiosk/config/kiosk_config.hpp"

using namespace kiosk;

TEST_CASE("the shipped example config equals the defaults", "[kiosk-config]") {
    auto loaded = config::LoadKioskConfigFile(KIOSK_TEST_ASSET_DIR "/kiosk.toml", "/assets");
    REQUIRE(loaded);
    const config::KioskConfig defaults = config::DefaultKioskConfig("/assets");
    CHECK(loaded->storeCode == defaults.storeCode);
    CHECK(loaded->kioskCode == defaults.kioskCode);
    CHECK(loaded->database == std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "kiosk.db");
    CHECK(loaded->policyFile == defaults.policyFile);
    CHECK(loaded->policyFile == "/assets/policy/sanbao.toml");
    CHECK(loaded->tiers.vipMinSpend == defaults.tiers.vipMinSpend);
    CHECK(loaded->tiers.vipMinVisits == defaults.tiers.vipMinVisits);
    CHECK(loaded->defaultLanguage == core::Language::ZhHans);
    CHECK(loaded->printer == defaults.printer);
    CHECK(loaded->printerProfile == defaults.printerProfile);
    CHECK(loaded->scanner.keyboardWedge == defaults.scanner.keyboardWedge);
    CHECK(loaded->scanner.usb == defaults.scanner.usb);
    CHECK(loaded->scanner.usbDevices.empty());
    CHECK_FALSE(loaded->scanner.usbDevicesGiven);
    CHECK(loaded->scanner.keyboardLayout == defaults.scanner.keyboardLayout);
    CHECK(loaded->scanner.camera == defaults.scanner.camera);
    CHECK(loaded->scanner.repeatWindowMs == defaults.scanner.repeatWindowMs);
    CHECK(loaded->scanner.problems.empty());
    CHECK(loaded->display.dpi == defaults.display.dpi);
    CHECK(loaded->intake.camera.empty());
    CHECK(loaded->intake.recordedFrames.empty());
}

TEST_CASE("the intake section names the photos' camera or recorded frames, not both", "[kiosk-config]") {
    auto camera = config::ParseKioskConfig("[intake]\ncamera = \"/dev/video2\"\n", "k.toml", "/", "/assets");
    REQUIRE(camera);
    CHECK(camera->intake.camera == "/dev/video2");
    CHECK(camera->intake.recordedFrames.empty());
    auto recorded = config::ParseKioskConfig("[intake]\nrecorded_frames = \"demo/frames\"\n", "k.toml", "/", "/assets");
    REQUIRE(recorded);
    CHECK(recorded->intake.recordedFrames == "/assets/demo/frames");
    auto both = config::ParseKioskConfig("[intake]\ncamera = \"/dev/video0\"\nrecorded_frames = \"demo/frames\"\n",
                                         "k.toml", "/", "/assets");
    REQUIRE_FALSE(both);
    CHECK_THAT(both.error().message, Catch::Contains("k.toml:3") && Catch::Contains("not both"));
    auto unknown = config::ParseKioskConfig("[intake]\ndevice = \"/dev/video0\"\n", "k.toml", "/", "/assets");
    REQUIRE_FALSE(unknown);
    CHECK_THAT(unknown.error().message, Catch::Contains("unknown key 'device'"));
}

TEST_CASE("values are read and paths resolved", "[kiosk-config]") {
    auto loaded = config::ParseKioskConfig(R"(
store_code = "S012"
kiosk_code = "K2"
database = "data/k.db"
default_language = "zh-Hant"
printer = "tcp://192.168.1.50:9100"
printer_profile = "xprinter-xp58"
[files]
policy = "/etc/kiosk/policy.toml"
[tiers]
vip_min_spend_yuan = 5000.5
)", "k.toml", "/etc/kiosk", "/usr/share/kiosk");
    REQUIRE(loaded);
    CHECK(loaded->storeCode == "S012");
    CHECK(loaded->kioskCode == "K2");
    CHECK(loaded->database == "/etc/kiosk/data/k.db");
    CHECK(loaded->defaultLanguage == core::Language::ZhHant);
    CHECK(loaded->policyFile == "/etc/kiosk/policy.toml");
    CHECK(loaded->slaFile == "/usr/share/kiosk/sla.toml");
    CHECK(loaded->tiers.vipMinSpend == 500050);
    CHECK(loaded->printer == "tcp://192.168.1.50:9100");
    CHECK(loaded->printerProfile == "xprinter-xp58");
}

TEST_CASE("bad values are refused with their position", "[kiosk-config]") {
    auto check = [](const char* text, const char* expected) {
        INFO(text);
        auto loaded = config::ParseKioskConfig(text, "k.toml", "/", "/");
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().code == core::ErrorCode::InvalidInput);
        CHECK_THAT(loaded.error().message, Catch::Contains(expected));
    };
    check("store_code = \"S 12\"\n", "k.toml:1:14: store code 'S 12'");
    check("kiosk_code = \"KIOSK1\"\n", "kiosk code 'KIOSK1'");
    check("store = \"S012\"\n", "unknown key 'store'");
    check("default_language = \"fr\"\n", "unknown language 'fr'");
    check("[tiers]\nvip_min_visits = 0\n", "tier thresholds");
    check("[files]\npolicies = \"x\"\n", "unknown key 'policies'");
    check("store_code = 12\n", "must be a string");
    check("printer = \"\"\n", "'printer' is empty");
}

TEST_CASE("the display section gives the panel's density; a bad one is refused naming the key", "[kiosk-config]") {
    auto dense = config::ParseKioskConfig("[display]\ndpi = 160\n", "k.toml", "/", "/");
    REQUIRE(dense);
    CHECK(dense->display.dpi == 160);
    auto defaults = config::ParseKioskConfig("", "k.toml", "/", "/");
    REQUIRE(defaults);
    CHECK(defaults->display.dpi == 96);
    for (const char* text : {"[display]\ndpi = 0\n", "[display]\ndpi = 5000\n", "[display]\ndpi = -96\n"}) {
        INFO(text);
        auto loaded = config::ParseKioskConfig(text, "k.toml", "/", "/");
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().code == core::ErrorCode::InvalidInput);
        CHECK_THAT(loaded.error().message, Catch::Contains("k.toml:2:7: 'display.dpi' must be 40 to 600"));
    }
    auto text = config::ParseKioskConfig("[display]\ndpi = \"high\"\n", "k.toml", "/", "/");
    REQUIRE_FALSE(text);
    CHECK_THAT(text.error().message, Catch::Contains("dpi"));
    auto unknown = config::ParseKioskConfig("[display]\nppi = 96\n", "k.toml", "/", "/");
    REQUIRE_FALSE(unknown);
    CHECK_THAT(unknown.error().message, Catch::Contains("unknown key 'ppi'"));
}

TEST_CASE("the scanner section chooses the scan sources", "[kiosk-config]") {
    auto loaded = config::ParseKioskConfig(R"(
[scanner]
keyboard_wedge = false
usb_devices = ["05e0:1200", "0C2E:0B87"]
keyboard_layout = "de"
camera = "/dev/video2"
repeat_window_ms = 800
)", "k.toml", "/", "/");
    REQUIRE(loaded);
    const config::ScannerConfig& scanner = loaded->scanner;
    CHECK_FALSE(scanner.keyboardWedge);
    CHECK(scanner.usb);
    REQUIRE(scanner.usbDevices.size() == 2);
    CHECK(scanner.usbDevices[0] == config::UsbScannerId{0x05e0, 0x1200});
    CHECK(scanner.usbDevices[1] == config::UsbScannerId{0x0c2e, 0x0b87});
    CHECK(scanner.keyboardLayout == "de");
    CHECK(scanner.camera == "/dev/video2");
    CHECK(scanner.repeatWindowMs == 800);
    CHECK(scanner.problems.empty());
}

TEST_CASE("a wrong scanner setting is named with its line and skipped, the rest still applies", "[kiosk-config]") {
    auto loaded = config::ParseKioskConfig(R"([scanner]
usb_devices = ["05e0:1200", "05e0-1200", "zzzz:0001", 7]
scaner_layout = "us"
keyboard_layout = "fr"
keyboard_wedge = "yes"
repeat_window_ms = -5
camera = "/dev/video0"
)", "k.toml", "/", "/");
    REQUIRE(loaded);  // the kiosk still starts
    const config::ScannerConfig& scanner = loaded->scanner;
    REQUIRE(scanner.usbDevices.size() == 1);
    CHECK(scanner.usbDevices[0] == config::UsbScannerId{0x05e0, 0x1200});
    CHECK(scanner.usbDevicesGiven);
    CHECK(scanner.keyboardWedge);  // the default stays
    CHECK(scanner.keyboardLayout == "us");
    CHECK(scanner.repeatWindowMs == 1500);
    CHECK(scanner.camera == "/dev/video0");
    REQUIRE(scanner.problems.size() == 7);
    const std::string all = [&] {
        std::string joined;
        for (const auto& p : scanner.problems) joined += p + "\n";
        return joined;
    }();
    INFO(all);
    CHECK_THAT(all, Catch::Contains("k.toml:3:17: unknown key 'scanner.scaner_layout'"));
    CHECK_THAT(all, Catch::Contains("k.toml:2:29: 'scanner.usb_devices' entry '05e0-1200' is not a USB id"));
    CHECK_THAT(all, Catch::Contains("entry 'zzzz:0001' is not a USB id"));
    CHECK_THAT(all, Catch::Contains("entry (not a string)"));
    CHECK_THAT(all, Catch::Contains("k.toml:4:19: unknown keyboard_layout 'fr'"));
    CHECK_THAT(all, Catch::Contains("k.toml:5:18: 'keyboard_wedge' must be true or false"));
    CHECK_THAT(all, Catch::Contains("k.toml:6:20: 'scanner.repeat_window_ms' must be 0 to 60000"));

    auto notList = config::ParseKioskConfig("[scanner]\nusb_devices = \"05e0:1200\"\n", "k.toml", "/", "/");
    REQUIRE(notList);
    CHECK(notList->scanner.usbDevicesGiven);
    CHECK(notList->scanner.usbDevices.empty());
    REQUIRE(notList->scanner.problems.size() == 1);
    CHECK_THAT(notList->scanner.problems[0], Catch::Contains("k.toml:2:15: 'scanner.usb_devices' must be a list"));
}
