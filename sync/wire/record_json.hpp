// JSON forms of tickets and events: the canonical text the hash chain covers (the kiosk writes it, head
// office checks it), the created-ticket payload column, audit before/after images and outbox payloads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/error.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::wire {

// nlohmann::json keeps object keys in a std::map, so a dump lists keys in sorted order: the same event
// always gives the same text, which is what makes it hashable.
using Json = nlohmann::json;

// An event as stored: every field as the text in its column, and the created payload. Hashing works
// on this form, so a stored row is checked as it is, without first being parsed into domain types.
struct EventRow {
    std::string id;
    std::string ticketNumber;
    std::string kind;
    std::string actorRole;
    std::string actorId;
    std::string at;
    std::string fromStatus;
    std::string toStatus;
    std::string note;
    std::string value;
    std::optional<Json> payload;  // the NewTicket of a Created event, the attachment array of an Attached one
};

// The attachments of an Attached event as JSON: [{"sha256", "kind", "mediaType", "bytes"}, ...].
Json AttachmentsToJson(const std::vector<core::Attachment>& attachments);
// Fails with Corrupt naming what is malformed; every attachment is validated.
core::Result<std::vector<core::Attachment>> AttachmentsFromJson(const Json& json);

// The payload column of an event from its canonical JSON (as head office receives it): "created" of a
// Created event, "attachments" of an Attached one, none otherwise.
std::optional<Json> PayloadFromCanonical(const Json& canonical);

Json NewTicketToJson(const core::NewTicket& ticket);
// Fails with Corrupt naming the field that is missing or malformed.
core::Result<core::NewTicket> NewTicketFromJson(const Json& json);

EventRow ToEventRow(const core::TicketEvent& event);
// Fails with Corrupt when a stored value does not parse.
core::Result<core::TicketEvent> FromEventRow(const EventRow& row);

// The object the hash covers: every field of the event, the created payload included.
Json CanonicalEvent(const EventRow& row);

// Hex SHA-256 over prevHash followed by the canonical event text. Fails with InvalidInput when a
// field is not valid UTF-8 (JSON cannot carry it), Unavailable when hashing fails.
core::Result<std::string> ChainHash(std::string_view prevHash, const EventRow& row);

Json TicketToJson(const core::Ticket& ticket);

// Lower-case hex SHA-256 of `data`: 64 characters. Fails with Unavailable when OpenSSL cannot hash.
core::Result<std::string> Sha256Hex(std::string_view data);

// Dumps JSON as compact UTF-8. Fails with InvalidInput when a string is not valid UTF-8.
core::Result<std::string> DumpJson(const Json& json);
// Parses stored JSON. Fails with Corrupt naming `what`.
core::Result<Json> ParseStoredJson(std::string_view text, std::string_view what);

}  // namespace kiosk::wire
