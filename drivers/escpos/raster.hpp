// Pictures on paper: grey bitmaps, dithering to one bit per dot, GS v 0 raster strips, glyphs drawn
// with a TrueType font, and barcodes drawn with ZXing's writer for printers without native codes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/error.hpp"

namespace kiosk::drivers::escpos {

using core::Result;

// Grey levels, 0 = black (ink), 255 = white (paper), row by row.
struct Bitmap {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;

    Bitmap() = default;
    Bitmap(int w, int h, std::uint8_t fill = 255)
        : width(w), height(h), pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), fill) {}
    std::uint8_t At(int x, int y) const { return pixels[Index(x, y)]; }
    void Set(int x, int y, std::uint8_t value) {
        if (x >= 0 && y >= 0 && x < width && y < height) pixels[Index(x, y)] = value;
    }
    void FillRect(int x, int y, int w, int h, std::uint8_t value);
    // Grows downwards (new rows white) so that `rows` rows exist.
    void EnsureHeight(int rows);

private:
    std::size_t Index(int x, int y) const {
        return static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x);
    }
};

enum class Dither { Threshold, FloydSteinberg, Ordered };

// One bit per dot, rows padded to whole bytes, most significant bit leftmost: 1 = black.
struct BitImage {
    int width = 0;  // dots
    int height = 0;
    std::vector<std::uint8_t> bits;
    int BytesPerRow() const { return (width + 7) / 8; }
};

BitImage ToBits(const Bitmap& image, Dither dither);
// GS v 0 in strips of at most `maxRows` rows (256 keeps cheap printers' buffers from overflowing).
void AppendRaster(std::vector<std::uint8_t>& out, const BitImage& image, int maxRows = 256);
// Scales by whole factors (nearest neighbour), for barcode modules and double-size text.
Bitmap Scale(const Bitmap& image, int fx, int fy);

// A TrueType font (the CJK font: it carries Latin letters too) drawing characters into cells.
class GlyphFont {
public:
    // Fails with NotFound when the file is missing, InvalidInput when it is no TrueType font.
    static Result<std::shared_ptr<const GlyphFont>> Load(const std::filesystem::path& file);
    // The font this build was configured with, loaded once.
    static Result<std::shared_ptr<const GlyphFont>> Default();

    GlyphFont(const GlyphFont&) = delete;
    GlyphFont& operator=(const GlyphFont&) = delete;
    ~GlyphFont();

    // Draws `codePoint` in black into the cell at (x, y) of `cellHeight` rows; the glyph is scaled
    // so that a CJK character fills the cell's height. Bold strikes twice, one dot apart.
    void Draw(Bitmap& target, int x, int y, int cellWidth, int cellHeight, char32_t codePoint, bool bold) const;
    // The font file's bytes, mapped read-only for as long as this font lives: other parts of the process
    // that draw with the same file (the kiosk's screen) use them instead of mapping it a second time.
    std::span<const unsigned char> Bytes() const;

private:
    struct Impl;
    explicit GlyphFont(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Barcodes as bitmaps (black modules on white), at the given module size in dots.
// QR with error correction M, a quiet zone of 2 modules. Fails with InvalidInput when ZXing rejects
// the data.
Result<Bitmap> QrBitmap(std::string_view data, int moduleDots);
// Code 128 with a 10-module quiet zone, bars `height` dots tall.
Result<Bitmap> Code128Bitmap(std::string_view data, int moduleDots, int height);

}  // namespace kiosk::drivers::escpos
