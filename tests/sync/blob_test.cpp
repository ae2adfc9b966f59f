// Attached files going up to head office through the real HTTP server on loopback: after their records,
// in chunks, each stored once and matching its hash; and every kind of bad upload refused with a 4xx
// that leaves nothing stored.
#include "blob_test_support.hpp"
#include "sync/headoffice/web_auth.hpp"
#include "sync/headoffice/web_dashboard.hpp"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::test;

TEST_CASE("blobs: attached files reach head office once, after their records, a missing file skipped", "[sync][blobs]") {
    AttachingKiosk kiosk;
    const auto photos = kiosk.AttachPhotos(3, 600 * 1024, 1);  // three chunks each
    const auto small = kiosk.AttachPhotos(1, 1000, 2);
    const auto lost = kiosk.AttachPhotos(1, 2000, 3);
    Ok(kiosk.Blobs().Remove(lost[0].sha256));  // the file is gone from the kiosk: reported, never blocking
    kiosk.files.erase(lost[0].sha256);

    storage::test::TempDir dir;
    const auto hoDb = dir.File("ho.db");
    LocalHeadOffice ho("sqlite:" + hoDb.string());
    Ok(Enrol(kiosk.File(), ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));
    const Credentials who = kiosk.Enrolled();

    // Before its attached event is at head office, a blob is unknown there.
    const HttpResponse early = BlobCall(ho.Url(), who, photos[0].sha256, -1, {}, 0);
    CHECK(early.status == 404);
    CHECK_THAT(ParseError(early.body).error, Catch::Contains("unknown ticket"));

    auto worker = Ok(SyncWorker::Open(kiosk.File()));
    const DrainReport report = Ok(worker.Drain());
    CHECK(report.records > 0);
    CHECK(report.blobsSent == 4);
    CHECK(report.blobsFailed == 1);
    CHECK(report.blobBytes == 3 * 600 * 1024 + 1000);
    CheckBlobsAtHeadOffice(hoDb, kiosk.files);
    // The records went first: every one acknowledged, and every blob stored after the last record came.
    {
        auto db = Ok(storage::Database::Open(kiosk.File()));
        CHECK(Ok(db.QueryInt("SELECT count(*) FROM outbox WHERE sent_at IS NULL")) == 0);
        auto hoRead = Ok(storage::Database::Open(hoDb));
        CHECK(Ok(hoRead.QueryInt("SELECT count(*) FROM blobs WHERE received_at < (SELECT max(received_at) FROM records)")) == 0);
        CHECK(Ok(hoRead.QueryInt("SELECT count(*) FROM ticket_attachments")) == 5);
    }

    const SyncStatus status = Ok(worker.Status());
    CHECK(status.blobsSent == 4);
    CHECK(status.blobsWaiting == 1);
    REQUIRE(status.blobProblems.size() == 1);
    CHECK(status.blobProblems[0].sha256 == lost[0].sha256);
    CHECK_FALSE(status.blobProblems[0].detail.empty());
    CHECK_THAT(Ok(worker.MetricsText()), Catch::Contains("kiosk_sync_blobs_failed 1"));

    // Nothing is sent twice; a head office asked again answers from what it holds.
    const DrainReport again = Ok(worker.Drain());
    CHECK(again.blobsSent == 0);
    CHECK(again.blobBytes == 0);
    CheckBlobsAtHeadOffice(hoDb, kiosk.files);
    const HttpResponse asked = BlobCall(ho.Url(), who, small[0].sha256, -1, {}, 0);
    REQUIRE(asked.status == 200);
    const BlobState held = Ok(ParseBlobState(asked.body));
    CHECK(held.complete);
    CHECK(held.received == 1000);

    // The file comes back (restored from a backup): the next round sends it.
    kiosk.files[lost[0].sha256] = FakePhotoBytes(3000, 2000);
    Ok(kiosk.Blobs().Put(kiosk.files[lost[0].sha256], "photo", "image/jpeg"));
    CHECK(Ok(worker.Drain()).blobsSent == 1);
    CheckBlobsAtHeadOffice(hoDb, kiosk.files);
    CHECK(Ok(worker.Status()).blobProblems.empty());
}

