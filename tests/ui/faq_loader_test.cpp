// The self-help file: the shipped one loads complete; bad files are rejected with FILE:LINE:COLUMN.
#include <catch2/catch.hpp>

#include <fstream>

#include "kiosk/config/faq_loader.hpp"
#include "support/temp_dir.hpp"

using kiosk::config::LoadFaqFile;

namespace {

std::string ErrorOf(const kiosk::testing::TempDir& dir, std::string_view text) {
    const auto path = dir.Path() / "faq.toml";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    auto loaded = LoadFaqFile(path);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == kiosk::core::ErrorCode::InvalidInput);
    const std::string message = loaded.error().message;
    const std::string prefix = path.string() + ":";
    REQUIRE(message.starts_with(prefix));
    return message.substr(prefix.size());
}

}  // namespace

TEST_CASE("the shipped self-help file loads with every text in three languages") {
    auto faq = LoadFaqFile(std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "faq.toml");
    REQUIRE(faq.has_value());
    REQUIRE(faq->categories.size() >= 4);
    REQUIRE(faq->Find("battery") != nullptr);
    CHECK(faq->Find("battery")->label.en == "Battery and charging");
    CHECK(faq->Find("battery")->suggestions.size() == 2);
    REQUIRE(faq->Find("other") != nullptr);
    CHECK(faq->Find("nope") == nullptr);
    for (const auto& category : faq->categories) {
        INFO(category.id);
        CHECK_FALSE(category.label.zhHans.empty());
        CHECK_FALSE(category.label.zhHant.empty());
        for (const auto& s : category.suggestions) CHECK_FALSE((s.zhHans.empty() || s.zhHant.empty() || s.en.empty()));
    }
}

TEST_CASE("a file without categories is an empty catalog") {
    kiosk::testing::TempDir dir;
    const auto path = dir.Path() / "faq.toml";
    std::ofstream(path) << "# nothing offered yet\n";
    auto faq = LoadFaqFile(path);
    REQUIRE(faq.has_value());
    CHECK(faq->categories.empty());
}

TEST_CASE("bad self-help files are rejected with the position of the problem") {
    kiosk::testing::TempDir dir;
    const std::string label = "label = { zh-Hans = \"电池\", zh-Hant = \"電池\", en = \"Battery\" }\n";
    // TOML syntax: the parser's own message, at the line and column where it stopped.
    CHECK(ErrorOf(dir, "[[category]]\nid = \"battery\n").starts_with("2:"));
    CHECK(ErrorOf(dir, "[[category]]\n" + label) == "1:1: category without id");
    CHECK(ErrorOf(dir, "[[category]]\nid = \"battery\"\n") == "1:1: category without label");
    CHECK(ErrorOf(dir, "[[category]]\nid = \"battery\"\nlabel = \"Battery\"\n") ==
          "3:9: expected { zh-Hans, zh-Hant, en }");
    CHECK(ErrorOf(dir, "[[category]]\nid = \"battery\"\nlabel = { zh-Hans = \"电池\", en = \"Battery\" }\n") ==
          "3:9: missing zh-Hant text");
    CHECK(ErrorOf(dir, "[[category]]\nid = \"a\"\n" + label + "[[category]]\nid = \"a\"\n" + label) ==
          "4:1: category 'a' appears twice");
    CHECK(ErrorOf(dir, "[[category]]\nid = \"a\"\n" + label + "[[category.suggestion]]\nzh-Hans = \"x\"\n") ==
          "4:1: missing zh-Hant text");
    CHECK(ErrorOf(dir, "category = [1, 2]\n") == "1:13: expected [[category]]");
}

TEST_CASE("a missing self-help file is NotFound") {
    auto faq = LoadFaqFile(std::filesystem::path(KIOSK_TEST_DATA_DIR) / "no-such-faq.toml");
    REQUIRE_FALSE(faq.has_value());
    CHECK(faq.error().code == kiosk::core::ErrorCode::NotFound);
}
