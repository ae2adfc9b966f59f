// The upload batch parser: a well-formed batch read field by field, and each kind of fault named by
// its field and record.
#include <catch2/catch.hpp>

#include <string>

#include "sync/wire/batch.hpp"

using namespace kiosk::wire;

namespace {

const std::string kKey = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
const std::string kRecordId = "6F9619FF-8B86-4D11-B42D-00C04FC964FF";

std::string Record(int seq, const std::string& rest = R"("id":")" + kRecordId + R"(","type":"ticket_event","kiosk_time":1700000000000,"payload":{"a":1})") {
    return R"({"seq":)" + std::to_string(seq) + (rest.empty() ? "" : "," + rest) + "}";
}

std::string Body(const std::string& records, const std::string& extra = "") {
    return R"({"protocol":1,"kiosk":"S012-K1","epoch":2,"batch_key":")" + kKey +
           R"(","first_seq":5,"last_seq":6,"backlog":9,"records":[)" + records + "]" + extra + "}";
}

}  // namespace

TEST_CASE("a well-formed batch is read field by field, a faulty record kept with its problem", "[wire]") {
    auto batch = ParseBatch(Body(Record(5) + "," + Record(6, R"("id":"x","type":"t","kiosk_time":1,"payload":{})"), R"(,"status":{"backlog":9})"));
    REQUIRE(batch);
    CHECK(batch->kiosk == "S012-K1");
    CHECK(batch->epoch == 2);
    CHECK(batch->batchKey == kKey);
    CHECK(batch->firstSeq == 5);
    CHECK(batch->lastSeq == 6);
    CHECK(batch->backlog == 9);
    CHECK(batch->status == R"({"backlog":9})");
    REQUIRE(batch->records.size() == 2);
    const BatchRecord& good = batch->records[0];
    CHECK(good.seq == 5);
    CHECK(good.id == kRecordId);
    CHECK(good.type == "ticket_event");
    CHECK(good.kioskTimeMs == 1700000000000);
    CHECK(good.payload == R"({"a":1})");
    CHECK(good.problem.empty());
    const BatchRecord& bad = batch->records[1];
    CHECK(bad.seq == 6);
    CHECK(bad.id == "x");
    CHECK(bad.problem == "id is not a UUID");
    CHECK(bad.text == R"({"id":"x","kiosk_time":1,"payload":{},"seq":6,"type":"t"})");
}

TEST_CASE("each record problem is named", "[wire]") {
    const std::string id = R"("id":")" + kRecordId + R"(",)";
    for (const auto& [rest, problem] : {std::pair<std::string, std::string>{R"("type":"t","kiosk_time":1,"payload":{})", "id is not a UUID"},
                                        {id + R"("type":"","kiosk_time":1,"payload":{})", "type is missing"},
                                        {id + R"("type":"t","kiosk_time":"1","payload":{})", "kiosk_time is not an integer"},
                                        {id + R"("type":"t","kiosk_time":1,"payload":[])", "payload is not a JSON object"}}) {
        INFO(rest);
        auto batch = ParseBatch(R"({"protocol":1,"kiosk":"K","epoch":1,"batch_key":"k","first_seq":1,"last_seq":1,"backlog":0,"records":[)" +
                                Record(1, rest) + "]}");
        REQUIRE(batch);
        CHECK(batch->records.at(0).problem == problem);
    }
}

TEST_CASE("a batch that cannot be read names the field and the record at fault", "[wire]") {
    struct Case { std::string text; std::string field; std::optional<std::size_t> record; std::string message; };
    for (const Case& c : {Case{"{", "", std::nullopt, "bad JSON: "},
                          Case{R"({"protocol":2})", "protocol", std::nullopt, "protocol must be 1"},
                          Case{R"([1])", "protocol", std::nullopt, "protocol must be 1"},
                          Case{R"({"protocol":1,"epoch":"2"})", "epoch", std::nullopt, "epoch must be an integer"},
                          Case{R"({"protocol":1,"epoch":2,"first_seq":1,"last_seq":1,"backlog":0,"kiosk":3})", "kiosk", std::nullopt,
                               "kiosk must be a string"},
                          Case{Body(""), "records", std::nullopt, "records must be a non-empty array"},
                          Case{Body(Record(5)), "first_seq", std::nullopt, "first_seq..last_seq must number the records"},
                          Case{Body(Record(5) + "," + Record(7)), "seq", 1, "record 1 must have seq 6"},
                          Case{Body(Record(5) + ",[]"), "seq", 1, "record 1 must have seq 6"}}) {
        INFO(c.text);
        auto batch = ParseBatch(c.text);
        REQUIRE_FALSE(batch);
        CHECK(batch.error().field == c.field);
        CHECK(batch.error().record == c.record);
        CHECK(batch.error().message.starts_with(c.message));
    }
}

TEST_CASE("UUIDs are 36 characters of hex digits in either case with four dashes", "[wire]") {
    CHECK(IsUuid(kKey));
    CHECK(IsUuid(kRecordId));
    CHECK_FALSE(IsUuid(kKey.substr(1)));
    CHECK_FALSE(IsUuid("1b4e28ba-2fa1-41d2-883f-0016d3cca42g"));
    CHECK_FALSE(IsUuid("1b4e28ba2-fa1-41d2-883f-0016d3cca427"));
}
