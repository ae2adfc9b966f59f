// Intake evidence on its real parts: recorded frames through the frame port the camera implements,
// colour JPEG photos in the blob store, the signature drawn from its strokes, one attached event, and
// verify rehashing the files.
#include <catch2/catch.hpp>

#include <fstream>

#include <stb/stb_image.h>

#include "admin_test_support.hpp"
#include "kiosk/app/intake_files.hpp"

using namespace kiosk;
using namespace kiosk::admin_test;

namespace {

const std::filesystem::path kRecordedFrames = KIOSK_TEST_ASSET_DIR "/demo/frames";

// A frame of one colour, as a camera delivering YUYV (with padded rows) would.
drivers::OwnedFrame SolidYuyv(int width, int height, std::uint8_t y, std::uint8_t u, std::uint8_t v) {
    drivers::OwnedFrame frame;
    frame.width = width;
    frame.height = height;
    frame.bytesPerLine = width * 2 + 64;
    frame.bytes.assign(static_cast<std::size_t>(frame.bytesPerLine) * static_cast<std::size_t>(height), 0);
    for (int row = 0; row < height; ++row) {
        std::uint8_t* p = frame.bytes.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(frame.bytesPerLine);
        for (int x = 0; x < width; x += 2) {
            p[x * 2] = y;
            p[x * 2 + 1] = u;
            p[x * 2 + 2] = y;
            p[x * 2 + 3] = v;
        }
    }
    return frame;
}

struct Grey {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
    int At(int x, int y) const { return pixels[static_cast<std::size_t>(y * width + x)]; }
};

Grey DecodePng(const std::string& png) {
    Grey out;
    int channels = 0;
    unsigned char* pixels = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(png.data()), static_cast<int>(png.size()),
                                                  &out.width, &out.height, &channels, 1);
    REQUIRE(pixels != nullptr);
    out.pixels.assign(pixels, pixels + out.width * out.height);
    stbi_image_free(pixels);
    return out;
}

}  // namespace

TEST_CASE("a YUYV frame becomes a colour JPEG no larger than 1280 pixels", "[admin][intake]") {
    // BT.601 red (R 235, G 16, B 16 in video levels): Y 81, U 90, V 240.
    const drivers::OwnedFrame frame = SolidYuyv(2560, 1440, 81, 90, 240);
    const std::string jpeg = Ok(drivers::PhotoFromFrame(frame.View()));
    CHECK(jpeg.size() < 200 * 1024);
    const drivers::RgbImage photo = Ok(drivers::DecodeJpeg(jpeg));
    CHECK(photo.width == 1280);
    CHECK(photo.height == 720);
    const std::uint8_t* middle = &photo.pixels[(360 * 1280 + 640) * 3];
    CHECK(middle[0] > 220);
    CHECK(middle[1] < 40);
    CHECK(middle[2] < 40);

    drivers::OwnedFrame grey;
    grey.layout = drivers::PixelLayout::Grey;
    grey.width = 7;
    grey.height = 3;
    grey.bytesPerLine = 7;
    grey.bytes.assign(21, 128);
    const drivers::RgbImage rgb = Ok(drivers::RgbFromFrame(grey.View()));
    CHECK(rgb.pixels == std::vector<std::uint8_t>(63, 128));

    drivers::OwnedFrame cut = frame;
    cut.bytes.resize(1000);
    CHECK(drivers::RgbFromFrame(cut.View()).error().code == core::ErrorCode::InvalidInput);
    CHECK(drivers::InspectJpeg("\x89PNG\r\n").error().code == core::ErrorCode::InvalidInput);
}

TEST_CASE("recorded frames through the frame port become photos in the blob store and one attached event",
          "[admin][intake]") {
    drivers::RecordedFrames camera = Ok(drivers::RecordedFrames::Load({kRecordedFrames}));
    REQUIRE(camera.Count() == 3);
    drivers::FrameSource& port = camera;
    const drivers::OwnedFrame first = Ok(port.LatestFrame());
    CHECK(first.layout == drivers::PixelLayout::Yuyv);
    CHECK(first.width == 640);
    CHECK(first.height == 480);

    AdminFixture fx;
    const std::string number = fx.NewRepair(At("2026-11-22T02:00:00Z"));
    const storage::BlobStore blobs(storage::BlobStore::DirectoryFor(fx.File()));
    app::IntakeFiles intake(blobs);

    // Two photos, one dropped, one retaken: the scene moves on between takes.
    const core::Attachment kept = Ok(intake.TakePhoto(port));
    const core::Attachment dropped = Ok(intake.TakePhoto(port));
    CHECK(kept.sha256 != dropped.sha256);
    CHECK(kept.kind == "photo");
    CHECK(kept.mediaType == "image/jpeg");
    Ok(intake.Discard(dropped));
    CHECK_FALSE(std::filesystem::exists(blobs.PathOf(dropped.sha256)));
    const core::Attachment retaken = Ok(intake.TakePhoto(port));
    const drivers::RgbImage photo = Ok(drivers::DecodeJpeg(Ok(blobs.Read(retaken.sha256))));
    CHECK(photo.width == 640);
    // Three frames were taken before, so the retake comes round to the first: a red item on the counter.
    const std::uint8_t* item = &photo.pixels[(240 * 640 + 310) * 3];
    CHECK(item[0] > item[1] + 40);
    CHECK(item[0] > item[2] + 40);

    const std::vector<drivers::escpos::SignatureStroke> strokes{{{0.1f, 0.5f, 0}, {0.9f, 0.5f, 400}}};
    const std::vector<core::Attachment> signature = Ok(intake.PutSignature(strokes));
    REQUIRE(signature.size() == 2);
    CHECK(signature[0].kind == "signature");
    CHECK(signature[1].kind == "signature_strokes");
    CHECK(Ok(blobs.Read(signature[1].sha256)) == "[[[0.1,0.5,0],[0.9,0.5,400]]]");

    std::vector<core::Attachment> files{kept, retaken};
    files.insert(files.end(), signature.begin(), signature.end());
    const core::admin::TicketDetail detail =
        Ok(fx.Admin().Attach(kClerk, number, files, "dent on the left side", At("2026-11-22T02:05:00Z")));
    CHECK(detail.events.back().attachments.size() == 4);
    CHECK(Ok(blobs.List()).size() == 4);

    const VerifyReport intact = Ok(fx.Kiosk().Verify(&blobs));
    CHECK(intact.ok);
    CHECK(intact.filesChecked == 4);

    // A photo edited on disk: the chain still holds, the file does not.
    {
        std::fstream file(blobs.PathOf(retaken.sha256), std::ios::binary | std::ios::in | std::ios::out);
        file.seekp(1000);
        file.put('\x11');
    }
    const VerifyReport edited = Ok(fx.Kiosk().Verify(&blobs));
    CHECK_FALSE(edited.ok);
    CHECK_FALSE(edited.firstBreak);
    REQUIRE(edited.attachmentProblems.size() == 1);
    CHECK(edited.attachmentProblems[0].ticketNumber == number);
    CHECK(edited.attachmentProblems[0].kind == "photo");
    CHECK(edited.attachmentProblems[0].path == blobs.PathOf(retaken.sha256).string());
    CHECK_THAT(edited.attachmentProblems[0].reason, Catch::Contains("has changed"));
    CHECK(Ok(fx.Kiosk().Verify()).ok);  // without the files, only the chain is checked
}

