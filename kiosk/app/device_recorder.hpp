// Records the kiosk's device health in its database as it changes (storage::DeviceStatus), for
// `kioskctl sync run` to send to head office: the software version and start time once, the printer
// and its paper every few seconds (asked through the print worker, the printer's one owner), and the
// result of every print job as the worker reports it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "kiosk/core/clock.hpp"
#include "kiosk/core/devices.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::app {

class DeviceRecorder {
public:
    // Opens its own connection to `database`. `printing` and `clock` must outlive the recorder.
    static core::Result<std::unique_ptr<DeviceRecorder>> Start(const std::filesystem::path& database, core::ReceiptPrinting& printing,
                                                               const core::Clock& clock, std::string software,
                                                               std::chrono::milliseconds interval = std::chrono::seconds{5});
    ~DeviceRecorder();
    DeviceRecorder(const DeviceRecorder&) = delete;
    DeviceRecorder& operator=(const DeviceRecorder&) = delete;

    // A print job changed state (called on the print worker's thread).
    void JobUpdated(const core::PrintJobUpdate& update);

private:
    DeviceRecorder(storage::Database db, core::ReceiptPrinting& printing, const core::Clock& clock,
                   std::chrono::milliseconds interval);
    void Record(std::string_view name, const std::string& value);
    void AskPrinter();

    std::mutex m_dbMutex;
    storage::Database m_db;
    core::ReceiptPrinting& m_printing;
    const core::Clock& m_clock;
    std::chrono::milliseconds m_interval;
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk::app
