// The pure scanner decoders: boot-keyboard reports, HID POS reports, the keyboard wedge and repeats.
#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "drivers/scanner/boot_keyboard_decoder.hpp"
#include "drivers/scanner/duplicate_filter.hpp"
#include "drivers/scanner/hid_pos_decoder.hpp"
#include "drivers/scanner/keyboard_wedge.hpp"
#include "scan_reports.hpp"

using namespace kiosk::drivers;
using namespace std::chrono_literals;
using kiosk::testing::KeyReportsFor;
using kiosk::testing::PosReportsFor;

namespace {

std::vector<std::string> FeedAll(BootKeyboardDecoder& decoder, const std::vector<std::array<std::uint8_t, 8>>& reports,
                                 ScanClock::time_point& at, std::chrono::milliseconds step = 4ms) {
    std::vector<std::string> codes;
    for (const auto& report : reports) {
        at += step;
        if (auto code = decoder.Feed(report, at)) codes.push_back(*code);
    }
    return codes;
}

}  // namespace

TEST_CASE("boot keyboard: shift, repeated characters and Enter", "[scanner]") {
    BootKeyboardDecoder decoder;
    ScanClock::time_point at{};
    const auto codes = FeedAll(decoder, KeyReportsFor("Ab11_-BADGE:B-1001\n"), at);
    CHECK(codes == std::vector<std::string>{"Ab11_-BADGE:B-1001"});
    CHECK_FALSE(decoder.Pending());
}

TEST_CASE("boot keyboard: a held key counts once, Tab also ends a code", "[scanner]") {
    BootKeyboardDecoder decoder;
    ScanClock::time_point at{};
    const std::array<std::uint8_t, 8> pressA{0, 0, 0x04, 0, 0, 0, 0, 0};
    CHECK_FALSE(decoder.Feed(pressA, at += 1ms));
    CHECK_FALSE(decoder.Feed(pressA, at += 1ms));
    // Two keys in one report, the first still held from before.
    CHECK_FALSE(decoder.Feed(std::array<std::uint8_t, 8>{0, 0, 0x04, 0x05, 0, 0, 0, 0}, at += 1ms));
    auto code = decoder.Feed(std::array<std::uint8_t, 8>{0, 0, 0x2B, 0, 0, 0, 0, 0}, at += 1ms);
    REQUIRE(code);
    CHECK(*code == "ab");
}

TEST_CASE("boot keyboard: a half-read code times out and is dropped", "[scanner]") {
    BootKeyboardDecoder decoder(BootKeyboardOptions{KeyboardLayout::Us, 100ms, 64});
    ScanClock::time_point at{};
    auto half = KeyReportsFor("12345");
    FeedAll(decoder, half, at);
    CHECK(decoder.Pending());
    CHECK(decoder.Expire(at + 150ms));
    CHECK(decoder.DroppedCodes() == 1);
    at += 200ms;
    CHECK(FeedAll(decoder, KeyReportsFor("678\n"), at) == std::vector<std::string>{"678"});
}

TEST_CASE("boot keyboard: unplugging mid-code drops the code", "[scanner]") {
    BootKeyboardDecoder decoder;
    ScanClock::time_point at{};
    FeedAll(decoder, KeyReportsFor("ABC"), at);
    CHECK(decoder.Reset());
    CHECK(FeedAll(decoder, KeyReportsFor("XY\n"), at) == std::vector<std::string>{"XY"});
}

TEST_CASE("boot keyboard: German layout swaps Y and Z", "[scanner]") {
    CHECK(BootKeyboardDecoder::CharacterFor(0x1C, false, KeyboardLayout::German) == 'z');
    CHECK(BootKeyboardDecoder::CharacterFor(0x1D, true, KeyboardLayout::German) == 'Y');
    CHECK(BootKeyboardDecoder::CharacterFor(0x1F, true, KeyboardLayout::German) == '"');
    CHECK(BootKeyboardDecoder::CharacterFor(0x1F, true, KeyboardLayout::Us) == '@');
    CHECK(BootKeyboardDecoder::CharacterFor(0x2D, false, KeyboardLayout::German) == 0);
}

TEST_CASE("boot keyboard: rollover-error and wrong-size reports are ignored", "[scanner]") {
    BootKeyboardDecoder decoder;
    ScanClock::time_point at{};
    CHECK_FALSE(decoder.Feed(std::array<std::uint8_t, 8>{0, 0, 1, 1, 1, 1, 1, 1}, at));
    CHECK_FALSE(decoder.Feed(std::array<std::uint8_t, 3>{0, 0, 4}, at));
    CHECK_FALSE(decoder.Pending());
}

TEST_CASE("HID POS: a multi-report code is joined with its AIM id", "[scanner]") {
    HidPosDecoder decoder;
    const std::string text = "https://service.example.com/t/S012-K1-261122-0007?lang=zh-Hans&source=receipt-qr";
    REQUIRE(text.size() > HidPosDecoder::kMaxDataPerReport);
    const auto reports = PosReportsFor(text, "]Q1");
    REQUIRE(reports.size() == 2);
    ScanClock::time_point at{};
    CHECK_FALSE(decoder.Feed(reports[0], at += 2ms));
    CHECK(decoder.Pending());
    auto scan = decoder.Feed(reports[1], at += 2ms);
    REQUIRE(scan);
    CHECK(scan->text == text);
    CHECK(scan->aimId == "]Q1");
}

