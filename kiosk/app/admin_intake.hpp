// Admin mode's intake port over the kiosk's camera (or recorded frames in the demo) and the blob
// store beside the database.
#pragma once

#include <memory>

#include "drivers/barcode/frame_source.hpp"
#include "kiosk/app/intake_files.hpp"
#include "kiosk/config/kiosk_config.hpp"
#include "kiosk/core/admin_flow/intake_port.hpp"

namespace kiosk::app {

class AdminIntake final : public core::admin_flow::IntakePort {
public:
    // `camera` may be null (no camera configured): photos then fail with Unavailable, signing works.
    AdminIntake(std::unique_ptr<drivers::FrameSource> camera, storage::BlobStore blobs)
        : m_camera(std::move(camera)), m_files(std::move(blobs)) {}

    core::Result<core::admin_flow::IntakePhoto> TakePhoto() override;
    core::Result<void> Discard(const core::Attachment& file) override;
    core::Result<std::vector<core::Attachment>> StoreSignature(
        const std::vector<core::admin_flow::PadStroke>& strokes) override;

private:
    std::unique_ptr<drivers::FrameSource> m_camera;
    IntakeFiles m_files;
};

// The intake camera the settings name: the V4L2 device (streaming from the first photo on), or the
// recorded frames; null when neither is set. Fails as RecordedFrames::Load for recorded frames that do
// not load; a camera that cannot start fails at the photo instead, saying why.
core::Result<std::unique_ptr<drivers::FrameSource>> OpenIntakeCamera(const config::IntakeConfig& settings);

// A photo's thumbnail for the screen: at most `longSide` pixels, RGBA.
core::admin_flow::ReceiptPreview PhotoThumbnail(const drivers::RgbImage& photo, const std::string& sha256,
                                                int longSide = 240);

}  // namespace kiosk::app
