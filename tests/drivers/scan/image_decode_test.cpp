// Decoding generated barcode images: every retail format, GS1 data, and degraded pictures.
#include <catch2/catch.hpp>

#include <stb_image_write.h>

#include <atomic>
#include <fstream>
#include <mutex>

#include "barcode_corpus.hpp"
#include "drivers/barcode/frame_decoder.hpp"
#include "kiosk/core/scan.hpp"
#include "support/temp_dir.hpp"

using namespace kiosk::drivers;
using namespace kiosk::testing;
using ZXing::BarcodeFormat;

namespace {

const std::wstring kGs1Code128 = L"\u00f1" L"0109501101530003" L"17260600" L"10AB-123" L"\u00f1" L"21SN42";

DecodedBarcode DecodeOne(const GreyImage& image) {
    auto codes = DecodeImage(image);
    INFO((codes ? std::string() : codes.error().message));
    REQUIRE(codes);
    REQUIRE(codes->size() == 1);
    return codes->front();
}

void WritePng(const std::filesystem::path& path, const GreyImage& image) {
    REQUIRE(stbi_write_png(path.c_str(), image.width, image.height, 1, image.pixels.data(), image.width) != 0);
}

}  // namespace

TEST_CASE("retail formats decode with their AIM ids", "[barcode]") {
    struct Case { BarcodeFormat format; std::wstring text; const char* expected; const char* format_name; const char* aim; };
    for (const Case& c : {Case{BarcodeFormat::EAN13, L"6901234567892", "6901234567892", "EAN-13", "]E0"},
                          Case{BarcodeFormat::UPCA, L"036000291452", "036000291452", "UPC-A", "]E0"},
                          Case{BarcodeFormat::EAN8, L"96385074", "96385074", "EAN-8", "]E4"},
                          Case{BarcodeFormat::Code128, L"SO-S001-20261122-00001", "SO-S001-20261122-00001", "Code128", "]C0"},
                          Case{BarcodeFormat::QRCode, L"https://example.com/t/S012-K1-261122-0007",
                               "https://example.com/t/S012-K1-261122-0007", "QRCode", "]Q1"},
                          Case{BarcodeFormat::DataMatrix, L"BADGE:B-1001", "BADGE:B-1001", "DataMatrix", "]d1"}}) {
        INFO(c.expected);
        const DecodedBarcode code = DecodeOne(MakeBarcode(c.format, c.text));
        CHECK(code.input.text == c.expected);
        CHECK(code.format == c.format_name);
        CHECK(code.input.aimId == c.aim);
    }
}

TEST_CASE("a GS1-128 code decodes to a product with serial and expiry", "[barcode]") {
    const DecodedBarcode code = DecodeOne(MakeBarcode(BarcodeFormat::Code128, kGs1Code128));
    CHECK(code.input.aimId == "]C1");
    const auto meaning = kiosk::core::ClassifyScan(code.input);
    REQUIRE(std::holds_alternative<kiosk::core::ProductScan>(meaning));
    const auto& product = std::get<kiosk::core::ProductScan>(meaning);
    CHECK(product.gtin.Digits14() == "09501101530003");
    CHECK(product.serial == "SN42");
    CHECK(product.batch == "AB-123");
}

TEST_CASE("GS1 data in a DataMatrix keeps its separators", "[barcode]") {
    const DecodedBarcode code =
        DecodeOne(MakeBarcode(BarcodeFormat::DataMatrix, L"0109501101530003" L"10AB-123\x1D" L"21SN42", 4));
    CHECK(code.input.text == "0109501101530003" "10AB-123\x1D" "21SN42");
    const auto meaning = kiosk::core::ClassifyScan({code.input.text, "]d2"});
    REQUIRE(std::holds_alternative<kiosk::core::ProductScan>(meaning));
    CHECK(std::get<kiosk::core::ProductScan>(meaning).serial == "SN42");
}

