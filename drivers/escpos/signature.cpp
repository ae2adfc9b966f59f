// Signature strokes to and from JSON, drawn with distance-based anti-aliasing, and stored as PNG.
#include "drivers/escpos/signature.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

namespace kiosk::drivers::escpos {
namespace {

using core::ErrorCode;
using core::Fail;

// Darkens the pixels within `radius` of the segment a-b by how much of each pixel the pen covers.
void InkSegment(Bitmap& out, float ax, float ay, float bx, float by, float radius) {
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min(ax, bx) - radius - 1.0f)));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min(ay, by) - radius - 1.0f)));
    const int x1 = std::min(out.width - 1, static_cast<int>(std::ceil(std::max(ax, bx) + radius + 1.0f)));
    const int y1 = std::min(out.height - 1, static_cast<int>(std::ceil(std::max(ay, by) + radius + 1.0f)));
    const float dx = bx - ax;
    const float dy = by - ay;
    const float lengthSquared = dx * dx + dy * dy;
    for (int y = y0; y <= y1; ++y) {
        for (int x = x0; x <= x1; ++x) {
            const float px = static_cast<float>(x) + 0.5f;
            const float py = static_cast<float>(y) + 0.5f;
            float along = lengthSquared > 0.0f ? ((px - ax) * dx + (py - ay) * dy) / lengthSquared : 0.0f;
            along = std::clamp(along, 0.0f, 1.0f);
            const float distance = std::hypot(px - (ax + along * dx), py - (ay + along * dy));
            const float coverage = std::clamp(radius + 0.5f - distance, 0.0f, 1.0f);
            if (coverage <= 0.0f) continue;
            const auto grey = static_cast<std::uint8_t>(std::lround(255.0f * (1.0f - coverage)));
            if (grey < out.At(x, y)) out.Set(x, y, grey);
        }
    }
}

void AppendPngBytes(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

std::string SignatureStrokesToJson(const std::vector<SignatureStroke>& strokes) {
    nlohmann::json out = nlohmann::json::array();
    for (const SignatureStroke& stroke : strokes) {
        nlohmann::json points = nlohmann::json::array();
        // Four decimals: a tenth of a dot on the printed picture, and a file a third the size.
        for (const SignaturePoint& p : stroke) {
            points.push_back({std::round(p.x * 10000.0f) / 10000.0, std::round(p.y * 10000.0f) / 10000.0, p.t});
        }
        out.push_back(std::move(points));
    }
    return out.dump();
}

Result<std::vector<SignatureStroke>> SignatureStrokesFromJson(std::string_view json) {
    const nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded()) return Fail(ErrorCode::InvalidInput, "signature strokes: not JSON");
    if (!parsed.is_array()) return Fail(ErrorCode::InvalidInput, "signature strokes: not a list of strokes");
    if (parsed.size() > kMaxSignatureStrokes) {
        return Fail(ErrorCode::InvalidInput, "signature strokes: " + std::to_string(parsed.size()) + " strokes, at most " +
                                                 std::to_string(kMaxSignatureStrokes));
    }
    std::vector<SignatureStroke> strokes;
    std::size_t total = 0;
    for (std::size_t s = 0; s < parsed.size(); ++s) {
        const nlohmann::json& stroke = parsed[s];
        const std::string where = "signature strokes: stroke " + std::to_string(s + 1);
        if (!stroke.is_array() || stroke.empty()) return Fail(ErrorCode::InvalidInput, where + " is not a list of points");
        total += stroke.size();
        if (total > kMaxSignaturePoints) {
            return Fail(ErrorCode::InvalidInput, "signature strokes: more than " + std::to_string(kMaxSignaturePoints) +
                                                     " points");
        }
        SignatureStroke points;
        for (std::size_t i = 0; i < stroke.size(); ++i) {
            const nlohmann::json& p = stroke[i];
            const std::string at = where + ", point " + std::to_string(i + 1);
            if (!p.is_array() || p.size() != 3 || !p[0].is_number() || !p[1].is_number() || !p[2].is_number_integer()) {
                return Fail(ErrorCode::InvalidInput, at + " is not [x, y, t]");
            }
            const double x = p[0].get<double>();
            const double y = p[1].get<double>();
            if (!(x >= 0.0 && x <= 1.0 && y >= 0.0 && y <= 1.0)) {
                return Fail(ErrorCode::InvalidInput, at + " is off the pad (x and y go from 0 to 1)");
            }
            const std::int64_t t = p[2].get<std::int64_t>();
            if (t < 0 || (!points.empty() && t < points.back().t)) {
                return Fail(ErrorCode::InvalidInput, at + ": time " + std::to_string(t) + " runs backwards");
            }
            points.push_back({static_cast<float>(x), static_cast<float>(y), t});
        }
        strokes.push_back(std::move(points));
    }
    if (strokes.empty()) return Fail(ErrorCode::InvalidInput, "signature strokes: the signature is empty");
    return strokes;
}

