// The camera path without a camera: YUYV and GREY frames reduced to grey, and generated barcode
// frames going through the pipeline the V4L2 thread feeds, with repeats counted once.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "barcode_corpus.hpp"
#include "drivers/barcode/camera_source.hpp"

using namespace kiosk;
using namespace kiosk::drivers;
using namespace kiosk::testing;
using ZXing::BarcodeFormat;

namespace {

// A grey image as a camera would deliver it in YUYV: Y is the grey value, chroma is neutral, and
// each row is padded to `stride` bytes.
std::vector<std::uint8_t> AsYuyv(const GreyImage& image, int stride) {
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(stride) * static_cast<std::size_t>(image.height), 0xEE);
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            const auto at = static_cast<std::size_t>(y * stride + 2 * x);
            bytes[at] = image.pixels[static_cast<std::size_t>(y * image.width + x)];
            bytes[at + 1] = 128;
        }
    }
    return bytes;
}

// Pads a barcode onto a white canvas of a camera's frame size.
GreyImage OnCanvas(const GreyImage& code, int width, int height) {
    GreyImage canvas{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), 255)};
    const int left = (width - code.width) / 2, top = (height - code.height) / 2;
    for (int y = 0; y < code.height; ++y) {
        for (int x = 0; x < code.width; ++x) {
            canvas.pixels[static_cast<std::size_t>((top + y) * width + left + x)] =
                code.pixels[static_cast<std::size_t>(y * code.width + x)];
        }
    }
    return canvas;
}

class Events {
public:
    auto Sink() {
        return [this](const core::ScanEvent& e) {
            const std::scoped_lock lock(m_mutex);
            m_events.push_back(e);
        };
    }
    std::vector<core::ScanEvent> Get() {
        const std::scoped_lock lock(m_mutex);
        return m_events;
    }

private:
    std::mutex m_mutex;
    std::vector<core::ScanEvent> m_events;
};

}  // namespace

TEST_CASE("camera frames: YUYV keeps the Y samples, padded rows are skipped", "[camera]") {
    const GreyImage image{4, 2, {10, 20, 30, 40, 50, 60, 70, 80}};
    const auto yuyv = AsYuyv(image, 12);
    auto grey = GreyFromFrame(RawFrame{yuyv, PixelLayout::Yuyv, 4, 2, 12});
    REQUIRE(grey);
    CHECK(grey->width == 4);
    CHECK(grey->height == 2);
    CHECK(grey->pixels == image.pixels);

    const std::vector<std::uint8_t> greyBytes{1, 2, 3, 9, 4, 5, 6, 9};
    auto plain = GreyFromFrame(RawFrame{greyBytes, PixelLayout::Grey, 3, 2, 4});
    REQUIRE(plain);
    CHECK(plain->pixels == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("camera frames: sizes that do not fit the bytes are rejected with the reason", "[camera]") {
    const std::vector<std::uint8_t> bytes(100, 0);
    auto odd = GreyFromFrame(RawFrame{bytes, PixelLayout::Yuyv, 5, 2, 10});
    REQUIRE(!odd);
    CHECK(odd.error().code == core::ErrorCode::InvalidInput);
    CHECK(odd.error().message.find("odd width") != std::string::npos);
    auto stride = GreyFromFrame(RawFrame{bytes, PixelLayout::Yuyv, 8, 2, 10});
    REQUIRE(!stride);
    CHECK(stride.error().message.find("stride 10 is shorter than a row") != std::string::npos);
    auto cut = GreyFromFrame(RawFrame{bytes, PixelLayout::Grey, 10, 11, 10});
    REQUIRE(!cut);
    CHECK(cut.error().message.find("100 bytes, needs 110") != std::string::npos);
    auto empty = GreyFromFrame(RawFrame{bytes, PixelLayout::Grey, 0, 1, 0});
    CHECK(!empty);
}

TEST_CASE("camera pipeline: a code held in view for many frames is one scan; a malformed frame is counted",
          "[camera]") {
    Events events;
    CameraOptions options;
    CameraPipeline pipeline(options, "camera test", events.Sink());
    const GreyImage frame = OnCanvas(MakeBarcode(BarcodeFormat::QRCode, L"S012-K1-261122-0001", 4), 320, 240);
    const auto yuyv = AsYuyv(frame, 640);
    for (int i = 0; i < 10; ++i) {
        pipeline.Frame(RawFrame{yuyv, PixelLayout::Yuyv, 320, 240, 640});
        pipeline.WaitIdle();
    }
    CHECK(pipeline.FramesDecoded() == 10);
    auto seen = events.Get();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].input.text == "S012-K1-261122-0001");
    CHECK(seen[0].input.aimId == "]Q1");
    CHECK(seen[0].source == "camera test");

    CHECK(!pipeline.Frame(RawFrame{yuyv, PixelLayout::Yuyv, 320, 480, 640}));
    CHECK(pipeline.MalformedFrames() == 1);

    const GreyImage ean = OnCanvas(MakeBarcode(BarcodeFormat::EAN13, L"4006381333931", 2, 60), 320, 240);
    pipeline.Frame(RawFrame{ean.pixels, PixelLayout::Grey, 320, 240, 320});
    pipeline.WaitIdle();
    seen = events.Get();
    REQUIRE(seen.size() == 2);
    CHECK(seen[1].input.text == "4006381333931");
}

TEST_CASE("camera pipeline: frames arriving while one is decoded are dropped, never queued", "[camera]") {
    // The sink holds the decoder thread on the first scan, as a slow decode would.
    std::mutex mutex;
    std::condition_variable changed;
    bool inSink = false, release = false;
    std::size_t scans = 0;
    CameraPipeline pipeline(CameraOptions{}, "camera test", [&](const core::ScanEvent&) {
        std::unique_lock lock(mutex);
        ++scans;
        inSink = true;
        changed.notify_all();
        changed.wait(lock, [&] { return release; });
    });
    const GreyImage frame = OnCanvas(MakeBarcode(BarcodeFormat::EAN13, L"4006381333931", 2, 60), 640, 480);
    const auto yuyv = AsYuyv(frame, 1280);
    const RawFrame raw{yuyv, PixelLayout::Yuyv, 640, 480, 1280};
    CHECK(pipeline.Frame(raw));
    {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return inSink; });
    }
    CHECK(pipeline.Frame(raw));
    for (int i = 0; i < 49; ++i) CHECK(!pipeline.Frame(raw));
    {
        const std::scoped_lock lock(mutex);
        release = true;
    }
    changed.notify_all();
    pipeline.WaitIdle();
    CHECK(pipeline.FramesDecoded() == 2);
    CHECK(pipeline.FramesDropped() == 49);
    CHECK(scans == 1);  // the second decode read the same code again: a repeat
}

TEST_CASE("camera source: a missing device fails with Unavailable and names it", "[camera]") {
    CameraOptions options;
    options.device = "/dev/video-none-such";
    CameraSource source(options);
    auto started = source.Start([](const core::ScanEvent&) {});
    REQUIRE(!started);
    CHECK(started.error().code == core::ErrorCode::Unavailable);
    CHECK(started.error().message.find("/dev/video-none-such") != std::string::npos);
}