TEST_CASE("blobs: a chunk with the wrong hash, an oversized blob, an unknown blob, a wrong offset or signature get a 4xx and nothing stored",
          "[sync][blobs]") {
    AttachingKiosk kiosk;
    const std::string bytes = FakePhotoBytes(7, 300 * 1024);
    const core::Attachment held = kiosk.AttachUnheld(bytes);  // the kiosk has no file: the test sends it by hand
    const core::Attachment liar = kiosk.AttachUnheld(FakePhotoBytes(8, 1000));

    storage::test::TempDir dir;
    const auto hoDb = dir.File("ho.db");
    LocalHeadOffice ho("sqlite:" + hoDb.string());
    Ok(Enrol(kiosk.File(), ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));
    auto worker = Ok(SyncWorker::Open(kiosk.File()));
    CHECK(Ok(worker.Drain()).blobsFailed == 2);  // the records are there; the kiosk holds neither file
    const Credentials who = kiosk.Enrolled();
    const std::int64_t size = static_cast<std::int64_t>(bytes.size());
    const std::string_view first = std::string_view(bytes).substr(0, 100 * 1024);

    const auto refused = [&](const HttpResponse& response, int status, std::string_view words) {
        INFO(response.body);
        CHECK(response.status == status);
        CHECK_THAT(ParseError(response.body).error, Catch::Contains(std::string(words)));
        CHECK(HoBlobRows(hoDb) == 0);
    };
    refused(BlobCall(ho.Url(), who, held.sha256, 0, first, size, Sha256Hex("something else")), 400, "hashes to");
    refused(BlobCall(ho.Url(), who, held.sha256, 0, first, core::kMaxAttachmentBytes + 1), 413, "the limit is");
    refused(BlobCall(ho.Url(), who, held.sha256, 0, first, size - 1), 400, "in its attached event");
    const std::string stranger = Sha256Hex("a file no attached event names");
    refused(BlobCall(ho.Url(), who, stranger, 0, first, size), 404, "unknown ticket");
    refused(BlobCall(ho.Url(), who, stranger, -1, {}, 0), 404, "unknown ticket");
    refused(BlobCall(ho.Url(), who, held.sha256, 0, first, size, "", std::string(64, 'a')), 401, "bad signature");
    refused(BlobCall(ho.Url(), who, "NOT-A-HASH", 0, first, size), 400, "64 lower-case hex");
    refused(BlobCall(ho.Url(), who, held.sha256, 0, std::string(kMaxBlobChunkBytes + 1, 'x'), size), 413, "chunks are at most");
    refused(BlobCall(ho.Url(), who, held.sha256, size - 10, first, size), 400, "runs past");

    // A wrong offset: 409 with the offset head office holds, so the kiosk goes on from there.
    const HttpResponse skipped = BlobCall(ho.Url(), who, held.sha256, 100 * 1024, first, size);
    CHECK(skipped.status == 409);
    CHECK(Ok(ParseBlobState(skipped.body)).received == 0);
    CHECK(HoBlobRows(hoDb) == 0);

    // The first chunk is taken; a repeat of it (its answer lost) is a 409 naming where to go on, and changes nothing.
    const HttpResponse taken = BlobCall(ho.Url(), who, held.sha256, 0, first, size);
    REQUIRE(taken.status == 200);
    CHECK(Ok(ParseBlobState(taken.body)).received == 100 * 1024);
    const HttpResponse repeat = BlobCall(ho.Url(), who, held.sha256, 0, first, size);
    CHECK(repeat.status == 409);
    CHECK(Ok(ParseBlobState(repeat.body)).received == 100 * 1024);
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM blob_chunks") == 1);

    // Bytes that are not the named file: refused when whole, the partial upload discarded.
    const std::string wrong = FakePhotoBytes(9, 1000);
    const HttpResponse mismatch = BlobCall(ho.Url(), who, liar.sha256, 0, wrong, 1000);
    CHECK(mismatch.status == 422);
    CHECK_THAT(ParseError(mismatch.body).error, Catch::Contains("send it again from offset 0"));
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM blob_uploads WHERE sha256 = '" + liar.sha256 + "'") == 0);
    CHECK(HeadOfficeCount(hoDb, "SELECT count(*) FROM blobs") == 0);

    // The rest of the real file completes it.
    const HttpResponse rest = BlobCall(ho.Url(), who, held.sha256, 100 * 1024, std::string_view(bytes).substr(100 * 1024), size);
    REQUIRE(rest.status == 200);
    CHECK(Ok(ParseBlobState(rest.body)).complete);
    CheckBlobsAtHeadOffice(hoDb, {{held.sha256, bytes}});
}

