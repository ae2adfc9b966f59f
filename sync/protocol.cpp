// JSON encoding of the protocol messages (nlohmann::json stays inside this file and the server).
#include "sync/protocol.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "sync/codec.hpp"

namespace kiosk::sync {
namespace {

using Json = nlohmann::json;

template <class T>
core::Result<T> Parse(std::string_view text, std::string_view what, T (*read)(const Json&)) {
    try {
        return read(Json::parse(text));
    } catch (const std::exception& error) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string(what) + " is not valid: " + error.what());
    }
}

Json StatusJson(const KioskStatus& status) {
    Json refused = Json::array();
    for (const RefusedDataset& r : status.refused) refused.push_back(Json{{"dataset", r.dataset}, {"version", r.version}, {"why", r.why}});
    return Json{{"refused", std::move(refused)}, {"software", status.software},     {"printer", status.printer}, {"paper", status.paper},
                {"scanner", status.scanner},       {"scanner_seen", status.scannerSeenMs},
                {"camera", status.camera},         {"started_at", status.startedAtMs},
                {"frame_failures", status.frameFailures}, {"backlog", status.backlog}};
}

// Throws (caught by Parse) on a field of the wrong type; absent fields keep their defaults, so a
// kiosk can report only what it knows.
KioskStatus StatusFromJson(const Json& j) {
    if (!j.is_object()) throw std::invalid_argument("status must be an object");
    KioskStatus status;
    if (j.contains("software")) status.software = j.at("software").get<std::string>();
    if (j.contains("printer")) status.printer = j.at("printer").get<std::string>();
    if (j.contains("paper")) status.paper = j.at("paper").get<std::string>();
    if (j.contains("scanner")) status.scanner = j.at("scanner").get<std::string>();
    if (j.contains("scanner_seen")) status.scannerSeenMs = j.at("scanner_seen").get<std::int64_t>();
    if (j.contains("camera")) status.camera = j.at("camera").get<std::string>();
    if (j.contains("started_at")) status.startedAtMs = j.at("started_at").get<std::int64_t>();
    if (j.contains("frame_failures")) status.frameFailures = j.at("frame_failures").get<std::int64_t>();
    if (status.startedAtMs < 0 || status.frameFailures < 0) throw std::invalid_argument("started_at and frame_failures are not negative");
    if (j.contains("refused")) {
        for (const Json& r : j.at("refused")) {
            RefusedDataset refused{r.at("dataset").get<std::string>(), r.at("version").get<std::int64_t>(), r.at("why").get<std::string>()};
            if (!wire::IsDataset(refused.dataset) || refused.version <= 0 || refused.why.size() > kMaxRefusalBytes) {
                throw std::invalid_argument("refused: a published data set, a positive version and at most " +
                                            std::to_string(kMaxRefusalBytes) + " bytes of reason");
            }
            status.refused.push_back(std::move(refused));
        }
    }
    if (j.contains("backlog")) status.backlog = j.at("backlog").get<std::int64_t>();
    for (const std::string* text : {&status.software, &status.printer, &status.paper, &status.scanner, &status.camera}) {
        if (text->size() > 64) throw std::invalid_argument("status text fields are at most 64 characters");
    }
    return status;
}

}  // namespace

void DescribePrinter(const core::PrinterStatus& printer, KioskStatus& status) {
    status.paper = printer.paperOut ? "out" : printer.paperNearEnd ? "low" : "ok";
    if (!printer.online) {
        status.printer = "offline";
        status.paper = "unknown";
    } else if (printer.coverOpen) {
        status.printer = "cover_open";
    } else if (printer.paperOut) {
        status.printer = "paper_out";
    } else if (printer.paperNearEnd) {
        status.printer = "paper_near_end";
    } else {
        status.printer = "ok";
    }
}

std::string EncodeKioskStatus(const KioskStatus& status) { return StatusJson(status).dump(); }

core::Result<KioskStatus> ParseKioskStatus(std::string_view json) {
    return Parse<KioskStatus>(json, "kiosk status", [](const Json& j) { return StatusFromJson(j); });
}

