// The ingest service over HTTP on loopback: duplicates, gaps, re-enrolment, request authentication, and
// many kiosks at once.
#include <atomic>
#include <mutex>

#include "sync_test_support.hpp"
#include "sync/wire/ids.hpp"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::test;

namespace {

struct Fixture {
    storage::test::TempDir dir;
    std::filesystem::path db = dir.File("ho.db");
    LocalHeadOffice ho{"sqlite:" + db.string()};
    Credentials k1 = EnrolRaw(ho, "S012", "K1");

    std::int64_t Records() { return HeadOfficeCount(db, "SELECT count(*) FROM records"); }
};

}  // namespace

TEST_CASE("a batch is committed once and answered with the highest sequence", "[sync]") {
    Fixture f;
    BatchRequest batch = MakeBatch(f.k1, 1, 5);
    HttpResponse first = PostBatch(f.ho.Url(), f.k1, batch);
    REQUIRE(first.status == 200);
    BatchAck ack = Ok(ParseAck(first.body));
    CHECK(ack.ackedThroughSeq == 5);
    CHECK(ack.inserted == 5);
    CHECK(f.Records() == 5);

    SECTION("the same batch again is a duplicate, answered the same way") {
        HttpResponse again = PostBatch(f.ho.Url(), f.k1, batch);
        REQUIRE(again.status == 200);
        BatchAck second = Ok(ParseAck(again.body));
        CHECK(second.ackedThroughSeq == 5);
        CHECK(second.inserted == 0);
        CHECK(second.duplicates == 5);
        CHECK(f.Records() == 5);
    }
    SECTION("the same key with a changed body is refused and nothing is written") {
        BatchRequest changed = batch;
        changed.records[2].payload = Json{{"tag", "changed"}}.dump();
        HttpResponse refused = PostBatch(f.ho.Url(), f.k1, changed);
        CHECK(refused.status == 422);
        CHECK_THAT(ParseError(refused.body).error, Catch::Contains("different body"));
        CHECK(f.Records() == 5);
    }
    SECTION("the same records under a new key with a changed body are refused") {
        std::vector<std::string> ids;
        for (const auto& r : batch.records) ids.push_back(r.id);
        BatchRequest changed = MakeBatch(f.k1, 1, 5, "other", &ids);
        HttpResponse refused = PostBatch(f.ho.Url(), f.k1, changed);
        CHECK(refused.status == 422);
        CHECK(f.Records() == 5);
    }
    SECTION("a batch leaving a gap is refused with the sequence expected") {
        HttpResponse gap = PostBatch(f.ho.Url(), f.k1, MakeBatch(f.k1, 8, 2));
        CHECK(gap.status == 409);
        CHECK(ParseError(gap.body).expectedSeq == 6);
        CHECK(f.Records() == 5);
    }
    SECTION("an overlapping batch stores only the new records") {
        std::vector<std::string> ids;
        for (const auto& r : batch.records) ids.push_back(r.id);
        ids.erase(ids.begin(), ids.begin() + 3);  // seq 4 and 5 again, then 6..8 new
        BatchRequest overlap = MakeBatch(f.k1, 4, 5, "a", &ids);
        overlap.records[0].payload = batch.records[3].payload;
        overlap.records[1].payload = batch.records[4].payload;
        HttpResponse response = PostBatch(f.ho.Url(), f.k1, overlap);
        REQUIRE(response.status == 200);
        BatchAck third = Ok(ParseAck(response.body));
        CHECK(third.inserted == 3);
        CHECK(third.duplicates == 2);
        CHECK(third.ackedThroughSeq == 8);
        CHECK(f.Records() == 8);
    }
}

TEST_CASE("the same batch sent concurrently is stored once", "[sync]") {
    Fixture f;
    BatchRequest batch = MakeBatch(f.k1, 1, 200);
    std::vector<int> statuses(4);
    std::vector<std::thread> senders;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        senders.emplace_back([&, i] { statuses[i] = PostBatch(f.ho.Url(), f.k1, batch).status; });
    }
    for (auto& t : senders) t.join();
    for (int status : statuses) CHECK(status == 200);
    CHECK(f.Records() == 200);
    CHECK(HeadOfficeCount(f.db, "SELECT count(*) FROM batches") == 1);
}

