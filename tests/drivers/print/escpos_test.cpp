// The ESC/POS encoder against golden bytes, per element and profile, plus profiles and text widths.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "drivers/escpos/encoder.hpp"
#include "drivers/escpos/status.hpp"
#include "drivers/escpos/text.hpp"
#include "drivers/print/print_test_support.hpp"

using namespace kiosk::drivers::escpos;
using kiosk::core::ErrorCode;
namespace kt = kiosk::testing;

namespace {

const char* const kProfiles[] = {"generic-58", "generic-80", "epson-tm-t20ii", "xprinter-xp58", "generic-80-big5"};

Bitmap Logo() {
    Bitmap logo(96, 40);
    for (int y = 0; y < logo.height; ++y) {
        for (int x = 0; x < logo.width; ++x) logo.Set(x, y, static_cast<std::uint8_t>((x * 255) / logo.width));
    }
    logo.FillRect(10, 10, 20, 20, 0);
    return logo;
}

// One document per element kind: the golden files are named after them.
std::vector<std::pair<std::string, Document>> ElementCases() {
    std::vector<std::pair<std::string, Document>> cases;
    Document text;
    text.Text("Plain text");
    text.Text("Bold", TextStyle{.bold = true});
    text.Text("Wide", TextStyle{.doubleWidth = true}, Align::Center);
    text.Text("Tall", TextStyle{.doubleHeight = true}, Align::Right);
    text.Text("Underlined", TextStyle{.underline = true});
    text.Text("Inverse", TextStyle{.inverse = true});
    text.Text("Font B", TextStyle{.font = Font::B});
    cases.emplace_back("text", text);
    Document columns;
    columns.Row({{"Item", 0, Align::Left}, {"Qty", 5, Align::Right}, {"Price", 10, Align::Right}});
    columns.Row({{"电饭煲 Rice cooker", 0, Align::Left}, {"1", 5, Align::Right}, {"299.00", 10, Align::Right}});
    cases.emplace_back("columns", columns);
    Document separator;
    separator.Rule('-').Rule('=');
    cases.emplace_back("separator", separator);
    Document cjk;
    cjk.Text("保修单 Warranty", TextStyle{.bold = true}, Align::Center);
    cases.emplace_back("cjk", cjk);
    Document image;
    image.Add(Image{Logo(), Align::Center, Dither::FloydSteinberg});
    cases.emplace_back("image", image);
    Document code128;
    code128.Add(Code128{"S012-K1-261122-0007", 64, 2, true});
    cases.emplace_back("code128", code128);
    Document qr;
    qr.Add(QrCode{"S012-K1-261122-0007", 6});
    cases.emplace_back("qr", qr);
    Document feedCut;
    feedCut.Add(Feed{2}).Add(Cut{true});
    cases.emplace_back("feed_cut", feedCut);
    return cases;
}

}  // namespace

TEST_CASE("every element encodes to its golden bytes for every profile") {
    const bool update = std::getenv("KIOSK_UPDATE_GOLDEN") != nullptr;
    const std::filesystem::path dir = std::filesystem::path(KIOSK_TEST_DATA_DIR) / "escpos";
    for (const char* profileName : kProfiles) {
        const PrinterProfile profile = kt::Profile(profileName);
        for (const auto& [name, document] : ElementCases()) {
            CAPTURE(profileName, name);
            auto bytes = Encode(document, profile);
            REQUIRE(bytes);
            const auto bin = dir / (name + "." + profileName + ".bin");
            if (update) {
                std::ofstream(bin, std::ios::binary)
                    .write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
                std::ofstream(dir / (name + "." + profileName + ".hex")) << kt::HexDump(*bytes);
            }
            REQUIRE(std::filesystem::exists(bin));
            CHECK(kt::HexDump(*bytes) == kt::HexDump(kt::ReadBytes(bin)));
        }
    }
}

TEST_CASE("native QR and Code 128 use GS ( k and GS k; raster fallbacks use GS v 0 strips") {
    Document d;
    d.Add(QrCode{"T-1", 4}).Add(Code128{"T-1", 40, 2, false});
    auto native = Encode(d, kt::Profile("generic-80"));
    auto raster = Encode(d, kt::Profile("generic-58"));
    REQUIRE(native);
    REQUIRE(raster);
    const std::vector<std::uint8_t> qrStore{0x1D, '(', 'k', 6, 0, 49, 80, 48, 'T', '-', '1'};
    CHECK(std::search(native->begin(), native->end(), qrStore.begin(), qrStore.end()) != native->end());
    const std::vector<std::uint8_t> code128{0x1D, 'k', 73, 5, '{', 'B', 'T', '-', '1'};
    CHECK(std::search(native->begin(), native->end(), code128.begin(), code128.end()) != native->end());
    const std::vector<std::uint8_t> gsv0{0x1D, 'v', '0', 0};
    CHECK(std::search(native->begin(), native->end(), gsv0.begin(), gsv0.end()) == native->end());
    CHECK(std::search(raster->begin(), raster->end(), gsv0.begin(), gsv0.end()) != raster->end());
}

