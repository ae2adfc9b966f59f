// Bitmaps, dithering, GS v 0 packing, TrueType glyphs (stb_truetype) and ZXing-drawn barcodes.
#include "drivers/escpos/raster.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <mutex>

#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <stb/stb_truetype.h>

namespace kiosk::drivers::escpos {
namespace {

using core::ErrorCode;
using core::Fail;

Result<Bitmap> FromMatrix(const ZXing::BitMatrix& matrix, int moduleX, int moduleY, int quietModules) {
    const int w = (matrix.width() + 2 * quietModules) * moduleX;
    const int h = (matrix.height() + 2 * quietModules) * moduleY;
    Bitmap out(w, h);
    for (int y = 0; y < matrix.height(); ++y) {
        for (int x = 0; x < matrix.width(); ++x) {
            if (matrix.get(x, y)) {
                out.FillRect((x + quietModules) * moduleX, (y + quietModules) * moduleY, moduleX, moduleY, 0);
            }
        }
    }
    return out;
}

}  // namespace

void Bitmap::FillRect(int x, int y, int w, int h, std::uint8_t value) {
    const int x0 = std::max(x, 0), y0 = std::max(y, 0);
    const int x1 = std::min(x + w, width), y1 = std::min(y + h, height);
    for (int yy = y0; yy < y1; ++yy) {
        std::fill_n(pixels.begin() + static_cast<std::ptrdiff_t>(Index(x0, yy)), std::max(x1 - x0, 0), value);
    }
}

void Bitmap::EnsureHeight(int rows) {
    if (rows <= height) return;
    height = rows;
    pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 255);
}

BitImage ToBits(const Bitmap& image, Dither dither) {
    BitImage out;
    out.width = image.width;
    out.height = image.height;
    out.bits.assign(static_cast<std::size_t>(out.BytesPerRow()) * static_cast<std::size_t>(out.height), 0);
    static constexpr std::array<std::array<int, 4>, 4> kBayer{{{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}}};
    // Error rows for Floyd-Steinberg: current and next, with a one-pixel margin on each side.
    std::vector<int> current(static_cast<std::size_t>(image.width) + 2, 0);
    std::vector<int> next(current.size(), 0);
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            const int grey = image.At(x, y);
            bool black = false;
            switch (dither) {
                case Dither::Threshold: black = grey < 128; break;
                case Dither::Ordered: black = grey < kBayer[static_cast<std::size_t>(y % 4)][static_cast<std::size_t>(x % 4)] * 16 + 8; break;
                case Dither::FloydSteinberg: {
                    const auto xi = static_cast<std::size_t>(x) + 1;
                    const int value = grey + current[xi] / 16;
                    black = value < 128;
                    const int error = value - (black ? 0 : 255);
                    current[xi + 1] += error * 7;
                    next[xi - 1] += error * 3;
                    next[xi] += error * 5;
                    next[xi + 1] += error;
                    break;
                }
            }
            if (black) {
                out.bits[static_cast<std::size_t>(y * out.BytesPerRow() + x / 8)] |=
                    static_cast<std::uint8_t>(0x80u >> static_cast<unsigned>(x % 8));
            }
        }
        std::swap(current, next);
        std::fill(next.begin(), next.end(), 0);
    }
    return out;
}

void AppendRaster(std::vector<std::uint8_t>& out, const BitImage& image, int maxRows) {
    const int bytesPerRow = image.BytesPerRow();
    for (int top = 0; top < image.height; top += maxRows) {
        const int rows = std::min(maxRows, image.height - top);
        const std::array<std::uint8_t, 8> header{0x1D, 'v', '0', 0,
                                                 static_cast<std::uint8_t>(bytesPerRow & 0xFF),
                                                 static_cast<std::uint8_t>(bytesPerRow >> 8),
                                                 static_cast<std::uint8_t>(rows & 0xFF),
                                                 static_cast<std::uint8_t>(rows >> 8)};
        out.insert(out.end(), header.begin(), header.end());
        const auto begin = image.bits.begin() + static_cast<std::ptrdiff_t>(top) * bytesPerRow;
        out.insert(out.end(), begin, begin + static_cast<std::ptrdiff_t>(rows) * bytesPerRow);
    }
}

Bitmap Scale(const Bitmap& image, int fx, int fy) {
    Bitmap out(image.width * fx, image.height * fy);
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) out.Set(x, y, image.At(x / fx, y / fy));
    }
    return out;
}

struct GlyphFont::Impl {
    // A glyph drawn once at one size: which dots of its cell are black.
    struct Glyph {
        int left = 0, top = 0, width = 0, height = 0;
        std::vector<bool> ink;
    };
    // The font file mapped read-only: only the pages glyphs are read from become resident, shared
    // with every other mapping of the file.
    const unsigned char* data = nullptr;
    std::size_t size = 0;
    stbtt_fontinfo info{};
    std::mutex mutex;  // guards the cache; stb_truetype itself keeps no state between calls
    std::map<std::tuple<char32_t, int, int>, Glyph> cache;

