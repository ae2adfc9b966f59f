// Inputs the fuzz targets (fuzz/) found crashing, kept as tests so the fixes stay fixed.
#include "reliability_support.hpp"
#include "sync/sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::sync::test;

// fuzz/sync_request_fuzz: a signed batch whose JSON breaks off in bytes that are not UTF-8. The
// parser's complaint quoted them, and encoding the error answer threw instead of answering 400.
TEST_CASE("fuzz regression: a signed batch with invalid UTF-8 in its JSON is refused with a readable 400",
          "[reliability][fuzz]") {
    storage::test::TempDir dir;
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const Credentials who = EnrolRaw(ho, "S012", "K1");
    const std::string body = "{\"protocol\":1,\"kiosk\":\"" + who.kiosk + "\",\"epo" + std::string(100, '\xD5') +
                             "ch\":1,\"batch_key\":\"fuzz-3\",\"first_seq\":1,\"last_seq\":1,\"backlog\":1,\"records\":[]}";
    sync::Headers headers = Ok(sync::SignRequest("POST", sync::kBatchPath, who.kiosk, who.secret, NowMs(), body));
    headers.emplace_back(sync::kHeaderIdempotencyKey, "fuzz-3");
    const auto answer = Ok(sync::SendHttp("POST", ho.Url() + std::string(sync::kBatchPath), headers, body));
    CHECK(answer.status == 400);
    CHECK_THAT(sync::ParseError(answer.body).error, Catch::Contains("bad JSON"));
    CHECK_NOTHROW(Json::parse(answer.body));
}

TEST_CASE("fuzz regression: an error message with bytes that are not UTF-8 still encodes", "[reliability][fuzz]") {
    sync::ErrorReply reply;
    reply.error = std::string("unknown kiosk '\xD5\xFF'");
    const std::string encoded = sync::EncodeError(reply);
    CHECK_NOTHROW(Json::parse(encoded));
    CHECK_THAT(sync::ParseError(encoded).error, Catch::StartsWith("unknown kiosk '"));
}
