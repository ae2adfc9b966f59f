// The upload loop: claim (or resume) a batch, sign and send it, mark it sent only on acknowledgement.
#include "sync/worker.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <thread>

#include "kiosk/storage/blob_store.hpp"
#include "kiosk/storage/device_status.hpp"
#include "sync/codec.hpp"
#include "sync/fault.hpp"
#include "sync/wire/ids.hpp"

namespace kiosk::sync {
namespace {

using core::ErrorCode;

// Settings kept in sync_state.
constexpr std::string_view kServer = "server_url";
constexpr std::string_view kKiosk = "kiosk";
constexpr std::string_view kSecret = "secret";
constexpr std::string_view kEpoch = "epoch";
constexpr std::string_view kClockOffset = "clock_offset_ms";
constexpr std::string_view kAckedThrough = "acked_through_seq";
constexpr std::string_view kLastAttempt = "last_attempt";
constexpr std::string_view kLastSuccess = "last_success";
constexpr std::string_view kLastError = "last_error";
constexpr std::string_view kFailures = "consecutive_failures";
// "refused.policy": "VERSION\nWHY" for the newest version of a document data set the kiosk refused;
// empty once a version of it was applied.
const std::string kRefusedPrefix = "refused.";

// Head office's answer limits how many times one Drain follows a redirection (a clock correction or a
// resend from an earlier sequence) before it gives up until the next round.
constexpr int kMaxCorrections = 3;
constexpr std::size_t kMaxReplyBytes = 64 * 1024 * 1024;
// A pull that applied something is followed by another, which reports the new versions to head office
// (`kiosk list` shows them) and picks up anything published meanwhile; this bounds the rounds.
constexpr int kMaxPullRounds = 3;

std::int64_t ToInt(const std::optional<std::string>& text) {
    if (!text) return 0;
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return 0;
    }
}

core::Timestamp WallNow() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::int64_t WallNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

core::Result<std::string> DecodeReply(const HttpResponse& response) {
    if (response.contentEncoding == "zstd") return ZstdDecompress(response.body, kMaxReplyBytes);
    return response.body;
}

// What a refusal from head office means for the worker (docs/sync-protocol.md, "Answers").
core::Error Refusal(int status, std::string what) {
    if (status >= 500 || status == 429) return core::Error{ErrorCode::Unavailable, std::move(what)};
    if (status == 401 || status == 403) return core::Error{ErrorCode::Forbidden, std::move(what)};
    if (status == 409 || status == 422) return core::Error{ErrorCode::Conflict, std::move(what)};
    return core::Error{ErrorCode::InvalidInput, std::move(what)};
}

void SleepUnless(const std::atomic<bool>& stop, std::chrono::milliseconds delay) {
    const auto until = std::chrono::steady_clock::now() + delay;
    while (!stop.load() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
            std::chrono::milliseconds{100},
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()) +
                std::chrono::milliseconds{1}));
    }
}

}  // namespace

std::chrono::milliseconds BackoffDelay(int failures, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                       std::mt19937_64& random) {
    const int doublings = std::clamp(failures - 1, 0, 30);
    const std::int64_t ceiling = std::min<std::int64_t>(cap.count(), base.count() << doublings);
    std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(ceiling, 0));
    return std::chrono::milliseconds{pick(random)};
}

SyncWorker::SyncWorker(storage::Outbox outbox, WorkerOptions options, std::filesystem::path blobDirectory)
    : m_outbox(std::move(outbox)), m_options(std::move(options)), m_blobDirectory(std::move(blobDirectory)),
      m_random(std::random_device{}()) {}

core::Result<SyncWorker> SyncWorker::Open(const std::filesystem::path& database, WorkerOptions options) {
    auto db = storage::Database::Open(database, storage::OpenOptions{std::chrono::milliseconds{5000}, false});
    if (!db) return std::unexpected(std::move(db.error()));
    auto outbox = storage::Outbox::Open(std::move(*db));
    if (!outbox) return std::unexpected(std::move(outbox.error()));
    SyncWorker worker(std::move(*outbox), std::move(options), storage::BlobStore::DirectoryFor(database));
    auto offset = worker.m_outbox.Setting(kClockOffset);
    if (!offset) return std::unexpected(std::move(offset.error()));
    worker.m_clockOffsetMs = ToInt(*offset);
    auto failures = worker.m_outbox.Setting(kFailures);
    if (!failures) return std::unexpected(std::move(failures.error()));
    worker.m_failures = ToInt(*failures);
    return worker;
}

