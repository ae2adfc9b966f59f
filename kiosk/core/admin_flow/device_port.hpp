// The admin screens' view of the kiosk's printer, scan sources and of its sync with head office: health to show, and
// the few actions staff may run (a test print, a sync now, a receipt preview). The application
// implements it over the print worker and the sync worker; scans reach the admin flow directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/devices.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"

namespace kiosk::core::admin_flow {

// One configured scan source (a USB scanner, the keyboard wedge, a camera) as the application sees it.
struct ScanSourceHealth {
    std::string name;
    bool working = false;
    std::string detail;    // "connected", "not connected: ...", why it could not start
    std::string lastCode;  // the last code it read, empty when none yet
    std::optional<Timestamp> lastAt;
};

struct DeviceHealth {
    std::vector<ScanSourceHealth> scanSources;
    std::vector<std::string> scannerSettingsProblems;  // what was wrong in [scanner], "FILE:LINE:COLUMN: ..."
    std::string printerUri;
    std::optional<PrinterStatus> printer;  // nullopt when the printer could not be asked
    std::string printerError;              // why it could not be asked
    std::int64_t printJobsWaiting = 0;
};

struct SyncHealth {
    bool enrolled = false;
    std::string server;
    std::int64_t backlog = 0;         // records not yet acknowledged by head office
    std::string lastSuccess;          // ISO-8601 UTC, empty when never
    std::string lastError;            // empty after a success
    bool draining = false;            // a "sync now" is running
    std::int64_t drainStartBacklog = 0;  // the backlog when it started: progress is 1 - backlog / this
    std::vector<std::string> inForce;    // "policy: published v3", "sla: file sla.toml", ...
    std::vector<std::string> refused;    // published versions this kiosk refused: "policy v4: why"
};

// An RGBA image of a receipt as it would print, for the reprint preview.
struct ReceiptPreview {
    std::string ticketNumber;
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;  // width * height * 4
};

class DevicePort {
public:
    virtual ~DevicePort() = default;
    // Never fails: what cannot be asked is reported inside.
    virtual DeviceHealth Devices() = 0;
    virtual SyncHealth Sync() = 0;
    // Prints a test page through the receipt printer's owner (the print worker: its connection, after
    // the job it is printing). Fails with Unavailable when the printer cannot take it.
    virtual Result<void> TestPrint() = 0;
    // A job the admin port queued (a reprint): the print worker looks at its queue now instead of at
    // its next retry.
    virtual void JobQueued(std::int64_t job) = 0;
    // Starts draining the outbox now, in the background. Fails with Forbidden before enrolment,
    // Conflict when a drain is already running.
    virtual Result<void> SyncNow() = 0;
    // The receipt (or intake slip) of a ticket rendered as the printer would print it. Fails with
    // NotFound for an unknown ticket.
    virtual Result<ReceiptPreview> Preview(std::string_view ticketNumber, bool intakeSlip, Language language) = 0;
};

}  // namespace kiosk::core::admin_flow
