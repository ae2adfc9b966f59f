// The receipt emulator: bytes -> picture -> barcodes read back with ZXing, and garbage refused cleanly.
#include <catch2/catch.hpp>

#include <random>

#include "drivers/emulator/receipt_emulator.hpp"
#include "drivers/escpos/encoder.hpp"
#include "drivers/escpos/text.hpp"
#include "drivers/print/print_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace kiosk::drivers;
using kiosk::core::ErrorCode;
namespace kt = kiosk::testing;

namespace {

constexpr const char* kTicket = "S012-K1-261122-0007";

escpos::Document ChineseReceipt() {
    escpos::Document d;
    d.Text("三包服务 收据", escpos::TextStyle{.bold = true, .doubleHeight = true}, escpos::Align::Center);
    d.Rule();
    d.Row({{"工单号", 10, escpos::Align::Left}, {kTicket, 0, escpos::Align::Right}});
    d.Row({{"商品", 10, escpos::Align::Left}, {"电饭煲 Rice cooker", 0, escpos::Align::Right}});
    d.Text("保修期内免费维修");
    d.Add(escpos::Code128{kTicket, 60, 2, true});
    d.Add(escpos::QrCode{kTicket, 5});
    d.Add(escpos::Cut{true});
    return d;
}

emulator::Printout RoundTrip(const std::string& profileName, escpos::CjkMode decodeAs) {
    const auto profile = kt::Profile(profileName);
    auto bytes = escpos::Encode(ChineseReceipt(), profile);
    REQUIRE(bytes);
    emulator::EmulatorOptions options;
    options.dots = profile.dots;
    options.cjk = decodeAs;
    auto printout = emulator::Render(*bytes, options);
    REQUIRE(printout);
    return *printout;
}

}  // namespace

TEST_CASE("a Chinese receipt round-trips through the emulator in GB18030 mode") {
    auto out = RoundTrip("xprinter-xp58", escpos::CjkMode::Gb18030);
    CHECK(kt::ReadQrCodes(out.paper) == std::vector<std::string>{kTicket});
    CHECK(out.qrCodes == std::vector<std::string>{kTicket});
    CHECK(out.code128s == std::vector<std::string>{kTicket});
    REQUIRE(out.lines.size() >= 4);
    CHECK(out.lines[0] == "三包服务 收据");
    CHECK(out.lines[4] == "保修期内免费维修");
    // Columns line up: the ticket number ends at the right edge of a 32-column line.
    CHECK(escpos::ColumnsOf(out.lines[2]) == 32);
    CHECK(escpos::ColumnsOf(out.lines[3]) == 32);
}

TEST_CASE("a Chinese receipt round-trips through the emulator in Big5 mode") {
    auto out = RoundTrip("generic-80-big5", escpos::CjkMode::Big5);
    CHECK(kt::ReadQrCodes(out.paper) == std::vector<std::string>{kTicket});
    CHECK(out.cuts == 1);
    // Traditional forms print from Big5; the Simplified-only characters fall back to drawn lines.
    CHECK(out.rasterImages > 0);
}

TEST_CASE("a Chinese receipt round-trips with text, QR and Code 128 drawn as raster") {
    auto out = RoundTrip("generic-58", escpos::CjkMode::Gb18030);
    CHECK(out.qrCodes.empty());
    CHECK(out.code128s.empty());
    CHECK(out.rasterImages >= 5);
    CHECK(kt::ReadQrCodes(out.paper) == std::vector<std::string>{kTicket});
    CHECK(kt::ReadCode128(out.paper) == std::vector<std::string>{kTicket});
}

TEST_CASE("the emulator writes a PNG") {
    auto out = RoundTrip("generic-80", escpos::CjkMode::Gb18030);
    kiosk::testing::TempDir dir;
    const auto file = dir.Path() / "receipt.png";
    REQUIRE(emulator::WritePng(out.paper, file));
    const auto png = kt::ReadBytes(file);
    REQUIRE(png.size() > 8);
    CHECK(png[1] == 'P');
    CHECK(!std::filesystem::exists(dir.Path() / "receipt.png.part"));
}

TEST_CASE("garbage bytes get a clear error, never a crash") {
    const std::vector<std::uint8_t> unknownEsc{0x1B, '@', 'H', 'i', 0x1B, 0xEE};
    auto r = emulator::Render(unknownEsc);
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::InvalidInput);
    CHECK(r.error().message == "offset 4: unknown command ESC 0xEE");

    const std::vector<std::uint8_t> truncatedRaster{0x1D, 'v', '0', 0, 10, 0, 10, 0, 1, 2, 3};
    auto t = emulator::Render(truncatedRaster);
    REQUIRE(!t);
    CHECK(t.error().message.find("truncated GS v 0 image data") != std::string::npos);

    const std::vector<std::uint8_t> badGb{0x1C, '&', 0xFF, 0xFF, 0x1C, '.'};
    CHECK(!emulator::Render(badGb));

    std::mt19937 random(42);
    std::uniform_int_distribution<int> byte(0, 255);
    int refused = 0;
    for (int run = 0; run < 200; ++run) {
        std::vector<std::uint8_t> noise(static_cast<std::size_t>(1 + run * 5));
        for (auto& b : noise) b = static_cast<std::uint8_t>(byte(random));
        if (!emulator::Render(noise)) ++refused;
    }
    CHECK(refused > 150);
}
