// Customer messages end to end inside one process: tickets filed at a kiosk with and without consent,
// worked through their moves and synced to head office; the notifier delivers through the webhook
// gateway to a real receiver on loopback, with an injected clock for the quiet hours and the retries.
#include "sync_test_support.hpp"
#include "webhook_receiver.hpp"

#include "kiosk/config/notification_loader.hpp"
#include "sync/headoffice/notifications.hpp"
#include "sync/headoffice/notifier.hpp"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::test;

namespace notification_test {

const std::string kSecret = "a-shared-secret-of-some-length";

// A repair filed at kiosk S012/K1 by a customer who agreed to messages (or not), in `language`.
std::string FileRepair(storage::KioskStore& store, bool notify, core::Language language, std::string_view at) {
    core::NewTicket request;
    request.type = core::TicketType::Repair;
    request.gtin = "06910000000006";
    request.customerPhone = "13800138000";
    request.description = "screen flickers";
    request.language = language;
    request.notify = notify;
    return Ok(store.CreateTicket(request, storage::test::kCustomer, storage::test::At(at))).number;
}

// Every move a repair makes from intake to closing, an hour apart from `day`T01:00Z.
void WorkThrough(storage::KioskStore& store, const std::string& number, const std::string& day) {
    int hour = 1;
    for (auto [to, note] : {std::pair{"received", ""}, {"diagnosing", ""}, {"awaiting_parts", "parts due 2026-11-28"},
                            {"in_repair", ""}, {"ready_for_pickup", ""}, {"closed", ""}}) {
        const std::string at = day + "T" + (hour < 10 ? "0" : "") + std::to_string(hour) + ":00:00Z";
        Ok(store.TransitionTicket(number, to, storage::test::kSupervisor, note, storage::test::At(at)));
        ++hour;
    }
}

std::int64_t Ms(std::string_view iso) { return std::int64_t{storage::test::At(iso).time_since_epoch().count()} * 1000; }

struct NotifyFixture {
    storage::test::TempDir dir;
    std::filesystem::path kioskDb = dir.File("kiosk.db");
    std::filesystem::path hoDb = dir.File("ho.db");
    std::unique_ptr<LocalHeadOffice> ho;
    std::string consentHant, consentEn, noConsent;
    std::atomic<std::int64_t> now{Ms("2026-11-22T14:00:00Z")};  // 22:00 in the stores: quiet hours

    NotifyFixture() {
        ho = std::make_unique<LocalHeadOffice>("sqlite:" + hoDb.string());
        auto store = storage::test::OpenStore(kioskDb);
        Ok(store.Initialize("S012", "K1", storage::test::At("2026-11-01T00:00:00Z")));
        consentHant = FileRepair(store, true, core::Language::ZhHant, "2026-11-22T00:30:00Z");
        noConsent = FileRepair(store, false, core::Language::ZhHans, "2026-11-22T00:31:00Z");
        consentEn = FileRepair(store, true, core::Language::En, "2026-11-22T00:32:00Z");
        for (const std::string& n : {consentHant, noConsent, consentEn}) WorkThrough(store, n, "2026-11-22");
        Ok(Enrol(kioskDb, ho->Url(), std::string(kEnrolPrefix) + Ok(ho->service->AddKiosk("S012", "K1"))));
        auto worker = Ok(SyncWorker::Open(kioskDb));
        Ok(worker.Drain());
        Ok(ho->service->Publish("catalog", R"([{"gtin":"06910000000006","name_en":"Phone X","name_zh_hans":"手机X","name_zh_hant":"手機X","category":"phone","brand":"B","warranty_months":12,"price_fen":100}])", "test"));
    }

    headoffice::NotificationTexts Texts() const {
        headoffice::NotificationTexts texts;
        texts.fallback = Ok(config::LoadNotificationsFile(KIOSK_TEST_ASSET_DIR "/notifications.toml"));
        texts.parse = [](std::string_view text, std::string_view source) { return config::ParseNotifications(text, source); };
        texts.statusLabels["ready_for_pickup"] = {"可取件", "可取件", "Ready for pickup"};
        return texts;
    }
    headoffice::NotifierOptions Options(std::string owner) const {
        headoffice::NotifierOptions options;
        options.owner = std::move(owner);
        options.firstRetry = std::chrono::minutes{1};
        options.maxAttempts = 3;
        return options;
    }
    std::int64_t Count(const std::string& sql) const { return HeadOfficeCount(hoDb, sql); }
};

}  // namespace notification_test