TEST_CASE("recorded frames that are not pictures are refused", "[admin][intake]") {
    CHECK(drivers::RecordedFrames::Load({}).error().code == core::ErrorCode::NotFound);
    CHECK(drivers::RecordedFrames::Load({kRecordedFrames / "none.jpg"}).error().code == core::ErrorCode::NotFound);
    CHECK(drivers::RecordedFrames::Load({KIOSK_TEST_DATA_DIR "/signature/strokes.json"}).error().code ==
          core::ErrorCode::InvalidInput);
}

TEST_CASE("signature strokes render to a PNG with ink on the strokes and none elsewhere", "[admin][intake]") {
    // A line across the middle, a short diagonal and a dot.
    const std::vector<drivers::escpos::SignatureStroke> strokes{
        {{0.1f, 0.5f, 0}, {0.9f, 0.5f, 300}},
        {{0.2f, 0.1f, 500}, {0.3f, 0.3f, 600}},
        {{0.75f, 0.2f, 800}},
    };
    const std::string png = Ok(drivers::escpos::EncodeGreyPng(drivers::escpos::RenderSignature(strokes)));
    const Grey picture = DecodePng(png);
    REQUIRE(picture.width == drivers::escpos::kSignatureWidth);
    REQUIRE(picture.height == drivers::escpos::kSignatureHeight);

    // Ink along the strokes: the line, the diagonal's middle, the dot.
    for (int x = 60; x <= 515; x += 15) CHECK(picture.At(x, 96) < 40);
    CHECK(picture.At(144, 38) < 40);
    CHECK(picture.At(432, 38) < 40);
    // None elsewhere: every pixel further than the pen's reach from every stroke is paper.
    const auto nearStroke = [](int x, int y) {
        const bool line = x >= 50 && x <= 526 && y >= 90 && y <= 102;
        const bool diagonal = x >= 108 && x <= 180 && y >= 13 && y <= 64;
        const bool dot = x >= 425 && x <= 439 && y >= 31 && y <= 45;
        return line || diagonal || dot;
    };
    int ink = 0;
    int partial = 0;
    for (int y = 0; y < picture.height; ++y) {
        for (int x = 0; x < picture.width; ++x) {
            const int value = picture.At(x, y);
            if (!nearStroke(x, y)) {
                if (value != 255) FAIL("ink at " << x << "," << y << ": " << value);
                continue;
            }
            if (value < 128) ++ink;
            if (value > 0 && value < 255) ++partial;
        }
    }
    CHECK(ink > 4 * 450);  // the line is five dots thick, its outer rows half inked
    CHECK(partial > 100);  // its edges are smoothed

    // The vector path survives its JSON.
    const auto again = Ok(drivers::escpos::SignatureStrokesFromJson(drivers::escpos::SignatureStrokesToJson(strokes)));
    CHECK(again == strokes);
}

TEST_CASE("malformed signature strokes are refused saying where", "[admin][intake]") {
    const auto error = [](std::string_view json) {
        auto parsed = drivers::escpos::SignatureStrokesFromJson(json);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().code == core::ErrorCode::InvalidInput);
        return parsed.error().message;
    };
    CHECK_THAT(error("{"), Catch::Contains("not JSON"));
    CHECK_THAT(error("[]"), Catch::Contains("empty"));
    CHECK_THAT(error("[[[0.1, 0.2]]]"), Catch::Contains("stroke 1, point 1 is not [x, y, t]"));
    CHECK_THAT(error("[[[0.1, 0.2, 0]], [[0.1, 1.2, 5]]]"), Catch::Contains("stroke 2, point 1 is off the pad"));
    CHECK_THAT(error("[[[0.1, 0.2, 50], [0.2, 0.2, 10]]]"), Catch::Contains("runs backwards"));
}
