// The print loop: compose, check the printer, mark printing, send, confirm, mark printed.
#include "drivers/printer/print_worker.hpp"

namespace kiosk::drivers::printer {

using core::ErrorCode;
using core::Fail;
using core::PrintJobState;

PrintWorker::PrintWorker(PrintJobStore& store, Transport& transport, ComposeJob compose, WorkerOptions options)
    : m_store(store), m_transport(transport), m_compose(std::move(compose)), m_options(options) {}

PrintWorker::~PrintWorker() { Stop(); }

Result<std::vector<std::int64_t>> PrintWorker::RecoverInterrupted() {
    const std::scoped_lock lock(m_mutex);
    auto interrupted = Stored([&] { return m_store.RecoverInterrupted(); });
    if (!interrupted) return interrupted;
    for (std::int64_t id : *interrupted) {
        Publish(PendingJob{id, {}}, PrintJobState::Failed, "interrupted while printing; reprint if needed");
    }
    return interrupted;
}

Result<void> PrintWorker::Start() {
    if (auto interrupted = RecoverInterrupted(); !interrupted) return std::unexpected(interrupted.error());
    {
        const std::scoped_lock lock(m_wakeMutex);
        m_stop = false;
    }
    if (!m_thread.joinable()) m_thread = std::thread([this] { Loop(); });
    return {};
}

void PrintWorker::Stop() {
    {
        const std::scoped_lock lock(m_wakeMutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

Result<std::int64_t> PrintWorker::Enqueue(const core::PrintRequest& request) {
    // Only the store's lock: a job being printed (or a printer timing out) does not hold this up.
    Result<std::int64_t> id = Stored([&] { return m_store.Add(request); });
    if (!id) return id;
    Publish(PendingJob{*id, request}, PrintJobState::Queued, {});
    Wake();
    return id;
}

void PrintWorker::Wake() {
    {
        const std::scoped_lock lock(m_wakeMutex);
        m_pokeQueued = true;
    }
    m_wake.notify_all();
}

Result<void> PrintWorker::PrintPage(std::span<const std::uint8_t> bytes, std::string_view label) {
    const std::scoped_lock lock(m_mutex);
    if (auto ok = m_transport.Connect(); !ok) return ok;
    if (m_options.askStatus) {
        auto before = m_transport.Status();
        if (!before) return std::unexpected(before.error());
        if (!before->CanPrint()) return Fail(ErrorCode::Unavailable, "printer cannot print: " + before->detail);
    }
    auto sent = m_transport.Send(bytes, label);
    if (!sent) m_transport.Disconnect();
    return sent;
}

void PrintWorker::OnUpdate(std::function<void(const core::PrintJobUpdate&)> listener) {
    const std::scoped_lock lock(m_listenerMutex);
    m_listener = std::move(listener);
}

Result<core::PrinterStatus> PrintWorker::Status() {
    const std::scoped_lock lock(m_mutex);
    if (!m_options.askStatus) {
        if (auto ok = m_transport.Connect(); !ok) return std::unexpected(ok.error());
        core::PrinterStatus status;
        status.online = true;
        status.detail = "connected; this printer does not report status";
        return status;
    }
    return m_transport.Status();
}

void PrintWorker::Publish(const PendingJob& job, PrintJobState state, std::string detail) {
    const std::scoped_lock lock(m_listenerMutex);
    if (!m_listener) return;
    // A queue slip has no ticket: staff and head office read which slip it was.
    std::string subject = job.request.kind == core::ReceiptKind::QueueSlip ? "queue slip " + job.request.slipLabel
                                                                           : job.request.ticketNumber;
    m_listener(core::PrintJobUpdate{job.id, std::move(subject), state, std::move(detail)});
}

Result<bool> PrintWorker::Retry(const PendingJob& job, const core::Error& error) {
    m_transport.Disconnect();
    if (auto ok = Stored([&] { return m_store.MarkRetry(job.id, error.message); }); !ok) return std::unexpected(ok.error());
    Publish(job, PrintJobState::Queued, error.message);
    return std::unexpected(error);
}

Result<bool> PrintWorker::PrintNext() {
    const std::scoped_lock lock(m_mutex);
    auto next = Stored([&] { return m_store.NextPending(); });
    if (!next) return std::unexpected(next.error());
    if (!*next) return false;
    const PendingJob job = **next;

    auto bytes = m_compose(job.request);
    if (!bytes) {
        const bool permanent = bytes.error().code == ErrorCode::InvalidInput || bytes.error().code == ErrorCode::NotFound;
        if (!permanent) return Retry(job, bytes.error());
        if (auto ok = Stored([&] { return m_store.MarkFailed(job.id, bytes.error().message); }); !ok) {
            return std::unexpected(ok.error());
        }
        Publish(job, PrintJobState::Failed, bytes.error().message);
        return std::unexpected(bytes.error());
    }

    if (auto ok = m_transport.Connect(); !ok) return Retry(job, ok.error());
    if (m_options.askStatus) {
        auto before = m_transport.Status();
        if (!before) return Retry(job, before.error());
        if (!before->CanPrint()) return Retry(job, core::Error{ErrorCode::Unavailable, "printer cannot print: " + before->detail});
    }

    if (auto ok = Stored([&] { return m_store.MarkPrinting(job.id); }); !ok) return std::unexpected(ok.error());
    Publish(job, PrintJobState::Printing, {});
    const std::string label = (job.request.kind == core::ReceiptKind::QueueSlip ? "queue-" + job.request.slipLabel
                                                                                : job.request.ticketNumber) +
                              "-job" + std::to_string(job.id);
    if (auto ok = m_transport.Send(*bytes, label); !ok) return Retry(job, ok.error());

    // The printer takes bytes into its buffer even when it has run out of paper: only its status
    // after the job says whether the receipt came out.
    if (m_options.askStatus) {
        auto after = m_transport.Status();
        if (!after) return Retry(job, after.error());
        if (!after->CanPrint()) return Retry(job, core::Error{ErrorCode::Unavailable, "printer stopped: " + after->detail});
    }
    if (auto ok = Stored([&] { return m_store.MarkPrinted(job.id); }); !ok) return std::unexpected(ok.error());
    Publish(job, PrintJobState::Printed, {});
    return true;
}

void PrintWorker::Loop() {
    while (true) {
        {
            const std::scoped_lock lock(m_wakeMutex);
            if (m_stop) return;
            m_pokeQueued = false;
        }
        auto printed = PrintNext();
        if (printed && *printed) continue;
        std::unique_lock lock(m_wakeMutex);
        m_wake.wait_for(lock, m_options.retryInterval, [this] { return m_stop || m_pokeQueued; });
    }
}

}  // namespace kiosk::drivers::printer