std::int64_t SyncWorker::KioskNowMs() const { return WallNowMs() + m_clockOffsetMs; }

core::Result<DrainReport> SyncWorker::Drain() {
    auto outcome = DrainOnce();
    if (auto recorded = Record(outcome); !recorded) return std::unexpected(std::move(recorded.error()));
    return outcome;
}

core::Result<void> SyncWorker::Record(const core::Result<DrainReport>& outcome) {
    const std::string now = core::FormatTimestamp(WallNow());
    std::vector<std::pair<std::string, std::string>> values{{std::string(kLastAttempt), now},
                                                            {std::string(kClockOffset), std::to_string(m_clockOffsetMs)}};
    if (outcome) {
        m_failures = 0;
        values.emplace_back(kLastSuccess, now);
        values.emplace_back(kLastError, "");
    } else {
        ++m_failures;
        values.emplace_back(kLastError, outcome.error().message);
    }
    values.emplace_back(kFailures, std::to_string(m_failures));
    return m_outbox.SetSettings(values);
}

core::Result<DrainReport> SyncWorker::DrainOnce() {
    auto server = m_outbox.Setting(kServer);
    auto kiosk = m_outbox.Setting(kKiosk);
    auto secret = m_outbox.Setting(kSecret);
    auto epoch = m_outbox.Setting(kEpoch);
    for (auto* setting : {&server, &kiosk, &secret, &epoch}) {
        if (!*setting) return std::unexpected(std::move(setting->error()));
    }
    if (!*server || !*kiosk || !*secret) {
        return core::Fail(ErrorCode::Forbidden, "this kiosk is not enrolled with head office: run `kioskctl enroll URL TOKEN`");
    }
    const std::string url = **server + std::string(kBatchPath);
    DrainReport report;
    int corrections = 0;
    for (;;) {
        auto key = wire::RandomUuid();
        if (!key) return std::unexpected(std::move(key.error()));
        auto batch = m_outbox.ClaimBatch(m_options.maxRecords, m_options.maxBytes, *key);
        if (!batch) return std::unexpected(std::move(batch.error()));
        if (!*batch) break;
        auto backlog = m_outbox.Backlog();
        if (!backlog) return std::unexpected(std::move(backlog.error()));

        auto status = CurrentStatus();
        if (!status) return std::unexpected(std::move(status.error()));
        BatchRequest request{**kiosk, ToInt(*epoch), (*batch)->key, (*batch)->firstSeq, (*batch)->lastSeq, *backlog, {},
                             std::move(*status)};
        request.records.reserve((*batch)->records.size());
        for (auto& r : (*batch)->records) {
            request.records.push_back({r.id, r.seq, r.recordType, r.createdAt.time_since_epoch().count() * 1000, r.payload});
        }
        auto json = EncodeBatch(request);
        if (!json) return std::unexpected(std::move(json.error()));
        auto body = ZstdCompress(*json);
        if (!body) return std::unexpected(std::move(body.error()));
        auto headers = SignRequest("POST", kBatchPath, **kiosk, **secret, KioskNowMs(), *body);
        if (!headers) return std::unexpected(std::move(headers.error()));
        headers->emplace_back(kHeaderIdempotencyKey, (*batch)->key);
        headers->emplace_back("Content-Type", "application/json");
        headers->emplace_back("Content-Encoding", "zstd");
        headers->emplace_back("Accept-Encoding", "zstd");

        auto response = SendHttp("POST", url, *headers, *body, m_options.timeouts);
        if (!response) return std::unexpected(std::move(response.error()));
        FaultPoint("kiosk-after-send");
        auto text = DecodeReply(*response);
        if (!text) return std::unexpected(std::move(text.error()));

        if (response->status == 200) {
            auto ack = ParseAck(*text);
            if (!ack) return std::unexpected(std::move(ack.error()));
            m_clockOffsetMs = ack->serverTimeMs - WallNowMs();
            if (auto ok = m_outbox.Acknowledge((*batch)->key, ack->ackedThroughSeq, WallNow()); !ok) {
                return std::unexpected(std::move(ok.error()));
            }
            ++report.batches;
            report.records += (*batch)->lastSeq - (*batch)->firstSeq + 1;
            report.rejected += static_cast<std::int64_t>(ack->rejected.size());
            m_recordsSent += (*batch)->lastSeq - (*batch)->firstSeq + 1;
            m_retryAfter = std::chrono::milliseconds{0};
            continue;
        }
        const ErrorReply error = ParseError(*text);
        const std::string what = "head office answered " + std::to_string(response->status) + ": " + error.error;
        if (response->status == 401 && error.serverTimeMs && corrections++ < kMaxCorrections) {
            m_clockOffsetMs = *error.serverTimeMs - WallNowMs();  // our clock is off: correct and try again
            continue;
        }
        if (response->status == 409 && error.expectedSeq && *error.expectedSeq < (*batch)->firstSeq &&
            corrections++ < kMaxCorrections) {
            if (auto ok = m_outbox.ResendFrom(*error.expectedSeq); !ok) return std::unexpected(std::move(ok.error()));
            continue;
        }
        if (response->status == 429 || response->status == 503) {
            m_retryAfter = std::chrono::seconds{std::max<std::int64_t>(ToInt(response->retryAfter), 0)};
        }
        return std::unexpected(Refusal(response->status, what));
    }
    // Records first: a file goes up only once head office holds the event that names it.
    if (auto sent = SendBlobs(**server, **kiosk, **secret, report); !sent) return std::unexpected(std::move(sent.error()));
    auto applied = Pull(**server, **kiosk, **secret);
    if (!applied) return std::unexpected(std::move(applied.error()));
    report.datasetsApplied = *applied;
    return report;
}

