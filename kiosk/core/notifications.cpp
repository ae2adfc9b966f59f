// Matching a ticket's move to a message, quiet hours in the stores' local time, and filling a message.
#include "kiosk/core/notifications.hpp"

#include <algorithm>
#include <chrono>

namespace kiosk::core {

bool IsNotificationPlaceholder(std::string_view name) {
    return std::find(kNotificationPlaceholders.begin(), kNotificationPlaceholders.end(), name) != kNotificationPlaceholders.end();
}

bool NotificationMessage::Matches(std::string_view from, std::string_view to) const {
    if (onStatus.empty() && fromStatus.empty()) return false;
    if (from == to) return false;
    return (onStatus.empty() || onStatus == to) && (fromStatus.empty() || fromStatus == from);
}

const NotificationMessage* NotificationPolicy::For(std::string_view from, std::string_view to) const {
    if (!enabled) return nullptr;
    for (const NotificationMessage& m : messages) {
        if (m.Matches(from, to)) return &m;
    }
    return nullptr;
}

bool NotificationPolicy::Promises(std::string_view status) const {
    if (!enabled) return false;
    return std::any_of(messages.begin(), messages.end(),
                       [&](const NotificationMessage& m) { return m.onStatus == status && m.fromStatus.empty(); });
}

namespace {

constexpr std::chrono::minutes kDay{24 * 60};

// Minutes since local midnight.
std::chrono::minutes LocalClock(Timestamp t, std::chrono::minutes utcOffset) {
    const auto local = std::chrono::floor<std::chrono::minutes>(t.time_since_epoch()) + utcOffset;
    auto m = local % kDay;
    if (m < std::chrono::minutes{0}) m += kDay;
    return m;
}

}  // namespace

bool NotificationPolicy::InQuietHours(Timestamp t) const {
    if (quiet.from == quiet.to) return false;
    const auto m = LocalClock(t, utcOffset);
    if (quiet.from < quiet.to) return m >= quiet.from && m < quiet.to;
    return m >= quiet.from || m < quiet.to;  // spans midnight
}

Timestamp NotificationPolicy::NextAllowed(Timestamp t) const {
    if (!InQuietHours(t)) return t;
    const auto m = LocalClock(t, utcOffset);
    auto wait = quiet.to - m;
    if (wait <= std::chrono::minutes{0}) wait += kDay;
    // Back to the start of the minute the quiet hours end in.
    const auto startOfMinute = std::chrono::floor<std::chrono::minutes>(t);
    return Timestamp{startOfMinute + wait};
}

std::string RenderNotification(const NotificationMessage& message, Language language, const ScriptFields& fields) {
    return RenderScriptText(message.text.In(language), fields, "");
}

}  // namespace kiosk::core
