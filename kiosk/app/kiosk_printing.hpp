// The kiosk's receipt printing: the durable print queue in the kiosk database, a transport (the
// configured printer, or PNG files through the receipt emulator in the demo) and the worker thread
// that prints, retries while the printer is away and never prints a job twice.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "drivers/escpos/profile.hpp"
#include "drivers/printer/print_worker.hpp"
#include "drivers/printer/transport.hpp"
#include "kiosk/app/app_context.hpp"
#include "kiosk/app/receipts.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/storage/print_queue_owner.hpp"

namespace kiosk::app {

struct PrintingOptions {
    LoadOptions load;               // the same settings as the kiosk: the worker opens its own connection
    std::string printerUri;         // usb://auto, tcp://HOST:PORT, lp:///dev/usb/lp0, emulator:///DIR, ...
    std::string profile;            // a printer profile name in assets/printers
    std::chrono::milliseconds retryInterval{3000};
    const core::Clock* clock = nullptr;  // the kiosk's clock (receipt times, job times); must outlive the printing
};

class KioskPrinting {
public:
    // Opens the queue, the transport and the profile, gives up jobs a previous run left half-printed,
    // and starts the worker. Fails with the first part that cannot be opened.
    static core::Result<std::unique_ptr<KioskPrinting>> Start(const PrintingOptions& options);
    ~KioskPrinting();
    KioskPrinting(const KioskPrinting&) = delete;
    KioskPrinting& operator=(const KioskPrinting&) = delete;

    core::ReceiptPrinting& Port() { return *m_worker; }
    // The printer's profile, for bytes encoded before they are queued (a queue number's slip).
    const drivers::escpos::PrinterProfile& Profile() const { return m_profile; }
    // For scripted runs and demos: while failing, the printer reports paper out; while stalled, it
    // takes kStalledPrinterTimeout to answer anything, then times out. Jobs stay queued either way and
    // print once it works again.
    enum class Emulated { Works, PaperOut, Stalled };
    static constexpr std::chrono::seconds kStalledPrinterTimeout{10};
    void SetEmulated(Emulated mode);
    struct EmulatedState;  // the mode, shared with the transport the worker uses

private:
    KioskPrinting() = default;

    core::SystemClock m_systemClock;
    const core::Clock* m_clock = &m_systemClock;
    std::optional<storage::PrintQueueOwner> m_owner;  // held while the worker runs
    std::optional<AppContext> m_context;         // the worker thread's own store connection
    std::optional<storage::Database> m_queueDb;  // and the queue's
    std::unique_ptr<QueueJobStore> m_jobs;
    drivers::escpos::PrinterProfile m_profile;
    std::unique_ptr<drivers::printer::Transport> m_transport;
    std::shared_ptr<EmulatedState> m_emulated;
    std::unique_ptr<drivers::printer::PrintWorker> m_worker;
};

}  // namespace kiosk::app
