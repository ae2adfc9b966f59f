// The upload batch from JSON. nlohmann::json throws; parsing is the only call that may, and its throw
// becomes a value.
#include "sync/wire/batch.hpp"

#include <nlohmann/json.hpp>

#include "sync/wire/version.hpp"

namespace kiosk::wire {
namespace {

using Json = nlohmann::json;

std::unexpected<BatchError> BadField(std::string field, std::string message, std::optional<std::size_t> record = std::nullopt) {
    return std::unexpected(BatchError{std::move(field), record, std::move(message)});
}

// Why a record is refused, or empty when it is fine.
std::string RecordProblem(const Json& r) {
    if (!r.contains("id") || !r["id"].is_string() || !IsUuid(r["id"].get<std::string>())) return "id is not a UUID";
    if (!r.contains("type") || !r["type"].is_string() || r["type"].get<std::string>().empty()) return "type is missing";
    if (!r.contains("kiosk_time") || !r["kiosk_time"].is_number_integer()) return "kiosk_time is not an integer";
    if (!r.contains("payload") || !r["payload"].is_object()) return "payload is not a JSON object";
    return {};
}

}  // namespace


std::expected<Batch, BatchError> ParseBatch(std::string_view text) {
    Json json;
    try {
        json = Json::parse(text);
    } catch (const std::exception& error) {
        return BadField("", std::string("bad JSON: ") + error.what());
    }
    const auto field = [&](const char* name) { return json.is_object() && json.contains(name) ? json[name] : Json(); };
    if (!field("protocol").is_number_integer() || field("protocol").get<int>() != kProtocolVersion) {
        return BadField("protocol", "protocol must be " + std::to_string(kProtocolVersion));
    }
    for (const char* name : {"epoch", "first_seq", "last_seq", "backlog"}) {
        if (!field(name).is_number_integer()) return BadField(name, std::string(name) + " must be an integer");
    }
    for (const char* name : {"kiosk", "batch_key"}) {
        if (!field(name).is_string()) return BadField(name, std::string(name) + " must be a string");
    }
    Batch batch;
    batch.kiosk = json["kiosk"].get<std::string>();
    batch.epoch = json["epoch"].get<std::int64_t>();
    batch.batchKey = json["batch_key"].get<std::string>();
    batch.firstSeq = json["first_seq"].get<std::int64_t>();
    batch.lastSeq = json["last_seq"].get<std::int64_t>();
    batch.backlog = json["backlog"].get<std::int64_t>();
    if (json.contains("status")) batch.status = json["status"].dump();
    const auto found = json.find("records");
    if (found == json.end() || !found->is_array() || found->empty()) return BadField("records", "records must be a non-empty array");
    Json& records = *found;
    if (batch.firstSeq < 1 || batch.lastSeq - batch.firstSeq + 1 != static_cast<std::int64_t>(records.size())) {
        return BadField("first_seq", "first_seq..last_seq must number the records");
    }
    batch.records.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        Json& r = records[i];
        const std::int64_t seq = batch.firstSeq + static_cast<std::int64_t>(i);
        if (!r.is_object() || !r.contains("seq") || !r["seq"].is_number_integer() || r["seq"].get<std::int64_t>() != seq) {
            return BadField("seq", "record " + std::to_string(i) + " must have seq " + std::to_string(seq), i);
        }
        BatchRecord record;
        record.seq = seq;
        record.text = r.dump();
        record.id = r.contains("id") && r["id"].is_string() ? r["id"].get<std::string>() : "";
        record.problem = RecordProblem(r);
        if (record.problem.empty()) {
            record.type = r["type"].get<std::string>();
            record.kioskTimeMs = r["kiosk_time"].get<std::int64_t>();
            record.payload = r["payload"].dump();
            record.parsedPayload = std::move(r["payload"]);
        }
        batch.records.push_back(std::move(record));
    }
    return batch;
}

}  // namespace kiosk::wire