TEST_CASE("tall images go out in strips of at most 256 rows") {
    Document d;
    d.Add(Image{Bitmap(64, 600, 0), Align::Left, Dither::Threshold});
    auto bytes = Encode(d, kt::Profile("generic-80"));
    REQUIRE(bytes);
    std::vector<int> rows;
    for (std::size_t i = 0; i + 8 <= bytes->size(); ++i) {
        if ((*bytes)[i] == 0x1D && (*bytes)[i + 1] == 'v' && (*bytes)[i + 2] == '0') {
            rows.push_back((*bytes)[i + 6] | ((*bytes)[i + 7] << 8));
            i += 8 + static_cast<std::size_t>(rows.back() * 8) - 1;
        }
    }
    CHECK(rows == std::vector<int>{256, 256, 88});
}

TEST_CASE("Chinese text is wrapped in FS & ... FS . in the profile's encoding") {
    Document d;
    d.Text("保修 OK");
    auto gb = Encode(d, kt::Profile("xprinter-xp58"));
    auto big5 = Encode(d, kt::Profile("generic-80-big5"));
    REQUIRE(gb);
    REQUIRE(big5);
    // 保 = B1A3, 修 = D0DE in GB18030; 保 = AB4F, 修 = ADD7 in Big5.
    const std::vector<std::uint8_t> gbRun{0x1C, '&', 0xB1, 0xA3, 0xD0, 0xDE, 0x1C, '.', ' ', 'O', 'K', 0x0A};
    const std::vector<std::uint8_t> big5Run{0x1C, '&', 0xAB, 0x4F, 0xAD, 0xD7, 0x1C, '.', ' ', 'O', 'K', 0x0A};
    CHECK(std::search(gb->begin(), gb->end(), gbRun.begin(), gbRun.end()) != gb->end());
    CHECK(std::search(big5->begin(), big5->end(), big5Run.begin(), big5Run.end()) != big5->end());
}

TEST_CASE("column widths count CJK characters as two columns") {
    CHECK(ColumnsOf("abc") == 3);
    CHECK(ColumnsOf("电饭煲") == 6);
    CHECK(ColumnsOf("电饭 ab") == 7);
    int used = 0;
    CHECK(FitColumns("电饭煲", 5, &used) == "电饭");
    CHECK(used == 4);
}

TEST_CASE("profiles load from assets and report bad files with file and line") {
    for (const char* name : kProfiles) CHECK(kt::Profile(name).id == name);
    CHECK(kt::Profile("xprinter-xp58").cjk == CjkMode::Gb18030);
    CHECK(kt::Profile("generic-58").dots == 384);

    auto unknown = LoadProfileByName(kt::ProfileDir(), "no-such-printer");
    REQUIRE(!unknown);
    CHECK(unknown.error().code == ErrorCode::NotFound);
    CHECK(unknown.error().message.find("generic-80") != std::string::npos);

    const std::string bad =
        "id = \"x\"\nname = \"x\"\n[paper]\nwidth_mm = 80\ndots = 576\n[fonts]\na_columns = 48\nb_columns = 64\n"
        "[features]\nnative_qr = true\nnative_code128 = true\ncutter = true\nstatus = true\ncjk = \"shift-jis\"\n";
    auto parsed = ParseProfile(bad, "x.toml");
    REQUIRE(!parsed);
    CHECK(parsed.error().message.rfind("x.toml:14:", 0) == 0);
    auto syntax = ParseProfile("id = ", "y.toml");
    REQUIRE(!syntax);
    CHECK(syntax.error().message.rfind("y.toml:1:", 0) == 0);
}

TEST_CASE("barcode data the printer cannot hold is refused") {
    Document d;
    d.Add(Code128{"bad\x01", 40, 2, true});
    auto bytes = Encode(d, kt::Profile("generic-80"));
    REQUIRE(!bytes);
    CHECK(bytes.error().code == ErrorCode::InvalidInput);
    CHECK(bytes.error().message.find("element 1") != std::string::npos);
}

TEST_CASE("status replies are validated against the fixed bit pattern") {
    const std::vector<std::uint8_t> ok{0x12, 0x12, 0x12, 0x12};
    auto status = ParseStatusReplies(ok);
    REQUIRE(status);
    CHECK(status->CanPrint());

    auto paperOut = ParseStatusReplies(std::vector<std::uint8_t>{0x12, 0x12, 0x12, 0x7E});
    REQUIRE(paperOut);
    CHECK(paperOut->paperOut);
    CHECK(paperOut->paperNearEnd);
    CHECK(!paperOut->CanPrint());

    auto cover = ParseStatusReplies(std::vector<std::uint8_t>{0x1A, 0x16, 0x12, 0x12});
    REQUIRE(cover);
    CHECK(!cover->online);
    CHECK(cover->coverOpen);
    auto cutter = ParseStatusReplies(std::vector<std::uint8_t>{0x12, 0x12, 0x1A, 0x12});
    REQUIRE(cutter);
    CHECK(cutter->cutterError);
    CHECK(!cutter->CanPrint());

    auto garbled = ParseStatusReplies(std::vector<std::uint8_t>{0x12, 0xFF, 0x12, 0x12});
    REQUIRE(!garbled);
    CHECK(garbled.error().message.find("0xFF") != std::string::npos);
    auto truncated = ParseStatusReplies(std::vector<std::uint8_t>{0x12, 0x12});
    REQUIRE(!truncated);
    kiosk::core::PrinterStatus s;
    CHECK(!ApplyStatusReply(1, std::vector<std::uint8_t>{}, s));
    CHECK(!ApplyStatusReply(1, std::vector<std::uint8_t>{0x12, 0x12}, s));
}
