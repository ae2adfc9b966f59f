// Customer notifications as data: the shipped file loads and every message fills in the three languages,
// moves match the right message, quiet hours hold messages until they end (local time, across
// midnight), and a bad file is refused with FILE:LINE before anything is published.
#include <catch2/catch.hpp>

#include "kiosk/config/notification_loader.hpp"
#include "kiosk/config/published_data.hpp"

namespace notification_test {

using kiosk::core::Language;
namespace config = kiosk::config;
namespace core = kiosk::core;

const char* const kNotificationsPath = KIOSK_TEST_ASSET_DIR "/notifications.toml";

core::Timestamp QuietAt(std::string_view iso) { return *core::ParseTimestamp(iso); }

std::string Refusal(std::string_view text) {
    auto parsed = config::ParseNotifications(text, "n.toml");
    REQUIRE_FALSE(parsed);
    return parsed.error().message;
}

const std::string kHead = "enabled = true\nutc_offset = \"+08:00\"\n";

}  // namespace notification_test

using namespace notification_test;

TEST_CASE("the shipped notifications load and every message fills in three languages", "[config][notifications]") {
    auto policy = config::LoadNotificationsFile(kNotificationsPath);
    REQUIRE(policy);
    CHECK(policy->enabled);
    REQUIRE(policy->messages.size() == 5);
    const core::ScriptFields fields{{"ticket_number", "S001-K1-261122-0007"}, {"product", "Phone X"}, {"status", "Ready"},
                                    {"note", "2026-12-10"}, {"rate_link", "https://r.example/S001"}, {"store", "S001"}};
    for (const core::NotificationMessage& m : policy->messages) {
        for (Language language : {Language::ZhHans, Language::ZhHant, Language::En}) {
            const std::string text = core::RenderNotification(m, language, fields);
            INFO(m.id << " " << core::LanguageTag(language) << ": " << text);
            CHECK(text.find('{') == std::string::npos);
            CHECK(text.find("S001-K1-261122-0007") != std::string::npos);
        }
    }
    // A placeholder the ticket cannot fill is left out, never shown raw or as a blank to fill.
    const auto* parts = policy->For("in_repair", "awaiting_parts");
    REQUIRE(parts != nullptr);
    const std::string text = core::RenderNotification(*parts, Language::En, {{"ticket_number", "T1"}});
    CHECK(text == "Your  (ticket T1) is waiting for parts: . We are sorry for the wait.");
}

TEST_CASE("a move finds its message: entering a status, or leaving approval", "[config][notifications]") {
    auto policy = config::LoadNotificationsFile(kNotificationsPath);
    REQUIRE(policy);
    CHECK(policy->For("submitted", "received")->id == "received");
    CHECK(policy->For("awaiting_approval", "in_repair")->id == "approval_decided");
    CHECK(policy->For("awaiting_approval", "rejected")->id == "approval_decided");
    CHECK(policy->For("in_repair", "ready_for_pickup")->id == "ready_for_pickup");
    CHECK(policy->For("received", "diagnosing") == nullptr);
    CHECK(policy->Promises("ready_for_pickup"));
    CHECK_FALSE(policy->Promises("diagnosing"));
    policy->enabled = false;
    CHECK(policy->For("in_repair", "ready_for_pickup") == nullptr);
    CHECK_FALSE(policy->Promises("ready_for_pickup"));
}

TEST_CASE("quiet hours are local time, may span midnight and end at their minute", "[config][notifications]") {
    auto policy = config::ParseNotifications(kHead + "quiet_hours = \"21:00-08:00\"\n", "n.toml");
    REQUIRE(policy);
    // 21:00 Beijing time is 13:00 UTC.
    CHECK_FALSE(policy->InQuietHours(QuietAt("2026-12-06T12:59:59Z")));
    CHECK(policy->InQuietHours(QuietAt("2026-12-06T13:00:00Z")));
    CHECK(policy->InQuietHours(QuietAt("2026-12-06T23:59:00Z")));  // 07:59 the next morning
    CHECK_FALSE(policy->InQuietHours(QuietAt("2026-12-07T00:00:00Z")));
    CHECK(policy->NextAllowed(QuietAt("2026-12-06T15:30:20Z")) == QuietAt("2026-12-07T00:00:00Z"));
    CHECK(policy->NextAllowed(QuietAt("2026-12-06T17:10:00Z")) == QuietAt("2026-12-07T00:00:00Z"));  // 01:10 local
    CHECK(policy->NextAllowed(QuietAt("2026-12-06T04:00:00Z")) == QuietAt("2026-12-06T04:00:00Z"));

    auto lunch = config::ParseNotifications(kHead + "quiet_hours = \"12:00-13:30\"\n", "n.toml");
    REQUIRE(lunch);
    CHECK(lunch->InQuietHours(QuietAt("2026-12-06T04:00:00Z")));
    CHECK(lunch->NextAllowed(QuietAt("2026-12-06T04:10:00Z")) == QuietAt("2026-12-06T05:30:00Z"));
    auto none = config::ParseNotifications(kHead, "n.toml");
    REQUIRE(none);
    CHECK_FALSE(none->InQuietHours(QuietAt("2026-12-06T15:00:00Z")));
}

TEST_CASE("a bad notifications file is refused with FILE:LINE and publishes nothing", "[config][notifications]") {
    const std::string message = "[[message]]\nid = \"ready\"\non_status = \"ready_for_pickup\"\n";
    CHECK(Refusal(kHead + message + "text = { zh-Hans = \"好\", en = \"ok\" }\n").find("n.toml:6") == 0);
    CHECK(Refusal(kHead + message + "text = { zh-Hans = \"好\", en = \"ok\" }\n").find("zh-Hant") != std::string::npos);
    const std::string unknown = Refusal(kHead + message + "text = { zh-Hans = \"{name}\", zh-Hant = \"a\", en = \"a\" }\n");
    CHECK(unknown.find("n.toml:6") == 0);
    CHECK(unknown.find("unknown placeholder {name}") != std::string::npos);
    CHECK(Refusal(kHead + "[[message]]\nid = \"x\"\ntext = { zh-Hans = \"a\", zh-Hant = \"a\", en = \"a\" }\n").find("needs on_status") !=
          std::string::npos);
    CHECK(Refusal("enabled = true\n").find("utc_offset") != std::string::npos);
    CHECK(Refusal(kHead + "quiet_hours = \"9pm-8am\"\n").find("n.toml:3") == 0);
    CHECK(Refusal(kHead + "quiet = \"21:00-08:00\"\n").find("quiet") != std::string::npos);
    const std::string twice = kHead + message + "text = { zh-Hans = \"a\", zh-Hant = \"a\", en = \"a\" }\n";
    CHECK(Refusal(twice + twice.substr(kHead.size())).find("appears twice") != std::string::npos);
    // Head office checks a file with the same parser before it publishes.
    auto checked = config::CheckPublishedDocument("notifications", kHead + "quiet_hours = \"25:00-08:00\"\n", "n.toml");
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message.find("n.toml:3") == 0);
}
