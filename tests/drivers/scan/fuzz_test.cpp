// Seeded random input never crashes the decoders or the classifier, and what comes out is well formed.
#include <catch2/catch.hpp>

#include <random>

#include "drivers/scanner/boot_keyboard_decoder.hpp"
#include "drivers/scanner/hid_pos_decoder.hpp"
#include "drivers/scanner/keyboard_wedge.hpp"
#include "kiosk/core/gs1.hpp"
#include "kiosk/core/scan.hpp"

using namespace kiosk::drivers;
using namespace std::chrono_literals;

namespace {
constexpr int kIterations = 200000;
}

TEST_CASE("random boot-keyboard reports never crash and yield printable codes", "[fuzz]") {
    std::mt19937 rng(20261122);
    std::uniform_int_distribution<int> byte(0, 255), small(0, 0x40), size(0, 10), gap(0, 300);
    BootKeyboardDecoder decoder(BootKeyboardOptions{KeyboardLayout::Us, 100ms, 64});
    ScanClock::time_point at{};
    std::size_t codes = 0;
    for (int i = 0; i < kIterations; ++i) {
        std::vector<std::uint8_t> report(i % 7 == 0 ? static_cast<std::size_t>(size(rng)) : 8);
        for (auto& b : report) b = static_cast<std::uint8_t>(i % 3 == 0 ? byte(rng) : small(rng));
        at += std::chrono::milliseconds(gap(rng));
        if (auto code = decoder.Feed(report, at)) {
            ++codes;
            REQUIRE(!code->empty());
            REQUIRE(code->size() <= 64);
            for (char c : *code) REQUIRE((c >= 0x20 && c < 0x7F));
        }
    }
    CHECK(codes > 0);
}

TEST_CASE("random HID POS reports never crash and respect the length limit", "[fuzz]") {
    std::mt19937 rng(8);
    std::uniform_int_distribution<int> byte(0, 255), gap(0, 800);
    HidPosDecoder decoder(HidPosOptions{500ms, 1000});
    ScanClock::time_point at{};
    std::size_t scans = 0;
    for (int i = 0; i < kIterations; ++i) {
        std::vector<std::uint8_t> report(i % 11 == 0 ? static_cast<std::size_t>(byte(rng) % 80) : 64);
        for (auto& b : report) b = static_cast<std::uint8_t>(byte(rng));
        if (!report.empty() && i % 2 == 0) report[0] = 0x02;
        if (report.size() > 1 && i % 2 == 0) report[1] = static_cast<std::uint8_t>(byte(rng) % 60);
        at += std::chrono::milliseconds(gap(rng));
        if (auto scan = decoder.Feed(report, at)) {
            ++scans;
            REQUIRE(scan->text.size() <= 1000);
            REQUIRE((scan->aimId.empty() || scan->aimId.size() == 3));
            kiosk::core::ClassifyScan(*scan);
        }
    }
    CHECK(scans > 0);
}

TEST_CASE("random text never crashes the wedge, the GS1 parser or the classifier", "[fuzz]") {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> byte(0, 255), length(0, 60), gap(0, 80), pick(0, 9);
    const std::string alphabet = "0123456789()\x1D-:ABCDEFGHIJKLMNOPQRSTUVWXYZ/.";
    KeyboardWedgeDecoder wedge;
    ScanClock::time_point at{};
    for (int i = 0; i < kIterations / 4; ++i) {
        std::string text(static_cast<std::size_t>(length(rng)), '\0');
        for (char& c : text) {
            c = pick(rng) < 7 ? alphabet[static_cast<std::size_t>(byte(rng)) % alphabet.size()] : static_cast<char>(byte(rng));
        }
        const std::string aims[] = {"", "]C1", "]E0", "]Q1", "]d2", "]C0"};
        const auto meaning = kiosk::core::ClassifyScan({text, aims[static_cast<std::size_t>(i) % 6]});
        REQUIRE(!kiosk::core::ScanKindName(meaning).empty());
        if (const auto* unknown = std::get_if<kiosk::core::UnknownScan>(&meaning)) REQUIRE(!unknown->reason.empty());
        (void)kiosk::core::ParseGs1ElementString(text);
        (void)kiosk::core::ParseGs1HumanReadable(text);
        at += std::chrono::milliseconds(gap(rng));
        for (const auto& out : pick(rng) == 0 ? wedge.Enter(at) : wedge.Text(text, at)) {
            if (const auto* scan = std::get_if<WedgeScan>(&out)) {
                for (char c : scan->text) REQUIRE((static_cast<unsigned char>(c) >= 0x20 && c != 0x7F));
            }
        }
    }
}
