// Blob uploads (docs/sync-protocol.md, "Blobs"): a kiosk asks how much of a file head office holds and
// sends the rest in chunks, each checked against its hash and the offset head office has; the last
// one completes the blob, whose whole hash must match its name. A refused chunk leaves nothing behind.
#include "sync/headoffice/blobs.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

#include "kiosk/core/ticket.hpp"
#include "sync/codec.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/ingest_support.hpp"
#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

// Bytes are BYTEA: PostgreSQL's binary type; SQLite keeps a bound BLOB in it unchanged.
constexpr std::string_view kBlobSchema = R"sql(
CREATE TABLE IF NOT EXISTS blobs (
    sha256      TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    data        BYTEA NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS blob_uploads (
    kiosk      TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    received   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kiosk, sha256)
);
CREATE TABLE IF NOT EXISTS blob_chunks (
    kiosk  TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    start  BIGINT NOT NULL,
    data   BYTEA NOT NULL,
    PRIMARY KEY (kiosk, sha256, start)
);
)sql";

constexpr std::int64_t kStaleUploadMs = 24 * 3600 * 1000;

// "offset=N" from the query; nullopt when absent or not a non-negative integer.
std::optional<std::int64_t> BlobOffsetParam(std::string_view query) {
    constexpr std::string_view kName = "offset=";
    for (std::size_t at = 0; at <= query.size();) {
        const std::size_t end = std::min(query.find('&', at), query.size());
        const std::string_view pair = query.substr(at, end - at);
        if (pair.starts_with(kName)) {
            const std::string_view digits = pair.substr(kName.size());
            std::int64_t value = 0;
            const auto [stop, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
            if (digits.empty() || error != std::errc() || stop != digits.data() + digits.size() || value < 0) return std::nullopt;
            return value;
        }
        at = end + 1;
    }
    return std::nullopt;
}

std::optional<std::int64_t> BlobSizeHeader(const std::string& text) {
    std::int64_t value = 0;
    const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || stop != text.data() + text.size() || value <= 0) return std::nullopt;
    return value;
}

}  // namespace

Result<void> EnsureBlobSchema(SqlSession& db) { return db.EnsureSchema(kBlobSchema); }