core::Result<std::string> EncodeBatch(const BatchRequest& batch) {
    Json records = Json::array();
    for (const WireRecord& r : batch.records) {
        Json payload;
        try {
            payload = Json::parse(r.payload);
        } catch (const std::exception& error) {
            return core::Fail(core::ErrorCode::InvalidInput,
                              "outbox record " + std::to_string(r.seq) + " has a payload that is not JSON: " + error.what());
        }
        records.push_back(Json{{"id", r.id}, {"seq", r.seq}, {"type", r.type}, {"kiosk_time", r.kioskTimeMs},
                               {"payload", std::move(payload)}});
    }
    Json body{{"protocol", wire::kProtocolVersion}, {"kiosk", batch.kiosk},   {"epoch", batch.epoch},
              {"batch_key", batch.batchKey},  {"first_seq", batch.firstSeq}, {"last_seq", batch.lastSeq},
              {"backlog", batch.backlog},     {"records", std::move(records)}};
    if (batch.status) body["status"] = StatusJson(*batch.status);
    return body.dump();
}

std::string EncodeAck(const BatchAck& ack) {
    Json rejected = Json::array();
    for (const auto& r : ack.rejected) rejected.push_back(Json{{"seq", r.seq}, {"id", r.id}, {"reason", r.reason}});
    return Json{{"batch_key", ack.batchKey},   {"acked_through_seq", ack.ackedThroughSeq},
                {"inserted", ack.inserted},    {"duplicates", ack.duplicates},
                {"rejected", rejected},        {"server_time", ack.serverTimeMs}}
        .dump();
}

core::Result<BatchAck> ParseAck(std::string_view text) {
    return Parse<BatchAck>(text, "batch acknowledgement", [](const Json& j) {
        BatchAck ack;
        ack.batchKey = j.at("batch_key").get<std::string>();
        ack.ackedThroughSeq = j.at("acked_through_seq").get<std::int64_t>();
        ack.inserted = j.at("inserted").get<std::int64_t>();
        ack.duplicates = j.at("duplicates").get<std::int64_t>();
        for (const Json& r : j.at("rejected")) {
            ack.rejected.push_back({r.at("seq").get<std::int64_t>(), r.at("id").get<std::string>(),
                                    r.at("reason").get<std::string>()});
        }
        ack.serverTimeMs = j.at("server_time").get<std::int64_t>();
        return ack;
    });
}

