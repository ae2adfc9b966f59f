// JSON forms of tickets and events. nlohmann::json throws; every throw is caught here and becomes a value.
#include "sync/wire/record_json.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace kiosk::wire {

using core::ErrorCode;

namespace {

Json OptionalString(const std::optional<std::string>& value) {
    if (!value) return nullptr;
    return *value;
}

std::optional<std::string> OptionalTimestamp(const std::optional<core::Timestamp>& t) {
    if (!t) return std::nullopt;
    return core::FormatTimestamp(*t);
}

core::Error CorruptField(std::string_view field, std::string_view value) {
    return core::Error{ErrorCode::Corrupt,
                       "stored " + std::string(field) + " '" + std::string(value) + "' is not valid"};
}

}  // namespace

core::Result<std::string> Sha256Hex(std::string_view data) {
    constexpr char kHex[] = "0123456789abcdef";
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
    unsigned size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
        return core::Fail(ErrorCode::Unavailable, "SHA-256 is not available from OpenSSL");
    }
    std::string hex;
    hex.reserve(2 * size);
    for (unsigned i = 0; i < size; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0f];
    }
    return hex;
}

Json NewTicketToJson(const core::NewTicket& t) {
    Json json = Json::object();
    json["type"] = std::string(core::ToString(t.type));
    json["gtin"] = t.gtin;
    json["serial"] = t.serial;
    json["orderNumber"] = t.orderNumber;
    json["purchasedOn"] = t.purchasedOn ? Json(core::FormatDate(*t.purchasedOn)) : Json(nullptr);
    json["proofToVerify"] = t.proofToVerify;
    json["customerPhone"] = t.customerPhone;
    json["customerTier"] = std::string(core::ToString(t.customerTier));
    json["remedy"] = t.remedy ? Json(std::string(core::ToString(*t.remedy))) : Json(nullptr);
    json["clauseId"] = t.clauseId;
    json["policyVersion"] = t.policyVersion;
    json["component"] = t.component;
    json["fault"] = t.fault;
    json["problemCategory"] = t.problemCategory;
    json["description"] = t.description;
    json["language"] = std::string(core::LanguageTag(t.language));
    // Only when given: tickets filed without it (and by older kiosks) keep the text they were hashed with.
    if (t.notify) json["notify"] = true;
    return json;
}

core::Result<core::NewTicket> NewTicketFromJson(const Json& json) {
    try {
        core::NewTicket t;
        const auto typeText = json.at("type").get<std::string>();
        auto type = core::ParseTicketType(typeText);
        if (!type) return std::unexpected(CorruptField("ticket type", typeText));
        t.type = *type;
        t.gtin = json.at("gtin").get<std::string>();
        t.serial = json.at("serial").get<std::string>();
        t.orderNumber = json.at("orderNumber").get<std::string>();
        if (const Json& purchased = json.at("purchasedOn"); !purchased.is_null()) {
            auto date = core::ParseDate(purchased.get<std::string>());
            if (!date) return std::unexpected(CorruptField("purchase date", purchased.get<std::string>()));
            t.purchasedOn = *date;
        }
        t.proofToVerify = json.at("proofToVerify").get<bool>();
        t.customerPhone = json.at("customerPhone").get<std::string>();
        const auto tierText = json.at("customerTier").get<std::string>();
        auto tier = core::ParseTier(tierText);
        if (!tier) return std::unexpected(CorruptField("customer tier", tierText));
        t.customerTier = *tier;
        if (const Json& remedy = json.at("remedy"); !remedy.is_null()) {
            auto parsed = core::ParseRemedy(remedy.get<std::string>());
            if (!parsed) return std::unexpected(CorruptField("remedy", remedy.get<std::string>()));
            t.remedy = *parsed;
        }
        t.clauseId = json.at("clauseId").get<std::string>();
        t.policyVersion = json.value("policyVersion", std::string());  // absent in events of older kiosks
        t.notify = json.value("notify", false);
        t.component = json.at("component").get<std::string>();
        t.fault = json.at("fault").get<std::string>();
        t.problemCategory = json.at("problemCategory").get<std::string>();
        t.description = json.at("description").get<std::string>();
        const auto languageText = json.at("language").get<std::string>();
        auto language = core::ParseLanguage(languageText);
        if (!language) return std::unexpected(CorruptField("language", languageText));
        t.language = *language;
        return t;
    } catch (const Json::exception& e) {
        return core::Fail(ErrorCode::Corrupt, std::string("stored ticket request: ") + e.what());
    }
}

EventRow ToEventRow(const core::TicketEvent& event) {
    EventRow row;
    row.id = event.id;
    row.ticketNumber = event.ticketNumber;
    row.kind = std::string(core::ToString(event.kind));
    row.actorRole = std::string(core::ToString(event.actor.role));
    row.actorId = event.actor.id;
    row.at = core::FormatTimestamp(event.at);
    row.fromStatus = event.fromStatus;
    row.toStatus = event.toStatus;
    row.note = event.note;
    row.value = event.value;
    if (event.created) row.payload = NewTicketToJson(*event.created);
    if (event.kind == core::EventKind::Attached) row.payload = AttachmentsToJson(event.attachments);
    return row;
}

