// Ticket numbers and the names of ticket types, channels and event kinds.
#include "kiosk/core/ticket.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace kiosk::core {
namespace {

bool IsAlnum(std::string_view text) {
    for (char c : text) {
        if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

Result<void> ValidateCode(std::string_view what, std::string_view code, std::size_t maxLength) {
    if (code.empty() || code.size() > maxLength || !IsAlnum(code)) {
        return Fail(ErrorCode::InvalidInput, std::string(what) + " '" + std::string(code) + "' must be 1-" +
                                                 std::to_string(maxLength) + " letters or digits");
    }
    return {};
}

}  // namespace

std::string_view ToString(TicketType type) {
    switch (type) {
        case TicketType::Return: return "return";
        case TicketType::Exchange: return "exchange";
        case TicketType::Repair: return "repair";
        case TicketType::Complaint: return "complaint";
        case TicketType::Inquiry: return "inquiry";
    }
    return "inquiry";
}

std::optional<TicketType> ParseTicketType(std::string_view text) {
    for (TicketType t : {TicketType::Return, TicketType::Exchange, TicketType::Repair, TicketType::Complaint,
                         TicketType::Inquiry}) {
        if (text == ToString(t)) return t;
    }
    return std::nullopt;
}

std::optional<TicketType> TicketTypeFor(Remedy remedy) {
    switch (remedy) {
        case Remedy::Refund: return TicketType::Return;
        case Remedy::Exchange: return TicketType::Exchange;
        case Remedy::Repair:
        case Remedy::PaidRepair: return TicketType::Repair;
        case Remedy::Decline: return std::nullopt;
    }
    return std::nullopt;
}

std::string_view ToString(ServiceChannel channel) {
    switch (channel) {
        case ServiceChannel::InStore: return "in_store";
        case ServiceChannel::AuthorisedCentre: return "authorised_centre";
        case ServiceChannel::ThirdParty: return "third_party";
    }
    return "in_store";
}

std::optional<ServiceChannel> ParseServiceChannel(std::string_view text) {
    for (ServiceChannel c : {ServiceChannel::InStore, ServiceChannel::AuthorisedCentre, ServiceChannel::ThirdParty}) {
        if (text == ToString(c)) return c;
    }
    return std::nullopt;
}

std::string_view ToString(EventKind kind) {
    switch (kind) {
        case EventKind::Created: return "created";
        case EventKind::StatusChanged: return "status_changed";
        case EventKind::NoteAdded: return "note_added";
        case EventKind::Assigned: return "assigned";
        case EventKind::ChannelSet: return "channel_set";
        case EventKind::Rated: return "rated";
        case EventKind::ScriptUsed: return "script_used";
        case EventKind::Attached: return "attached";
    }
    return "created";
}

std::optional<EventKind> ParseEventKind(std::string_view text) {
    for (EventKind k : {EventKind::Created, EventKind::StatusChanged, EventKind::NoteAdded, EventKind::Assigned,
                        EventKind::ChannelSet, EventKind::Rated, EventKind::ScriptUsed, EventKind::Attached}) {
        if (text == ToString(k)) return k;
    }
    return std::nullopt;
}

Result<void> ValidateAttachment(const Attachment& a) {
    const bool hex = a.sha256.size() == 64 && std::all_of(a.sha256.begin(), a.sha256.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!hex) return Fail(ErrorCode::InvalidInput, "attachment hash '" + a.sha256 + "' is not 64 lower-case hex digits");
    static constexpr std::pair<std::string_view, std::string_view> kKinds[] = {
        {"photo", "image/jpeg"}, {"signature", "image/png"}, {"signature_strokes", "application/json"}};
    const auto* kind = std::find_if(std::begin(kKinds), std::end(kKinds), [&](const auto& k) { return k.first == a.kind; });
    if (kind == std::end(kKinds)) {
        return Fail(ErrorCode::InvalidInput,
                    "attachment kind '" + a.kind + "' is not one of photo, signature, signature_strokes");
    }
    if (a.mediaType != kind->second) {
        return Fail(ErrorCode::InvalidInput, "a " + a.kind + " attachment is " + std::string(kind->second) + ", not '" +
                                                 a.mediaType + "'");
    }
    if (a.bytes <= 0 || a.bytes > kMaxAttachmentBytes) {
        return Fail(ErrorCode::InvalidInput, "attachment " + a.sha256.substr(0, 12) + " has " + std::to_string(a.bytes) +
                                                 " bytes; an attachment has 1 to " + std::to_string(kMaxAttachmentBytes));
    }
    return {};
}

Result<void> ValidateStoreCode(std::string_view code) { return ValidateCode("store code", code, 8); }
Result<void> ValidateKioskCode(std::string_view code) { return ValidateCode("kiosk code", code, 4); }

std::string TicketNumber::Format() const {
    char tail[32];
    std::snprintf(tail, sizeof tail, "-%02d%02u%02u-%04d", static_cast<int>(date.year()) % 100,
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), sequence);
    return store + "-" + kiosk + tail;
}

Result<TicketNumber> TicketNumber::Parse(std::string_view text) {
    auto bad = [&](std::string_view why) {
        return Fail(ErrorCode::InvalidInput, "ticket number '" + std::string(text) + "' " + std::string(why) +
                                                 " (expected STORE-KIOSK-YYMMDD-NNNN, e.g. S012-K1-261122-0007)");
    };
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dash = text.find('-', start);
        parts.push_back(text.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start));
        if (dash == std::string_view::npos) break;
        start = dash + 1;
    }
    if (parts.size() != 4) return bad("does not have four parts");
    if (!ValidateStoreCode(parts[0])) return bad("has an invalid store code");
    if (!ValidateKioskCode(parts[1])) return bad("has an invalid kiosk code");
    const std::string_view day = parts[2];
    const std::string_view seq = parts[3];
    auto allDigits = [](std::string_view s) {
        for (char c : s) {
            if (c < '0' || c > '9') return false;
        }
        return true;
    };
    if (day.size() != 6 || !allDigits(day)) return bad("has an invalid date");
    if (seq.size() != 4 || !allDigits(seq)) return bad("has an invalid sequence");
    auto number = [](std::string_view s) {
        int value = 0;
        std::from_chars(s.data(), s.data() + s.size(), value);
        return value;
    };
    Date date{std::chrono::year{2000 + number(day.substr(0, 2))},
              std::chrono::month{static_cast<unsigned>(number(day.substr(2, 2)))},
              std::chrono::day{static_cast<unsigned>(number(day.substr(4, 2)))}};
    if (!date.ok()) return bad("has an invalid date");
    const int sequence = number(seq);
    if (sequence == 0) return bad("has sequence 0");
    return TicketNumber{std::string(parts[0]), std::string(parts[1]), date, sequence};
}

}  // namespace kiosk::core