// Many kiosks at once, each batch sent twice by racing senders: on SQLite the batches share group
// commits. Every record is stored exactly once, and every acknowledgement is already true in the
// database when it arrives, read on a connection of our own.
TEST_CASE("many kiosks uploading at once: every record stored once, every acknowledgement committed", "[sync]") {
    storage::test::TempDir dir;
    const std::filesystem::path db = dir.File("ho.db");
    LocalHeadOffice ho("sqlite:" + db.string());
    constexpr std::size_t kKiosks = 40;
    constexpr int kBatches = 5;
    constexpr int kPerBatch = 20;
    std::vector<Credentials> kiosks;
    std::vector<std::vector<BatchRequest>> batches(kKiosks);
    for (std::size_t k = 0; k < kKiosks; ++k) {
        kiosks.push_back(EnrolRaw(ho, "S" + std::to_string(100 + k), "K1"));
        for (int b = 0; b < kBatches; ++b) batches[k].push_back(MakeBatch(kiosks.back(), 1 + b * kPerBatch, kPerBatch));
    }
    std::atomic<std::int64_t> insertedAcked{0};
    std::atomic<int> failures{0};
    std::mutex notesMutex;  // Catch2's macros are for the main thread: the senders' failures are noted here
    std::vector<std::string> notes;
    const auto Note = [&](std::string note) {
        std::lock_guard lock(notesMutex);
        notes.push_back(std::move(note));
    };
    std::vector<std::thread> senders;
    for (std::size_t k = 0; k < kKiosks; ++k) {
        for (int twin = 0; twin < 2; ++twin) {
            senders.emplace_back([&, k] {
                for (const BatchRequest& batch : batches[k]) {
                    HttpResponse response = PostBatch(ho.Url(), kiosks[k], batch);
                    auto ack = ParseAck(response.body);
                    // A twin's replay is answered with the cursor, which its twin may have moved further.
                    if (response.status != 200 || !ack || ack->ackedThroughSeq < batch.lastSeq ||
                        ack->inserted + ack->duplicates != kPerBatch) {
                        Note(kiosks[k].kiosk + " batch from " + std::to_string(batch.firstSeq) + ": " +
                             std::to_string(response.status) + " " + response.body);
                        ++failures;
                        return;
                    }
                    insertedAcked += ack->inserted;
                    const std::int64_t stored = HeadOfficeCount(
                        db, "SELECT count(*) FROM records WHERE kiosk = '" + kiosks[k].kiosk + "' AND seq BETWEEN " +
                                std::to_string(batch.firstSeq) + " AND " + std::to_string(batch.lastSeq));
                    if (stored != kPerBatch) {
                        Note(kiosks[k].kiosk + " acknowledged batch from " + std::to_string(batch.firstSeq) + " has " +
                             std::to_string(stored) + " records stored");
                        ++failures;
                    }
                }
            });
        }
    }
    for (std::thread& t : senders) t.join();
    for (const std::string& note : notes) UNSCOPED_INFO(note);
    CHECK(failures == 0);
    constexpr std::int64_t kTotal = static_cast<std::int64_t>(kKiosks) * kBatches * kPerBatch;
    CHECK(insertedAcked == kTotal);
    CHECK(HeadOfficeCount(db, "SELECT count(*) FROM records") == kTotal);
    CHECK(HeadOfficeCount(db, "SELECT count(DISTINCT kiosk || '/' || seq) FROM records") == kTotal);
    CHECK(HeadOfficeCount(db, "SELECT count(*) FROM batches") == static_cast<std::int64_t>(kKiosks) * kBatches);
    CHECK(HeadOfficeCount(db, "SELECT count(*) FROM cursors WHERE last_seq = " + std::to_string(kBatches * kPerBatch)) ==
          static_cast<std::int64_t>(kKiosks));
}

