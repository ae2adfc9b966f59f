// Records the kiosk's device health in its database as it changes (storage::DeviceStatus), for
// `kioskctl sync run` to send to head office: the software version and start time once, the printer
// and its paper every few seconds (asked through the print worker, the printer's one owner), the scan
// sources' state as often, and the result of every print job as the worker reports it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kiosk/app/scan_sources.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/devices.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::app {

class DeviceRecorder {
public:
    // Opens its own connection to `database`. `printing`, `clock` and what `scanners` reads must outlive
    // the recorder; `scanners` (thread-safe) may be empty when the kiosk has no configured scan sources.
    static core::Result<std::unique_ptr<DeviceRecorder>> Start(const std::filesystem::path& database, core::ReceiptPrinting& printing,
                                                               const core::Clock& clock, std::string software,
                                                               std::function<ScanHealth()> scanners = {},
                                                               std::chrono::milliseconds interval = std::chrono::seconds{5});
    ~DeviceRecorder();
    DeviceRecorder(const DeviceRecorder&) = delete;
    DeviceRecorder& operator=(const DeviceRecorder&) = delete;

    // A print job changed state (called on the print worker's thread).
    void JobUpdated(const core::PrintJobUpdate& update);
    // The frame guard caught a failed frame on `screen` (called on the main thread): the count since
    // start and the last failure are recorded.
    void FrameFailed(const std::string& screen, const std::string& what);

private:
    DeviceRecorder(storage::Database db, core::ReceiptPrinting& printing, const core::Clock& clock,
                   std::chrono::milliseconds interval);
    void Record(std::string_view name, const std::string& value);
    // One round's facts together: readers never see a printer state without its paper.
    void Record(std::vector<std::pair<std::string_view, std::string>> facts);
    void AskPrinter();
    void RecordScanners();

    std::mutex m_dbMutex;
    storage::Database m_db;
    core::ReceiptPrinting& m_printing;
    const core::Clock& m_clock;
    std::chrono::milliseconds m_interval;
    std::function<ScanHealth()> m_scanners;
    std::int64_t m_frameFailures = 0;  // main thread only
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk::app
