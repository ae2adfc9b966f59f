// Photos from camera frames: colour from YUYV or grey, scaled down to a size worth keeping, and
// encoded as JPEG for the ticket's files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/barcode/frame_source.hpp"

namespace kiosk::drivers {

// 8-bit RGB, three bytes a pixel, row by row without padding.
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

struct PhotoOptions {
    int maxSide = 1280;  // the long side is scaled down to this
    int quality = 85;    // JPEG quality, 1..100
};

// The colours of a frame (YUYV: BT.601 video levels; grey: the same level in R, G and B). Fails with
// InvalidInput when the sizes do not fit the bytes, as CheckFrameLayout.
core::Result<RgbImage> RgbFromFrame(const RawFrame& frame);
// Scaled down (box filter) so that neither side exceeds `maxSide`; a smaller image is returned as is.
RgbImage FitWithin(const RgbImage& image, int maxSide);
// Fails with Unavailable when the encoder fails.
core::Result<std::string> EncodeJpeg(const RgbImage& image, int quality);
// The frame as a photo: colour, fitted, JPEG.
core::Result<std::string> PhotoFromFrame(const RawFrame& frame, const PhotoOptions& options = {});

// A JPEG's size in pixels from its header. Fails with InvalidInput when the bytes are not a JPEG or
// its header does not read.
struct PictureSize {
    int width = 0;
    int height = 0;
};
core::Result<PictureSize> InspectJpeg(std::string_view bytes);
// The photo's pixels again (RGB), for a preview on screen. InvalidInput as InspectJpeg, and for a
// JPEG whose image data does not decode (cut short, damaged).
core::Result<RgbImage> DecodeJpeg(std::string_view bytes);

}  // namespace kiosk::drivers
