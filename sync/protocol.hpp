// The kiosk ⇄ head-office wire protocol, version 1 (docs/sync-protocol.md): paths, headers, message
// types and their JSON encoding, shared by the kiosk worker and the head-office server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/core/devices.hpp"
#include "kiosk/core/error.hpp"
#include "sync/wire/datasets.hpp"
#include "sync/wire/version.hpp"

namespace kiosk::sync {

inline constexpr std::string_view kEnrolPath = "/v1/enrol";
inline constexpr std::string_view kBatchPath = "/v1/batches";
inline constexpr std::string_view kDownstreamPath = "/v1/downstream";
inline constexpr std::string_view kMetricsPath = "/metrics";
// A file attached to a ticket, by its SHA-256: GET its upload state, PUT a chunk at ?offset=N
// (docs/sync-protocol.md, "Blobs").
inline constexpr std::string_view kBlobPath = "/v1/blobs/";
// Answered without authentication: 200 when this server reaches its database, else 503 (a balancer's check).
inline constexpr std::string_view kHealthPath = "/healthz";
// What an enrolment QR code holds before the token; the kiosk's scanner classifies it by this prefix.
inline constexpr std::string_view kEnrolPrefix = "KIOSK-ENROL:";

inline constexpr std::string_view kHeaderKiosk = "X-Kiosk";
inline constexpr std::string_view kHeaderTime = "X-Kiosk-Time";
inline constexpr std::string_view kHeaderNonce = "X-Kiosk-Nonce";
inline constexpr std::string_view kHeaderSignature = "X-Kiosk-Signature";
inline constexpr std::string_view kHeaderIdempotencyKey = "Idempotency-Key";
inline constexpr std::string_view kHeaderBlobSize = "X-Blob-Size";       // the whole blob's bytes, on every chunk
inline constexpr std::string_view kHeaderChunkSha = "X-Chunk-Sha256";    // the chunk body's SHA-256, hex

// The kiosk sends blobs in chunks of this size (the last one shorter); head office takes chunks up to
// kMaxBlobChunkBytes, and at most kMaxPartialUploads unfinished blobs per kiosk at a time.
inline constexpr std::size_t kBlobChunkBytes = 256 * 1024;
inline constexpr std::size_t kMaxBlobChunkBytes = 1024 * 1024;
inline constexpr std::int64_t kMaxPartialUploads = 4;

using Headers = std::vector<std::pair<std::string, std::string>>;

// One outbox record on the wire. `payload` is JSON text (an object).
struct WireRecord {
    std::string id;
    std::int64_t seq = 0;
    std::string type;
    std::int64_t kioskTimeMs = 0;
    std::string payload;
};

// The kiosk's device health and software, sent with every upload and pull (the optional `status`
// object, docs/sync-protocol.md "Kiosk status") so head office can show the fleet.
// A published document version the kiosk's own loader refused: it stays out, the previous version
// stays in force, and head office is told why.
inline constexpr std::size_t kMaxRefusalBytes = 500;
struct RefusedDataset {
    std::string dataset;
    std::int64_t version = 0;
    std::string why;  // the loader's "SOURCE:LINE: what", at most 500 bytes
};

struct KioskStatus {
    std::string software;             // the kiosk software version
    std::string printer = "unknown";  // ok, paper_near_end, paper_out, cover_open, offline, absent, unknown
    std::string paper = "unknown";    // ok, low, out, unknown
    std::string scanner;              // ok, missing, none; empty when the kiosk has not said
    std::int64_t scannerSeenMs = 0;   // last scan from the scanner (kiosk time), 0 when never
    std::string camera;               // ok, failed, off; empty when the kiosk has not said
    std::int64_t startedAtMs = 0;     // when the kiosk application started (kiosk time), 0 when not said
    std::int64_t frameFailures = 0;   // frames the application's frame guard caught since it started
    std::vector<RefusedDataset> refused;  // published versions the kiosk refused, newest per data set
    std::int64_t backlog = 0;         // outbox records waiting when the request was made
};

// Fills `printer` and `paper` with the protocol's words for what the printer answered; a printer
// that could not be asked is "offline" with paper "unknown".
void DescribePrinter(const core::PrinterStatus& printer, KioskStatus& status);

struct BatchRequest {
    std::string kiosk;
    std::int64_t epoch = 0;
    std::string batchKey;
    std::int64_t firstSeq = 0;
    std::int64_t lastSeq = 0;
    std::int64_t backlog = 0;  // records waiting on the kiosk, this batch included
    std::vector<WireRecord> records;
    std::optional<KioskStatus> status;
};

struct RejectedRecord {
    std::int64_t seq = 0;
    std::string id;
    std::string reason;
};

struct BatchAck {
    std::string batchKey;
    std::int64_t ackedThroughSeq = 0;
    std::int64_t inserted = 0;
    std::int64_t duplicates = 0;
    std::vector<RejectedRecord> rejected;
    std::int64_t serverTimeMs = 0;
};

// The body of every 4xx/5xx answer.
struct ErrorReply {
    std::string error;
    std::optional<std::int64_t> expectedSeq;   // 409 sequence gap: the next sequence head office expects
    std::optional<std::int64_t> serverTimeMs;  // 401 stale timestamp: head office's clock
};

// Head office's answer about a blob (GET, and PUT of a chunk): how many of its bytes it holds, and
// whether the blob is complete (received whole, hash checked, stored). A 409 for a wrong offset
// carries the same fields beside "error".
struct BlobState {
    std::int64_t received = 0;
    bool complete = false;
};

std::string EncodeBlobState(const BlobState& state);
// Fails with InvalidInput when `received` is missing or not a non-negative integer.
core::Result<BlobState> ParseBlobState(std::string_view text);

struct EnrolRequest {
    std::string token;
    std::string kioskUuid;
    std::int64_t resumeAfterSeq = 0;  // the kiosk's records up to here are already at head office
};

struct EnrolReply {
    std::string kiosk;
    std::string secret;
    std::int64_t epoch = 0;
    std::int64_t serverTimeMs = 0;
};

// A pull: the version of each data set the kiosk has applied (0 or absent: none).
struct DownstreamRequest {
    std::string kiosk;
    std::map<std::string, std::int64_t> have;
    std::optional<KioskStatus> status;
};

// The data sets that changed since the kiosk's versions; those already current are left out.
struct DownstreamReply {
    std::vector<wire::DatasetUpdate> updates;
    std::int64_t serverTimeMs = 0;
};

// Fails with InvalidInput when a record's payload is not JSON.
core::Result<std::string> EncodeBatch(const BatchRequest& batch);
std::string EncodeAck(const BatchAck& ack);
core::Result<BatchAck> ParseAck(std::string_view text);
std::string EncodeError(const ErrorReply& reply);
// Tolerant: a body that is not an error object gives its first 200 characters as the error text.
ErrorReply ParseError(std::string_view text);
std::string EncodeEnrolRequest(const EnrolRequest& request);
core::Result<EnrolRequest> ParseEnrolRequest(std::string_view text);
std::string EncodeEnrolReply(const EnrolReply& reply);
core::Result<EnrolReply> ParseEnrolReply(std::string_view text);

// The `status` object of a batch or pull (JSON text), and back. ParseKioskStatus fails with
// InvalidInput naming the field that is missing or of the wrong type.
std::string EncodeKioskStatus(const KioskStatus& status);
core::Result<KioskStatus> ParseKioskStatus(std::string_view json);

std::string EncodeDownstreamRequest(const DownstreamRequest& request);
core::Result<DownstreamRequest> ParseDownstreamRequest(std::string_view text);
// Fails with InvalidInput when an update's items are not a JSON array.
core::Result<std::string> EncodeDownstreamReply(const DownstreamReply& reply);
core::Result<DownstreamReply> ParseDownstreamReply(std::string_view text);

// The four authentication headers for a request from `kiosk` (see CanonicalRequest in codec.hpp).
core::Result<Headers> SignRequest(std::string_view method, std::string_view target, std::string_view kiosk,
                                  std::string_view secret, std::int64_t timeMs, std::string_view body);

}  // namespace kiosk::sync
