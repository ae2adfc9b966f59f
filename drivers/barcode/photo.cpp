// YUYV and grey to RGB, box-filter downscaling and JPEG with stb_image_write.
#include "drivers/barcode/photo.hpp"

#include <algorithm>
#include <cmath>

#include <stb_image.h>
#include <stb_image_write.h>

namespace kiosk::drivers {
namespace {

std::uint8_t PhotoClamp(int value) { return static_cast<std::uint8_t>(std::clamp(value, 0, 255)); }

void AppendJpegBytes(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

bool StartsLikeJpeg(std::string_view bytes) {
    return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xff &&
           static_cast<unsigned char>(bytes[1]) == 0xd8 && static_cast<unsigned char>(bytes[2]) == 0xff;
}

}  // namespace

core::Result<RgbImage> RgbFromFrame(const RawFrame& frame) {
    if (auto ok = CheckFrameLayout(frame); !ok) return std::unexpected(std::move(ok.error()));
    const bool yuyv = frame.layout == PixelLayout::Yuyv;
    RgbImage out{frame.width, frame.height, {}};
    out.pixels.resize(static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height) * 3U);
    for (int y = 0; y < frame.height; ++y) {
        const std::uint8_t* row = frame.bytes.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(frame.bytesPerLine);
        std::uint8_t* rgb = out.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(frame.width) * 3U;
        for (int x = 0; x < frame.width; ++x) {
            if (!yuyv) {
                rgb[x * 3] = rgb[x * 3 + 1] = rgb[x * 3 + 2] = row[x];
                continue;
            }
            const int pair = x / 2 * 4;
            const int c = row[x * 2] - 16;
            const int d = row[pair + 1] - 128;
            const int e = row[pair + 3] - 128;
            rgb[x * 3] = PhotoClamp((298 * c + 409 * e + 128) >> 8);
            rgb[x * 3 + 1] = PhotoClamp((298 * c - 100 * d - 208 * e + 128) >> 8);
            rgb[x * 3 + 2] = PhotoClamp((298 * c + 516 * d + 128) >> 8);
        }
    }
    return out;
}

RgbImage FitWithin(const RgbImage& image, int maxSide) {
    const int longSide = std::max(image.width, image.height);
    if (longSide <= maxSide || maxSide <= 0) return image;
    const double scale = static_cast<double>(maxSide) / longSide;
    RgbImage out;
    out.width = std::max(1, static_cast<int>(std::lround(image.width * scale)));
    out.height = std::max(1, static_cast<int>(std::lround(image.height * scale)));
    out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3U);
    for (int y = 0; y < out.height; ++y) {
        const int sy0 = y * image.height / out.height;
        const int sy1 = std::max(sy0 + 1, (y + 1) * image.height / out.height);
        for (int x = 0; x < out.width; ++x) {
            const int sx0 = x * image.width / out.width;
            const int sx1 = std::max(sx0 + 1, (x + 1) * image.width / out.width);
            int sum[3] = {0, 0, 0};
            for (int sy = sy0; sy < sy1; ++sy) {
                const std::uint8_t* in = image.pixels.data() + (static_cast<std::size_t>(sy) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(sx0)) * 3U;
                for (int sx = sx0; sx < sx1; ++sx, in += 3) {
                    sum[0] += in[0];
                    sum[1] += in[1];
                    sum[2] += in[2];
                }
            }
            const int count = (sy1 - sy0) * (sx1 - sx0);
            std::uint8_t* px = out.pixels.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(x)) * 3U;
            for (int c = 0; c < 3; ++c) px[c] = static_cast<std::uint8_t>((sum[c] + count / 2) / count);
        }
    }
    return out;
}

core::Result<std::string> EncodeJpeg(const RgbImage& image, int quality) {
    std::string jpeg;
    if (image.width <= 0 || image.height <= 0 ||
        stbi_write_jpg_to_func(AppendJpegBytes, &jpeg, image.width, image.height, 3, image.pixels.data(),
                               std::clamp(quality, 1, 100)) == 0) {
        return core::Fail(core::ErrorCode::Unavailable, "cannot encode a " + std::to_string(image.width) + "x" +
                                                            std::to_string(image.height) + " photo as JPEG");
    }
    return jpeg;
}

core::Result<std::string> PhotoFromFrame(const RawFrame& frame, const PhotoOptions& options) {
    auto rgb = RgbFromFrame(frame);
    if (!rgb) return std::unexpected(std::move(rgb.error()));
    return EncodeJpeg(FitWithin(*rgb, options.maxSide), options.quality);
}

core::Result<PictureSize> InspectJpeg(std::string_view bytes) {
    if (!StartsLikeJpeg(bytes)) return core::Fail(core::ErrorCode::InvalidInput, "not a JPEG (it does not start with FF D8 FF)");
    PictureSize size;
    int channels = 0;
    if (stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &size.width,
                              &size.height, &channels) == 0) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string("not a readable JPEG: ") + stbi_failure_reason());
    }
    return size;
}

core::Result<RgbImage> DecodeJpeg(std::string_view bytes) {
    if (auto size = InspectJpeg(bytes); !size) return std::unexpected(std::move(size.error()));
    RgbImage out;
    int channels = 0;
    unsigned char* pixels = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                                                  static_cast<int>(bytes.size()), &out.width, &out.height, &channels, 3);
    if (pixels == nullptr) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string("not a readable JPEG: ") + stbi_failure_reason());
    }
    out.pixels.assign(pixels, pixels + static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3U);
    stbi_image_free(pixels);
    return out;
}

}  // namespace kiosk::drivers
