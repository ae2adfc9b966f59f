// Customer notifications: the messages head office sends a customer who agreed to them at the kiosk,
// on chosen moves of their ticket, with the quiet hours they are never sent in. Data from
// assets/notifications.toml or the version head office published.
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/language.hpp"
#include "kiosk/core/scripts.hpp"

namespace kiosk::core {

// The placeholders a message may use, written {name} in its text. {note} is what staff wrote with the
// move (for a parts wait: the new date); {rate_link} is the policy's rate link for this ticket.
inline constexpr std::array<std::string_view, 6> kNotificationPlaceholders{"ticket_number", "product", "status", "note",
                                                                          "rate_link", "store"};
bool IsNotificationPlaceholder(std::string_view name);

// One message: sent when a ticket enters `onStatus` (empty: any) after leaving `fromStatus` (empty:
// any). At least one of the two is set.
struct NotificationMessage {
    std::string id;  // "ready_for_pickup"; shown in the ticket's timeline
    std::string onStatus;
    std::string fromStatus;
    LocalizedText text;

    bool Matches(std::string_view from, std::string_view to) const;
};

// Local clock times [from, to) in which nothing is sent; `to` earlier than `from` spans midnight,
// equal means no quiet hours.
struct QuietHours {
    std::chrono::minutes from{0};
    std::chrono::minutes to{0};
};

struct NotificationPolicy {
    bool enabled = false;  // false: nothing is sent and the kiosk promises nothing
    std::chrono::minutes utcOffset{8 * 60};  // the stores' local time, for the quiet hours
    QuietHours quiet;
    std::string rateLink;  // may hold {ticket_number}
    std::vector<NotificationMessage> messages;

    // The first message for a move from `from` to `to`; nullptr when none (or notifications are off).
    const NotificationMessage* For(std::string_view from, std::string_view to) const;
    // Whether a ticket entering `status` (from anywhere) gets a message: the kiosk's promise.
    bool Promises(std::string_view status) const;
    bool InQuietHours(Timestamp t) const;
    // `t` itself when it is outside the quiet hours, else the instant they end.
    Timestamp NextAllowed(Timestamp t) const;
};

// The message's text in `language` with each {name} filled; a placeholder without a value is left out
// (a customer never sees a raw {name} or a blank to fill).
std::string RenderNotification(const NotificationMessage& message, Language language, const ScriptFields& fields);

}  // namespace kiosk::core
