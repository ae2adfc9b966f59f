// Barcode images made with ZXing's writer and then degraded (rotated, scaled, blurred, low contrast),
// shared by the decoding tests and the benchmark.
#pragma once

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "drivers/barcode/image_decoder.hpp"

namespace kiosk::testing {

using drivers::GreyImage;

// A symbol drawn black on white with a quiet zone, `scale` pixels per module.
inline GreyImage MakeBarcode(ZXing::BarcodeFormat format, const std::wstring& text, int scale = 3, int height = 0) {
    const ZXing::BitMatrix bits = ZXing::MultiFormatWriter(format).setMargin(10).encode(text, 0, height);
    GreyImage image{bits.width() * scale, bits.height() * scale, {}};
    image.pixels.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height));
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            image.pixels[static_cast<std::size_t>(y * image.width + x)] = bits.get(x / scale, y / scale) ? 0 : 255;
        }
    }
    return image;
}

// Rotated about the centre onto a white canvas big enough for the result (bilinear sampling).
inline GreyImage Rotated(const GreyImage& in, double degrees) {
    const double a = degrees * 3.14159265358979323846 / 180.0;
    const double c = std::cos(a), s = std::sin(a);
    const int w = static_cast<int>(std::ceil(std::abs(in.width * c) + std::abs(in.height * s)));
    const int h = static_cast<int>(std::ceil(std::abs(in.width * s) + std::abs(in.height * c)));
    GreyImage out{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 255)};
    auto at = [&](int x, int y) -> double {
        if (x < 0 || y < 0 || x >= in.width || y >= in.height) return 255.0;
        return in.pixels[static_cast<std::size_t>(y * in.width + x)];
    };
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const double dx = x - w / 2.0, dy = y - h / 2.0;
            const double sx = c * dx + s * dy + in.width / 2.0, sy = -s * dx + c * dy + in.height / 2.0;
            const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
            const double fx = sx - x0, fy = sy - y0;
            const double v = at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) +
                             at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy;
            out.pixels[static_cast<std::size_t>(y * w + x)] = static_cast<std::uint8_t>(std::lround(v));
        }
    }
    return out;
}

// Resized by `factor` (nearest neighbour), as a code far from or close to the camera.
inline GreyImage Scaled(const GreyImage& in, double factor) {
    const int w = std::max(1, static_cast<int>(in.width * factor)), h = std::max(1, static_cast<int>(in.height * factor));
    GreyImage out{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * static_cast<std::size_t>(h))};
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const int sx = std::min(in.width - 1, static_cast<int>(x / factor));
            const int sy = std::min(in.height - 1, static_cast<int>(y / factor));
            out.pixels[static_cast<std::size_t>(y * w + x)] = in.pixels[static_cast<std::size_t>(sy * in.width + sx)];
        }
    }
    return out;
}

// A box blur of the given radius, as an out-of-focus camera gives.
inline GreyImage Blurred(const GreyImage& in, int radius) {
    GreyImage out = in;
    for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width; ++x) {
            int sum = 0, n = 0;
            for (int dy = -radius; dy <= radius; ++dy) {
                for (int dx = -radius; dx <= radius; ++dx) {
                    const int sx = std::clamp(x + dx, 0, in.width - 1), sy = std::clamp(y + dy, 0, in.height - 1);
                    sum += in.pixels[static_cast<std::size_t>(sy * in.width + sx)];
                    ++n;
                }
            }
            out.pixels[static_cast<std::size_t>(y * in.width + x)] = static_cast<std::uint8_t>(sum / n);
        }
    }
    return out;
}

// Black and white squeezed into [low, high] with some noise, as a faded print under poor light.
inline GreyImage LowContrast(const GreyImage& in, int low, int high, unsigned seed = 7) {
    GreyImage out = in;
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> noise(-4, 4);
    for (auto& p : out.pixels) p = static_cast<std::uint8_t>(std::clamp(low + (high - low) * p / 255 + noise(rng), 0, 255));
    return out;
}

// Noise with no code in it.
inline GreyImage Noise(int width, int height, unsigned seed = 11) {
    GreyImage out{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * static_cast<std::size_t>(height))};
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> grey(90, 200);
    for (auto& p : out.pixels) p = static_cast<std::uint8_t>(grey(rng));
    return out;
}

}  // namespace kiosk::testing