    const Glyph& Get(char32_t codePoint, int cellWidth, int cellHeight) {
        auto [it, fresh] = cache.try_emplace({codePoint, cellWidth, cellHeight});
        if (!fresh) return it->second;
        Glyph& g = it->second;
        const float scale = stbtt_ScaleForPixelHeight(&info, static_cast<float>(cellHeight));
        int ascent = 0, descent = 0, lineGap = 0;
        stbtt_GetFontVMetrics(&info, &ascent, &descent, &lineGap);
        const int glyph = stbtt_FindGlyphIndex(&info, static_cast<int>(codePoint));
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        stbtt_GetGlyphBitmapBox(&info, glyph, scale, scale, &x0, &y0, &x1, &y1);
        g.width = x1 - x0;
        g.height = y1 - y0;
        if (g.width <= 0 || g.height <= 0) return g;
        std::vector<unsigned char> coverage(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height));
        stbtt_MakeGlyphBitmap(&info, coverage.data(), g.width, g.height, g.width, scale, scale, glyph);
        // Centred in its cell: the font's Latin advance is wider than a printer's 12-dot cell.
        g.left = (cellWidth - g.width) / 2;
        g.top = static_cast<int>(static_cast<float>(ascent) * scale) + y0;
        g.ink.resize(coverage.size());
        for (std::size_t i = 0; i < coverage.size(); ++i) g.ink[i] = coverage[i] >= 110;
        return g;
    }
    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl() {
        if (data != nullptr) ::munmap(const_cast<unsigned char*>(data), size);
    }
};

GlyphFont::GlyphFont(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
GlyphFont::~GlyphFont() = default;

Result<std::shared_ptr<const GlyphFont>> GlyphFont::Load(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Fail(ErrorCode::NotFound, file.string() + ": font file not found");
    struct stat status {};
    void* mapped = MAP_FAILED;
    if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_size > 0) {
        mapped = ::mmap(nullptr, static_cast<std::size_t>(status.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (mapped == MAP_FAILED) return Fail(ErrorCode::InvalidInput, file.string() + ": not a readable font file");
    auto impl = std::make_unique<Impl>();
    impl->data = static_cast<const unsigned char*>(mapped);
    impl->size = static_cast<std::size_t>(status.st_size);
    const int offset = stbtt_GetFontOffsetForIndex(impl->data, 0);
    if (offset < 0 || stbtt_InitFont(&impl->info, impl->data, offset) == 0) {
        return Fail(ErrorCode::InvalidInput, file.string() + ": not a TrueType font");
    }
    return std::shared_ptr<const GlyphFont>(new GlyphFont(std::move(impl)));
}

std::span<const unsigned char> GlyphFont::Bytes() const { return {m_impl->data, m_impl->size}; }

Result<std::shared_ptr<const GlyphFont>> GlyphFont::Default() {
    static const Result<std::shared_ptr<const GlyphFont>> font = Load(KIOSK_CJK_FONT);
    return font;
}

void GlyphFont::Draw(Bitmap& target, int x, int y, int cellWidth, int cellHeight, char32_t codePoint,
                     bool bold) const {
    const std::scoped_lock lock(m_impl->mutex);
    const Impl::Glyph& g = m_impl->Get(codePoint, cellWidth, cellHeight);
    for (int gy = 0; gy < g.height; ++gy) {
        const int py = y + g.top + gy;
        if (py < y || py >= y + cellHeight) continue;
        for (int gx = 0; gx < g.width; ++gx) {
            if (!g.ink[static_cast<std::size_t>(gy * g.width + gx)]) continue;
            target.Set(x + g.left + gx, py, 0);
            if (bold) target.Set(x + g.left + gx + 1, py, 0);
        }
    }
}

Result<Bitmap> QrBitmap(std::string_view data, int moduleDots) {
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
        writer.setMargin(0).setEccLevel(4).setEncoding(ZXing::CharacterSet::UTF8);
        const ZXing::BitMatrix matrix = writer.encode(std::string(data), 0, 0);
        return FromMatrix(matrix, moduleDots, moduleDots, 2);
    } catch (const std::exception& error) {
        return Fail(ErrorCode::InvalidInput, "QR code for \"" + std::string(data) + "\": " + error.what());
    }
}

Result<Bitmap> Code128Bitmap(std::string_view data, int moduleDots, int height) {
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::Code128);
        writer.setMargin(0);
        const ZXing::BitMatrix matrix = writer.encode(std::string(data), 0, 1);
        Result<Bitmap> row = FromMatrix(matrix, moduleDots, 1, 0);
        Bitmap out(row->width + 20 * moduleDots, height);
        for (int x = 0; x < row->width; ++x) {
            if (row->At(x, 0) == 0) out.FillRect(x + 10 * moduleDots, 0, 1, height, 0);
        }
        return out;
    } catch (const std::exception& error) {
        return Fail(ErrorCode::InvalidInput, "Code 128 for \"" + std::string(data) + "\": " + error.what());
    }
}

}  // namespace kiosk::drivers::escpos
