// Ports for the kiosk's devices: where scans come from and how receipts get printed. Drivers implement
// them; the application wires them; the flow and the screens never see a driver.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"
#include "kiosk/core/scan.hpp"

namespace kiosk::core {

// ---- Scanning

struct ScanEvent {
    ScanInput input;
    std::string source;  // "usb-hid 05e0:1200", "wedge", "camera /dev/video0", "simulated", ...
    Timestamp at;
};

// A source of scans (USB scanner, keyboard wedge, camera, simulation). Scans are delivered on the
// source's own thread; the application forwards them to the main thread.
class BarcodeSource {
public:
    virtual ~BarcodeSource() = default;
    // Starts delivering scans to `sink` until Stop(). Fails with Unavailable when the device is absent.
    virtual Result<void> Start(std::function<void(const ScanEvent&)> sink) = 0;
    virtual void Stop() = 0;
};

// ---- Printing

struct PrinterStatus {
    bool online = false;
    bool coverOpen = false;
    bool paperNearEnd = false;
    bool paperOut = false;
    bool cutterError = false;
    std::string detail;  // for staff: what the printer answered, or why it could not be asked

    bool CanPrint() const { return online && !coverOpen && !paperOut && !cutterError; }
};

// QueueSlip: the slip of a queue number (取号), which belongs to no ticket.
enum class ReceiptKind { CustomerReceipt, IntakeSlip, QueueSlip };

struct PrintRequest {
    std::string ticketNumber;  // empty for a queue slip
    ReceiptKind kind = ReceiptKind::CustomerReceipt;
    Language language = Language::ZhHans;
    bool reprint = false;  // staff asked for another copy on purpose
    // A queue slip's number ("A007"), its bytes as encoded when the number was taken (they print what
    // the screen said then), and when it was taken (as the queue read it back: the job's queuing time).
    std::string slipLabel{};
    std::vector<std::uint8_t> slipBytes{};
    std::optional<Timestamp> slipTakenAt{};
};

enum class PrintJobState { Queued, Printing, Printed, Failed };

struct PrintJobUpdate {
    std::int64_t jobId = 0;
    std::string ticketNumber;
    PrintJobState state = PrintJobState::Queued;
    std::string detail;  // why it failed, for staff
};

// Receipts are printed through a durable queue: a job is recorded first, then printed by a worker;
// a job that failed stays queued and is retried, and one that printed is never printed again.
class ReceiptPrinting {
public:
    virtual ~ReceiptPrinting() = default;
    // Records the job and returns its id. Fails with NotFound for an unknown ticket.
    virtual Result<std::int64_t> Enqueue(const PrintRequest& request) = 0;
    // Called (on the worker's thread) whenever a job changes state.
    virtual void OnUpdate(std::function<void(const PrintJobUpdate&)> listener) = 0;
    virtual Result<PrinterStatus> Status() = 0;
    // A job another writer put in the queue (a staff reprint): print it now rather than at the next retry.
    virtual void Wake() = 0;
    // Bytes that are no ticket's job (a test page), sent on the printer's one connection between jobs.
    // Unavailable when the printer cannot take them.
    virtual Result<void> PrintPage(std::span<const std::uint8_t> bytes, std::string_view label) = 0;
};

}  // namespace kiosk::core
