// The durable print queue (table print_jobs): jobs survive restarts, failed attempts go back to the
// queue, and a job that printed is never handed out again.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/devices.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

struct PrintJob {
    std::int64_t id = 0;
    core::PrintRequest request;
    core::PrintJobState state = core::PrintJobState::Queued;
    int attempts = 0;
    std::string lastError;
    core::Timestamp createdAt;
    core::Timestamp updatedAt;
    std::optional<core::Timestamp> printedAt;
};

// States: queued (waiting, including after a failed attempt: last_error says why), printing (bytes
// may be on their way), printed, failed (given up: not retried, staff reprint on purpose).
//
// The crash window: a job is marked printing in its own committed step before its bytes are sent,
// and printed in one UPDATE once the printer confirmed it. A job still printing when the kiosk
// starts may or may not have come out, so RecoverInterrupted gives it up (failed) rather than
// print it again: a missing receipt is visible and staff can reprint, a duplicate cannot be taken
// back. All calls fail with Busy/Storage when the database fails, Corrupt when a row does not parse.
class PrintQueue {
public:
    // `db` must outlive the queue and is used from one thread at a time.
    explicit PrintQueue(Database& db) : m_db(&db) {}

    // Records a queued job, in the caller's transaction when one is open (a staff reprint lands with
    // its audit entry). NotFound for an unknown ticket; a queue slip needs no ticket but its label and
    // bytes (InvalidInput without them).
    Result<std::int64_t> Enqueue(const core::PrintRequest& request, core::Timestamp now);
    // The newest queued queue slip, else the oldest queued job; std::nullopt when none is waiting.
    Result<std::optional<PrintJob>> NextPending();
    // queued -> printing, counting the attempt. Conflict when the job is not queued.
    Result<void> MarkPrinting(std::int64_t id, core::Timestamp now);
    // printing -> printed. Conflict when the job is not printing (never printed twice).
    Result<void> MarkPrinted(std::int64_t id, core::Timestamp now);
    // printing or queued -> queued again, with the reason. Conflict for a printed job.
    Result<void> MarkRetry(std::int64_t id, std::string_view error, core::Timestamp now);
    // -> failed (given up). Conflict for a printed job.
    Result<void> MarkFailed(std::int64_t id, std::string_view error, core::Timestamp now);
    // Gives up every job left printing by a previous run; returns their ids.
    Result<std::vector<std::int64_t>> RecoverInterrupted(core::Timestamp now);
    // NotFound for an unknown id.
    Result<PrintJob> Find(std::int64_t id);
    // Newest first; all jobs when `limit` is 0 or less.
    Result<std::vector<PrintJob>> List(int limit);

private:
    Result<void> Move(std::int64_t id, std::string_view from, std::string_view to, std::optional<std::string_view> error,
                      core::Timestamp now, bool printed);
    Database* m_db;
};

// A slip is printed in the moment its number is taken, for the customer in front of the kiosk. When
// the printer was away (out of paper, jammed, switched off) the number screen told that customer to
// ask staff and showed the number to photograph; printing the slip once staff fix the printer, maybe
// an hour later, would hand a stray slip to whoever stands there next. So a slip still queued this
// long after its number was taken is given up rather than printed late: long enough to ride out a
// printer that answers slowly or a paper change while the customer is still there.
inline constexpr std::chrono::minutes kQueueSlipMaxAge{3};

// InvalidInput, naming the slip, when `request` is a queue slip taken more than kQueueSlipMaxAge
// before `now`; fine for anything else.
Result<void> CheckQueueSlipAge(const core::PrintRequest& request, core::Timestamp now);

std::string_view ToString(core::PrintJobState state);
std::optional<core::PrintJobState> ParsePrintJobState(std::string_view text);

}  // namespace kiosk::storage
