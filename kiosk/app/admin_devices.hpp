// The admin screens' device and sync port over the kiosk's real parts: the print worker's status, a
// test page and staff reprints through that worker (the printer's one owner), the receipt emulator for previews, and a sync worker that drains
// the outbox on its own thread when staff ask for it.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "drivers/escpos/profile.hpp"
#include "kiosk/app/app_context.hpp"
#include "kiosk/app/scan_sources.hpp"
#include "kiosk/core/admin_flow/device_port.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/devices.hpp"

namespace kiosk::app {

struct AdminDevicesOptions {
    std::filesystem::path database;  // the kiosk database: the sync worker opens its own connections
    std::string printerUri;
    drivers::escpos::PrinterProfile profile;
};

class AdminDevices final : public core::admin_flow::DevicePort {
public:
    // `printing` and `context` (the main thread's) must outlive this object; it runs on the main thread.
    AdminDevices(AdminDevicesOptions options, core::ReceiptPrinting& printing, AppContext& context,
                 const core::Clock& clock);
    ~AdminDevices() override;
    AdminDevices(const AdminDevices&) = delete;
    AdminDevices& operator=(const AdminDevices&) = delete;

    // The configured scan sources to report (null: none besides scripts); must outlive this object.
    void SetScanSources(const ScanSources* sources) { m_scanSources = sources; }

    core::admin_flow::DeviceHealth Devices() override;
    core::admin_flow::SyncHealth Sync() override;
    core::Result<void> TestPrint() override;
    void JobQueued(std::int64_t job) override;
    core::Result<void> SyncNow() override;
    core::Result<core::admin_flow::ReceiptPreview> Preview(std::string_view ticketNumber, bool intakeSlip,
                                                           core::Language language) override;

private:
    AdminDevicesOptions m_options;
    core::ReceiptPrinting& m_printing;
    AppContext& m_context;
    const core::Clock& m_clock;
    const ScanSources* m_scanSources = nullptr;
    std::thread m_drain;
    std::atomic<bool> m_draining{false};
    std::atomic<std::int64_t> m_drainStartBacklog{0};
    std::mutex m_drainErrorLock;
    std::string m_drainError;  // the last "sync now" failure, until the next attempt
};

}  // namespace kiosk::app
