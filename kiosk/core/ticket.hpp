// Tickets, their numbers and the append-only events a ticket is projected from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/customer.hpp"
#include "kiosk/core/date.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"
#include "kiosk/core/remedy.hpp"
#include "kiosk/core/staff.hpp"

namespace kiosk::core {

enum class TicketType { Return, Exchange, Repair, Complaint, Inquiry };
std::string_view ToString(TicketType type);
std::optional<TicketType> ParseTicketType(std::string_view text);
// The ticket type a chosen remedy files (refund -> return, exchange, repair and paid repair -> repair).
std::optional<TicketType> TicketTypeFor(Remedy remedy);

enum class ServiceChannel { InStore, AuthorisedCentre, ThirdParty };
std::string_view ToString(ServiceChannel channel);
std::optional<ServiceChannel> ParseServiceChannel(std::string_view text);

// S012-K1-261122-0007: store code, kiosk code, local date (YYMMDD) and the kiosk's sequence for that
// day. Unique across the chain without a network as long as store and kiosk codes are.
struct TicketNumber {
    std::string store;  // letters and digits, 1-8 characters
    std::string kiosk;  // letters and digits, 1-4 characters
    Date date;
    int sequence = 0;   // 1..9999

    std::string Format() const;
    static Result<TicketNumber> Parse(std::string_view text);
    friend bool operator==(const TicketNumber&, const TicketNumber&) = default;
};

// Checks a store or kiosk code: letters and digits only, within the length limits above.
Result<void> ValidateStoreCode(std::string_view code);
Result<void> ValidateKioskCode(std::string_view code);

// What the customer (or staff at intake) filed. Carried by the ticket's first event.
struct NewTicket {
    TicketType type = TicketType::Repair;
    std::string gtin;            // 14 digits, empty for complaints or inquiries about no product
    std::string serial;
    std::string orderNumber;     // the sale it was bought in, when known
    std::optional<Date> purchasedOn;
    bool proofToVerify = false;  // no sale on record: the customer stated the date
    std::string customerPhone;   // normalised, empty when not given
    Tier customerTier = Tier::New;
    std::optional<Remedy> remedy;
    std::string clauseId;        // the warranty clause the remedy rests on
    std::string policyVersion;   // the policy it was decided under (PolicyTable::version); empty before recorded
    std::string component;
    std::string fault;
    std::string problemCategory;
    std::string description;
    Language language = Language::ZhHans;
    bool notify = false;         // the customer agreed to messages about this ticket (needs a phone)
};

// Rated: the customer's CSAT answer (value: the score 1-5, note: the comment, may be empty).
// ScriptUsed: staff read a service script to the customer (value: the script id, note: its scene).
enum class EventKind { Created, StatusChanged, NoteAdded, Assigned, ChannelSet, Rated, ScriptUsed, Attached };
std::string_view ToString(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view text);

// A file kept with a ticket (a photo at intake, the customer's signature), named by the SHA-256 of its
// bytes. The event that attached it carries the hash, so the hash chain covers the file too.
struct Attachment {
    std::string sha256;     // 64 lower-case hex digits
    std::string kind;       // "photo", "signature" (the PNG) or "signature_strokes" (the vector path, JSON)
    std::string mediaType;  // "image/jpeg", "image/png" or "application/json"
    std::int64_t bytes = 0;
};
inline constexpr std::size_t kMaxAttachmentsPerEvent = 8;
inline constexpr std::int64_t kMaxAttachmentBytes = 4 * 1024 * 1024;

// InvalidInput naming what is wrong: a hash that is not 64 lower-case hex digits, an unknown kind, a
// media type that does not go with the kind, a size of 0 or over kMaxAttachmentBytes.
Result<void> ValidateAttachment(const Attachment& attachment);

struct TicketEvent {
    std::string id;            // UUID
    std::string ticketNumber;
    EventKind kind = EventKind::Created;
    Actor actor;
    Timestamp at;
    std::string fromStatus;    // StatusChanged (and Created: empty -> initial status)
    std::string toStatus;
    std::string note;
    std::string value;         // Assigned: staff number; ChannelSet: channel name; Rated: score; ScriptUsed: script id
    std::optional<NewTicket> created;  // Created only
    std::vector<Attachment> attachments;  // Attached only: one or more, at most kMaxAttachmentsPerEvent
};

// The current state of a ticket: a projection of its events, never edited directly.
struct Ticket {
    std::string number;
    NewTicket filed;
    std::string status;
    std::string assignee;
    std::optional<ServiceChannel> channel;
    std::vector<std::string> notes;
    Timestamp createdAt;
    Timestamp updatedAt;
    std::optional<Timestamp> firstResponseAt;
    std::optional<Timestamp> resolvedAt;
    int eventCount = 0;
};

}  // namespace kiosk::core
