// The ingest service on a throwaway PostgreSQL cluster on loopback: the same behaviour as on SQLite,
// and several servers on one database giving the result of one. Exits with 77 (SKIP) when PostgreSQL
// is not installed.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "kiosk/config/notification_loader.hpp"
#include "sync/headoffice/notifier.hpp"
#include "sync/wire/datasets.hpp"
#include "postgres_cluster.hpp"
#include "blob_test_support.hpp"
#include "sync_test_support.hpp"
#include "webhook_receiver.hpp"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::test;

namespace {

std::int64_t PgCount(const std::string& url, const std::string& sql) {
    auto factory = Ok(headoffice::SessionFactoryFor(url));
    auto session = Ok(factory());
    auto rows = Ok(session->Query(sql));
    return std::stoll(rows.at(0).at(0));
}

}  // namespace

TEST_CASE("on PostgreSQL, batches are applied once, by one server or several", "[sync][postgres]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice first(cluster.Url());
    LocalHeadOffice second(cluster.Url());
    Credentials k1 = EnrolRaw(first, "S012", "K1");

    // Duplicates, a changed body, a gap: as on SQLite.
    BatchRequest batch = MakeBatch(k1, 1, 50);
    REQUIRE(PostBatch(first.Url(), k1, batch).status == 200);
    HttpResponse again = PostBatch(second.Url(), k1, batch);
    REQUIRE(again.status == 200);
    CHECK(Ok(ParseAck(again.body)).duplicates == 50);
    BatchRequest changed = batch;
    changed.records[0].payload = Json{{"tag", "changed"}}.dump();
    CHECK(PostBatch(second.Url(), k1, changed).status == 422);
    HttpResponse gap = PostBatch(first.Url(), k1, MakeBatch(k1, 60, 1));
    CHECK(gap.status == 409);
    CHECK(ParseError(gap.body).expectedSeq == 51);

    // The same batches raced against both servers from several threads.
    std::vector<BatchRequest> batches;
    for (int b = 0; b < 10; ++b) batches.push_back(MakeBatch(k1, 51 + b * 20, 20));
    std::vector<std::thread> senders;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        senders.emplace_back([&, t] {
            for (const BatchRequest& b : batches) {
                // A batch can only land once its predecessor has: retry gaps until it does.
                for (int attempt = 0; attempt < 200; ++attempt) {
                    const int status = PostBatch(t % 2 == 0 ? first.Url() : second.Url(), k1, b).status;
                    if (status == 200) break;
                    if (status != 409) ++failures;
                    std::this_thread::sleep_for(std::chrono::milliseconds{5});
                }
            }
        });
    }
    for (auto& t : senders) t.join();
    CHECK(failures == 0);
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM records") == 250);
    CHECK(PgCount(cluster.Url(), "SELECT count(DISTINCT seq) FROM records") == 250);
    CHECK(PgCount(cluster.Url(), "SELECT last_seq FROM cursors WHERE kiosk = 'S012-K1'") == 250);

    // Authentication is checked the same way.
    CHECK(PostBatch(first.Url(), k1, MakeBatch(k1, 251, 1), 0, std::string(64, '0')).status == 401);
    Ok(second.service->RevokeKiosk("S012-K1"));
    CHECK(PostBatch(first.Url(), k1, MakeBatch(k1, 251, 1)).status == 403);

    // A kiosk worker draining to the PostgreSQL-backed server.
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    FileTickets(kioskDb, 7);
    const std::string token = Ok(first.service->AddKiosk("S012", "K2"));
    Ok(Enrol(kioskDb, second.Url(), token));
    auto worker = Ok(SyncWorker::Open(kioskDb));
    CHECK(Ok(worker.Drain()).records == 7);
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM records WHERE kiosk = 'S012-K2'") == 7);
    auto kiosks = Ok(first.service->ListKiosks());
    REQUIRE(kiosks.size() == 2);
    CHECK(kiosks[1].lastSeq == 7);
    CHECK(kiosks[0].revoked);

    // Downstream: a published catalog version reaches the kiosk, and head office records it applied.
    core::Product product{storage::test::MakeGtin("691000000001"), "SKU-1", {"产品", "產品", "Product"}, "phone", 100, "sanbao", false, {}};
    CHECK(Ok(first.service->Publish("catalog", Ok(wire::EncodeCatalogItems(std::span(&product, 1))), "test")) == 1);
    product.price = 200;
    CHECK(Ok(second.service->Publish("catalog", Ok(wire::EncodeCatalogItems(std::span(&product, 1))), "test")) == 2);
    CHECK(Ok(worker.Drain()).datasetsApplied == 1);
    {
        auto kioskConn = Ok(storage::Database::Open(kioskDb));
        CHECK(Ok(kioskConn.QueryInt("SELECT price FROM products")) == 200);
        CHECK(Ok(kioskConn.QueryInt("SELECT version FROM downstream_versions WHERE dataset = 'catalog'")) == 2);
    }
    CHECK(Ok(first.service->ListKiosks())[1].datasets.at("catalog") == 2);
    CHECK(Ok(first.service->CurrentVersions()).at("catalog") == 2);
}