core::Result<std::int64_t> SyncWorker::Pull(const std::string& server, const std::string& kiosk, const std::string& secret) {
    std::int64_t applied = 0;
    int corrections = 0;
    for (int round = 0; round < kMaxPullRounds;) {
        auto versions = storage::AppliedDatasets(m_outbox.Db());
        if (!versions) return std::unexpected(std::move(versions.error()));
        auto status = CurrentStatus();
        if (!status) return std::unexpected(std::move(status.error()));
        DownstreamRequest request{kiosk, {}, std::move(*status)};
        for (const storage::AppliedDataset& v : *versions) request.have[v.dataset] = v.version;
        const std::string body = EncodeDownstreamRequest(request);
        auto headers = SignRequest("POST", kDownstreamPath, kiosk, secret, KioskNowMs(), body);
        if (!headers) return std::unexpected(std::move(headers.error()));
        headers->emplace_back("Content-Type", "application/json");
        headers->emplace_back("Accept-Encoding", "zstd");
        auto response = SendHttp("POST", server + std::string(kDownstreamPath), *headers, body, m_options.timeouts);
        if (!response) return std::unexpected(std::move(response.error()));
        auto text = DecodeReply(*response);
        if (!text) return std::unexpected(std::move(text.error()));
        if (response->status != 200) {
            const ErrorReply error = ParseError(*text);
            if (response->status == 401 && error.serverTimeMs && corrections++ < kMaxCorrections) {
                m_clockOffsetMs = *error.serverTimeMs - WallNowMs();
                continue;
            }
            if (response->status == 429 || response->status == 503) {
                m_retryAfter = std::chrono::seconds{std::max<std::int64_t>(ToInt(response->retryAfter), 0)};
            }
            return std::unexpected(Refusal(response->status, "head office answered the pull with " +
                                                                  std::to_string(response->status) + ": " + error.error));
        }
        auto reply = ParseDownstreamReply(*text);
        if (!reply) return std::unexpected(std::move(reply.error()));
        m_clockOffsetMs = reply->serverTimeMs - WallNowMs();
        if (reply->updates.empty()) break;
        std::vector<wire::DatasetUpdate> accepted;
        bool newlyRefused = false;
        for (wire::DatasetUpdate& update : reply->updates) {
            if (m_options.checkDocument && wire::IsDocumentDataset(update.dataset)) {
                if (auto ok = m_options.checkDocument(update.dataset, update.document, update.toVersion); !ok) {
                    auto news = NoteRefusal(update.dataset, update.toVersion, ok.error().message);
                    if (!news) return std::unexpected(std::move(news.error()));
                    newlyRefused = newlyRefused || *news;
                    continue;
                }
            }
            accepted.push_back(std::move(update));
        }
        if (accepted.empty()) {
            // Only refused versions: one more pull carries the news to head office, then stop asking.
            if (!newlyRefused) break;
            ++round;
            continue;
        }
        if (auto ok = storage::ApplyDownstream(m_outbox.Db(), accepted, WallNow()); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        for (const wire::DatasetUpdate& update : accepted) {
            if (!wire::IsDocumentDataset(update.dataset)) continue;
            if (auto ok = m_outbox.SetSetting(kRefusedPrefix + update.dataset, ""); !ok) return std::unexpected(std::move(ok.error()));
        }
        applied += static_cast<std::int64_t>(accepted.size());
        ++round;
    }
    return applied;
}

void SyncWorker::Run(const std::atomic<bool>& stop) {
    std::uniform_int_distribution<std::int64_t> firstWait(0, std::max<std::int64_t>(m_options.firstAttemptJitter.count(), 0));
    SleepUnless(stop, std::chrono::milliseconds{firstWait(m_random)});
    while (!stop.load()) {
        auto outcome = Drain();
        if (outcome) {
            SleepUnless(stop, m_options.idlePoll);
        } else {
            const auto delay = std::max(m_retryAfter, BackoffDelay(static_cast<int>(std::min<std::int64_t>(m_failures, 60)),
                                                                   m_options.backoffBase, m_options.backoffCap, m_random));
            SleepUnless(stop, delay);
        }
    }
}

namespace {

// A count or a time (decimal UTC milliseconds) the kiosk application recorded; nullopt unless the
// whole text is a non-negative number (a malformed value is left out rather than sent wrong).
std::optional<std::int64_t> RecordedMs(std::string_view text) {
    std::int64_t ms = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || ms < 0) return std::nullopt;
    return ms;
}

// What the kiosk application last recorded of its devices (device_status), in the protocol's words.
core::Result<KioskStatus> RecordedStatus(storage::Database& db) {
    KioskStatus status;
    auto facts = storage::DeviceStatus(db).ReadAll();
    if (!facts) return std::unexpected(std::move(facts.error()));
    const auto value = [&](std::string_view name) -> std::string {
        const auto found = facts->find(std::string(name));
        return found == facts->end() ? std::string() : found->second.value;
    };
    if (auto printer = value(storage::device::kPrinter); !printer.empty()) status.printer = printer;
    if (auto paper = value(storage::device::kPaper); !paper.empty()) status.paper = paper;
    status.software = value(storage::device::kSoftware);
    // Head office refuses a status whose words are longer than 64 characters, and with it the batch:
    // an oversized value is left out instead.
    const auto word = [&](std::string_view name) {
        std::string text = value(name);
        return text.size() <= 64 ? text : std::string();
    };
    status.scanner = word(storage::device::kScanner);
    status.camera = word(storage::device::kCamera);
    if (auto seen = RecordedMs(value(storage::device::kScannerSeen))) status.scannerSeenMs = *seen;
    if (auto failures = RecordedMs(value(storage::device::kFrameFailures))) status.frameFailures = *failures;
    if (auto started = core::ParseTimestamp(value(storage::device::kStartedAt))) {
        status.startedAtMs = std::chrono::duration_cast<std::chrono::milliseconds>(started->time_since_epoch()).count();
    }
    return status;
}

}  // namespace

