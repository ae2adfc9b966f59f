// The upload of attached files (docs/sync-protocol.md, "Blobs"): after the records, each file whose
// attached event head office has acknowledged goes up in chunks from the offset head office holds,
// so a cut connection or a restarted server costs at most the chunk in flight.
#include <algorithm>
#include <thread>

#include "kiosk/storage/blob_store.hpp"
#include "sync/codec.hpp"
#include "sync/worker.hpp"

namespace kiosk::sync {
namespace {

using core::ErrorCode;

// Corrections (a clock, an offset) one blob may need before the worker leaves it for the next round.
constexpr int kMaxBlobCorrections = 3;
// Times one blob request waits out head office's rate limit (Retry-After, at most 5 s each) before
// the round ends.
constexpr int kMaxBlobWaits = 10;

// The hashes of files named by attached events whose record head office has acknowledged, oldest
// event first, that head office does not yet hold.
constexpr std::string_view kPendingBlobs =
    "SELECT sha FROM (SELECT json_extract(a.value, '$.sha256') AS sha, e.seq AS seq "
    "FROM ticket_events e JOIN json_each(e.payload) a LEFT JOIN outbox o ON o.id = e.id "
    "WHERE e.kind = 'attached' AND (o.id IS NULL OR o.sent_at IS NOT NULL)) "
    "WHERE sha NOT IN (SELECT sha256 FROM blob_uploads WHERE state = 'sent') GROUP BY sha ORDER BY min(seq)";

core::Timestamp BlobNow() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::int64_t BlobRetryAfter(const std::string& text) {
    try {
        return text.empty() ? 0 : std::max<std::int64_t>(std::stoll(text), 0);
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace

core::Result<void> SyncWorker::NoteBlob(const std::string& sha256, std::string_view state, std::string_view detail) {
    auto stmt = m_outbox.Db().Cached(
        "INSERT INTO blob_uploads (sha256, state, detail, updated_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (sha256) DO UPDATE SET state = excluded.state, detail = excluded.detail, updated_at = excluded.updated_at");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, sha256).Bind(2, state).Bind(3, detail).Bind(4, core::FormatTimestamp(BlobNow()));
    return stmt->Run();
}

core::Result<HttpResponse> SyncWorker::BlobRequest(std::string_view method, const std::string& server, const std::string& target,
                                                   const std::string& kiosk, const std::string& secret, std::string_view body,
                                                   const Headers& extra) {
    int waits = 0;
    for (int attempt = 0;; ++attempt) {
        auto headers = SignRequest(method, target, kiosk, secret, KioskNowMs(), body);
        if (!headers) return std::unexpected(std::move(headers.error()));
        headers->insert(headers->end(), extra.begin(), extra.end());
        auto response = SendHttp(method, server + target, *headers, body, m_options.timeouts);
        if (!response) return response;
        if (response->status == 401 && attempt < kMaxBlobCorrections) {
            if (const ErrorReply error = ParseError(response->body); error.serverTimeMs) {
                m_clockOffsetMs = *error.serverTimeMs - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                            std::chrono::system_clock::now().time_since_epoch())
                                                            .count();
                continue;  // our clock is off: corrected, signed again
            }
        }
        if (response->status == 429 && waits < kMaxBlobWaits) {
            // Head office's rate limit: a backlog of files goes at the pace it allows rather than
            // failing the round and waiting out a backoff.
            ++waits;
            std::this_thread::sleep_for(std::chrono::seconds{std::clamp<std::int64_t>(BlobRetryAfter(response->retryAfter), 1, 5)});
            continue;
        }
        if (response->status == 429 || response->status == 503) {
            m_retryAfter = std::chrono::seconds{BlobRetryAfter(response->retryAfter)};
            return core::Fail(ErrorCode::Unavailable, "head office asked to wait (" + std::to_string(response->status) +
                                                          ") during a blob upload: " + ParseError(response->body).error);
        }
        return response;
    }
}

core::Result<void> SyncWorker::SendBlobs(const std::string& server, const std::string& kiosk, const std::string& secret,
                                         DrainReport& report) {
    std::vector<std::string> pending;
    {
        auto stmt = m_outbox.Db().Prepare(kPendingBlobs);
        if (!stmt) return std::unexpected(std::move(stmt.error()));
        for (;;) {
            auto row = stmt->Step();
            if (!row) return std::unexpected(std::move(row.error()));
            if (!*row) break;
            pending.push_back(stmt->Text(0));
        }
    }
    const storage::BlobStore store(m_blobDirectory);
    for (const std::string& sha256 : pending) {
        // Read whole and checked against its name: a file changed on disk is never sent as the original.
        auto data = store.Read(sha256);
        if (!data) {
            ++report.blobsFailed;
            if (auto ok = NoteBlob(sha256, "failed", data.error().message); !ok) return ok;
            continue;
        }
        auto sent = SendBlob(server, kiosk, secret, sha256, *data, report);
        if (!sent) {
            if (sent.error().code != ErrorCode::InvalidInput) return std::unexpected(std::move(sent.error()));
            ++report.blobsFailed;  // refused for good: recorded, and the next file goes
            if (auto ok = NoteBlob(sha256, "failed", sent.error().message); !ok) return ok;
            continue;
        }
        if (*sent) {
            ++report.blobsSent;
            if (auto ok = NoteBlob(sha256, "sent", ""); !ok) return ok;
        }
    }
    return {};
}

core::Result<bool> SyncWorker::SendBlob(const std::string& server, const std::string& kiosk, const std::string& secret,
                                        const std::string& sha256, std::string_view data, DrainReport& report) {
    const std::string path = std::string(kBlobPath) + sha256;
    const auto refused = [&](const HttpResponse& response, std::string_view what) -> core::Error {
        const bool credentials = response.status == 401 || response.status == 403;
        return core::Error{credentials ? ErrorCode::Forbidden : ErrorCode::InvalidInput, "head office refused " + std::string(what) + " of blob " + sha256 + " (" +
                                                        std::to_string(response.status) + "): " + ParseError(response.body).error};
    };
    auto asked = BlobRequest("GET", server, path, kiosk, secret, {}, {});
    if (!asked) return std::unexpected(std::move(asked.error()));
    if (asked->status != 200) return std::unexpected(refused(*asked, "the state"));
    auto state = ParseBlobState(asked->body);
    if (!state) return std::unexpected(std::move(state.error()));
    const std::int64_t size = static_cast<std::int64_t>(data.size());
    const std::int64_t chunkBytes = static_cast<std::int64_t>(std::max<std::size_t>(m_options.blobChunkBytes, 1));
    int corrections = 0;
    while (!state->complete) {
        const std::int64_t offset = state->received;
        if (offset >= size) return core::Fail(ErrorCode::Conflict, "head office holds " + std::to_string(offset) + " bytes of blob " +
                                                                       sha256 + " of " + std::to_string(size) + " but not the blob");
        const std::string_view chunk = data.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(std::min(chunkBytes, size - offset)));
        const Headers extra{{std::string(kHeaderBlobSize), std::to_string(size)},
                            {std::string(kHeaderChunkSha), Sha256Hex(chunk)},
                            {"Content-Type", "application/octet-stream"}};
        auto put = BlobRequest("PUT", server, path + "?offset=" + std::to_string(offset), kiosk, secret, chunk, extra);
        if (!put) return std::unexpected(std::move(put.error()));
        if (put->status == 409 && corrections++ < kMaxBlobCorrections) {
            // Head office holds another length (our answer to an earlier chunk was lost): go on from there.
            state = ParseBlobState(put->body);
            if (!state) return std::unexpected(std::move(state.error()));
            continue;
        }
        if (put->status != 200) return std::unexpected(refused(*put, "the chunk at offset " + std::to_string(offset)));
        report.blobBytes += static_cast<std::int64_t>(chunk.size());
        state = ParseBlobState(put->body);
        if (!state) return std::unexpected(std::move(state.error()));
    }
    return true;
}

}  // namespace kiosk::sync