using namespace notification_test;

TEST_CASE("customers who agreed get one message per chosen move, in their language, never in quiet hours", "[sync][notifications]") {
    NotifyFixture f;
    WebhookReceiver receiver(kSecret);
    headoffice::WebhookGateway gateway(receiver.Url(), kSecret, std::chrono::seconds{10}, [&f] { return f.now.load() / 1000; });
    headoffice::Notifier notifier(f.ho->service->Pool(), gateway, f.Texts(), f.Options("server-a"), [&f] { return f.now.load(); });

    // Six moves each for the two tickets whose customer agreed; none for the one who did not.
    CHECK(f.Count("SELECT count(*) FROM notify_consents") == 2);
    CHECK(f.Count("SELECT count(*) FROM notifications") == 12);
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE ticket = '" + f.noConsent + "'") == 0);

    // 22:00 local: everything waits for 08:00 (00:00Z).
    auto quiet = Ok(notifier.RunOnce());
    CHECK(quiet.postponed == 8);
    CHECK(quiet.notSent == 4);  // diagnosing and in_repair have no message
    CHECK(receiver.Messages().empty());
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE state = 'queued' AND next_at = " +
                  std::to_string(Ms("2026-11-23T00:00:00Z"))) == 8);
    f.now = Ms("2026-11-22T23:59:00Z");
    CHECK(Ok(notifier.RunOnce()).delivered == 0);

    f.now = Ms("2026-11-23T00:00:00Z");
    auto morning = Ok(notifier.RunOnce());
    CHECK(morning.delivered == 8);
    const auto messages = receiver.Messages();
    REQUIRE(messages.size() == 8);
    CHECK(receiver.BadSignatures() == 0);
    std::map<std::string, std::string> texts;
    for (const auto& m : messages) {
        CHECK(m.body["to"] == "13800138000");
        CHECK(m.body["ticket"] != f.noConsent);
        texts[m.body["ticket"].get<std::string>() + " " + m.body["message"].get<std::string>()] = m.body["text"];
    }
    CHECK(texts[f.consentEn + " ready_for_pickup"] ==
          "Your Phone X is ready for pickup (ticket " + f.consentEn + "). Please bring your receipt to the service counter.");
    CHECK(texts[f.consentHant + " awaiting_parts"] == "您的手机X（服務單 " + f.consentHant + "）正在等待配件：parts due 2026-11-28。造成不便，敬請見諒。");
    CHECK(texts[f.consentEn + " closed"].find("https://service.example.com/rate/" + f.consentEn) != std::string::npos);
    CHECK(texts.contains(f.consentHant + " received"));

    // Nothing more to send: a second round and a second server find nothing.
    CHECK(Ok(notifier.RunOnce()).delivered == 0);
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE state = 'sent'") == 8);
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE state = 'not_sent'") == 4);
    for (const auto& [id, count] : receiver.Arrivals()) CHECK(count == 1);
}