core::Result<bool> SyncWorker::NoteRefusal(const std::string& dataset, std::int64_t version, const std::string& why) {
    std::string text = std::to_string(version) + "\n" + why.substr(0, kMaxRefusalBytes);
    auto before = m_outbox.Setting(kRefusedPrefix + dataset);
    if (!before) return std::unexpected(std::move(before.error()));
    if (before->value_or("") == text) return false;
    if (auto ok = m_outbox.SetSetting(kRefusedPrefix + dataset, text); !ok) return std::unexpected(std::move(ok.error()));
    return true;
}

core::Result<std::vector<RefusedDataset>> SyncWorker::Refusals() {
    std::vector<RefusedDataset> refused;
    for (std::string_view dataset : wire::kDatasets) {
        if (!wire::IsDocumentDataset(dataset)) continue;
        auto text = m_outbox.Setting(kRefusedPrefix + std::string(dataset));
        if (!text) return std::unexpected(std::move(text.error()));
        const std::string value = text->value_or("");
        const auto newline = value.find('\n');
        if (newline == std::string::npos) continue;
        std::int64_t version = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + newline, version);
        if (error != std::errc() || end != value.data() + newline || version <= 0) continue;
        refused.push_back({std::string(dataset), version, value.substr(newline + 1)});
    }
    return refused;
}

