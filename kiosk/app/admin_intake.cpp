// Photos from the frame port, thumbnails for the screen, signatures from the pad's strokes.
#include "kiosk/app/admin_intake.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "drivers/barcode/camera_source.hpp"

namespace kiosk::app {
namespace {

// The V4L2 camera, streaming only once a photo is wanted: a kiosk at rest reads no frames. The first
// photo waits for the stream's first frame.
class OnDemandCamera final : public drivers::FrameSource {
public:
    explicit OnDemandCamera(std::string device) : m_camera(drivers::CameraOptions{.device = std::move(device)}) {}

    core::Result<drivers::OwnedFrame> LatestFrame() override {
        if (!m_streaming) {
            if (auto started = m_camera.StartFrames(); !started) return std::unexpected(std::move(started.error()));
            m_streaming = true;
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        auto frame = m_camera.LatestFrame();
        while (!frame && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            frame = m_camera.LatestFrame();
        }
        return frame;
    }
    std::string Name() const override { return m_camera.Name(); }

private:
    drivers::CameraSource m_camera;
    bool m_streaming = false;
};

}  // namespace

core::Result<std::unique_ptr<drivers::FrameSource>> OpenIntakeCamera(const config::IntakeConfig& settings) {
    if (!settings.camera.empty()) return std::unique_ptr<drivers::FrameSource>(std::make_unique<OnDemandCamera>(settings.camera));
    if (settings.recordedFrames.empty()) return std::unique_ptr<drivers::FrameSource>();
    auto recorded = drivers::RecordedFrames::Load({settings.recordedFrames});
    if (!recorded) return std::unexpected(std::move(recorded.error()));
    return std::unique_ptr<drivers::FrameSource>(std::make_unique<drivers::RecordedFrames>(std::move(*recorded)));
}

core::admin_flow::ReceiptPreview PhotoThumbnail(const drivers::RgbImage& photo, const std::string& sha256, int longSide) {
    const drivers::RgbImage small = drivers::FitWithin(photo, longSide);
    core::admin_flow::ReceiptPreview thumbnail;
    thumbnail.ticketNumber = sha256;
    thumbnail.width = small.width;
    thumbnail.height = small.height;
    thumbnail.rgba.resize(static_cast<std::size_t>(small.width) * static_cast<std::size_t>(small.height) * 4U);
    for (std::size_t i = 0, n = static_cast<std::size_t>(small.width) * static_cast<std::size_t>(small.height); i < n; ++i) {
        thumbnail.rgba[i * 4] = small.pixels[i * 3];
        thumbnail.rgba[i * 4 + 1] = small.pixels[i * 3 + 1];
        thumbnail.rgba[i * 4 + 2] = small.pixels[i * 3 + 2];
        thumbnail.rgba[i * 4 + 3] = 255;
    }
    return thumbnail;
}

core::Result<core::admin_flow::IntakePhoto> AdminIntake::TakePhoto() {
    if (!m_camera) return core::Fail(core::ErrorCode::Unavailable, "no camera is configured for intake photos ([camera] in kiosk.toml)");
    auto frame = m_camera->LatestFrame();
    if (!frame) return std::unexpected(std::move(frame.error()));
    auto rgb = drivers::RgbFromFrame(frame->View());
    if (!rgb) return std::unexpected(std::move(rgb.error()));
    const drivers::PhotoOptions options;
    const drivers::RgbImage fitted = drivers::FitWithin(*rgb, options.maxSide);
    auto jpeg = drivers::EncodeJpeg(fitted, options.quality);
    if (!jpeg) return std::unexpected(std::move(jpeg.error()));
    auto file = m_files.PutPhoto(*jpeg);
    if (!file) return std::unexpected(std::move(file.error()));
    return core::admin_flow::IntakePhoto{*file, PhotoThumbnail(fitted, file->sha256)};
}

core::Result<void> AdminIntake::Discard(const core::Attachment& file) { return m_files.Discard(file); }

core::Result<std::vector<core::Attachment>> AdminIntake::StoreSignature(
    const std::vector<core::admin_flow::PadStroke>& strokes) {
    std::vector<drivers::escpos::SignatureStroke> converted;
    for (const core::admin_flow::PadStroke& stroke : strokes) {
        if (stroke.empty()) continue;
        drivers::escpos::SignatureStroke points;
        for (const core::admin_flow::PadPoint& p : stroke) {
            points.push_back({std::clamp(p.x, 0.0f, 1.0f), std::clamp(p.y, 0.0f, 1.0f), p.t});
        }
        converted.push_back(std::move(points));
    }
    return m_files.PutSignature(converted);
}

}  // namespace kiosk::app
