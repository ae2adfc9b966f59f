// Wiring of the print queue, transport, profile and worker for the kiosk application.
#include "kiosk/app/kiosk_printing.hpp"

#include <condition_variable>
#include <mutex>

namespace kiosk::app {
struct KioskPrinting::EmulatedState {
    std::mutex mutex;
    std::condition_variable changed;
    Emulated mode = Emulated::Works;
};

namespace {

// Passes everything through to the real transport, except while the scripted printer is failing
// (it answers "paper out" and refuses jobs, as a real one would) or stalled (nothing answers until
// it times out, or until the script changes its mode).
class SwitchableTransport final : public drivers::printer::Transport {
public:
    using Emulated = KioskPrinting::Emulated;
    SwitchableTransport(std::unique_ptr<drivers::printer::Transport> inner, std::shared_ptr<KioskPrinting::EmulatedState> state)
        : m_inner(std::move(inner)), m_state(std::move(state)) {}

    std::string Describe() const override { return m_inner->Describe(); }
    core::Result<void> Connect() override { return m_inner->Connect(); }
    core::Result<void> Send(std::span<const std::uint8_t> job, std::string_view label) override {
        const Emulated mode = Mode();
        if (mode == Emulated::PaperOut) return core::Fail(core::ErrorCode::Unavailable, "paper out");
        if (mode == Emulated::Stalled) return Stall("took no bytes");
        return m_inner->Send(job, label);
    }
    core::Result<core::PrinterStatus> Status() override {
        if (Mode() == Emulated::Stalled) {
            if (auto stalled = Stall("did not answer DLE EOT"); !stalled) return std::unexpected(stalled.error());
        }
        auto status = m_inner->Status();
        if (status && Mode() == Emulated::PaperOut) {
            status->paperOut = true;
            status->detail = "paper out";
        }
        return status;
    }
    void Disconnect() override { m_inner->Disconnect(); }

private:
    Emulated Mode() {
        const std::scoped_lock lock(m_state->mutex);
        return m_state->mode;
    }
    // Waits as a stalled printer makes its driver wait: until the time-out, or until the script
    // changes the printer; then fails as a time-out does (or answers, when the printer works again).
    core::Result<void> Stall(std::string_view what) {
        std::unique_lock lock(m_state->mutex);
        const bool changed = m_state->changed.wait_for(lock, KioskPrinting::kStalledPrinterTimeout,
                                                       [this] { return m_state->mode != Emulated::Stalled; });
        if (changed && m_state->mode == Emulated::Works) return {};
        return core::Fail(core::ErrorCode::Unavailable, "printer " + std::string(what) + " within " +
                                                            std::to_string(KioskPrinting::kStalledPrinterTimeout.count()) + " s");
    }

    std::unique_ptr<drivers::printer::Transport> m_inner;
    std::shared_ptr<KioskPrinting::EmulatedState> m_state;
};

}  // namespace

void KioskPrinting::SetEmulated(Emulated mode) {
    {
        const std::scoped_lock lock(m_emulated->mutex);
        m_emulated->mode = mode;
    }
    m_emulated->changed.notify_all();
}

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
    printing->m_emulated = std::make_shared<EmulatedState>();
    printing->m_transport = std::make_unique<SwitchableTransport>(std::move(*transport), printing->m_emulated);

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