TEST_CASE("HID POS: GS1 data keeps its separators; a suffix CR is removed", "[scanner]") {
    HidPosDecoder decoder;
    const std::string gs1 = "0109501101530003" "10AB1\x1D" "21XYZ";
    auto scan = decoder.Feed(PosReportsFor(gs1 + "\r", "]C1").at(0), ScanClock::time_point{});
    REQUIRE(scan);
    CHECK(scan->text == gs1);
    CHECK(scan->aimId == "]C1");
}

TEST_CASE("HID POS: malformed reports and stale continuations are dropped", "[scanner]") {
    HidPosDecoder decoder(HidPosOptions{100ms, 4096});
    auto bad = PosReportsFor("ABC", "]C0").at(0);
    bad[1] = 57;
    CHECK_FALSE(decoder.Feed(bad, ScanClock::time_point{}));
    CHECK(decoder.MalformedReports() == 1);
    const auto reports = PosReportsFor(std::string(100, 'x'), "]C0");
    ScanClock::time_point at{};
    CHECK_FALSE(decoder.Feed(reports[0], at));
    // The continuation arrives too late: the first part is dropped and the second is a code of its own.
    auto late = decoder.Feed(reports[1], at + 1s);
    CHECK(decoder.DroppedCodes() == 1);
    REQUIRE(late);
    CHECK(late->text == std::string(100 - HidPosDecoder::kMaxDataPerReport, 'x'));
}

TEST_CASE("wedge: a fast burst ending in Enter is a scan, nothing reaches the text field", "[wedge]") {
    KeyboardWedgeDecoder wedge;
    ScanClock::time_point at{};
    std::vector<WedgeOutput> out;
    for (char c : std::string("6901234567892")) {
        auto part = wedge.Text(std::string(1, c), at += 8ms);
        out.insert(out.end(), part.begin(), part.end());
    }
    auto end = wedge.Enter(at += 8ms);
    out.insert(out.end(), end.begin(), end.end());
    REQUIRE(out.size() == 1);
    REQUIRE(std::holds_alternative<WedgeScan>(out[0]));
    CHECK(std::get<WedgeScan>(out[0]).text == "6901234567892");
}

TEST_CASE("wedge: a person typing is released as text and Enter stays Enter", "[wedge]") {
    KeyboardWedgeDecoder wedge;
    ScanClock::time_point at{};
    std::string typed;
    for (char c : std::string("13800138000")) {
        for (auto& o : wedge.Text(std::string(1, c), at += 180ms)) typed += std::get<TypedText>(o).text;
    }
    REQUIRE(wedge.NextDeadline());
    for (auto& o : wedge.Poll(*wedge.NextDeadline())) typed += std::get<TypedText>(o).text;
    CHECK(typed == "13800138000");
    auto enter = wedge.Enter(at += 1s);
    REQUIRE(enter.size() == 1);
    CHECK(std::holds_alternative<TypedEnter>(enter[0]));
}

TEST_CASE("wedge: two quick keys then Enter is typing, not a scan", "[wedge]") {
    KeyboardWedgeDecoder wedge;
    ScanClock::time_point at{};
    wedge.Text("o", at);
    wedge.Text("k", at += 20ms);
    auto out = wedge.Enter(at += 20ms);
    REQUIRE(out.size() == 2);
    CHECK(std::get<TypedText>(out[0]).text == "ok");
    CHECK(std::holds_alternative<TypedEnter>(out[1]));
}

TEST_CASE("wedge: control characters are stripped from a burst", "[wedge]") {
    KeyboardWedgeDecoder wedge;
    ScanClock::time_point at{};
    wedge.Text("BAD\x01GE:B-1001\x7F", at);
    auto out = wedge.Enter(at + 5ms);
    REQUIRE(out.size() == 1);
    CHECK(std::get<WedgeScan>(out[0]).text == "BADGE:B-1001");
}

TEST_CASE("wedge source: scans go to the sink, typing back to the caller", "[wedge]") {
    KeyboardWedgeSource source;
    std::vector<std::string> scans;
    REQUIRE(source.Start([&](const kiosk::core::ScanEvent& e) { scans.push_back(e.input.text); }));
    ScanClock::time_point at{};
    CHECK(source.Text("SO-S001-20261122-00001", at).empty());
    CHECK(source.Enter(at + 3ms).empty());
    CHECK(scans == std::vector<std::string>{"SO-S001-20261122-00001"});
    source.Stop();
}

TEST_CASE("duplicate filter: the same code within the window counts once", "[scanner]") {
    DuplicateFilter filter(1s);
    ScanClock::time_point at{};
    CHECK(filter.Accept("A", at));
    CHECK_FALSE(filter.Accept("A", at + 500ms));
    CHECK(filter.Accept("B", at + 600ms));
    CHECK_FALSE(filter.Accept("A", at + 1400ms));  // the repeat at 500 ms extended the window
    CHECK(filter.Accept("A", at + 3s));
}
