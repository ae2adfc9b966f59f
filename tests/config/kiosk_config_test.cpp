// kiosk.toml: defaults, path resolution and refusal of bad values.
#include <catch2/catch.hpp>

#include "kiosk/config/kiosk_config.hpp"

using namespace kiosk;

TEST_CASE("the shipped example config equals the defaults", "[kiosk-config]") {
    auto loaded = config::LoadKioskConfigFile(KIOSK_TEST_ASSET_DIR "/kiosk.toml", "/assets");
    REQUIRE(loaded);
    const config::KioskConfig defaults = config::DefaultKioskConfig("/assets");
    CHECK(loaded->storeCode == defaults.storeCode);
    CHECK(loaded->kioskCode == defaults.kioskCode);
    CHECK(loaded->database == std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "kiosk.db");
    CHECK(loaded->policyFile == defaults.policyFile);
    CHECK(loaded->policyFile == "/assets/policy/sanbao.toml");
    CHECK(loaded->tiers.vipMinSpend == defaults.tiers.vipMinSpend);
    CHECK(loaded->tiers.vipMinVisits == defaults.tiers.vipMinVisits);
    CHECK(loaded->defaultLanguage == core::Language::ZhHans);
    CHECK(loaded->printer == defaults.printer);
    CHECK(loaded->printerProfile == defaults.printerProfile);
}

TEST_CASE("values are read and paths resolved", "[kiosk-config]") {
    auto loaded = config::ParseKioskConfig(R"(
store_code = "S012"
kiosk_code = "K2"
database = "data/k.db"
default_language = "zh-Hant"
printer = "tcp://192.168.1.50:9100"
printer_profile = "xprinter-xp58"
[files]
policy = "/etc/kiosk/policy.toml"
[tiers]
vip_min_spend_yuan = 5000.5
)", "k.toml", "/etc/kiosk", "/usr/share/kiosk");
    REQUIRE(loaded);
    CHECK(loaded->storeCode == "S012");
    CHECK(loaded->kioskCode == "K2");
    CHECK(loaded->database == "/etc/kiosk/data/k.db");
    CHECK(loaded->defaultLanguage == core::Language::ZhHant);
    CHECK(loaded->policyFile == "/etc/kiosk/policy.toml");
    CHECK(loaded->slaFile == "/usr/share/kiosk/sla.toml");
    CHECK(loaded->tiers.vipMinSpend == 500050);
    CHECK(loaded->printer == "tcp://192.168.1.50:9100");
    CHECK(loaded->printerProfile == "xprinter-xp58");
}

TEST_CASE("bad values are refused with their position", "[kiosk-config]") {
    auto check = [](const char* text, const char* expected) {
        INFO(text);
        auto loaded = config::ParseKioskConfig(text, "k.toml", "/", "/");
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().code == core::ErrorCode::InvalidInput);
        CHECK_THAT(loaded.error().message, Catch::Contains(expected));
    };
    check("store_code = \"S 12\"\n", "k.toml:1:14: store code 'S 12'");
    check("kiosk_code = \"KIOSK1\"\n", "kiosk code 'KIOSK1'");
    check("store = \"S012\"\n", "unknown key 'store'");
    check("default_language = \"fr\"\n", "unknown language 'fr'");
    check("[tiers]\nvip_min_visits = 0\n", "tier thresholds");
    check("[files]\npolicies = \"x\"\n", "unknown key 'policies'");
    check("store_code = 12\n", "must be a string");
    check("printer = \"\"\n", "'printer' is empty");
}