TEST_CASE("blobs: the ticket page shows attached files, serves them to signed-in users, and names those not yet received",
          "[sync][blobs][dashboard]") {
    AttachingKiosk kiosk;
    const auto photos = kiosk.AttachPhotos(2, 5000, 21);
    const auto lost = kiosk.AttachPhotos(1, 3000, 22);
    Ok(kiosk.Blobs().Remove(lost[0].sha256));

    storage::test::TempDir dir;
    auto service = Ok(headoffice::IngestService::Open("sqlite:" + dir.File("ho.db").string()));
    headoffice::WebAuth auth = Ok(headoffice::WebAuth::Open(service->Pool(), {}));
    Ok(auth.AddUser("viewer", "viewer password", headoffice::WebRole::Viewer));
    const std::string session = Ok(auth.Login("viewer", "viewer password"));
    headoffice::DashboardOptions options;
    options.secureCookies = false;
    headoffice::WebDashboard dashboard(*service, std::move(auth), std::move(options));
    headoffice::HttpServer server(*service, &dashboard);
    const std::string url = "http://127.0.0.1:" + std::to_string(Ok(server.Start("127.0.0.1", 0)));
    Ok(Enrol(kiosk.File(), url, Ok(service->AddKiosk("S012", "K1"))));
    auto worker = Ok(SyncWorker::Open(kiosk.File()));
    CHECK(Ok(worker.Drain()).blobsSent == 2);

    auto lease = Ok(service->Pool().Acquire());
    const std::string number = Ok(lease->Query("SELECT ticket FROM ticket_attachments WHERE sha256 = $1", {photos[0].sha256})).front()[0];
    const std::string lostNumber = Ok(lease->Query("SELECT ticket FROM ticket_attachments WHERE sha256 = $1", {lost[0].sha256})).front()[0];
    lease.Release();
    const Headers signedIn{{"Cookie", "ho_session=" + session + "; ho_lang=en"}};

    const HttpResponse page = Ok(SendHttp("GET", url + "/tickets/" + number, signedIn, ""));
    REQUIRE(page.status == 200);
    for (const core::Attachment& a : photos) {
        CHECK_THAT(page.body, Catch::Contains("<img src=\"/tickets/" + number + "/attachments/" + a.sha256 + "\""));
    }
    const HttpResponse waiting = Ok(SendHttp("GET", url + "/tickets/" + lostNumber, signedIn, ""));
    CHECK_THAT(waiting.body, Catch::Contains("not yet received"));
    CHECK_THAT(waiting.body, Catch::Contains("data-sha256=\"" + lost[0].sha256 + "\""));

    const std::string path = "/tickets/" + number + "/attachments/" + photos[1].sha256;
    const HttpResponse file = Ok(SendHttp("GET", url + path, signedIn, ""));
    CHECK(file.status == 200);
    CHECK(file.body == kiosk.files.at(photos[1].sha256));
    // Only to signed-in users, only under the ticket that names it, and a missing file is a 404.
    const HttpResponse anonymous = Ok(SendHttp("GET", url + path, {}, ""));
    CHECK(anonymous.status == 303);
    CHECK(anonymous.body != kiosk.files.at(photos[1].sha256));
    CHECK(Ok(SendHttp("GET", url + "/tickets/" + lostNumber + "/attachments/" + photos[1].sha256, signedIn, "")).status == 404);
    CHECK(Ok(SendHttp("GET", url + "/tickets/" + lostNumber + "/attachments/" + lost[0].sha256, signedIn, "")).status == 404);
}

TEST_CASE("blobs: a kiosk cut off from head office keeps its files and sends them when it is back", "[sync][blobs]") {
    AttachingKiosk kiosk;
    storage::test::TempDir dir;
    const auto hoDb = dir.File("ho.db");
    int port = 0;
    {
        LocalHeadOffice ho("sqlite:" + hoDb.string());
        port = ho.port;
        Ok(Enrol(kiosk.File(), ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));
    }
    // Head office is unreachable while photos are taken: nothing is lost or given up on.
    kiosk.AttachPhotos(3, 400 * 1024, 41);
    auto worker = Ok(SyncWorker::Open(kiosk.File()));
    for (int round = 0; round < 3; ++round) {
        auto offline = worker.Drain();
        REQUIRE_FALSE(offline);
        CHECK(offline.error().code == core::ErrorCode::Unavailable);
    }
    SyncStatus waiting = Ok(worker.Status());
    CHECK(waiting.blobsWaiting == 3);
    CHECK(waiting.blobProblems.empty());
    CHECK(Ok(kiosk.Blobs().List()).size() == 3);

    LocalHeadOffice back("sqlite:" + hoDb.string(), {}, port);
    const DrainReport report = Ok(worker.Drain());
    CHECK(report.blobsSent == 3);
    CheckBlobsAtHeadOffice(hoDb, kiosk.files);
    CHECK(Ok(worker.Status()).blobsWaiting == 0);
    CHECK(Ok(kiosk.Blobs().List()).size() == 3);  // the kiosk keeps its own copies
}
