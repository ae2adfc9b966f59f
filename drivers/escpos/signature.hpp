// The customer's signature: the strokes drawn on the signature pad as a vector path (JSON, the record
// of how it was signed), and the picture made from them (a grey bitmap for the intake slip, a PNG for
// the ticket's files).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/escpos/raster.hpp"

namespace kiosk::drivers::escpos {

// A point of a stroke: x and y from the pad's top-left corner, 0..1 across and down (the pad is
// kSignatureWidth × kSignatureHeight in shape), t in milliseconds since the pad was first touched.
struct SignaturePoint {
    float x = 0.0f;
    float y = 0.0f;
    std::int64_t t = 0;
    friend bool operator==(const SignaturePoint&, const SignaturePoint&) = default;
};
using SignatureStroke = std::vector<SignaturePoint>;

// The picture's size in dots: as wide as 80 mm paper prints, three times as wide as tall.
inline constexpr int kSignatureWidth = 576;
inline constexpr int kSignatureHeight = 192;
inline constexpr std::size_t kMaxSignatureStrokes = 200;
inline constexpr std::size_t kMaxSignaturePoints = 20000;

// The strokes as JSON: a list of strokes, each a list of [x, y, t] points.
std::string SignatureStrokesToJson(const std::vector<SignatureStroke>& strokes);
// Fails with InvalidInput saying where: not JSON, not a list of lists of [x, y, t], a coordinate
// outside 0..1, time running backwards within a stroke, no ink at all, more than kMaxSignatureStrokes
// strokes or kMaxSignaturePoints points.
Result<std::vector<SignatureStroke>> SignatureStrokesFromJson(std::string_view json);

// Draws the strokes in black on white, anti-aliased, `thickness` dots wide; a stroke of one point is a dot.
Bitmap RenderSignature(const std::vector<SignatureStroke>& strokes, int width = kSignatureWidth,
                       int height = kSignatureHeight, float thickness = 5.0f);

// Scaled down (area average) to at most `maxWidth` dots across, keeping its shape: the signature on
// 58 mm paper. A narrower bitmap is returned as is.
Bitmap FitWidth(const Bitmap& bitmap, int maxWidth);

// A grey bitmap as PNG bytes. Fails with Unavailable when the encoder fails.
Result<std::string> EncodeGreyPng(const Bitmap& bitmap);
// A PNG or JPEG (anything stb_image reads) as a grey bitmap. Fails with InvalidInput when the bytes
// are no picture it reads.
Result<Bitmap> DecodeGreyImage(std::string_view bytes);

}  // namespace kiosk::drivers::escpos