// Customer messages on PostgreSQL: two servers' notifiers claim the due rows at once (FOR UPDATE SKIP
// LOCKED) and the receiver takes each message once.
TEST_CASE("on PostgreSQL, two servers sending customer messages at once deliver each once", "[sync][postgres][notifications]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice first(cluster.Url());
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    {
        auto store = storage::test::OpenStore(kioskDb);
        Ok(store.Initialize("S012", "K1", storage::test::At("2026-11-01T00:00:00Z")));
        for (int i = 0; i < 6; ++i) {
            core::NewTicket request;
            request.type = core::TicketType::Repair;
            request.customerPhone = "13800138000";
            request.language = core::Language::En;
            request.notify = i != 5;  // the last customer did not agree
            const std::string number = Ok(store.CreateTicket(request, storage::test::kCustomer, storage::test::At("2026-11-22T00:00:00Z"))).number;
            for (const char* to : {"received", "diagnosing", "in_repair", "ready_for_pickup", "closed"}) {
                Ok(store.TransitionTicket(number, to, storage::test::kSupervisor, "", storage::test::At("2026-11-22T01:00:00Z")));
            }
        }
    }
    Ok(Enrol(kioskDb, first.Url(), std::string(kEnrolPrefix) + Ok(first.service->AddKiosk("S012", "K1"))));
    Ok(Ok(SyncWorker::Open(kioskDb)).Drain());
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM notifications") == 5 * 5);

    const std::string secret = "postgres-webhook-secret";
    WebhookReceiver receiver(secret);
    headoffice::WebhookGateway gateway(receiver.Url(), secret, std::chrono::seconds{10}, [] { return NowMs() / 1000; });
    headoffice::NotificationTexts texts;
    texts.fallback = Ok(config::LoadNotificationsFile(KIOSK_TEST_ASSET_DIR "/notifications.toml"));
    texts.fallback.quiet = {};  // the test runs at any hour
    auto second = Ok(headoffice::IngestService::Open(cluster.Url()));
    std::vector<std::unique_ptr<headoffice::Notifier>> notifiers;
    for (auto [pool, owner] : {std::pair{&first.service->Pool(), "server-a"}, {&second->Pool(), "server-b"}}) {
        headoffice::NotifierOptions options;
        options.owner = owner;
        options.batch = 2;
        notifiers.push_back(std::make_unique<headoffice::Notifier>(*pool, gateway, texts, options, [] { return NowMs(); }));
    }
    std::vector<std::thread> threads;
    for (auto& n : notifiers) {
        threads.emplace_back([&n] {
            for (int round = 0; round < 20; ++round) {
                if (auto r = n->RunOnce(); !r) WARN(r.error().message);
            }
        });
    }
    for (auto& t : threads) t.join();
    // received, ready_for_pickup and closed have messages; diagnosing and in_repair do not.
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM notifications WHERE state = 'sent'") == 5 * 3);
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM notifications WHERE state = 'not_sent'") == 5 * 2);
    CHECK(receiver.Messages().size() == 5 * 3);
    for (const auto& [id, count] : receiver.Arrivals()) CHECK(count == 1);
}