TEST_CASE("degraded pictures still decode", "[barcode]") {
    const GreyImage ean = MakeBarcode(BarcodeFormat::EAN13, L"6901234567892", 3, 60);
    const GreyImage qr = MakeBarcode(BarcodeFormat::QRCode, L"S012-K1-261122-0007", 4);
    CHECK(DecodeOne(Rotated(ean, 90)).input.text == "6901234567892");
    CHECK(DecodeOne(Rotated(qr, 30)).input.text == "S012-K1-261122-0007");
    CHECK(DecodeOne(Scaled(ean, 0.7)).input.text == "6901234567892");
    CHECK(DecodeOne(Scaled(qr, 2.5)).input.text == "S012-K1-261122-0007");
    CHECK(DecodeOne(Blurred(ean, 1)).input.text == "6901234567892");
    CHECK(DecodeOne(Blurred(qr, 2)).input.text == "S012-K1-261122-0007");
    CHECK(DecodeOne(LowContrast(ean, 110, 150)).input.text == "6901234567892");
    CHECK(DecodeOne(LowContrast(qr, 90, 160)).input.text == "S012-K1-261122-0007");
}

TEST_CASE("an image without a code is NotFound with a reason", "[barcode]") {
    auto codes = DecodeImage(Noise(320, 240));
    REQUIRE_FALSE(codes);
    CHECK(codes.error().code == kiosk::core::ErrorCode::NotFound);
    CHECK_THAT(codes.error().message, Catch::Contains("no readable barcode"));
    auto empty = DecodeImage(GreyImage{});
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == kiosk::core::ErrorCode::InvalidInput);
}

TEST_CASE("image files: PNG loads as grey; missing and broken files are explained", "[barcode]") {
    TempDir dir("scan-images");
    const auto png = dir.Path() / "ean13.png";
    WritePng(png, MakeBarcode(BarcodeFormat::EAN13, L"6901234567892"));
    auto image = LoadImageFile(png);
    REQUIRE(image);
    CHECK(DecodeOne(*image).input.text == "6901234567892");

    auto missing = LoadImageFile(dir.Path() / "missing.png");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == kiosk::core::ErrorCode::NotFound);
    const auto broken = dir.Path() / "broken.png";
    { std::ofstream(broken) << "not a picture"; }
    auto bad = LoadImageFile(broken);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == kiosk::core::ErrorCode::InvalidInput);
    CHECK_THAT(bad.error().message, Catch::Contains("broken.png"));
}

TEST_CASE("frame pipeline: frames from image files decode off the caller's thread, repeats once", "[barcode]") {
    TempDir dir("scan-frames");
    const auto png = dir.Path() / "qr.png";
    WritePng(png, MakeBarcode(BarcodeFormat::QRCode, L"BADGE:B-1001", 4));
    auto frame = LoadImageFile(png);
    REQUIRE(frame);
    std::mutex mutex;
    std::vector<std::string> seen;
    std::atomic<std::thread::id> sinkThread;
    FrameDecoder decoder({}, std::chrono::seconds(10), [&](const DecodedBarcode& code) {
        std::lock_guard lock(mutex);
        sinkThread = std::this_thread::get_id();
        seen.push_back(code.input.text);
    });
    for (int i = 0; i < 20; ++i) decoder.Submit(*frame);
    decoder.WaitIdle();
    CHECK(decoder.FramesDecoded() + decoder.FramesDropped() == 20);
    CHECK(decoder.FramesDecoded() >= 1);
    std::lock_guard lock(mutex);
    CHECK(seen == std::vector<std::string>{"BADGE:B-1001"});
    CHECK(sinkThread.load() != std::this_thread::get_id());
}

TEST_CASE("frame pipeline: a busy decoder drops frames instead of queueing them", "[barcode]") {
    const GreyImage noise = Noise(1280, 720);
    FrameDecoder decoder({}, std::chrono::seconds(1), [](const DecodedBarcode&) {});
    int accepted = 0;
    for (int i = 0; i < 30; ++i) accepted += decoder.Submit(noise) ? 1 : 0;
    decoder.WaitIdle();
    CHECK(decoder.FramesDropped() > 0);
    CHECK(decoder.FramesDecoded() < 30);
    CHECK(static_cast<std::size_t>(accepted) + decoder.FramesDropped() == 30);
}