std::string EncodeError(const ErrorReply& reply) {
    Json j{{"error", reply.error}};
    if (reply.expectedSeq) j["expected_seq"] = *reply.expectedSeq;
    if (reply.serverTimeMs) j["server_time"] = *reply.serverTimeMs;
    // The message may quote what the client sent (a JSON parser's complaint, a header): bytes that are
    // not UTF-8 are replaced rather than thrown on.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

ErrorReply ParseError(std::string_view text) {
    auto parsed = Parse<ErrorReply>(text, "error", [](const Json& j) {
        ErrorReply reply;
        reply.error = j.at("error").get<std::string>();
        if (j.contains("expected_seq")) reply.expectedSeq = j.at("expected_seq").get<std::int64_t>();
        if (j.contains("server_time")) reply.serverTimeMs = j.at("server_time").get<std::int64_t>();
        return reply;
    });
    if (parsed) return *parsed;
    return ErrorReply{std::string(text.substr(0, 200)), std::nullopt, std::nullopt};
}

std::string EncodeBlobState(const BlobState& state) {
    return Json{{"received", state.received}, {"complete", state.complete}}.dump();
}

core::Result<BlobState> ParseBlobState(std::string_view text) {
    return Parse<BlobState>(text, "blob state", [](const Json& j) {
        BlobState state;
        state.received = j.at("received").get<std::int64_t>();
        if (state.received < 0) throw std::invalid_argument("received must not be negative");
        if (j.contains("complete")) state.complete = j.at("complete").get<bool>();
        return state;
    });
}

std::string EncodeEnrolRequest(const EnrolRequest& request) {
    return Json{{"protocol", wire::kProtocolVersion}, {"token", request.token}, {"kiosk_uuid", request.kioskUuid},
                {"resume_after_seq", request.resumeAfterSeq}}
        .dump();
}

core::Result<EnrolRequest> ParseEnrolRequest(std::string_view text) {
    return Parse<EnrolRequest>(text, "enrolment request", [](const Json& j) {
        return EnrolRequest{j.at("token").get<std::string>(), j.at("kiosk_uuid").get<std::string>(),
                            j.at("resume_after_seq").get<std::int64_t>()};
    });
}

std::string EncodeEnrolReply(const EnrolReply& reply) {
    return Json{{"kiosk", reply.kiosk}, {"secret", reply.secret}, {"epoch", reply.epoch}, {"server_time", reply.serverTimeMs}}
        .dump();
}

core::Result<EnrolReply> ParseEnrolReply(std::string_view text) {
    return Parse<EnrolReply>(text, "enrolment reply", [](const Json& j) {
        return EnrolReply{j.at("kiosk").get<std::string>(), j.at("secret").get<std::string>(),
                          j.at("epoch").get<std::int64_t>(), j.at("server_time").get<std::int64_t>()};
    });
}

std::string EncodeDownstreamRequest(const DownstreamRequest& request) {
    Json have = Json::object();
    for (const auto& [dataset, version] : request.have) have[dataset] = version;
    Json body{{"protocol", wire::kProtocolVersion}, {"kiosk", request.kiosk}, {"have", std::move(have)}};
    if (request.status) body["status"] = StatusJson(*request.status);
    return body.dump();
}

core::Result<DownstreamRequest> ParseDownstreamRequest(std::string_view text) {
    return Parse<DownstreamRequest>(text, "downstream request", [](const Json& j) {
        if (j.at("protocol").get<int>() != wire::kProtocolVersion) throw std::invalid_argument("protocol must be 1");
        DownstreamRequest request{j.at("kiosk").get<std::string>(), {}, std::nullopt};
        for (const auto& [dataset, version] : j.at("have").items()) request.have[dataset] = version.get<std::int64_t>();
        if (j.contains("status")) request.status = StatusFromJson(j.at("status"));
        return request;
    });
}

core::Result<std::string> EncodeDownstreamReply(const DownstreamReply& reply) {
    Json updates = Json::array();
    for (const wire::DatasetUpdate& u : reply.updates) {
        Json update{{"dataset", u.dataset}, {"mode", u.snapshot ? "snapshot" : "delta"}, {"from", u.fromVersion}, {"to", u.toVersion}};
        if (wire::IsDocumentDataset(u.dataset)) {
            update["document"] = u.document;
        } else {
            try {
                update["items"] = Json::parse(u.items);
            } catch (const std::exception& error) {
                return core::Fail(core::ErrorCode::InvalidInput, "stored " + u.dataset + " items are not JSON: " + error.what());
            }
        }
        updates.push_back(std::move(update));
    }
    return Json{{"updates", std::move(updates)}, {"server_time", reply.serverTimeMs}}.dump();
}

core::Result<DownstreamReply> ParseDownstreamReply(std::string_view text) {
    return Parse<DownstreamReply>(text, "downstream reply", [](const Json& j) {
        DownstreamReply reply;
        for (const Json& u : j.at("updates")) {
            wire::DatasetUpdate update;
            update.dataset = u.at("dataset").get<std::string>();
            const std::string mode = u.at("mode").get<std::string>();
            if (mode != "snapshot" && mode != "delta") throw std::invalid_argument("mode must be snapshot or delta");
            update.snapshot = mode == "snapshot";
            update.fromVersion = u.at("from").get<std::int64_t>();
            update.toVersion = u.at("to").get<std::int64_t>();
            if (u.contains("document")) update.document = u.at("document").get<std::string>();
            if (u.contains("items")) {
                if (!u.at("items").is_array()) throw std::invalid_argument("items must be an array");
                update.items = u.at("items").dump();
            }
            reply.updates.push_back(std::move(update));
        }
        reply.serverTimeMs = j.at("server_time").get<std::int64_t>();
        return reply;
    });
}

core::Result<Headers> SignRequest(std::string_view method, std::string_view target, std::string_view kiosk,
                                  std::string_view secret, std::int64_t timeMs, std::string_view body) {
    auto nonce = RandomHex(16);
    if (!nonce) return std::unexpected(std::move(nonce.error()));
    const std::string signature = HmacSha256Hex(secret, CanonicalRequest(method, target, kiosk, timeMs, *nonce, body));
    return Headers{{std::string(kHeaderKiosk), std::string(kiosk)},
                   {std::string(kHeaderTime), std::to_string(timeMs)},
                   {std::string(kHeaderNonce), *nonce},
                   {std::string(kHeaderSignature), signature}};
}

}  // namespace kiosk::sync