TEST_CASE("on PostgreSQL, blobs go up in chunks to either of two servers, stored once and byte for byte", "[sync][postgres][blobs]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    LocalHeadOffice first(cluster.Url());
    LocalHeadOffice second(cluster.Url());
    AttachingKiosk kiosk;
    const auto photos = kiosk.AttachPhotos(3, 600 * 1024, 31);  // bytes of every value, zeros included
    Ok(Enrol(kiosk.File(), first.Url(), Ok(first.service->AddKiosk("S012", "K1"))));
    auto worker = Ok(SyncWorker::Open(kiosk.File()));
    // The records and the blobs through the first server.
    CHECK(Ok(worker.Drain()).blobsSent == 3);

    // A blob half sent to one server is finished through the other (the partial upload is in the database).
    const std::string bytes = FakePhotoBytes(32, 300 * 1024);
    const core::Attachment unheld = kiosk.AttachUnheld(bytes);
    CHECK(Ok(worker.Drain()).blobsFailed == 1);  // its record is at head office; the kiosk holds no file
    const Credentials who = kiosk.Enrolled();
    const std::int64_t size = static_cast<std::int64_t>(bytes.size());
    REQUIRE(BlobCall(first.Url(), who, unheld.sha256, 0, std::string_view(bytes).substr(0, 100 * 1024), size).status == 200);
    const HttpResponse stale = BlobCall(second.Url(), who, unheld.sha256, 0, std::string_view(bytes).substr(0, 100 * 1024), size);
    CHECK(stale.status == 409);
    CHECK(Ok(ParseBlobState(stale.body)).received == 100 * 1024);
    const HttpResponse last = BlobCall(second.Url(), who, unheld.sha256, 100 * 1024, std::string_view(bytes).substr(100 * 1024), size);
    REQUIRE(last.status == 200);
    CHECK(Ok(ParseBlobState(last.body)).complete);

    kiosk.files[unheld.sha256] = bytes;
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM blobs") == 4);
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM blob_chunks") == 0);
    CHECK(PgCount(cluster.Url(), "SELECT count(*) FROM blob_uploads") == 0);
    auto lease = Ok(first.service->Pool().Acquire());
    for (const auto& [sha, data] : kiosk.files) {
        INFO("blob " << sha);
        const auto stored = Ok(headoffice::ReadStoredBlob(*lease, sha));
        REQUIRE(stored.has_value());
        CHECK(stored->mediaType == "image/jpeg");
        CHECK(stored->data == data);
        CHECK(Sha256Hex(stored->data) == sha);
    }
}

// The ingest writes a batch's rows as array parameters (unnest($n::text[])): every text must arrive as
// sent, NULLs as NULL.
TEST_CASE("on PostgreSQL, array parameters carry any text, numbers and NULLs as sent", "[sync][postgres]") {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    PostgresCluster cluster;
    auto session = Ok(Ok(headoffice::SessionFactoryFor(cluster.Url()))());
    const std::vector<std::optional<std::string>> texts{"plain", "", "NULL", "a\"b", "back\\slash\\", "comma, {brace}",
                                                        "屏幕闪烁 and space", " leading", std::nullopt, "'quote'"};
    const auto rows = Ok(session->QueryPrepared("SELECT v IS NULL, coalesce(v, '') FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) "
                                                "ORDER BY i",
                                                {headoffice::ArrayLiteral(texts)}));
    REQUIRE(rows.size() == texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        INFO("element " << i);
        CHECK((rows[i][0] == "t") == !texts[i].has_value());
        CHECK(rows[i][1] == texts[i].value_or(""));
    }
    std::vector<std::string> plain;
    for (const auto& t : texts) plain.push_back(t.value_or("NULL"));
    const auto same = Ok(session->QueryPrepared("SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i",
                                                {headoffice::TextArrayLiteral(plain)}));
    REQUIRE(same.size() == plain.size());
    for (std::size_t i = 0; i < plain.size(); ++i) CHECK(same[i][0] == plain[i]);
    const std::vector<std::optional<std::int64_t>> numbers{0, -1, std::nullopt, 9'007'199'254'740'993};
    const auto read = Ok(session->QueryPrepared("SELECT coalesce(v::text, 'null') FROM unnest($1::bigint[]) WITH ORDINALITY AS u(v, i) "
                                                "ORDER BY i",
                                                {headoffice::ArrayLiteral(numbers)}));
    REQUIRE(read.size() == 4);
    CHECK(read[0][0] == "0");
    CHECK(read[1][0] == "-1");
    CHECK(read[2][0] == "null");
    CHECK(read[3][0] == "9007199254740993");
    CHECK(Ok(session->QueryPrepared("SELECT count(*) FROM unnest($1::text[])", {headoffice::ArrayLiteral(std::vector<std::optional<std::string>>{})}))
              .at(0)
              .at(0) == "0");
}