TEST_CASE("a batch refused in a group commit leaves the batches committed with it untouched", "[sync]") {
    Fixture f;
    BatchRequest batch = MakeBatch(f.k1, 1, 30);
    REQUIRE(PostBatch(f.ho.Url(), f.k1, batch).status == 200);
    Credentials k2 = EnrolRaw(f.ho, "S013", "K1");
    // Sent together: k1's changed records (refused, rolled back) beside k2's new ones, several times over.
    std::vector<BatchRequest> changed;
    std::vector<BatchRequest> fresh;
    for (int round = 0; round < 8; ++round) {
        std::vector<std::string> ids;
        for (const auto& r : batch.records) ids.push_back(r.id);
        changed.push_back(MakeBatch(f.k1, 1, 30, "changed-" + std::to_string(round), &ids));
        fresh.push_back(MakeBatch(k2, 1 + round * 10, 10));
    }
    std::vector<int> changedStatus(changed.size());
    std::thread refusedSender([&] {
        for (std::size_t i = 0; i < changed.size(); ++i) changedStatus[i] = PostBatch(f.ho.Url(), f.k1, changed[i]).status;
    });
    for (const BatchRequest& b : fresh) REQUIRE(PostBatch(f.ho.Url(), k2, b).status == 200);
    refusedSender.join();
    for (int status : changedStatus) CHECK(status == 422);
    CHECK(HeadOfficeCount(f.db, "SELECT count(*) FROM records WHERE kiosk = '" + f.k1.kiosk + "'") == 30);
    CHECK(HeadOfficeCount(f.db, "SELECT count(*) FROM records WHERE kiosk = '" + k2.kiosk + "'") == 80);
    CHECK(HeadOfficeCount(f.db, "SELECT last_seq FROM cursors WHERE kiosk = '" + k2.kiosk + "'") == 80);
}

TEST_CASE("a record that fails validation goes to the dead-letter table and is still acknowledged", "[sync]") {
    Fixture f;
    BatchRequest batch = MakeBatch(f.k1, 1, 3);
    batch.records[1].id = "not-a-uuid";
    HttpResponse response = PostBatch(f.ho.Url(), f.k1, batch);
    REQUIRE(response.status == 200);
    BatchAck ack = Ok(ParseAck(response.body));
    CHECK(ack.ackedThroughSeq == 3);
    REQUIRE(ack.rejected.size() == 1);
    CHECK(ack.rejected[0].seq == 2);
    CHECK(f.Records() == 2);
    CHECK(HeadOfficeCount(f.db, "SELECT count(*) FROM dead_letters") == 1);
}

TEST_CASE("a re-enrolled kiosk starts a new epoch and its sequence again", "[sync]") {
    Fixture f;
    REQUIRE(PostBatch(f.ho.Url(), f.k1, MakeBatch(f.k1, 1, 4)).status == 200);
    Credentials again = EnrolRaw(f.ho, "S012", "K1");
    CHECK(again.epoch == f.k1.epoch + 1);
    SECTION("the old credentials and epoch no longer work") {
        CHECK(PostBatch(f.ho.Url(), f.k1, MakeBatch(f.k1, 5, 1)).status == 401);
        Credentials oldEpoch = again;
        oldEpoch.epoch = f.k1.epoch;
        CHECK(PostBatch(f.ho.Url(), oldEpoch, MakeBatch(oldEpoch, 5, 1)).status == 409);
    }
    SECTION("the new epoch numbers from 1") {
        HttpResponse response = PostBatch(f.ho.Url(), again, MakeBatch(again, 1, 3));
        REQUIRE(response.status == 200);
        CHECK(Ok(ParseAck(response.body)).ackedThroughSeq == 3);
        CHECK(f.Records() == 7);
    }
}