bool IsBlobName(std::string_view text) {
    if (text.size() != 64) return false;
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

Result<std::optional<StoredBlob>> ReadStoredBlob(SqlSession& db, std::string_view sha256) {
    auto rows = db.Query("SELECT media_type, data FROM blobs WHERE sha256 = $1", {std::string(sha256)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return std::optional<StoredBlob>();
    return std::optional<StoredBlob>(StoredBlob{std::move(rows->front()[0]), std::move(rows->front()[1])});
}

Result<std::vector<TicketAttachment>> TicketAttachments(SqlSession& db, std::string_view ticket) {
    auto rows = db.Query("SELECT a.record_id, a.sha256, a.kind, a.media_type, a.bytes, "
                         "CASE WHEN b.sha256 IS NULL THEN 0 ELSE 1 END FROM ticket_attachments a "
                         "LEFT JOIN blobs b ON b.sha256 = a.sha256 WHERE a.ticket = $1 ORDER BY a.at, a.record_id, a.position",
                         {std::string(ticket)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<TicketAttachment> out;
    out.reserve(rows->size());
    for (const SqlRow& row : *rows) out.push_back({row[0], row[1], row[2], row[3], ToInt(row[4]), row[5] == "1"});
    return out;
}

Reply IngestService::HandleBlob(const Request& request) {
    const std::int64_t now = m_clock();
    Count("kiosk_blob_requests_total");
    const std::string_view target = request.target;
    const std::size_t query = target.find('?');
    const std::string_view path = target.substr(0, query);
    const std::string sha256(path.substr(std::min(kBlobPath.size(), path.size())));
    if (!path.starts_with(kBlobPath) || !IsBlobName(sha256)) {
        return Refuse(400, "a blob is named by its SHA-256: 64 lower-case hex digits after " + std::string(kBlobPath), "bad_blob");
    }
    const bool put = request.method == "PUT";
    if (!put && request.method != "GET") return Refuse(405, "blobs take GET and PUT", "bad_blob");
    std::int64_t offset = 0;
    std::int64_t size = 0;
    if (put) {
        // Everything that can be checked without the database is checked before it is asked.
        const auto wantedOffset = BlobOffsetParam(query == std::string_view::npos ? std::string_view() : target.substr(query + 1));
        if (!wantedOffset) return Refuse(400, "PUT " + std::string(path) + " needs ?offset=N (a byte offset)", "bad_blob");
        offset = *wantedOffset;
        const auto total = BlobSizeHeader(request.header(kHeaderBlobSize));
        if (!total) return Refuse(400, "PUT " + std::string(path) + " needs " + std::string(kHeaderBlobSize) + ": the blob's size in bytes", "bad_blob");
        size = *total;
        if (size > core::kMaxAttachmentBytes) {
            return Refuse(413, "blob " + sha256 + " is " + std::to_string(size) + " bytes; the limit is " +
                                   std::to_string(core::kMaxAttachmentBytes), "blob_too_large");
        }
        if (request.body.empty()) return Refuse(400, "chunk of blob " + sha256 + " is empty", "bad_blob");
        if (request.body.size() > kMaxBlobChunkBytes) {
            return Refuse(413, "chunk of " + std::to_string(request.body.size()) + " bytes; chunks are at most " +
                                   std::to_string(kMaxBlobChunkBytes), "blob_too_large");
        }
        const std::string chunkSha = Lower(request.header(kHeaderChunkSha));
        if (chunkSha.empty()) return Refuse(400, "PUT " + std::string(path) + " needs " + std::string(kHeaderChunkSha), "bad_blob");
        if (const std::string actual = Sha256Hex(request.body); actual != chunkSha) {
            return Refuse(400, "chunk at offset " + std::to_string(offset) + " of blob " + sha256 + " hashes to " + actual +
                                   ", not " + chunkSha + " (damaged on the way): nothing stored", "chunk_hash");
        }
        if (offset + static_cast<std::int64_t>(request.body.size()) > size) {
            return Refuse(400, "chunk at offset " + std::to_string(offset) + " of " + std::to_string(request.body.size()) +
                                   " bytes runs past the blob's " + std::to_string(size) + " bytes", "bad_blob");
        }
    } else if (!request.body.empty()) {
        return Refuse(400, "GET " + std::string(path) + " takes no body", "bad_blob");
    }

    auto auth = Authenticate(request, now);
    if (!auth) return std::move(auth.error());
    auto& lease = auth->lease;
    SqlSession& db = *lease;
    const auto databaseDown = [&](const core::Error& error) { return DatabaseDown(error, lease); };
    if (auto ok = db.Begin(); !ok) return databaseDown(ok.error());
    if (auto refused = ClaimNonce(db, auth->kiosk, auth->nonce, auth->token, now)) return std::move(*refused);

    // Only files this kiosk attached to a ticket, in an event head office has: nothing else is taken.
    auto named = db.Query("SELECT media_type, bytes FROM ticket_attachments WHERE kiosk = $1 AND sha256 = $2 LIMIT 1",
                          {auth->kiosk, sha256});
    if (!named) return databaseDown(named.error());
    if (named->empty()) {
        return Refuse(404, "blob " + sha256 + " for an unknown ticket: no attached event from kiosk " + auth->kiosk +
                               " that head office holds names it (send the ticket's records first)", "unknown_blob");
    }
    const std::string mediaType = named->front()[0];
    const std::int64_t declared = ToInt(named->front()[1]);
    if (put && size != declared) {
        return Refuse(400, "blob " + sha256 + " is " + std::to_string(declared) + " bytes in its attached event, not " +
                               std::to_string(size), "bad_blob");
    }
    const auto answer = [&](BlobState state) -> Reply {
        if (auto ok = db.Commit(); !ok) return databaseDown(ok.error());
        return JsonReply(200, EncodeBlobState(state));
    };
    auto stored = db.Query("SELECT bytes FROM blobs WHERE sha256 = $1", {sha256});
    if (!stored) return databaseDown(stored.error());
    if (!stored->empty()) return answer({ToInt(stored->front()[0]), true});  // another kiosk's, or an earlier answer lost

    if (!put) {
        auto partial = db.Query("SELECT received FROM blob_uploads WHERE kiosk = $1 AND sha256 = $2", {auth->kiosk, sha256});
        if (!partial) return databaseDown(partial.error());
        return answer({partial->empty() ? 0 : ToInt(partial->front()[0]), false});
    }

    const std::string lockRow =
        "SELECT received FROM blob_uploads WHERE kiosk = $1 AND sha256 = $2" + std::string(db.ForUpdate());
    auto partial = db.Query(lockRow, {auth->kiosk, sha256});
    if (!partial) return databaseDown(partial.error());
    if (partial->empty() && offset == 0) {
        // Uploads untouched for a day (a file the kiosk lost halfway) no longer count against the limit.
        auto open = db.Query("SELECT count(*) FROM blob_uploads WHERE kiosk = $1 AND updated_at > $2",
                             {auth->kiosk, now - kStaleUploadMs});
        if (!open) return databaseDown(open.error());
        if (ToInt(open->front()[0]) >= kMaxPartialUploads) {
            Reply reply = Refuse(429, "kiosk " + auth->kiosk + " has " + std::to_string(kMaxPartialUploads) +
                                          " unfinished blobs; finish one before starting another", "blob_uploads");
            reply.headers.emplace_back("Retry-After", "1");
            return reply;
        }
        auto started = db.Query("INSERT INTO blob_uploads (kiosk, sha256, received, updated_at) VALUES ($1, $2, 0, $3) "
                                "ON CONFLICT DO NOTHING",
                                {auth->kiosk, sha256, now});
        if (!started) return databaseDown(started.error());
        partial = db.Query(lockRow, {auth->kiosk, sha256});
        if (!partial) return databaseDown(partial.error());
    }
    const std::int64_t received = partial->empty() ? 0 : ToInt(partial->front()[0]);
    if (received != offset) {
        Count("kiosk_ingest_refused_total{reason=\"blob_offset\"}");
        return JsonReply(409, nlohmann::json{{"error", "chunk at offset " + std::to_string(offset) + " of blob " + sha256 +
                                                           ", but head office holds " + std::to_string(received) +
                                                           " bytes of it: send from there"},
                                             {"received", received},
                                             {"complete", false}}
                                  .dump());
    }
    const std::int64_t through = offset + static_cast<std::int64_t>(request.body.size());
    auto chunk = db.Query("INSERT INTO blob_chunks (kiosk, sha256, start, data) VALUES ($1, $2, $3, $4)",
                          {auth->kiosk, sha256, offset, SqlBytes{request.body}});
    if (!chunk) return databaseDown(chunk.error());
    auto moved = db.Query("UPDATE blob_uploads SET received = $3, updated_at = $4 WHERE kiosk = $1 AND sha256 = $2",
                          {auth->kiosk, sha256, through, now});
    if (!moved) return databaseDown(moved.error());
    Count("kiosk_blob_bytes_total", static_cast<std::int64_t>(request.body.size()));
    if (through < size) return answer({through, false});

    // The last chunk: the whole blob must hash to its name, or the upload starts again from nothing.
    auto chunks = db.Query("SELECT data FROM blob_chunks WHERE kiosk = $1 AND sha256 = $2 ORDER BY start", {auth->kiosk, sha256});
    if (!chunks) return databaseDown(chunks.error());
    std::string data;
    data.reserve(static_cast<std::size_t>(size));
    for (const SqlRow& row : *chunks) data += row[0];
    const std::string actual = Sha256Hex(data);
    for (const char* discard : {"DELETE FROM blob_chunks WHERE kiosk = $1 AND sha256 = $2",
                                "DELETE FROM blob_uploads WHERE kiosk = $1 AND sha256 = $2"}) {
        if (auto ok = db.Query(discard, {auth->kiosk, sha256}); !ok) return databaseDown(ok.error());
    }
    if (actual != sha256 || static_cast<std::int64_t>(data.size()) != size) {
        if (auto ok = db.Commit(); !ok) return databaseDown(ok.error());
        Count("kiosk_ingest_refused_total{reason=\"blob_hash\"}");
        return ErrorJson(422, {"blob " + sha256 + " arrived whole but its bytes hash to " + actual +
                                   ": the partial upload is discarded; send it again from offset 0",
                               std::nullopt, std::nullopt});
    }
    auto kept = db.Query("INSERT INTO blobs (sha256, media_type, bytes, data, received_at) VALUES ($1, $2, $3, $4, $5) "
                         "ON CONFLICT DO NOTHING",
                         {sha256, mediaType, size, SqlBytes{data}, now});
    if (!kept) return databaseDown(kept.error());
    Count("kiosk_blobs_stored_total");
    return answer({size, true});
}

}  // namespace kiosk::sync::headoffice
