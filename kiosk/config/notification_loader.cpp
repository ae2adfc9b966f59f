// The notifications TOML file: enabled, utc_offset, quiet_hours, rate_link and [[message]] tables.
#include "kiosk/config/notification_loader.hpp"

#include <set>
#include <string>

#include "kiosk/config/toml_reader.hpp"

namespace kiosk::config {

// Named, not anonymous: the unity build puts this file beside the other loaders and their helpers.
namespace notification_toml {

// "HH:MM" as minutes since midnight.
std::optional<std::chrono::minutes> ClockTime(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    for (std::size_t i : {0u, 1u, 3u, 4u}) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (h > 23 || m > 59) return std::nullopt;
    return std::chrono::minutes{h * 60 + m};
}

// Each translation uses only the known placeholders.
core::Result<void> CheckPlaceholders(const TomlReader& reader, const toml::node& node, const core::LocalizedText& text) {
    for (auto [tag, value] : {std::pair{"zh-Hans", &text.zhHans}, std::pair{"zh-Hant", &text.zhHant}, std::pair{"en", &text.en}}) {
        const auto names = core::ScriptPlaceholders(*value);
        if (!names) return std::unexpected(reader.ErrorAt(node, std::string("unmatched { or } in the ") + tag + " text"));
        for (const std::string& name : *names) {
            if (core::IsNotificationPlaceholder(name)) continue;
            std::string known;
            for (std::string_view k : core::kNotificationPlaceholders) known += (known.empty() ? "" : ", ") + std::string(k);
            return std::unexpected(
                reader.ErrorAt(node, "unknown placeholder {" + name + "} in the " + tag + " text (known: " + known + ")"));
        }
    }
    return {};
}

}  // namespace notification_toml

core::Result<core::NotificationPolicy> LoadNotificationsFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseNotifications(*text, path.string());
}

core::Result<core::NotificationPolicy> ParseNotifications(std::string_view tomlText, std::string_view sourceName) {
    auto parsed = ParseToml(tomlText, sourceName);
    if (!parsed) return std::unexpected(parsed.error());
    const toml::table& root = *parsed;
    const TomlReader reader{std::string(sourceName)};
    if (auto ok = reader.OnlyKeys(root, {"enabled", "utc_offset", "quiet_hours", "rate_link", "message"}); !ok) {
        return std::unexpected(ok.error());
    }
    core::NotificationPolicy policy;
    auto enabled = reader.BoolOr(root, "enabled", false);
    if (!enabled) return std::unexpected(enabled.error());
    policy.enabled = *enabled;

    auto offset = reader.String(root, "utc_offset");
    if (!offset) return std::unexpected(offset.error());
    const auto magnitude = offset->size() == 6 ? notification_toml::ClockTime(std::string_view(*offset).substr(1)) : std::nullopt;
    if (!magnitude || ((*offset)[0] != '+' && (*offset)[0] != '-') || *magnitude > std::chrono::minutes{14 * 60}) {
        return std::unexpected(reader.ErrorAt(*root.get("utc_offset"), "'utc_offset' must be +HH:MM or -HH:MM, e.g. \"+08:00\""));
    }
    policy.utcOffset = (*offset)[0] == '-' ? -*magnitude : *magnitude;

    auto quiet = reader.OptionalString(root, "quiet_hours");
    if (!quiet) return std::unexpected(quiet.error());
    if (*quiet) {
        const std::string_view q = **quiet;
        const auto from = q.size() == 11 && q[5] == '-' ? notification_toml::ClockTime(q.substr(0, 5)) : std::nullopt;
        const auto to = from ? notification_toml::ClockTime(q.substr(6)) : std::nullopt;
        if (!from || !to) {
            return std::unexpected(reader.ErrorAt(*root.get("quiet_hours"), "'quiet_hours' must be \"HH:MM-HH:MM\" in local time, e.g. \"21:00-08:00\""));
        }
        policy.quiet = {*from, *to};
    }
    auto rate = reader.OptionalString(root, "rate_link");
    if (!rate) return std::unexpected(rate.error());
    policy.rateLink = rate->value_or("");

    auto messages = reader.Tables(root, "message");
    if (!messages) return std::unexpected(messages.error());
    std::set<std::string> ids;
    for (const toml::table* table : *messages) {
        if (auto ok = reader.OnlyKeys(*table, {"id", "on_status", "from_status", "text"}); !ok) return std::unexpected(ok.error());
        core::NotificationMessage message;
        auto id = reader.String(*table, "id");
        if (!id) return std::unexpected(id.error());
        if (id->empty()) return std::unexpected(reader.ErrorAt(*table, "a message without id"));
        if (!ids.insert(*id).second) return std::unexpected(reader.ErrorAt(*table, "message '" + *id + "' appears twice"));
        message.id = *id;
        auto on = reader.OptionalString(*table, "on_status");
        auto from = reader.OptionalString(*table, "from_status");
        if (!on) return std::unexpected(on.error());
        if (!from) return std::unexpected(from.error());
        message.onStatus = on->value_or("");
        message.fromStatus = from->value_or("");
        if (message.onStatus.empty() && message.fromStatus.empty()) {
            return std::unexpected(reader.ErrorAt(*table, "message '" + *id + "' needs on_status or from_status (the move it is sent on)"));
        }
        auto text = reader.Localized(*table, "text");
        if (!text) return std::unexpected(text.error());
        if (auto ok = notification_toml::CheckPlaceholders(reader, *table->get("text"), *text); !ok) return std::unexpected(ok.error());
        message.text = std::move(*text);
        policy.messages.push_back(std::move(message));
    }
    return policy;
}

}  // namespace kiosk::config
