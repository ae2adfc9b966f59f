// The receipt printing port (core::ReceiptPrinting): jobs go through a durable store and are printed
// by a worker thread, which retries them while the printer is away and never prints one twice.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "drivers/printer/transport.hpp"
#include "kiosk/core/devices.hpp"

namespace kiosk::drivers::printer {

struct PendingJob {
    std::int64_t id = 0;
    core::PrintRequest request;
};

// Where jobs are kept; the application implements it over the kiosk database's print queue. The
// worker calls it under its own store lock, from its thread and from Enqueue's caller.
class PrintJobStore {
public:
    virtual ~PrintJobStore() = default;
    // NotFound for an unknown ticket.
    virtual Result<std::int64_t> Add(const core::PrintRequest& request) = 0;
    virtual Result<std::optional<PendingJob>> NextPending() = 0;
    // Committed before any byte is sent.
    virtual Result<void> MarkPrinting(std::int64_t id) = 0;
    // Committed in one step once the printer confirmed the job.
    virtual Result<void> MarkPrinted(std::int64_t id) = 0;
    // Back to the queue, to be tried again.
    virtual Result<void> MarkRetry(std::int64_t id, std::string_view error) = 0;
    // Given up; staff may reprint.
    virtual Result<void> MarkFailed(std::int64_t id, std::string_view error) = 0;
    // Jobs a previous run left printing: given up, since they may have printed.
    virtual Result<std::vector<std::int64_t>> RecoverInterrupted() = 0;
};

// The job's bytes for the printer. InvalidInput or NotFound give the job up; other errors retry it.
using ComposeJob = std::function<Result<std::vector<std::uint8_t>>(const core::PrintRequest& request)>;

struct WorkerOptions {
    std::chrono::milliseconds retryInterval{3000};  // how often a waiting job is tried again
    bool askStatus = true;  // false for printers that cannot answer DLE EOT (profile status = false)
};

class PrintWorker final : public core::ReceiptPrinting {
public:
    // `store` and `transport` must outlive the worker.
    PrintWorker(PrintJobStore& store, Transport& transport, ComposeJob compose, WorkerOptions options = {});
    ~PrintWorker() override;
    PrintWorker(const PrintWorker&) = delete;
    PrintWorker& operator=(const PrintWorker&) = delete;

    // Gives up jobs interrupted by a previous run, then prints in the background until Stop(). The
    // caller must own the print queue (storage::PrintQueueOwner), so no live process is printing.
    Result<void> Start();
    void Stop();

    Result<std::int64_t> Enqueue(const core::PrintRequest& request) override;
    // Updates name the job's ticket; a queue slip's job, which has none, as "queue slip A007".
    void OnUpdate(std::function<void(const core::PrintJobUpdate&)> listener) override;
    Result<core::PrinterStatus> Status() override;
    void Wake() override;
    Result<void> PrintPage(std::span<const std::uint8_t> bytes, std::string_view label) override;

    // Prints the oldest waiting job on the calling thread: true when one printed, false when none
    // waits. An error says why the job did not print (it stays queued, or failed when given up).
    // Used by the worker thread and by one-shot tools.
    Result<bool> PrintNext();
    // Gives up every job a previous owner of the queue left printing (it may have come out: staff
    // reprint on purpose) and returns their ids. Start() does this; a one-shot tool that owns the
    // queue calls it before PrintNext().
    Result<std::vector<std::int64_t>> RecoverInterrupted();

private:
    void Publish(const PendingJob& job, core::PrintJobState state, std::string detail);
    template <typename Call>
    auto Stored(Call call) {
        const std::scoped_lock lock(m_storeMutex);
        return call();
    }
    Result<bool> Retry(const PendingJob& job, const core::Error& error);
    void Loop();

    PrintJobStore& m_store;
    Transport& m_transport;
    ComposeJob m_compose;
    WorkerOptions m_options;
    // The transport is used by one thread at a time, for a whole job; the store too, but only for
    // each call, so Enqueue (the UI thread) never waits for the printer to answer or time out.
    // Order: m_mutex before m_storeMutex.
    std::mutex m_mutex;
    std::mutex m_storeMutex;
    std::mutex m_listenerMutex;
    std::function<void(const core::PrintJobUpdate&)> m_listener;
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_pokeQueued = false;
    std::thread m_thread;
};

}  // namespace kiosk::drivers::printer
