// Device health as the kiosk application sees it (table device_status): the printer and its paper,
// the last print job's result, the software version, when the application started. The application
// records a fact when it changes; `kioskctl sync run`, another process, reads them all and sends them
// to head office with every batch and pull.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "kiosk/core/date.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

// The names the kiosk records.
namespace device {
inline constexpr std::string_view kPrinter = "printer";    // protocol words: ok, paper_near_end, paper_out, cover_open, offline, unknown
inline constexpr std::string_view kPaper = "paper";        // ok, low, out, unknown
inline constexpr std::string_view kPrinterDetail = "printer_detail";  // what the printer answered, for staff
inline constexpr std::string_view kLastJob = "last_job";   // "printed S012-K1-261122-0001" or "failed ...: why"
inline constexpr std::string_view kSoftware = "software";  // the kiosk application's version
inline constexpr std::string_view kStartedAt = "started_at";  // when the application started (UTC)
// Scanners: "ok" (every configured USB scanner is connected, or only the keyboard wedge is used),
// "missing" (a configured USB scanner is not connected), "none" (no scan source works at all).
inline constexpr std::string_view kScanner = "scanner";
inline constexpr std::string_view kScannerDetail = "scanner_detail";  // per source, for staff: "usb 05e0:1200 connected; ..."
inline constexpr std::string_view kScannerSeen = "scanner_seen";      // UTC milliseconds of the last scan from a device
inline constexpr std::string_view kCamera = "camera";  // ok, failed, off
inline constexpr std::string_view kFrameFailures = "frame_failures";  // frames the frame guard caught since start
inline constexpr std::string_view kLastFrameFailure = "last_frame_failure";  // "SCREEN: what failed", for staff
}  // namespace device

struct DeviceFact {
    std::string value;
    core::Timestamp changedAt;
};

class DeviceStatus {
public:
    // `db` must outlive this object and is used from one thread at a time.
    explicit DeviceStatus(Database& db) : m_db(&db) {}

    // Records `value` for `name`; the time changes only when the value does. Returns whether it changed.
    Result<bool> Record(std::string_view name, std::string_view value, core::Timestamp now);
    // Records several facts in one transaction, so a reader sees all of them or none (a printer's
    // state with its paper, a scanner with its detail). Returns how many changed.
    Result<int> RecordAll(std::span<const std::pair<std::string_view, std::string>> facts, core::Timestamp now);
    // Every fact recorded so far, by name.
    Result<std::map<std::string, DeviceFact>> ReadAll();

private:
    Database* m_db;
};

}  // namespace kiosk::storage
