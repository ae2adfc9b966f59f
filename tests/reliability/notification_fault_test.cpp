// Customer messages through a faulty network and head-office kills: two `headoffice serve` processes on
// one database post to a real webhook receiver through the fault proxy (refused, cut, answer dropped
// after the receiver took the message, slow, never answered), while one of them is killed and started
// again. Once the faults stop, every due message has reached the receiver, each exactly once by its
// delivery id, and none for the customer who did not agree.
#include <random>
#include <set>

#include "fault_proxy.hpp"
#include "reliability_support.hpp"
#include "sync/sync_test_support.hpp"
#include "sync/webhook_receiver.hpp"

using namespace kiosk;
using namespace kiosk::reliability;
using namespace kiosk::sync::test;

namespace notification_faults {

// Repairs filed at S012/K1, every third without consent to messages, each worked from intake to
// closing: four of its six moves have a message.
std::set<std::string> FileAndWork(const std::filesystem::path& kioskDb, int tickets) {
    auto store = storage::test::OpenStore(kioskDb);
    Ok(store.Initialize("S012", "K1", storage::test::At("2026-11-01T00:00:00Z")));
    std::set<std::string> withoutConsent;
    for (int i = 0; i < tickets; ++i) {
        core::NewTicket request;
        request.type = core::TicketType::Repair;
        request.gtin = "06910000000006";
        request.customerPhone = "1380013" + std::to_string(8000 + i);
        request.description = "repair " + std::to_string(i);
        request.language = i % 2 == 0 ? core::Language::ZhHans : core::Language::En;
        request.notify = i % 3 != 2;
        const std::string number = Ok(store.CreateTicket(request, storage::test::kCustomer, storage::test::At("2026-11-22T00:00:00Z"))).number;
        if (!request.notify) withoutConsent.insert(number);
        int minute = 1;
        for (const char* to : {"received", "diagnosing", "awaiting_parts", "in_repair", "ready_for_pickup", "closed"}) {
            const std::string at = "2026-11-22T01:" + std::string(minute < 10 ? "0" : "") + std::to_string(minute) + ":00Z";
            Ok(store.TransitionTicket(number, to, storage::test::kSupervisor, "", storage::test::At(at)));
            ++minute;
        }
    }
    return withoutConsent;
}

}  // namespace notification_faults

using namespace notification_faults;

TEST_CASE("notification faults: every due message reaches the webhook exactly once through faults and kills",
          "[reliability][network][notifications]") {
    const RunLength length = RunLength::FromEnvironment();
    const int tickets = length.Pick(9, 60);
    const int kills = length.Pick(3, 12);
    std::mt19937_64 random(length.seed);
    WARN("notification faults: " << tickets << " tickets, " << kills << " kills, seed " << length.seed);
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    const auto hoDb = dir.File("ho.db");
    const std::string hoUrl = "sqlite:" + hoDb.string();
    const std::set<std::string> withoutConsent = FileAndWork(kioskDb, tickets);
    const std::string secret = "reliability-webhook-secret";
    AppendTo(dir.File("secret"), secret + "\n");
    // The shipped messages without quiet hours, published as a store would: the test runs at any hour.
    std::string messages = ReadAll(KIOSK_TEST_ASSET_DIR "/notifications.toml");
    messages.replace(messages.find("quiet_hours = "), messages.find('\n', messages.find("quiet_hours = ")) - messages.find("quiet_hours = "),
                     "# no quiet hours");
    AppendTo(dir.File("notifications.toml"), messages);
    {
        Child publish({HEADOFFICE_PATH, "--db", hoUrl, "publish", "notifications", dir.File("notifications.toml").string()});
        REQUIRE(publish.Wait() == 0);
    }

    WebhookReceiver receiver(secret);
    std::mutex randomMutex;
    std::discrete_distribution<int> pickFault({60, 10, 8, 10, 0, 8, 4});  // no duplicates: a server never sends twice at once
    FaultProxy proxy(receiver.Port(), [&](std::int64_t) {
        std::lock_guard lock(randomMutex);
        return static_cast<Fault>(pickFault(random));
    });
    const std::vector<std::string> webhook{"--webhook",       proxy.Url() + "/hook", "--webhook-secret-file", dir.File("secret").string(),
                                           "--webhook-timeout", "2",               "--webhook-retry",       "1",
                                           "--webhook-attempts", "1000"};
    auto a = std::make_unique<HeadOfficeProcess>(hoUrl, 0, std::vector<std::string>{}, webhook);
    auto b = std::make_unique<HeadOfficeProcess>(hoUrl, 0, std::vector<std::string>{}, webhook);
    const int portA = a->port;
    {
        Child add({HEADOFFICE_PATH, "--db", hoUrl, "kiosk", "add", "S012", "K1", "--qr", dir.File("qr.png").string()});
        const std::string token = add.ReadLine();
        REQUIRE(add.Wait() == 0);
        Ok(sync::Enrol(kioskDb, b->Url(), token));
    }
    auto worker = Ok(sync::SyncWorker::Open(kioskDb));
    Ok(worker.Drain());
    const std::int64_t due = HeadOfficeCount(hoDb, "SELECT count(*) FROM notifications") * 4 / 6;
    REQUIRE(due == (tickets - static_cast<std::int64_t>(withoutConsent.size())) * 4);

    // Server A is killed at random moments while the messages go out, and started again.
    for (int kill = 0; kill < kills; ++kill) {
        int waitMs = 0;
        {
            std::lock_guard lock(randomMutex);
            waitMs = std::uniform_int_distribution<int>(200, 1500)(random);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{waitMs});
        a->child->Signal(SIGKILL);
        a.reset();
        a = std::make_unique<HeadOfficeProcess>(hoUrl, portA, std::vector<std::string>{}, webhook);
    }
    proxy.SetPlan(nullptr);

    // Generous: a message that met several faults waits up to a minute between attempts.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes{4};
    while (std::chrono::steady_clock::now() < deadline &&
           (static_cast<std::int64_t>(receiver.Messages().size()) < due ||
            HeadOfficeCount(hoDb, "SELECT count(*) FROM notifications WHERE state = 'sent'") < due)) {
        std::this_thread::sleep_for(std::chrono::milliseconds{200});
    }
    const auto taken = receiver.Messages();
    CHECK(static_cast<std::int64_t>(taken.size()) == due);
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM notifications WHERE state = 'sent'") == due);
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM notifications WHERE state IN ('queued', 'failed')") == 0);
    CHECK(receiver.BadSignatures() == 0);
    std::set<std::string> ids;
    for (const auto& m : taken) {
        CHECK(ids.insert(m.deliveryId).second);
        CHECK_FALSE(withoutConsent.contains(m.body["ticket"].get<std::string>()));
    }
    // The receiver took exactly the messages head office recorded as sent.
    auto ho = Ok(storage::Database::Open(hoDb));
    auto sent = Ok(ho.Prepare("SELECT id FROM notifications WHERE state = 'sent'"));
    while (Ok(sent.Step())) CHECK(ids.contains(sent.Text(0)));

    std::int64_t arrivals = 0;
    for (const auto& [id, count] : receiver.Arrivals()) arrivals += count;
    const std::int64_t faults = proxy.Faults();
    const std::string summary = proxy.Summary();
    WARN("notification faults: " << due << " messages taken once each; " << arrivals << " requests reached the receiver, "
                                 << proxy.Requests() << " went through the proxy (" << summary << kills << " head-office kills)");
    CHECK(faults > 0);
}