Json AttachmentsToJson(const std::vector<core::Attachment>& attachments) {
    Json out = Json::array();
    for (const core::Attachment& a : attachments) {
        out.push_back({{"sha256", a.sha256}, {"kind", a.kind}, {"mediaType", a.mediaType}, {"bytes", a.bytes}});
    }
    return out;
}

core::Result<std::vector<core::Attachment>> AttachmentsFromJson(const Json& json) {
    if (!json.is_array()) return core::Fail(ErrorCode::Corrupt, "stored attachments are not a list");
    std::vector<core::Attachment> out;
    try {
        for (const Json& item : json) {
            core::Attachment a;
            a.sha256 = item.at("sha256").get<std::string>();
            a.kind = item.at("kind").get<std::string>();
            a.mediaType = item.at("mediaType").get<std::string>();
            a.bytes = item.at("bytes").get<std::int64_t>();
            if (auto ok = core::ValidateAttachment(a); !ok) {
                return core::Fail(ErrorCode::Corrupt, "stored attachment: " + ok.error().message);
            }
            out.push_back(std::move(a));
        }
    } catch (const Json::exception& e) {
        return core::Fail(ErrorCode::Corrupt, std::string("stored attachment: ") + e.what());
    }
    return out;
}

std::optional<Json> PayloadFromCanonical(const Json& canonical) {
    if (!canonical.is_object()) return std::nullopt;
    if (auto it = canonical.find("created"); it != canonical.end() && !it->is_null()) return *it;
    if (auto it = canonical.find("attachments"); it != canonical.end() && !it->is_null()) return *it;
    return std::nullopt;
}

core::Result<core::TicketEvent> FromEventRow(const EventRow& row) {
    core::TicketEvent event;
    event.id = row.id;
    event.ticketNumber = row.ticketNumber;
    auto kind = core::ParseEventKind(row.kind);
    if (!kind) return std::unexpected(CorruptField("event kind", row.kind));
    event.kind = *kind;
    auto role = core::ParseRole(row.actorRole);
    if (!role) return std::unexpected(CorruptField("actor role", row.actorRole));
    event.actor = core::Actor{*role, row.actorId};
    auto at = core::ParseTimestamp(row.at);
    if (!at) return std::unexpected(CorruptField("event time", row.at));
    event.at = *at;
    event.fromStatus = row.fromStatus;
    event.toStatus = row.toStatus;
    event.note = row.note;
    event.value = row.value;
    if (row.payload && event.kind == core::EventKind::Attached) {
        auto attachments = AttachmentsFromJson(*row.payload);
        if (!attachments) return std::unexpected(std::move(attachments.error()));
        event.attachments = std::move(*attachments);
    } else if (row.payload) {
        auto created = NewTicketFromJson(*row.payload);
        if (!created) return std::unexpected(std::move(created.error()));
        event.created = std::move(*created);
    }
    return event;
}

Json CanonicalEvent(const EventRow& row) {
    Json json = Json::object();
    json["id"] = row.id;
    json["ticketNumber"] = row.ticketNumber;
    json["kind"] = row.kind;
    json["actorRole"] = row.actorRole;
    json["actorId"] = row.actorId;
    json["at"] = row.at;
    json["fromStatus"] = row.fromStatus;
    json["toStatus"] = row.toStatus;
    json["note"] = row.note;
    json["value"] = row.value;
    // An Attached event's files are hashed under their own key; every other event keeps exactly the
    // fields it always had, so the chains of existing databases still check.
    if (row.kind == "attached") {
        json["created"] = nullptr;
        json["attachments"] = row.payload ? *row.payload : Json::array();
    } else {
        json["created"] = row.payload ? *row.payload : Json(nullptr);
    }
    return json;
}

core::Result<std::string> ChainHash(std::string_view prevHash, const EventRow& row) {
    auto text = DumpJson(CanonicalEvent(row));
    if (!text) return std::unexpected(std::move(text.error()));
    std::string input(prevHash);
    input += *text;
    return Sha256Hex(input);
}

Json TicketToJson(const core::Ticket& ticket) {
    Json json = Json::object();
    json["number"] = ticket.number;
    json["filed"] = NewTicketToJson(ticket.filed);
    json["status"] = ticket.status;
    json["assignee"] = ticket.assignee;
    json["channel"] = ticket.channel ? Json(std::string(core::ToString(*ticket.channel))) : Json(nullptr);
    json["notes"] = ticket.notes;
    json["createdAt"] = core::FormatTimestamp(ticket.createdAt);
    json["updatedAt"] = core::FormatTimestamp(ticket.updatedAt);
    json["firstResponseAt"] = OptionalString(OptionalTimestamp(ticket.firstResponseAt));
    json["resolvedAt"] = OptionalString(OptionalTimestamp(ticket.resolvedAt));
    json["eventCount"] = ticket.eventCount;
    return json;
}

core::Result<std::string> DumpJson(const Json& json) {
    try {
        return json.dump();
    } catch (const Json::exception& e) {
        return core::Fail(ErrorCode::InvalidInput, std::string("text that is not valid UTF-8: ") + e.what());
    }
}

core::Result<Json> ParseStoredJson(std::string_view text, std::string_view what) {
    try {
        return Json::parse(text);
    } catch (const Json::exception& e) {
        return core::Fail(ErrorCode::Corrupt, "stored " + std::string(what) + " is not valid JSON: " + e.what());
    }
}

}  // namespace kiosk::wire