Bitmap RenderSignature(const std::vector<SignatureStroke>& strokes, int width, int height, float thickness) {
    Bitmap out(width, height);
    const float radius = thickness / 2.0f;
    const auto fw = static_cast<float>(width);
    const auto fh = static_cast<float>(height);
    for (const SignatureStroke& stroke : strokes) {
        if (stroke.size() == 1) {
            InkSegment(out, stroke[0].x * fw, stroke[0].y * fh, stroke[0].x * fw, stroke[0].y * fh, radius);
            continue;
        }
        for (std::size_t i = 1; i < stroke.size(); ++i) {
            InkSegment(out, stroke[i - 1].x * fw, stroke[i - 1].y * fh, stroke[i].x * fw, stroke[i].y * fh, radius);
        }
    }
    return out;
}

Bitmap FitWidth(const Bitmap& bitmap, int maxWidth) {
    if (bitmap.width <= maxWidth || maxWidth <= 0) return bitmap;
    const double scale = static_cast<double>(bitmap.width) / maxWidth;
    Bitmap out(maxWidth, std::max(1, static_cast<int>(std::lround(bitmap.height / scale))));
    for (int y = 0; y < out.height; ++y) {
        const int y0 = static_cast<int>(y * scale);
        const int y1 = std::min(bitmap.height, std::max(y0 + 1, static_cast<int>((y + 1) * scale)));
        for (int x = 0; x < out.width; ++x) {
            const int x0 = static_cast<int>(x * scale);
            const int x1 = std::min(bitmap.width, std::max(x0 + 1, static_cast<int>((x + 1) * scale)));
            int sum = 0;
            for (int sy = y0; sy < y1; ++sy) {
                for (int sx = x0; sx < x1; ++sx) sum += bitmap.At(sx, sy);
            }
            const int count = (y1 - y0) * (x1 - x0);
            out.Set(x, y, static_cast<std::uint8_t>((sum + count / 2) / count));
        }
    }
    return out;
}

Result<std::string> EncodeGreyPng(const Bitmap& bitmap) {
    std::string png;
    if (bitmap.width <= 0 || bitmap.height <= 0 ||
        stbi_write_png_to_func(AppendPngBytes, &png, bitmap.width, bitmap.height, 1, bitmap.pixels.data(),
                               bitmap.width) == 0) {
        return Fail(ErrorCode::Unavailable, "cannot encode a " + std::to_string(bitmap.width) + "x" +
                                                std::to_string(bitmap.height) + " picture as PNG");
    }
    return png;
}

Result<Bitmap> DecodeGreyImage(std::string_view bytes) {
    int width = 0;
    int height = 0;
    int channels = 0;
    unsigned char* pixels = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                                                  static_cast<int>(bytes.size()), &width, &height, &channels, 1);
    if (pixels == nullptr) {
        return Fail(ErrorCode::InvalidInput, std::string("not a picture: ") + stbi_failure_reason());
    }
    Bitmap out(width, height);
    std::copy_n(pixels, static_cast<std::size_t>(width) * static_cast<std::size_t>(height), out.pixels.begin());
    stbi_image_free(pixels);
    return out;
}

}  // namespace kiosk::drivers::escpos