core::Result<KioskStatus> SyncWorker::CurrentStatus() {
    KioskStatus status;
    if (m_statusProvider) {
        status = m_statusProvider();
    } else {
        auto recorded = RecordedStatus(m_outbox.Db());
        if (!recorded) return std::unexpected(std::move(recorded.error()));
        status = std::move(*recorded);
    }
    if (status.software.empty()) status.software = KIOSK_SOFTWARE_VERSION;
    auto refused = Refusals();
    if (!refused) return std::unexpected(std::move(refused.error()));
    status.refused = std::move(*refused);
    auto backlog = m_outbox.Backlog();
    if (!backlog) return std::unexpected(std::move(backlog.error()));
    status.backlog = *backlog;
    return status;
}

core::Result<SyncStatus> SyncWorker::Status() {
    SyncStatus status;
    auto read = [&](std::string_view key) -> core::Result<std::string> {
        auto value = m_outbox.Setting(key);
        if (!value) return std::unexpected(std::move(value.error()));
        return value->value_or("");
    };
    for (auto [key, target] : {std::pair{kServer, &status.server}, std::pair{kKiosk, &status.kiosk},
                               std::pair{kLastAttempt, &status.lastAttempt}, std::pair{kLastSuccess, &status.lastSuccess},
                               std::pair{kLastError, &status.lastError}}) {
        auto value = read(key);
        if (!value) return std::unexpected(std::move(value.error()));
        *target = std::move(*value);
    }
    status.enrolled = !status.kiosk.empty();
    for (auto [key, target] : {std::pair{kEpoch, &status.epoch}, std::pair{kAckedThrough, &status.ackedThroughSeq},
                               std::pair{kFailures, &status.consecutiveFailures}}) {
        auto value = m_outbox.Setting(key);
        if (!value) return std::unexpected(std::move(value.error()));
        *target = ToInt(*value);
    }
    auto backlog = m_outbox.Backlog();
    if (!backlog) return std::unexpected(std::move(backlog.error()));
    status.backlog = *backlog;
    auto inflight = m_outbox.Setting("inflight_key");
    if (!inflight) return std::unexpected(std::move(inflight.error()));
    status.inflightBatch = *inflight;
    auto datasets = storage::AppliedDatasets(m_outbox.Db());
    if (!datasets) return std::unexpected(std::move(datasets.error()));
    status.datasets = std::move(*datasets);
    auto refused = Refusals();
    if (!refused) return std::unexpected(std::move(refused.error()));
    status.refused = std::move(*refused);
    auto waiting = m_outbox.Db().QueryInt(
        "SELECT count(DISTINCT json_extract(a.value, '$.sha256')) FROM ticket_events e JOIN json_each(e.payload) a "
        "WHERE e.kind = 'attached' AND json_extract(a.value, '$.sha256') NOT IN (SELECT sha256 FROM blob_uploads WHERE state = 'sent')");
    if (!waiting) return std::unexpected(std::move(waiting.error()));
    status.blobsWaiting = *waiting;
    auto sent = m_outbox.Db().QueryInt("SELECT count(*) FROM blob_uploads WHERE state = 'sent'");
    if (!sent) return std::unexpected(std::move(sent.error()));
    status.blobsSent = *sent;
    auto problems = m_outbox.Db().Prepare("SELECT sha256, detail FROM blob_uploads WHERE state = 'failed' ORDER BY updated_at, sha256");
    if (!problems) return std::unexpected(std::move(problems.error()));
    for (;;) {
        auto row = problems->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        status.blobProblems.push_back({problems->Text(0), problems->Text(1)});
    }
    return status;
}

