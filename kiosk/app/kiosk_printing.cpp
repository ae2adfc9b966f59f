// Wiring of the print queue, transport, profile and worker for the kiosk application.
#include "kiosk/app/kiosk_printing.hpp"

namespace kiosk::app {
namespace {

// Passes everything through to the real transport, except that while `failing` is set the printer
// answers "paper out" and refuses jobs, as a real one would.
class SwitchableTransport final : public drivers::printer::Transport {
public:
    SwitchableTransport(std::unique_ptr<drivers::printer::Transport> inner, std::shared_ptr<std::atomic<bool>> failing)
        : m_inner(std::move(inner)), m_failing(std::move(failing)) {}

    std::string Describe() const override { return m_inner->Describe(); }
    core::Result<void> Connect() override { return m_inner->Connect(); }
    core::Result<void> Send(std::span<const std::uint8_t> job, std::string_view label) override {
        if (m_failing->load()) return core::Fail(core::ErrorCode::Unavailable, "paper out");
        return m_inner->Send(job, label);
    }
    core::Result<core::PrinterStatus> Status() override {
        auto status = m_inner->Status();
        if (status && m_failing->load()) {
            status->paperOut = true;
            status->detail = "paper out";
        }
        return status;
    }
    void Disconnect() override { m_inner->Disconnect(); }

private:
    std::unique_ptr<drivers::printer::Transport> m_inner;
    std::shared_ptr<std::atomic<bool>> m_failing;
};

}  // namespace

core::Result<std::unique_ptr<KioskPrinting>> KioskPrinting::Start(const PrintingOptions& options) {
    std::unique_ptr<KioskPrinting> printing(new KioskPrinting());
    if (options.clock != nullptr) printing->m_clock = options.clock;

    auto context = AppContext::Load(options.load);
    if (!context) return std::unexpected(context.error());
    printing->m_context.emplace(std::move(*context));
    if (auto opened = printing->m_context->OpenStore(false); !opened) return std::unexpected(opened.error());

    // The kiosk's worker owns the queue for as long as it runs; a `kioskctl receipt print` that has
    // it now finishes its job first.
    auto owner = storage::PrintQueueOwner::Acquire(printing->m_context->config.database, std::chrono::seconds{10});
    if (!owner) return std::unexpected(owner.error());
    printing->m_owner.emplace(std::move(*owner));
    auto queueDb = storage::Database::Open(printing->m_context->config.database);
    if (!queueDb) return std::unexpected(queueDb.error());
    printing->m_queueDb.emplace(std::move(*queueDb));
    printing->m_jobs = std::make_unique<QueueJobStore>(*printing->m_queueDb, *printing->m_clock);

    auto profile = drivers::escpos::LoadProfileByName(options.load.assetDir / "printers", options.profile);
    if (!profile) return std::unexpected(profile.error());
    printing->m_profile = std::move(*profile);

    drivers::printer::TransportOptions transportOptions;
    transportOptions.emulatorDots = printing->m_profile.dots;
    transportOptions.emulatorCjk = printing->m_profile.cjk;
    auto transport = drivers::printer::OpenTransport(options.printerUri, transportOptions);
    if (!transport) return std::unexpected(transport.error());
    printing->m_transport = std::make_unique<SwitchableTransport>(std::move(*transport), printing->m_failing);

    drivers::printer::WorkerOptions workerOptions;
    workerOptions.retryInterval = options.retryInterval;
    workerOptions.askStatus = printing->m_profile.status;
    KioskPrinting* self = printing.get();
    printing->m_worker = std::make_unique<drivers::printer::PrintWorker>(
        *printing->m_jobs, *printing->m_transport,
        [self](const core::PrintRequest& request) {
            return ComposeReceiptBytes(*self->m_context, request, self->m_profile, self->m_clock->Now());
        },
        workerOptions);
    if (auto started = printing->m_worker->Start(); !started) return std::unexpected(started.error());
    return printing;
}

KioskPrinting::~KioskPrinting() {
    if (m_worker) m_worker->Stop();
}

}  // namespace kiosk::app