TEST_CASE("requests that fail authentication are refused with a reason and write nothing", "[sync]") {
    Fixture f;
    BatchRequest batch = MakeBatch(f.k1, 1, 2);
    SECTION("wrong key") {
        HttpResponse response = PostBatch(f.ho.Url(), f.k1, batch, 0, std::string(64, 'f'));
        CHECK(response.status == 401);
        CHECK_THAT(ParseError(response.body).error, Catch::Contains("signature"));
        CHECK(f.Records() == 0);
    }
    SECTION("unknown kiosk") {
        Credentials stranger = f.k1;
        stranger.kiosk = "S099-K9";
        batch.kiosk = stranger.kiosk;
        HttpResponse response = PostBatch(f.ho.Url(), stranger, batch);
        CHECK(response.status == 401);
        CHECK_THAT(ParseError(response.body).error, Catch::Contains("unknown kiosk"));
        CHECK(f.Records() == 0);
    }
    SECTION("revoked kiosk") {
        Ok(f.ho.service->RevokeKiosk("S012-K1"));
        HttpResponse response = PostBatch(f.ho.Url(), f.k1, batch);
        CHECK(response.status == 403);
        CHECK_THAT(ParseError(response.body).error, Catch::Contains("revoked"));
        CHECK(f.Records() == 0);
    }
    SECTION("clock skew beyond the window") {
        HttpResponse response = PostBatch(f.ho.Url(), f.k1, batch, 10 * 60 * 1000);
        CHECK(response.status == 401);
        ErrorReply error = ParseError(response.body);
        CHECK_THAT(error.error, Catch::Contains("stale timestamp"));
        REQUIRE(error.serverTimeMs.has_value());
        CHECK(std::abs(*error.serverTimeMs - NowMs()) < 60'000);
        CHECK(f.Records() == 0);
    }
    SECTION("a replayed request") {
        const std::string body = Ok(ZstdCompress(Ok(EncodeBatch(batch))));
        Headers headers = Ok(SignRequest("POST", kBatchPath, f.k1.kiosk, f.k1.secret, NowMs(), body));
        headers.emplace_back(kHeaderIdempotencyKey, batch.batchKey);
        headers.emplace_back("Content-Encoding", "zstd");
        REQUIRE(Ok(SendHttp("POST", f.ho.Url() + std::string(kBatchPath), headers, body)).status == 200);
        HttpResponse replay = Ok(SendHttp("POST", f.ho.Url() + std::string(kBatchPath), headers, body));
        CHECK(replay.status == 401);
        CHECK_THAT(ParseError(replay.body).error, Catch::Contains("replayed"));
        CHECK(f.Records() == 2);
    }
    SECTION("bad JSON") {
        const std::string body = Ok(ZstdCompress("{not json"));
        Headers headers = Ok(SignRequest("POST", kBatchPath, f.k1.kiosk, f.k1.secret, NowMs(), body));
        headers.emplace_back(kHeaderIdempotencyKey, batch.batchKey);
        headers.emplace_back("Content-Encoding", "zstd");
        HttpResponse response = Ok(SendHttp("POST", f.ho.Url() + std::string(kBatchPath), headers, body));
        CHECK(response.status == 400);
        CHECK_THAT(ParseError(response.body).error, Catch::Contains("bad JSON"));
        CHECK(f.Records() == 0);
    }
}

TEST_CASE("a kiosk over its request rate is told to come back later", "[sync]") {
    storage::test::TempDir dir;
    headoffice::ServiceLimits limits;
    limits.requestsPerSecond = 0.001;
    limits.burst = 2;
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string(), limits);
    Credentials k1 = EnrolRaw(ho, "S012", "K1");
    CHECK(PostBatch(ho.Url(), k1, MakeBatch(k1, 1, 1)).status == 200);
    CHECK(PostBatch(ho.Url(), k1, MakeBatch(k1, 2, 1)).status == 200);
    HttpResponse limited = PostBatch(ho.Url(), k1, MakeBatch(k1, 3, 1));
    CHECK(limited.status == 429);
    CHECK(limited.retryAfter == "1");
}

