// The device recorder's thread asks the printer; job updates arrive from the print worker's thread.
#include "kiosk/app/device_recorder.hpp"

#include <cstdio>

#include "kiosk/storage/device_status.hpp"
#include "sync/protocol.hpp"

namespace kiosk::app {

namespace dev = storage::device;

core::Result<std::unique_ptr<DeviceRecorder>> DeviceRecorder::Start(const std::filesystem::path& database,
                                                                     core::ReceiptPrinting& printing, const core::Clock& clock,
                                                                     std::string software, std::function<ScanHealth()> scanners,
                                                                     std::chrono::milliseconds interval) {
    auto db = storage::Database::Open(database);
    if (!db) return std::unexpected(db.error());
    std::unique_ptr<DeviceRecorder> recorder(new DeviceRecorder(std::move(*db), printing, clock, interval));
    recorder->m_scanners = std::move(scanners);
    recorder->Record({{dev::kSoftware, std::move(software)},
                      {dev::kStartedAt, core::FormatTimestamp(clock.Now())},
                      {dev::kFrameFailures, "0"}});
    recorder->m_thread = std::thread([r = recorder.get()] {
        std::unique_lock lock(r->m_wakeMutex);
        while (!r->m_stop) {
            lock.unlock();
            r->AskPrinter();
            r->RecordScanners();
            lock.lock();
            r->m_wake.wait_for(lock, r->m_interval, [r] { return r->m_stop; });
        }
    });
    return recorder;
}

DeviceRecorder::DeviceRecorder(storage::Database db, core::ReceiptPrinting& printing, const core::Clock& clock,
                               std::chrono::milliseconds interval)
    : m_db(std::move(db)), m_printing(printing), m_clock(clock), m_interval(interval) {}

DeviceRecorder::~DeviceRecorder() {
    {
        const std::scoped_lock lock(m_wakeMutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void DeviceRecorder::Record(std::string_view name, const std::string& value) {
    const std::scoped_lock lock(m_dbMutex);
    if (auto recorded = storage::DeviceStatus(m_db).Record(name, value, m_clock.Now()); !recorded) {
        std::fprintf(stderr, "kiosk: device status %.*s not recorded: %s\n", static_cast<int>(name.size()), name.data(),
                     recorded.error().message.c_str());
    }
}

void DeviceRecorder::Record(std::vector<std::pair<std::string_view, std::string>> facts) {
    const std::scoped_lock lock(m_dbMutex);
    if (auto recorded = storage::DeviceStatus(m_db).RecordAll(facts, m_clock.Now()); !recorded) {
        std::fprintf(stderr, "kiosk: device status not recorded: %s\n", recorded.error().message.c_str());
    }
}

void DeviceRecorder::AskPrinter() {
    sync::KioskStatus words;
    auto status = m_printing.Status();
    std::string detail;
    if (status) {
        sync::DescribePrinter(*status, words);
        detail = status->detail;
    } else {
        words.printer = "offline";
        words.paper = "unknown";
        detail = status.error().message;
    }
    Record({{dev::kPrinterDetail, std::move(detail)}, {dev::kPrinter, words.printer}, {dev::kPaper, words.paper}});
}

void DeviceRecorder::RecordScanners() {
    if (!m_scanners) return;
    const ScanHealth health = m_scanners();
    std::vector<std::pair<std::string_view, std::string>> facts{
        {dev::kScannerDetail, health.detail}, {dev::kCamera, health.camera}};
    if (health.lastScan) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(health.lastScan->time_since_epoch()).count();
        facts.emplace_back(dev::kScannerSeen, std::to_string(ms));
    }
    facts.emplace_back(dev::kScanner, health.scanner);
    Record(std::move(facts));
}

void DeviceRecorder::FrameFailed(const std::string& screen, const std::string& what) {
    Record({{dev::kFrameFailures, std::to_string(++m_frameFailures)}, {dev::kLastFrameFailure, screen + ": " + what}});
}

void DeviceRecorder::JobUpdated(const core::PrintJobUpdate& update) {
    switch (update.state) {
        case core::PrintJobState::Printed:
            Record(dev::kLastJob, "printed " + update.ticketNumber);
            break;
        case core::PrintJobState::Failed:
            Record(dev::kLastJob, "failed " + update.ticketNumber + ": " + update.detail);
            break;
        case core::PrintJobState::Queued:
            if (!update.detail.empty()) Record(dev::kLastJob, "waiting " + update.ticketNumber + ": " + update.detail);
            break;
        case core::PrintJobState::Printing:
            break;
    }
}

}  // namespace kiosk::app
