// The kiosk's sync worker: drains the outbox to head office in acknowledged batches, retries with
// exponential backoff and full jitter, and reports its state for the UI and `kioskctl sync status`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/error.hpp"
#include "kiosk/storage/downstream.hpp"
#include "kiosk/storage/outbox.hpp"
#include "sync/http_client.hpp"
#include "sync/protocol.hpp"

namespace kiosk::sync {

struct WorkerOptions {
    int maxRecords = 500;            // per batch
    std::size_t maxBytes = 256 * 1024;  // of payload per batch (at least one record is always sent)
    std::chrono::milliseconds backoffBase{2'000};
    std::chrono::milliseconds backoffCap{10 * 60'000};
    // The first attempt after start waits a random time up to this, so kiosks coming back together
    // after a head-office outage do not all call at once.
    std::chrono::milliseconds firstAttemptJitter{30'000};
    std::chrono::milliseconds idlePoll{30'000};  // between rounds when everything was sent
    HttpTimeouts timeouts;
    std::size_t blobChunkBytes = kBlobChunkBytes;  // attached files go up in chunks of this size
    // Checks a published document (policy, sla, calendar: the TOML text of `version`) with the kiosk's
    // own loaders before it is applied. A refused version is left out, the previous one stays in force,
    // and the refusal goes to head office with the status. Empty: every document is applied.
    std::function<core::Result<void>(std::string_view dataset, std::string_view text, std::int64_t version)> checkDocument;
};

struct DrainReport {
    std::int64_t batches = 0;
    std::int64_t records = 0;   // acknowledged
    std::int64_t rejected = 0;  // acknowledged but put in head office's dead-letter table
    std::int64_t datasetsApplied = 0;  // downstream updates applied by the pull that follows the upload
    std::int64_t blobsSent = 0;        // attached files head office confirmed in this drain
    std::int64_t blobBytes = 0;        // chunk bytes sent for them
    std::int64_t blobsFailed = 0;      // files that could not be sent (missing, damaged, refused): see SyncStatus
};

// An attached file the worker could not send, and why.
struct BlobProblem {
    std::string sha256;
    std::string detail;
};

struct SyncStatus {
    bool enrolled = false;
    std::string server;
    std::string kiosk;
    std::int64_t epoch = 0;
    std::int64_t backlog = 0;
    std::int64_t ackedThroughSeq = 0;
    std::string lastAttempt;  // ISO-8601 UTC, empty when never
    std::string lastSuccess;
    std::string lastError;    // empty after a success
    std::int64_t consecutiveFailures = 0;
    std::optional<std::string> inflightBatch;
    std::vector<storage::AppliedDataset> datasets;  // downstream versions applied
    std::vector<RefusedDataset> refused;            // published versions the kiosk's loaders refused
    std::int64_t blobsWaiting = 0;  // attached files not yet confirmed by head office (failed ones included)
    std::int64_t blobsSent = 0;     // attached files head office holds
    std::vector<BlobProblem> blobProblems;  // files that could not be sent from here; tried again each round
};

// What the program knows about the kiosk's devices, asked before every upload and pull. The worker
// fills in `backlog` itself, and `software` when the provider leaves it empty.
using StatusProvider = std::function<KioskStatus()>;

// Full jitter: a uniformly random wait in [0, min(cap, base * 2^(failures-1))].
std::chrono::milliseconds BackoffDelay(int failures, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                       std::mt19937_64& random);

// Not thread-safe: one worker per thread, with its own connection to the kiosk database.
class SyncWorker {
public:
    // Opens the kiosk database (which must exist). Fails as Database::Open and Outbox::Open do.
    static core::Result<SyncWorker> Open(const std::filesystem::path& database, WorkerOptions options = {});

    // Sends batches until nothing is waiting, then pulls downstream data (Pull). Fails with Forbidden before enrolment or when head
    // office refuses the kiosk's credentials, Unavailable when head office cannot be reached or is
    // overloaded, Conflict when head office refuses a batch as inconsistent (the records stay queued),
    // and with the database's errors. Each outcome is recorded for Status().
    core::Result<DrainReport> Drain();
    // Drains, then again after idlePoll (or after a backoff delay on failure), until `stop` is set.
    void Run(const std::atomic<bool>& stop);

    core::Result<SyncStatus> Status();
    // Prometheus text exposition of the worker's state.
    core::Result<std::string> MetricsText();

    storage::Outbox& Store() { return m_outbox; }
    // Head office then shows the printer, paper, scanner and self-help figures the provider gives;
    // without one, the kiosk reports its software version and backlog only.
    void SetStatusProvider(StatusProvider provider) { m_statusProvider = std::move(provider); }

private:
    SyncWorker(storage::Outbox outbox, WorkerOptions options, std::filesystem::path blobDirectory);
    core::Result<DrainReport> DrainOnce();
    // Asks head office for the data sets that changed since the applied versions and applies each
    // answer in one transaction; returns how many data set updates were applied. Fails as Drain does,
    // and with ApplyDownstream's errors (nothing of that answer applied then).
    core::Result<std::int64_t> Pull(const std::string& server, const std::string& kiosk, const std::string& secret);
    // After the records (worker_blobs.cpp): sends the files of attached events head office has
    // acknowledged and does not yet hold, resuming each at the offset head office reports. A file that
    // is missing or damaged here, or that head office refuses, is recorded and skipped; fails only
    // when head office cannot be reached or asks to wait, and with the database's errors.
    core::Result<void> SendBlobs(const std::string& server, const std::string& kiosk, const std::string& secret,
                                 DrainReport& report);
    // Sends one blob from the offset head office reports; true when head office holds it whole.
    core::Result<bool> SendBlob(const std::string& server, const std::string& kiosk, const std::string& secret,
                                const std::string& sha256, std::string_view data, DrainReport& report);
    // A signed GET or PUT of a blob, with one retry after a clock correction.
    core::Result<HttpResponse> BlobRequest(std::string_view method, const std::string& server, const std::string& target,
                                           const std::string& kiosk, const std::string& secret, std::string_view body,
                                           const Headers& extra);
    core::Result<void> NoteBlob(const std::string& sha256, std::string_view state, std::string_view detail);
    core::Result<void> Record(const core::Result<DrainReport>& outcome);
    core::Result<KioskStatus> CurrentStatus();
    // Records that `version` of `dataset` was refused; true when that is news (another version or reason).
    core::Result<bool> NoteRefusal(const std::string& dataset, std::int64_t version, const std::string& why);
    core::Result<std::vector<RefusedDataset>> Refusals();
    std::int64_t KioskNowMs() const;

    storage::Outbox m_outbox;
    WorkerOptions m_options;
    std::filesystem::path m_blobDirectory;  // the kiosk's attached files (storage::BlobStore)
    std::mt19937_64 m_random;
    std::int64_t m_clockOffsetMs = 0;  // head office's clock minus ours, learnt from its answers
    std::int64_t m_failures = 0;
    std::int64_t m_recordsSent = 0;
    std::chrono::milliseconds m_retryAfter{0};
    StatusProvider m_statusProvider;
};

// Enrols the kiosk database at `database` with head office at `url` using an enrolment token (with or
// without its "KIOSK-ENROL:" prefix) and stores the credentials it gets. Fails with InvalidInput for
// an empty token, Conflict before `kioskctl init`, Forbidden when head office refuses the token,
// Unavailable when it cannot be reached.
core::Result<EnrolReply> Enrol(const std::filesystem::path& database, std::string_view url, std::string_view token,
                               const HttpTimeouts& timeouts = {});

}  // namespace kiosk::sync