TEST_CASE("a failed delivery is retried with a growing wait; a refused one is listed and can be sent again", "[sync][notifications]") {
    NotifyFixture f;
    f.now = Ms("2026-11-23T02:00:00Z");  // 10:00 local
    WebhookReceiver receiver(kSecret);
    headoffice::WebhookGateway gateway(receiver.Url(), kSecret, std::chrono::seconds{10}, [&f] { return f.now.load() / 1000; });
    headoffice::Notifier notifier(f.ho->service->Pool(), gateway, f.Texts(), f.Options("server-a"), [&f] { return f.now.load(); });

    // One message meets 503, the next 429 (both tried again in a minute), the third 400 (refused for good).
    receiver.AnswerNext({503, 429, 400});
    const auto faults = Ok(notifier.RunOnce());
    CHECK(faults.retried == 2);
    CHECK(faults.failed == 1);
    CHECK(faults.delivered == 5);
    const std::string inAMinute = std::to_string(f.now + 60'000);
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE state = 'queued' AND attempts = 1 AND next_at = " + inAMinute +
                  " AND last_error LIKE 'HTTP 503%'") == 1);
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE state = 'queued' AND attempts = 1 AND next_at = " + inAMinute +
                  " AND last_error LIKE 'HTTP 429%'") == 1);
    auto lease = Ok(f.ho->service->Pool().Acquire());
    auto failed = Ok(headoffice::FailedNotifications(*lease, 10));
    REQUIRE(failed.size() == 1);
    CHECK(failed.front().lastError.find("HTTP 400") == 0);
    CHECK(failed.front().attempts == 1);

    // A minute on, the next attempt at one of them fails too: it waits twice as long.
    f.now += 60'000;
    receiver.AnswerNext({500});
    const auto again = Ok(notifier.RunOnce());
    CHECK(again.retried == 1);
    CHECK(again.delivered == 1);
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE attempts = 2 AND next_at = " + std::to_string(f.now + 120'000)) == 1);

    // Staff queue the refused one again; everything goes out.
    CHECK(Ok(headoffice::RequeueFailed(*lease, failed.front().id, f.now)));
    CHECK_FALSE(Ok(headoffice::RequeueFailed(*lease, failed.front().id, f.now)));  // no longer failed
    f.now += 120'000;
    for (int round = 0; round < 20; ++round) Ok(notifier.RunOnce());
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE state = 'sent'") == 8);
    CHECK(receiver.Messages().size() == 8);
    int arrivals = 0;
    for (const auto& [id, count] : receiver.Arrivals()) arrivals += count;
    CHECK(arrivals == 8 + 4);  // each message taken once, plus the four answered with an error
    const std::string first = failed.front().id;

    // Out of attempts: listed as failed.
    Ok(lease->Query("UPDATE notifications SET state = 'queued', attempts = 2, next_at = 0 WHERE id = $1", {first}));
    receiver.AnswerNext({500});
    CHECK(Ok(notifier.RunOnce()).failed == 1);
    CHECK(Ok(headoffice::FailedNotifications(*lease, 10)).front().id == first);
}

TEST_CASE("two servers sending at once deliver each message once", "[sync][notifications]") {
    NotifyFixture f;
    f.now = Ms("2026-11-23T02:00:00Z");
    WebhookReceiver receiver(kSecret);
    headoffice::WebhookGateway gateway(receiver.Url(), kSecret, std::chrono::seconds{10}, [&f] { return f.now.load() / 1000; });
    auto optionsA = f.Options("server-a");
    auto optionsB = f.Options("server-b");
    optionsA.batch = optionsB.batch = 1;
    headoffice::Notifier a(f.ho->service->Pool(), gateway, f.Texts(), optionsA, [&f] { return f.now.load(); });
    auto second = Ok(headoffice::IngestService::Open("sqlite:" + f.hoDb.string()));
    headoffice::Notifier b(second->Pool(), gateway, f.Texts(), optionsB, [&f] { return f.now.load(); });
    const auto run = [](headoffice::Notifier& n) {
        for (int round = 0; round < 30; ++round) {
            if (auto r = n.RunOnce(); !r) WARN(r.error().message);  // a lock timeout: the next round tries again
        }
    };
    std::thread ta([&] { run(a); });
    std::thread tb([&] { run(b); });
    ta.join();
    tb.join();
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE state = 'sent'") == 8);
    CHECK(receiver.Messages().size() == 8);
    for (const auto& [id, count] : receiver.Arrivals()) CHECK(count == 1);
}

TEST_CASE("notifications switched off send nothing, and the rows say why", "[sync][notifications]") {
    NotifyFixture f;
    f.now = Ms("2026-11-23T02:00:00Z");
    Ok(f.ho->service->Publish("notifications", "enabled = false\nutc_offset = \"+08:00\"\n", "off.toml"));
    WebhookReceiver receiver(kSecret);
    headoffice::WebhookGateway gateway(receiver.Url(), kSecret, std::chrono::seconds{10}, [&f] { return f.now.load() / 1000; });
    headoffice::Notifier notifier(f.ho->service->Pool(), gateway, f.Texts(), f.Options("server-a"), [&f] { return f.now.load(); });
    CHECK(Ok(notifier.RunOnce()).notSent == 12);
    CHECK(receiver.Arrivals().empty());
    CHECK(f.Count("SELECT count(*) FROM notifications WHERE last_error = 'notifications are off'") == 12);
}
