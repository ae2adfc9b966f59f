// print_jobs rows: every state change is one conditional UPDATE, so two workers can never both print
// a job and a printed job never goes back.
#include "kiosk/storage/print_queue.hpp"

namespace kiosk::storage {
namespace {

using core::ErrorCode;
using core::Fail;

constexpr std::string_view kColumns =
    "id, ticket_number, kind, language, reprint, state, attempts, last_error, created_at, updated_at, printed_at, "
    "slip_label, slip_bytes";

std::string_view PrintKindName(core::ReceiptKind kind) {
    switch (kind) {
        case core::ReceiptKind::IntakeSlip: return "intake_slip";
        case core::ReceiptKind::QueueSlip: return "queue_slip";
        case core::ReceiptKind::CustomerReceipt: break;
    }
    return "receipt";
}

Result<PrintJob> ReadJob(const Statement& s) {
    PrintJob job;
    job.id = s.Int(0);
    job.request.ticketNumber = s.Text(1);
    const std::string kind = s.Text(2);
    job.request.kind = kind == "intake_slip" ? core::ReceiptKind::IntakeSlip
                       : kind == "queue_slip" ? core::ReceiptKind::QueueSlip
                                              : core::ReceiptKind::CustomerReceipt;
    auto language = core::ParseLanguage(s.Text(3));
    auto state = ParsePrintJobState(s.Text(5));
    if (!language || !state) return Fail(ErrorCode::Corrupt, "print job " + std::to_string(job.id) + ": bad language or state");
    job.request.language = *language;
    job.request.reprint = s.Int(4) != 0;
    job.state = *state;
    job.attempts = static_cast<int>(s.Int(6));
    job.lastError = s.Text(7);
    auto created = core::ParseTimestamp(s.Text(8));
    auto updated = core::ParseTimestamp(s.Text(9));
    if (!created || !updated) return Fail(ErrorCode::Corrupt, "print job " + std::to_string(job.id) + ": bad time");
    job.createdAt = *created;
    job.updatedAt = *updated;
    if (!s.IsNull(10)) {
        auto printed = core::ParseTimestamp(s.Text(10));
        if (!printed) return Fail(ErrorCode::Corrupt, "print job " + std::to_string(job.id) + ": bad printed_at");
        job.printedAt = *printed;
    }
    if (job.request.kind == core::ReceiptKind::QueueSlip) {
        // A slip is queued in the moment its number is taken.
        job.request.slipLabel = s.Text(11);
        job.request.slipBytes = s.Blob(12);
        job.request.slipTakenAt = job.createdAt;
    }
    return job;
}

}  // namespace

Result<void> CheckQueueSlipAge(const core::PrintRequest& request, core::Timestamp now) {
    if (request.kind != core::ReceiptKind::QueueSlip || !request.slipTakenAt) return {};
    if (now - *request.slipTakenAt <= kQueueSlipMaxAge) return {};
    return Fail(ErrorCode::InvalidInput, "queue slip " + request.slipLabel + " not printed: taken at " +
                                             core::FormatTimestamp(*request.slipTakenAt) + ", too long ago to hand out now");
}

std::string_view ToString(core::PrintJobState state) {
    switch (state) {
        case core::PrintJobState::Printing: return "printing";
        case core::PrintJobState::Printed: return "printed";
        case core::PrintJobState::Failed: return "failed";
        case core::PrintJobState::Queued: break;
    }
    return "queued";
}

std::optional<core::PrintJobState> ParsePrintJobState(std::string_view text) {
    if (text == "queued") return core::PrintJobState::Queued;
    if (text == "printing") return core::PrintJobState::Printing;
    if (text == "printed") return core::PrintJobState::Printed;
    if (text == "failed") return core::PrintJobState::Failed;
    return std::nullopt;
}

Result<std::int64_t> PrintQueue::Enqueue(const core::PrintRequest& request, core::Timestamp now) {
    std::optional<Transaction> tx;
    if (!m_db->InTransaction()) {
        auto begun = Transaction::Begin(*m_db);
        if (!begun) return std::unexpected(begun.error());
        tx.emplace(std::move(*begun));
    }
    const bool slip = request.kind == core::ReceiptKind::QueueSlip;
    if (slip) {
        if (request.slipLabel.empty() || request.slipBytes.empty()) {
            return Fail(ErrorCode::InvalidInput, "a queue slip needs its number and its bytes");
        }
    } else {
        auto find = m_db->Cached("SELECT 1 FROM tickets WHERE number = ?1");
        if (!find) return std::unexpected(find.error());
        find->Bind(1, request.ticketNumber);
        auto found = find->Step();
        if (!found) return std::unexpected(found.error());
        if (!*found) return Fail(ErrorCode::NotFound, "no ticket " + request.ticketNumber);
    }
    auto insert = m_db->Cached(
        "INSERT INTO print_jobs (ticket_number, kind, language, reprint, state, created_at, updated_at, slip_label, "
        "slip_bytes) VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?5, ?6, ?7) RETURNING id");
    if (!insert) return std::unexpected(insert.error());
    if (slip) {
        insert->BindNull(1).Bind(6, std::string_view(request.slipLabel)).BindBlob(7, request.slipBytes);
    } else {
        insert->Bind(1, request.ticketNumber).BindNull(6).BindNull(7);
    }
    insert->Bind(2, PrintKindName(request.kind))
        .Bind(3, core::LanguageTag(request.language))
        .Bind(4, std::int64_t{request.reprint ? 1 : 0})
        .Bind(5, core::FormatTimestamp(now));
    auto row = insert->Step();
    if (!row) return std::unexpected(row.error());
    const std::int64_t id = insert->Int(0);
    if (auto done = insert->Run(); !done) return std::unexpected(done.error());
    if (tx) {
        if (auto ok = tx->Commit(); !ok) return std::unexpected(ok.error());
    }
    return id;
}

Result<std::optional<PrintJob>> PrintQueue::NextPending() {
    // Queue slips first, the newest first: the newest slip is for the customer at the kiosk now, an
    // older one or a receipt still waiting is for someone who may have left with their number on
    // screen. So the slip of the number on screen is the one tried, and its printer problem is
    // reported at once rather than after the jobs ahead of it.
    auto s = m_db->Cached("SELECT " + std::string(kColumns) +
                          " FROM print_jobs WHERE state = 'queued' "
                          "ORDER BY kind = 'queue_slip' DESC, CASE WHEN kind = 'queue_slip' THEN -id ELSE id END LIMIT 1");
    if (!s) return std::unexpected(s.error());
    auto row = s->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<PrintJob>{};
    auto job = ReadJob(*s);
    if (!job) return std::unexpected(job.error());
    return std::optional<PrintJob>{std::move(*job)};
}

Result<void> PrintQueue::Move(std::int64_t id, std::string_view from, std::string_view to,
                              std::optional<std::string_view> error, core::Timestamp now, bool printed) {
    // `from` is a set of states as a SQL list; the UPDATE changes nothing when the job is elsewhere.
    auto s = m_db->Prepare("UPDATE print_jobs SET state = ?2, updated_at = ?3, last_error = ?4, "
                           "attempts = attempts + ?5, printed_at = CASE WHEN ?6 THEN ?3 ELSE printed_at END "
                           "WHERE id = ?1 AND state IN (" + std::string(from) + ") RETURNING id");
    if (!s) return std::unexpected(s.error());
    s->Bind(1, id).Bind(2, to).Bind(3, core::FormatTimestamp(now));
    if (error) {
        s->Bind(4, *error);
    } else {
        s->BindNull(4);
    }
    s->Bind(5, std::int64_t{to == "printing" ? 1 : 0}).Bind(6, std::int64_t{printed ? 1 : 0});
    auto row = s->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) {
        auto job = Find(id);
        if (!job) return std::unexpected(job.error());
        return Fail(ErrorCode::Conflict, "print job " + std::to_string(id) + " is " + std::string(ToString(job->state)) +
                                             ", cannot become " + std::string(to));
    }
    return s->Run();
}

