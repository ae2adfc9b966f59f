// The queue services file: the shipped one loads; mistakes are refused with FILE:LINE:COLUMN.
#include <catch2/catch.hpp>

#include "kiosk/config/queue_loader.hpp"

using namespace kiosk;

TEST_CASE("the shipped queue services file loads", "[config][queue]") {
    const auto services = config::LoadQueueServicesFile(KIOSK_TEST_ASSET_DIR "/queue.toml");
    REQUIRE(services);
    REQUIRE(services->services.size() == 3);
    CHECK(services->services[0].id == "pickup");
    CHECK(services->services[0].prefix == 'A');
    CHECK(services->services[0].name.zhHans == "取件");
    CHECK(services->services[2].name.zhHant == "諮詢");
    CHECK(services->services[1].defaultPerCustomer == std::chrono::minutes{8});
    CHECK(services->Find("question") == &services->services[2]);
    CHECK(services->Find("nothing") == nullptr);
}

TEST_CASE("a bad queue services file is refused with where and why", "[config][queue]") {
    const std::string name = R"(name = { zh-Hans = "取件", zh-Hant = "取件", en = "Pickup" })";
    const auto refused = [&](const std::string& text) {
        auto parsed = config::ParseQueueServices(text, "queue.toml");
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == core::ErrorCode::InvalidInput);
        return parsed.error().message;
    };
    CHECK_THAT(refused("[[service]]\nid = \"pickup\"\nprefix = \"a\"\n" + name),
               Catch::StartsWith("queue.toml:3:") && Catch::Contains("not one upper-case letter"));
    CHECK_THAT(refused("[[service]]\nid = \"pickup\"\nprefix = \"A\"\n" + name + "\n[[service]]\nid = \"other\"\nprefix = \"A\"\n" + name),
               Catch::StartsWith("queue.toml:7:") && Catch::Contains("prefix A is another service's"));
    CHECK_THAT(refused("[[service]]\nid = \"pickup\"\nprefix = \"A\"\nname = { zh-Hans = \"取件\", en = \"Pickup\" }"),
               Catch::StartsWith("queue.toml:") && Catch::Contains("zh-Hant"));
    CHECK_THAT(refused("[[service]]\nid = \"pickup\"\nprefix = \"A\"\n" + name + "\nminutes_per_customer = 0"),
               Catch::StartsWith("queue.toml:5:") && Catch::Contains("1..240"));
    CHECK_THAT(refused("[[service]]\nid = \"pickup\"\nprefx = \"A\"\n" + name), Catch::Contains("prefx"));
    CHECK_THAT(refused(""), Catch::Contains("no [[service]]"));
}
