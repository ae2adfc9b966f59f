// The kiosk's settings file (kiosk.toml): identity, database, data files, tier thresholds, scanners.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/customer.hpp"
#include "kiosk/core/language.hpp"

namespace kiosk::config {

// One USB scanner the kiosk may read, by its USB vendor and product ids.
struct UsbScannerId {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    friend bool operator==(const UsbScannerId&, const UsbScannerId&) = default;
};

// Where scans come from ([scanner]). Several sources work at once.
struct ScannerConfig {
    bool keyboardWedge = true;  // scanners that type like a keyboard, told from people typing by their speed
    bool usb = true;            // USB HID scanners read directly (boot keyboard and HID POS)
    // Only these devices; empty: every USB scanner found. usbDevicesGiven with no valid entry: none.
    std::vector<UsbScannerId> usbDevices;
    bool usbDevicesGiven = false;
    std::string keyboardLayout = "us";  // the scanners' keyboard country: us or de
    std::string camera;                 // a V4L2 device such as /dev/video0; empty: no camera
    int repeatWindowMs = 1500;          // the same code again within this time counts once
    // What was wrong in [scanner], "SOURCE:LINE:COLUMN: what". A wrong scanner setting is skipped (the
    // default or the rest of the list applies) rather than stopping the kiosk: customers can still scan
    // with the sources that work, and admin mode shows these.
    std::vector<std::string> problems;
};

// The screen ([display]).
struct DisplayConfig {
    // The panel's pixels per inch, so touch targets come out at least 15 mm wide and tall (40..600).
    int dpi = 96;
};

// The intake photos' camera ([intake]).
struct IntakeConfig {
    std::string camera;  // a V4L2 device such as /dev/video0; empty: none
    // Picture files (a directory of .jpg/.png, or one file) used as the camera's frames instead of a
    // device: the demo and the tests. Relative to the asset directory; empty: none.
    std::filesystem::path recordedFrames;
};

struct KioskConfig {
    std::string storeCode = "S001";
    std::string kioskCode = "K1";
    std::filesystem::path database = "kiosk.db";
    core::Language defaultLanguage = core::Language::ZhHans;
    std::string printer = "usb://auto";        // a printer URI (see the README)
    std::string printerProfile = "generic-80";  // a profile in assets/printers
    std::filesystem::path policyFile = "policy/sanbao.toml";
    std::filesystem::path slaFile = "sla.toml";
    std::filesystem::path calendarFile = "calendar.toml";
    std::filesystem::path faqFile = "faq.toml";  // the self-help suggestions per problem category
    std::filesystem::path scriptsFile = "scripts.toml";  // the service scripts (话术) per scene
    std::filesystem::path notificationsFile = "notifications.toml";  // what head office messages customers
    std::filesystem::path queueFile = "queue.toml";  // the services customers take a queue number for
    std::filesystem::path lifecycleFile = "lifecycle.toml";
    core::TierThresholds tiers;
    ScannerConfig scanner;
    DisplayConfig display;
    IntakeConfig intake;
};

// Parses kiosk.toml. Relative `database` paths resolve against `configDir`; relative data-file paths
// resolve against `assetDir`. Every key is optional (the defaults above, with the data files in
// `assetDir`); unknown keys and invalid codes are InvalidInput "SOURCE:LINE:COLUMN: what".
core::Result<KioskConfig> ParseKioskConfig(std::string_view tomlText, std::string_view sourceName,
                                           const std::filesystem::path& configDir,
                                           const std::filesystem::path& assetDir);
core::Result<KioskConfig> LoadKioskConfigFile(const std::filesystem::path& path, const std::filesystem::path& assetDir);
// The defaults, with data files in `assetDir` and the database in the current directory.
KioskConfig DefaultKioskConfig(const std::filesystem::path& assetDir);

}  // namespace kiosk::config