Result<void> PrintQueue::MarkPrinting(std::int64_t id, core::Timestamp now) {
    return Move(id, "'queued'", "printing", std::nullopt, now, false);
}

Result<void> PrintQueue::MarkPrinted(std::int64_t id, core::Timestamp now) {
    return Move(id, "'printing'", "printed", std::nullopt, now, true);
}

Result<void> PrintQueue::MarkRetry(std::int64_t id, std::string_view error, core::Timestamp now) {
    return Move(id, "'queued', 'printing'", "queued", error, now, false);
}

Result<void> PrintQueue::MarkFailed(std::int64_t id, std::string_view error, core::Timestamp now) {
    return Move(id, "'queued', 'printing', 'failed'", "failed", error, now, false);
}

Result<std::vector<std::int64_t>> PrintQueue::RecoverInterrupted(core::Timestamp now) {
    auto s = m_db->Prepare("UPDATE print_jobs SET state = 'failed', updated_at = ?1, last_error = "
                           "'interrupted while printing: it may have printed; reprint if the customer has no receipt' "
                           "WHERE state = 'printing' RETURNING id");
    if (!s) return std::unexpected(s.error());
    s->Bind(1, core::FormatTimestamp(now));
    std::vector<std::int64_t> ids;
    while (true) {
        auto row = s->Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        ids.push_back(s->Int(0));
    }
    return ids;
}

Result<PrintJob> PrintQueue::Find(std::int64_t id) {
    auto s = m_db->Prepare("SELECT " + std::string(kColumns) + " FROM print_jobs WHERE id = ?1");
    if (!s) return std::unexpected(s.error());
    s->Bind(1, id);
    auto row = s->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return Fail(ErrorCode::NotFound, "no print job " + std::to_string(id));
    return ReadJob(*s);
}

Result<std::vector<PrintJob>> PrintQueue::List(int limit) {
    auto s = m_db->Prepare("SELECT " + std::string(kColumns) + " FROM print_jobs ORDER BY id DESC LIMIT ?1");
    if (!s) return std::unexpected(s.error());
    s->Bind(1, std::int64_t{limit > 0 ? limit : -1});
    std::vector<PrintJob> jobs;
    while (true) {
        auto row = s->Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto job = ReadJob(*s);
        if (!job) return std::unexpected(job.error());
        jobs.push_back(std::move(*job));
    }
    return jobs;
}

}  // namespace kiosk::storage