// A kiosk whose enrolment answer was lost asks again with the same token: it gets the same
// credentials. Another kiosk with that token is refused, and the token is spent for good once the
// kiosk signs its first request.
TEST_CASE("an enrolment token enrols one kiosk: answered again to it, never to another, spent by its first signed request", "[sync]") {
    storage::test::TempDir dir;
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const std::string token = Ok(ho.service->AddKiosk("S012", "K1"));
    const std::string kioskKey = Ok(wire::RandomUuid());
    const std::string body = EncodeEnrolRequest({token, kioskKey, 0});
    const HttpResponse first = Ok(SendHttp("POST", ho.Url() + std::string(kEnrolPath), {}, body));
    REQUIRE(first.status == 200);
    const HttpResponse again = Ok(SendHttp("POST", ho.Url() + std::string(kEnrolPath), {}, body));
    REQUIRE(again.status == 200);
    const EnrolReply one = Ok(ParseEnrolReply(first.body));
    const EnrolReply two = Ok(ParseEnrolReply(again.body));
    CHECK(two.kiosk == one.kiosk);
    CHECK(two.secret == one.secret);
    CHECK(two.epoch == one.epoch);

    const HttpResponse other = Ok(SendHttp("POST", ho.Url() + std::string(kEnrolPath), {}, EncodeEnrolRequest({token, Ok(wire::RandomUuid()), 0})));
    CHECK(other.status == 401);
    CHECK_THAT(other.body, Catch::Contains("another kiosk"));

    const Credentials who{one.kiosk, one.secret, one.epoch};
    REQUIRE(PostBatch(ho.Url(), who, MakeBatch(who, 1, 1)).status == 200);
    const HttpResponse spent = Ok(SendHttp("POST", ho.Url() + std::string(kEnrolPath), {}, body));
    CHECK(spent.status == 401);
    CHECK_THAT(spent.body, Catch::Contains("unknown or already used"));
    CHECK(HeadOfficeCount(dir.File("ho.db"), "SELECT count(*) FROM kiosks WHERE token_sha IS NOT NULL") == 0);
    CHECK(ho.service->AddKiosk("S012", "K-1").error().code == core::ErrorCode::InvalidInput);
}

// Re-enrolling a kiosk: the old kiosk's requests (still signed with the old secret) do not spend the
// new token, so the replacement can enrol with it.
TEST_CASE("a kiosk's requests under its old enrolment do not spend the token for its re-enrolment", "[sync]") {
    storage::test::TempDir dir;
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const Credentials old = EnrolRaw(ho, "S012", "K1");
    REQUIRE(PostBatch(ho.Url(), old, MakeBatch(old, 1, 1)).status == 200);
    const std::string token = Ok(ho.service->AddKiosk("S012", "K1"));
    REQUIRE(PostBatch(ho.Url(), old, MakeBatch(old, 2, 1)).status == 200);
    const HttpResponse enrolled = Ok(SendHttp("POST", ho.Url() + std::string(kEnrolPath), {}, EncodeEnrolRequest({token, Ok(wire::RandomUuid()), 2})));
    CHECK(enrolled.status == 200);
}

