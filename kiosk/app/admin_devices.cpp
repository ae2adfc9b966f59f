// Device health, test print, receipt preview and "sync now" for the admin screens.
#include "kiosk/app/admin_devices.hpp"

#include "drivers/emulator/receipt_emulator.hpp"
#include "drivers/escpos/document.hpp"
#include "drivers/escpos/encoder.hpp"
#include "kiosk/app/receipts.hpp"
#include "kiosk/config/published_data.hpp"
#include "kiosk/storage/print_queue.hpp"
#include "sync/worker.hpp"

namespace kiosk::app {

namespace ep = drivers::escpos;
namespace af = core::admin_flow;

AdminDevices::AdminDevices(AdminDevicesOptions options, core::ReceiptPrinting& printing, AppContext& context,
                           const core::Clock& clock)
    : m_options(std::move(options)), m_printing(printing), m_context(context), m_clock(clock) {}

AdminDevices::~AdminDevices() {
    if (m_drain.joinable()) m_drain.join();
}

af::DeviceHealth AdminDevices::Devices() {
    af::DeviceHealth health;
    if (m_scanSources != nullptr) {
        for (const ScanSourceState& state : m_scanSources->States()) {
            health.scanSources.push_back({state.name, state.working, state.detail, state.lastCode, state.lastAt});
        }
        health.scannerSettingsProblems = m_scanSources->Problems();
    }
    health.printerUri = m_options.printerUri;
    if (auto status = m_printing.Status()) {
        health.printer = *status;
    } else {
        health.printerError = status.error().message;
    }
    if (auto db = storage::Database::Open(m_options.database)) {
        storage::PrintQueue queue(*db);
        if (auto jobs = queue.List(200)) {
            for (const auto& job : *jobs) {
                if (job.state == core::PrintJobState::Queued || job.state == core::PrintJobState::Printing) ++health.printJobsWaiting;
            }
        }
    }
    return health;
}

af::SyncHealth AdminDevices::Sync() {
    af::SyncHealth health;
    health.draining = m_draining.load();
    health.drainStartBacklog = m_drainStartBacklog.load();
    auto worker = sync::SyncWorker::Open(m_options.database);
    for (const DataInForce& d : m_context.inForce) health.inForce.push_back(d.dataset + ": " + d.Label());
    if (!worker) {
        health.lastError = worker.error().message;
        return health;
    }
    if (auto status = worker->Status()) {
        health.enrolled = status->enrolled;
        health.server = status->server;
        health.backlog = status->backlog;
        health.lastSuccess = status->lastSuccess;
        health.lastError = status->lastError;
        for (const sync::RefusedDataset& r : status->refused) {
            health.refused.push_back(r.dataset + " v" + std::to_string(r.version) + ": " + r.why);
        }
    } else {
        health.lastError = status.error().message;
    }
    std::lock_guard lock(m_drainErrorLock);
    if (!m_drainError.empty()) health.lastError = m_drainError;
    return health;
}

core::Result<void> AdminDevices::TestPrint() {
    ep::Document d;
    d.Text("Printer test / 打印测试", ep::TextStyle{.bold = true, .doubleHeight = true}, ep::Align::Center);
    d.Text(m_options.profile.name, {}, ep::Align::Center);
    d.Text(core::FormatTimestamp(m_clock.Now()), {}, ep::Align::Center);
    // Built in place: GCC 12 at -O2 misreads moving a temporary variant element as uninitialised.
    d.elements.emplace_back(ep::QrCode{"kiosk printer test", 5});
    d.elements.emplace_back(ep::Cut{true});
    auto bytes = ep::Encode(d, m_options.profile);
    if (!bytes) return std::unexpected(bytes.error());
    // Through the print worker: it owns the printer's one connection and sends this between jobs.
    return m_printing.PrintPage(*bytes, "printer-test");
}

void AdminDevices::JobQueued(std::int64_t) { m_printing.Wake(); }

core::Result<void> AdminDevices::SyncNow() {
    if (m_draining.load()) return core::Fail(core::ErrorCode::Conflict, "a sync is already running");
    // Published documents are checked with the kiosk's own loaders, as `kioskctl sync run` does.
    sync::WorkerOptions options;
    options.checkDocument = config::CheckPublishedVersion;
    auto worker = sync::SyncWorker::Open(m_options.database, options);
    if (!worker) return std::unexpected(worker.error());
    auto status = worker->Status();
    if (!status) return std::unexpected(status.error());
    if (!status->enrolled) return core::Fail(core::ErrorCode::Forbidden, "this kiosk is not enrolled with head office");
    if (m_drain.joinable()) m_drain.join();
    m_drainStartBacklog = status->backlog;
    m_draining = true;
    {
        std::lock_guard lock(m_drainErrorLock);
        m_drainError.clear();
    }
    m_drain = std::thread([this, w = std::move(*worker)]() mutable {
        auto drained = w.Drain();
        if (!drained) {
            std::lock_guard lock(m_drainErrorLock);
            m_drainError = drained.error().message;
        }
        m_draining = false;
    });
    return {};
}

core::Result<af::ReceiptPreview> AdminDevices::Preview(std::string_view ticketNumber, bool intakeSlip,
                                                       core::Language language) {
    core::PrintRequest request;
    request.ticketNumber = std::string(ticketNumber);
    request.kind = intakeSlip ? core::ReceiptKind::IntakeSlip : core::ReceiptKind::CustomerReceipt;
    request.language = language;
    request.reprint = true;
    auto bytes = ComposeReceiptBytes(m_context, request, m_options.profile, m_clock.Now());
    if (!bytes) return std::unexpected(bytes.error());
    drivers::emulator::EmulatorOptions emulator;
    emulator.dots = m_options.profile.dots;
    emulator.cjk = m_options.profile.cjk;
    auto printout = drivers::emulator::Render(*bytes, emulator);
    if (!printout) return std::unexpected(printout.error());
    af::ReceiptPreview preview;
    preview.ticketNumber = request.ticketNumber;
    preview.width = printout->paper.width;
    preview.height = printout->paper.height;
    preview.rgba.reserve(printout->paper.pixels.size() * 4U);
    for (std::uint8_t grey : printout->paper.pixels) {
        preview.rgba.insert(preview.rgba.end(), {grey, grey, grey, 255});
    }
    return preview;
}

}  // namespace kiosk::app