core::Result<std::string> SyncWorker::MetricsText() {
    auto status = Status();
    if (!status) return std::unexpected(std::move(status.error()));
    auto seconds = [](const std::string& iso) -> std::int64_t {
        auto t = core::ParseTimestamp(iso);
        return t ? t->time_since_epoch().count() : 0;
    };
    std::string out;
    auto metric = [&out](std::string_view name, std::string_view type, std::string_view help, std::int64_t value) {
        out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ").append(name).append(" ");
        out.append(type).append("\n").append(name).append(" ").append(std::to_string(value)).append("\n");
    };
    metric("kiosk_sync_backlog_records", "gauge", "Outbox records not yet acknowledged by head office.", status->backlog);
    metric("kiosk_sync_acked_through_seq", "gauge", "Highest sequence head office has acknowledged.", status->ackedThroughSeq);
    metric("kiosk_sync_last_success_timestamp_seconds", "gauge", "When a drain last completed.", seconds(status->lastSuccess));
    metric("kiosk_sync_consecutive_failures", "gauge", "Failed drains since the last success.", status->consecutiveFailures);
    metric("kiosk_sync_records_sent_total", "counter", "Records acknowledged since this process started.", m_recordsSent);
    metric("kiosk_sync_blobs_waiting", "gauge", "Attached files head office does not hold yet.", status->blobsWaiting);
    metric("kiosk_sync_blobs_failed", "gauge", "Attached files that could not be sent (missing, damaged or refused).",
           static_cast<std::int64_t>(status->blobProblems.size()));
    metric("kiosk_sync_enrolled", "gauge", "1 when the kiosk has head-office credentials.", status->enrolled ? 1 : 0);
    return out;
}

core::Result<EnrolReply> Enrol(const std::filesystem::path& database, std::string_view url, std::string_view token,
                               const HttpTimeouts& timeouts) {
    if (token.starts_with(kEnrolPrefix)) token.remove_prefix(kEnrolPrefix.size());
    if (token.empty()) return core::Fail(ErrorCode::InvalidInput, "the enrolment token is empty");
    std::string base(url);
    while (!base.empty() && base.back() == '/') base.pop_back();
    auto worker = SyncWorker::Open(database);
    if (!worker) return std::unexpected(std::move(worker.error()));
    storage::Outbox& outbox = worker->Store();
    auto uuid = outbox.Db().QueryText("SELECT kiosk_id FROM meta");
    if (!uuid) return std::unexpected(std::move(uuid.error()));
    if (uuid->empty()) return core::Fail(ErrorCode::Conflict, "the kiosk database has no identity yet: run `kioskctl init` first");
    auto acked = outbox.Db().QueryInt("SELECT coalesce(max(seq), 0) FROM outbox WHERE sent_at IS NOT NULL");
    if (!acked) return std::unexpected(std::move(acked.error()));

    const std::string body = EncodeEnrolRequest({std::string(token), *uuid, *acked});
    auto response = SendHttp("POST", base + std::string(kEnrolPath), {{"Content-Type", "application/json"}}, body, timeouts);
    if (!response) return std::unexpected(std::move(response.error()));
    if (response->status != 200) {
        return core::Fail(ErrorCode::Forbidden, "head office refused the enrolment (" + std::to_string(response->status) +
                                                    "): " + ParseError(response->body).error);
    }
    auto reply = ParseEnrolReply(response->body);
    if (!reply) return std::unexpected(std::move(reply.error()));
    // A new epoch starts from the records head office already has; anything claimed for the old one
    // goes out again under a fresh batch key.
    auto backlog = outbox.Backlog();
    if (!backlog) return std::unexpected(std::move(backlog.error()));
    if (*backlog > 0) {
        if (auto ok = outbox.ResendFrom(*acked + 1); !ok) return std::unexpected(std::move(ok.error()));
    }
    const std::int64_t offset = reply->serverTimeMs - WallNowMs();
    // The secret goes into the database: only the kiosk's user may read it (SQLite gives new WAL and
    // shared-memory files the database file's mode).
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ignored;
        std::filesystem::permissions(database.string() + suffix,
                                     std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ignored);
    }
    if (auto ok = outbox.SetSettings({{std::string(kServer), base},
                                      {std::string(kKiosk), reply->kiosk},
                                      {std::string(kSecret), reply->secret},
                                      {std::string(kEpoch), std::to_string(reply->epoch)},
                                      {std::string(kAckedThrough), std::to_string(*acked)},
                                      {std::string(kClockOffset), std::to_string(offset)},
                                      {std::string(kFailures), "0"}});
        !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return reply;
}

}  // namespace kiosk::sync