// The `status` object: every field survives encoding and parsing, the scanner and camera words are
// optional (older kiosks leave them out) and bounded like the printer's, and head office stores them.
TEST_CASE("the kiosk status round-trips with its scanner and camera, which older kiosks may leave out", "[sync]") {
    KioskStatus sent;
    sent.software = "1.2.3";
    sent.printer = "ok";
    sent.paper = "low";
    sent.scanner = "missing";
    sent.scannerSeenMs = 1795098400000;
    sent.camera = "failed";
    sent.startedAtMs = 1795090000000;
    sent.frameFailures = 2;
    sent.refused = {{"policy", 3, "published policy v3:4:1: missing 'name'"}};
    sent.backlog = 7;
    const std::string json = EncodeKioskStatus(sent);
    CHECK(Json::parse(json).at("scanner") == "missing");
    CHECK(Json::parse(json).at("camera") == "failed");
    const KioskStatus back = Ok(ParseKioskStatus(json));
    CHECK(back.software == "1.2.3");
    CHECK(back.printer == "ok");
    CHECK(back.paper == "low");
    CHECK(back.scanner == "missing");
    CHECK(back.scannerSeenMs == 1795098400000);
    CHECK(back.camera == "failed");
    CHECK(back.startedAtMs == 1795090000000);
    CHECK(back.frameFailures == 2);
    REQUIRE(back.refused.size() == 1);
    CHECK(back.refused[0].dataset == "policy");
    CHECK(back.refused[0].version == 3);
    CHECK(back.refused[0].why == "published policy v3:4:1: missing 'name'");
    CHECK(back.backlog == 7);

    // The same object inside a pull.
    const DownstreamRequest pull = Ok(ParseDownstreamRequest(EncodeDownstreamRequest({"S012-K1", {{"catalog", 3}}, sent})));
    REQUIRE(pull.status.has_value());
    CHECK(pull.status->scanner == "missing");
    CHECK(pull.status->camera == "failed");

    // An older kiosk's status has neither: both stay empty ("not said").
    const KioskStatus old = Ok(ParseKioskStatus(R"({"software":"0.1.0","printer":"ok","paper":"ok","scanner_seen":0,"backlog":0})"));
    CHECK(old.scanner.empty());
    CHECK(old.camera.empty());
    CHECK(old.startedAtMs == 0);
    CHECK(old.frameFailures == 0);
    CHECK(old.printer == "ok");

    // Validated like the printer's words: text of at most 64 characters.
    CHECK(ParseKioskStatus(R"({"scanner":1})").error().code == core::ErrorCode::InvalidInput);
    CHECK(ParseKioskStatus(R"({"camera":["ok"]})").error().code == core::ErrorCode::InvalidInput);
    CHECK(ParseKioskStatus(R"({"frame_failures":-1})").error().code == core::ErrorCode::InvalidInput);
    CHECK(ParseKioskStatus(R"({"refused":[{"dataset":"menu","version":1,"why":"x"}]})").error().code == core::ErrorCode::InvalidInput);
    CHECK(ParseKioskStatus(R"({"refused":[{"dataset":"policy","version":0,"why":"x"}]})").error().code == core::ErrorCode::InvalidInput);
    CHECK(ParseKioskStatus(Json{{"refused", {{{"dataset", "sla"}, {"version", 1}, {"why", std::string(501, 'x')}}}}}.dump()).error().code ==
          core::ErrorCode::InvalidInput);
    CHECK(ParseKioskStatus(R"({"started_at":"today"})").error().code == core::ErrorCode::InvalidInput);
    CHECK(ParseKioskStatus(Json{{"scanner", std::string(65, 'x')}}.dump()).error().code == core::ErrorCode::InvalidInput);
    CHECK(ParseKioskStatus(Json{{"camera", std::string(65, 'x')}}.dump()).error().code == core::ErrorCode::InvalidInput);
    CHECK(Ok(ParseKioskStatus(Json{{"scanner", std::string(64, 'x')}}.dump())).scanner.size() == 64);

    // Head office keeps the latest per kiosk; a later status without them clears them.
    Fixture f;
    BatchRequest batch = MakeBatch(f.k1, 1, 1);
    batch.status = sent;
    REQUIRE(PostBatch(f.ho.Url(), f.k1, batch).status == 200);
    CHECK(HeadOfficeCount(f.db, "SELECT count(*) FROM kiosk_status WHERE kiosk = 'S012-K1' AND scanner = 'missing' AND "
                                "camera = 'failed' AND scanner_seen = 1795098400000 AND started_at = 1795090000000 AND "
                                "frame_failures = 2") == 1);
    BatchRequest later = MakeBatch(f.k1, 2, 1);
    later.status = old;
    REQUIRE(PostBatch(f.ho.Url(), f.k1, later).status == 200);
    CHECK(HeadOfficeCount(f.db, "SELECT count(*) FROM kiosk_status WHERE kiosk = 'S012-K1' AND scanner = '' AND camera = ''") == 1);
    // A status with an oversized word is refused with its batch.
    BatchRequest refused = MakeBatch(f.k1, 3, 1);
    refused.status = sent;
    refused.status->scanner = std::string(65, 'x');
    CHECK(PostBatch(f.ho.Url(), f.k1, refused).status == 400);
    CHECK(f.Records() == 2);
}
