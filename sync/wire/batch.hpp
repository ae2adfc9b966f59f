// An upload batch as head office reads it (docs/sync-protocol.md, "Upload: POST /v1/batches"): the
// envelope checked field by field, and each record either usable or refused with the reason it is kept
// as a dead letter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/wire/ids.hpp"

namespace kiosk::wire {

struct BatchRecord {
    std::int64_t seq = 0;
    std::string id;  // as sent; empty when absent or not a string
    std::string type;
    std::int64_t kioskTimeMs = 0;
    std::string payload;  // the payload object as compact JSON text
    nlohmann::json parsedPayload;  // the same object as read, so head office need not read it again
    std::string text;     // the whole record as compact JSON text
    // Why the record is refused, empty when it is usable. A refused record is still acknowledged (head
    // office keeps it as a dead letter), so one bad record never blocks a kiosk's queue.
    std::string problem;
};

struct Batch {
    std::string kiosk;
    std::int64_t epoch = 0;
    std::string batchKey;
    std::int64_t firstSeq = 0;
    std::int64_t lastSeq = 0;
    std::int64_t backlog = 0;
    std::optional<std::string> status;  // the `status` value as JSON text, read by sync::ParseKioskStatus
    std::vector<BatchRecord> records;   // not empty, numbered firstSeq..lastSeq
};

struct BatchError {
    std::string field;                  // "protocol", "epoch", "records", "seq"...; empty when the text is not JSON
    std::optional<std::size_t> record;  // index in `records` of the record at fault
    std::string message;                // says what is wrong, naming the field and the record
};

// Reads a batch's JSON text. Fails when the text is not JSON, the protocol is not kProtocolVersion,
// epoch, first_seq, last_seq or backlog is not an integer, kiosk or batch_key is not a string, records
// is not a non-empty array numbered from first_seq (at least 1) to last_seq, or a record does not carry
// its sequence number. Every other fault of a record is its `problem`.
std::expected<Batch, BatchError> ParseBatch(std::string_view text);

}  // namespace kiosk::wire
