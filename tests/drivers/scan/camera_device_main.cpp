// A real V4L2 camera as a barcode source and a frame source: reports SKIP (exit code 77) when the
// machine has no /dev/video0, or the camera named by KIOSK_TEST_CAMERA, instead of passing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "catch_session.hpp"
#include "drivers/barcode/camera_source.hpp"
#include "drivers/barcode/photo.hpp"

namespace {

std::string CameraPath() {
    const char* chosen = std::getenv("KIOSK_TEST_CAMERA");
    return chosen != nullptr ? chosen : "/dev/video0";
}

}  // namespace

TEST_CASE("camera device: streams frames in a format the pipeline reads") {
    kiosk::drivers::CameraOptions options;
    options.device = CameraPath();
    kiosk::drivers::CameraSource source(options);
    auto started = source.Start([](const kiosk::core::ScanEvent&) {});
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started);
    CHECK(source.Width() > 0);
    CHECK(source.Height() > 0);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    source.Stop();
}

TEST_CASE("camera device: gives its latest frame through the frame port, and the frame makes a photo") {
    kiosk::drivers::CameraOptions options;
    options.device = CameraPath();
    kiosk::drivers::CameraSource source(options);
    auto started = source.StartFrames();
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started);
    kiosk::drivers::FrameSource& port = source;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto frame = port.LatestFrame();
    while (!frame && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        frame = port.LatestFrame();
    }
    INFO((frame ? std::string() : frame.error().message));
    REQUIRE(frame);
    auto jpeg = kiosk::drivers::PhotoFromFrame(frame->View());
    REQUIRE(jpeg);
    auto size = kiosk::drivers::InspectJpeg(*jpeg);
    REQUIRE(size);
    CHECK(size->width == std::min(source.Width(), 1280));
    source.Stop();
}

int main(int argc, char** argv) {
    std::error_code error;
    if (!std::filesystem::exists(CameraPath(), error)) {
        std::printf("SKIP: no camera at %s (set KIOSK_TEST_CAMERA to another device)\n", CameraPath().c_str());
        return 77;
    }
    return kiosk::testing::RunCatch(argc, argv);
}
