// The script format of `kiosk --script`: every step, and bad lines rejected with their line number.
#include <catch2/catch.hpp>

#include <filesystem>

#include "kiosk/app/kiosk_script.hpp"

using kiosk::app::ParseScript;
using kiosk::app::ScriptStep;
using Kind = kiosk::app::ScriptStep::Kind;

namespace {

std::string ErrorOf(std::string_view text) {
    auto parsed = ParseScript(text, "bad.kiosk");
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == kiosk::core::ErrorCode::InvalidInput);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("each step parses with its argument and line") {
    const char* text = "# a comment\n"
                       "\n"
                       "scan 6910000000006\n"
                       "tap \"repair\"\n"
                       "type \"dies at 40\"\r\n"
                       "  wait 2s\n"
                       "wait 500ms\n"
                       "screenshot out/05-review.png\n"
                       "expect-screen review\n"
                       "printer fail\n"
                       "printer ok\n"
                       "expect-screen purchase-date within 300s\n"
                       "printer stall\n"
                       "expect-shown slip-printed\n"
                       "expect-shown slip-printer-problem within 120s\n";
    auto steps = ParseScript(text, "good.kiosk");
    REQUIRE(steps.has_value());
    REQUIRE(steps->size() == 13);
    const auto& s = *steps;
    CHECK((s[0].kind == Kind::Scan && s[0].argument == "6910000000006" && s[0].line == 3));
    CHECK((s[1].kind == Kind::Tap && s[1].argument == "repair" && s[1].line == 4));
    CHECK((s[2].kind == Kind::Type && s[2].argument == "dies at 40"));
    CHECK((s[3].kind == Kind::Wait && s[3].wait == std::chrono::seconds{2} && s[3].line == 6));
    CHECK((s[4].kind == Kind::Wait && s[4].wait == std::chrono::milliseconds{500}));
    CHECK((s[5].kind == Kind::Screenshot && s[5].argument == "out/05-review.png"));
    CHECK((s[6].kind == Kind::ExpectScreen && s[6].argument == "review" && s[6].wait.count() == 0));
    CHECK((s[7].kind == Kind::Printer && s[7].argument == "fail"));
    CHECK((s[8].kind == Kind::Printer && s[8].argument == "ok"));
    CHECK((s[9].kind == Kind::ExpectScreen && s[9].argument == "purchase-date" && s[9].wait == std::chrono::seconds{300}));
    CHECK((s[10].kind == Kind::Printer && s[10].argument == "stall"));
    CHECK((s[11].kind == Kind::ExpectShown && s[11].argument == "slip-printed" && s[11].wait.count() == 0));
    CHECK((s[12].kind == Kind::ExpectShown && s[12].argument == "slip-printer-problem" &&
           s[12].wait == std::chrono::seconds{120}));
}

TEST_CASE("a stroke step carries its points in pad coordinates") {
    auto steps = ParseScript("stroke 0.1,0.5 0.9,0.5\nstroke -0.5,1.25\n", "good.kiosk");
    REQUIRE(steps.has_value());
    REQUIRE(steps->size() == 2);
    CHECK((*steps)[0].kind == Kind::Stroke);
    CHECK((*steps)[0].points == std::vector<std::pair<float, float>>{{0.1f, 0.5f}, {0.9f, 0.5f}});
    CHECK((*steps)[1].points == std::vector<std::pair<float, float>>{{-0.5f, 1.25f}});
}

TEST_CASE("an empty script or one of comments only has no steps") {
    auto steps = ParseScript("# nothing\n\n", "empty.kiosk");
    REQUIRE(steps.has_value());
    CHECK(steps->empty());
}

TEST_CASE("bad lines are rejected with FILE:LINE and what is wrong") {
    CHECK(ErrorOf("tap start\nclick start\n") == "bad.kiosk:2: unknown step 'click'");
    CHECK(ErrorOf("\n\ntap\n") == "bad.kiosk:3: 'tap' needs an argument");
    CHECK(ErrorOf("tap \"\"\n") == "bad.kiosk:1: 'tap' needs an argument");
    CHECK(ErrorOf("printer jammed\n") == "bad.kiosk:1: printer takes 'fail', 'stall' or 'ok'");
    CHECK(ErrorOf("# c\nwait 2\n") == "bad.kiosk:2: wait takes a duration like 2s or 500ms, not '2'");
    CHECK(ErrorOf("wait -1s\n") == "bad.kiosk:1: wait takes a duration like 2s or 500ms, not '-1s'");
    CHECK(ErrorOf("wait 2min\n") == "bad.kiosk:1: wait takes a duration like 2s or 500ms, not '2min'");
    CHECK(ErrorOf("wait s\n") == "bad.kiosk:1: wait takes a duration like 2s or 500ms, not 's'");
    CHECK(ErrorOf("stroke 0.1;0.5\n") == "bad.kiosk:1: stroke takes points like 0.1,0.5 0.9,0.5, not '0.1;0.5'");
    CHECK(ErrorOf("stroke 0.1,\n") == "bad.kiosk:1: stroke takes points like 0.1,0.5 0.9,0.5, not '0.1,'");
    CHECK(ErrorOf("expect-screen done within soon\n") ==
          "bad.kiosk:1: expect-screen NAME within takes a duration like 300s, not 'soon'");
    CHECK(ErrorOf("expect-shown slip-printed within soon\n") ==
          "bad.kiosk:1: expect-shown NAME within takes a duration like 300s, not 'soon'");
}

TEST_CASE("a missing script file is NotFound; the shipped end-to-end scripts parse") {
    auto missing = kiosk::app::LoadScript(std::filesystem::path(KIOSK_TEST_DATA_DIR) / "no-such.kiosk");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == kiosk::core::ErrorCode::NotFound);
    const std::filesystem::path e2e = std::filesystem::path(KIOSK_TEST_DATA_DIR).parent_path() / "e2e";
    for (const char* name : {"repair_en.kiosk", "repair_zh-hans.kiosk", "repair_zh-hant.kiosk", "as_deployed.kiosk", "chinese_input_zh-hans.kiosk",
                             "chinese_input_zh-hant.kiosk", "queue_printer.kiosk"}) {
        INFO(name);
        auto loaded = kiosk::app::LoadScript(e2e / name);
        REQUIRE(loaded.has_value());
        CHECK(loaded->size() > 20);
    }
}
