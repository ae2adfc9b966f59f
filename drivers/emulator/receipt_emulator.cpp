// ESC/POS interpreter: a cursor on an endless strip of paper, text collected into a line buffer and
// drawn when the line is printed, images and barcodes drawn at once.
#include "drivers/emulator/receipt_emulator.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <stb/stb_image_write.h>

#include "drivers/escpos/text.hpp"

namespace kiosk::drivers::emulator {
namespace {

using core::ErrorCode;
using core::Fail;
using escpos::Bitmap;

constexpr int kLineSpacing = 30;
constexpr int kMaxHeight = 60000;  // dots; a receipt longer than 7 m is garbage, not a receipt

struct Style {
    bool fontB = false;
    bool bold = false;
    bool underline = false;
    bool inverse = false;
    int widthFactor = 1;
    int heightFactor = 1;
};

struct Cell {
    char32_t codePoint;
    Style style;
};

std::string Hex(std::uint8_t b) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", b);
    return text;
}

class Interpreter {
public:
    Interpreter(std::span<const std::uint8_t> bytes, const EmulatorOptions& options,
                std::shared_ptr<const escpos::GlyphFont> font)
        : m_in(bytes), m_options(options), m_font(std::move(font)) {
        m_out.paper = Bitmap(options.dots, 0);
    }

    Result<Printout> Run() {
        while (m_pos < m_in.size()) {
            const std::size_t start = m_pos;
            if (auto ok = Step(); !ok) {
                return Fail(ErrorCode::InvalidInput, "offset " + std::to_string(start) + ": " + ok.error().message);
            }
            if (m_y > kMaxHeight) return Fail(ErrorCode::InvalidInput, "offset " + std::to_string(start) + ": paper longer than " + std::to_string(kMaxHeight) + " dots");
        }
        if (!m_line.empty()) PrintLine();
        m_out.paper.EnsureHeight(m_y + kLineSpacing);
        return std::move(m_out);
    }

private:
    Result<std::uint8_t> Next(const char* what) {
        if (m_pos >= m_in.size()) return Fail(ErrorCode::InvalidInput, std::string("truncated ") + what);
        return m_in[m_pos++];
    }
    Result<std::span<const std::uint8_t>> Take(std::size_t n, const char* what) {
        if (m_in.size() - m_pos < n) {
            return Fail(ErrorCode::InvalidInput, std::string("truncated ") + what + ": needs " + std::to_string(n) +
                                                     " bytes, " + std::to_string(m_in.size() - m_pos) + " left");
        }
        auto out = m_in.subspan(m_pos, n);
        m_pos += n;
        return out;
    }

    int CellWidth(const Cell& c) const { return (c.style.fontB ? 9 : 12) * escpos::ColumnsOf(c.codePoint) * c.style.widthFactor; }

    void PrintLine() {
        int width = 0, height = kLineSpacing;
        for (const Cell& c : m_line) {
            width += CellWidth(c);
            height = std::max(height, kLineSpacing * c.style.heightFactor);
        }
        Bitmap line(std::max(width, 1), height);
        int x = 0;
        std::vector<char32_t> text;
        for (const Cell& c : m_line) {
            const int cellW = CellWidth(c);
            const int baseW = cellW / c.style.widthFactor;
            const int baseH = c.style.fontB ? 17 : 24;
            Bitmap glyph(baseW, baseH);
            if (c.codePoint > 0x20) m_font->Draw(glyph, 0, 0, baseW, baseH, c.codePoint, c.style.bold);
            if (c.style.underline) glyph.FillRect(0, baseH - 2, baseW, 2, 0);
            if (c.style.inverse) {
                for (auto& px : glyph.pixels) px = static_cast<std::uint8_t>(255 - px);
            }
            const Bitmap scaled = escpos::Scale(glyph, c.style.widthFactor, c.style.heightFactor);
            const int top = height - kLineSpacing * c.style.heightFactor + 3;
            for (int gy = 0; gy < scaled.height; ++gy) {
                for (int gx = 0; gx < scaled.width; ++gx) {
                    if (scaled.At(gx, gy) == 0) line.Set(x + gx, std::max(top, 0) + gy, 0);
                }
            }
            x += cellW;
            text.push_back(c.codePoint);
        }
        Blit(line);
        std::string utf8 = escpos::EncodeUtf8(text);
        while (!utf8.empty() && utf8.back() == ' ') utf8.pop_back();
        m_out.lines.push_back(std::move(utf8));
        m_line.clear();
    }

    // Draws `image` at the cursor with the current alignment and moves the cursor below it.
    void Blit(const Bitmap& image) {
        const int dots = m_options.dots;
        const int free = std::max(dots - image.width, 0);
        const int left = m_align == 2 ? free : m_align == 1 ? free / 2 : 0;
        m_out.paper.EnsureHeight(m_y + image.height);
        for (int y = 0; y < image.height; ++y) {
            for (int x = 0; x < image.width && left + x < dots; ++x) {
                if (image.At(x, y) == 0) m_out.paper.Set(left + x, m_y + y, 0);
            }
        }
        m_y += image.height;
    }

    void Feed(int dots) {
        m_y += dots;
        m_out.paper.EnsureHeight(m_y);
    }

    void FlushOrFeed() {
        if (m_line.empty()) {
            Feed(kLineSpacing);
        } else {
            PrintLine();
        }
    }

    Result<void> Text(std::uint8_t b) {
        if (b < 0x80) {
            m_line.push_back(Cell{b, m_style});
            return {};
        }
        if (!m_cjk) {
            m_line.push_back(Cell{U'?', m_style});
            return {};
        }
        std::string seq(1, static_cast<char>(b));
        auto second = Next("double-byte character");
        if (!second) return std::unexpected(second.error());
        seq += static_cast<char>(*second);
        if (m_options.cjk == escpos::CjkMode::Gb18030 && *second >= 0x30 && *second <= 0x39) {
            auto rest = Take(2, "GB18030 four-byte character");
            if (!rest) return std::unexpected(rest.error());
            seq.append(rest->begin(), rest->end());
        }
        auto utf8 = escpos::DecodeCjk(seq, m_options.cjk);
        if (!utf8) return std::unexpected(utf8.error());
        for (char32_t cp : escpos::DecodeUtf8(*utf8)) m_line.push_back(Cell{cp, m_style});
        return {};
    }

    Result<void> Raster() {
        auto header = Take(5, "GS v 0");
        if (!header) return std::unexpected(header.error());
        const auto& h = *header;
        const int bytesPerRow = h[1] | (h[2] << 8);
        const int rows = h[3] | (h[4] << 8);
        auto data = Take(static_cast<std::size_t>(bytesPerRow) * static_cast<std::size_t>(rows), "GS v 0 image data");
        if (!data) return std::unexpected(data.error());
        if (!m_line.empty()) PrintLine();
        const int scaleX = (h[0] & 1) != 0 ? 2 : 1, scaleY = (h[0] & 2) != 0 ? 2 : 1;
        Bitmap image(bytesPerRow * 8 * scaleX, rows * scaleY);
        for (int y = 0; y < rows; ++y) {
            for (int x = 0; x < bytesPerRow * 8; ++x) {
                const std::uint8_t byte = (*data)[static_cast<std::size_t>(y * bytesPerRow + x / 8)];
                if ((byte & (0x80u >> static_cast<unsigned>(x % 8))) != 0) image.FillRect(x * scaleX, y * scaleY, scaleX, scaleY, 0);
            }
        }
        Blit(image);
        ++m_out.rasterImages;
        return {};
    }

    Result<void> Symbol(std::uint8_t cn, std::span<const std::uint8_t> params) {
        if (cn != 49 || params.empty()) return {};  // PDF417 and others: not drawn
        const std::uint8_t fn = params[0];
        if (fn == 67 && params.size() >= 2) m_qrModule = std::clamp<int>(params[1], 1, 16);
        if (fn == 80 && params.size() >= 2) m_qrData.assign(params.begin() + 2, params.end());
        if (fn == 81) {
            if (m_qrData.empty()) return Fail(ErrorCode::InvalidInput, "QR print with no stored data");
            auto qr = escpos::QrBitmap(m_qrData, m_qrModule);
            if (!qr) return std::unexpected(qr.error());
            if (!m_line.empty()) PrintLine();
            Blit(*qr);
            m_out.qrCodes.push_back(m_qrData);
        }
        return {};
    }

    Result<void> Barcode() {
        auto m = Next("GS k");
        if (!m) return std::unexpected(m.error());
        std::string data;
        if (*m <= 6) {
            while (true) {
                auto b = Next("GS k data (no NUL)");
                if (!b) return std::unexpected(b.error());
                if (*b == 0) break;
                data += static_cast<char>(*b);
            }
        } else if (*m >= 65 && *m <= 79) {
            auto n = Next("GS k length");
            if (!n) return std::unexpected(n.error());
            auto bytes = Take(*n, "GS k data");
            if (!bytes) return std::unexpected(bytes.error());
            data.assign(bytes->begin(), bytes->end());
        } else {
            return Fail(ErrorCode::InvalidInput, "GS k: unknown barcode system " + std::to_string(*m));
        }
        if (*m != 73) return {};
        if (data.size() < 2 || data[0] != '{' || (data[1] != 'A' && data[1] != 'B')) {
            return Fail(ErrorCode::InvalidInput, "GS k 73: data must start with {A or {B");
        }
        std::string text;
        for (std::size_t i = 2; i < data.size(); ++i) {
            if (data[i] == '{') {
                if (i + 1 >= data.size() || data[i + 1] != '{') return Fail(ErrorCode::InvalidInput, "GS k 73: code set changes are not emulated");
                ++i;
            }
            text += data[i];
        }
        auto bars = escpos::Code128Bitmap(text, m_barWidth, m_barHeight);
        if (!bars) return std::unexpected(bars.error());
        if (!m_line.empty()) PrintLine();
        Blit(*bars);
        if (m_hri == 2 || m_hri == 3) {
            const Style saved = m_style;
            m_style = Style{};
            for (char c : text) m_line.push_back(Cell{static_cast<char32_t>(static_cast<unsigned char>(c)), m_style});
            PrintLine();
            m_style = saved;
        }
        m_out.code128s.push_back(text);
        return {};
    }

    Result<void> Esc() {
        auto op = Next("ESC");
        if (!op) return std::unexpected(op.error());
        auto arg = [this](const char* what) { return Next(what); };
        switch (*op) {
            case '@':
                m_style = Style{};
                m_align = 0;
                m_cjk = false;
                return {};
            case '!': {
                auto n = arg("ESC !");
                if (!n) return std::unexpected(n.error());
                m_style.fontB = (*n & 0x01) != 0;
                m_style.bold = (*n & 0x08) != 0;
                m_style.heightFactor = (*n & 0x10) != 0 ? 2 : 1;
                m_style.widthFactor = (*n & 0x20) != 0 ? 2 : 1;
                m_style.underline = (*n & 0x80) != 0;
                return {};
            }
            case 'E': case '-': case 'a': case 'M': case 'd': case 'J': case '3': case 't': case 'R': case '=': case 'G': {
                auto n = arg("ESC command argument");
                if (!n) return std::unexpected(n.error());
                if (*op == 'E' || *op == 'G') m_style.bold = (*n & 1) != 0;
                if (*op == '-') m_style.underline = (*n & 3) != 0;
                if (*op == 'a') m_align = (*n >= '0' ? *n - '0' : *n) % 3;
                if (*op == 'M') m_style.fontB = (*n & 1) != 0;
                if (*op == 'd') {
                    FlushOrFeed();
                    Feed(*n * kLineSpacing);
                }
                if (*op == 'J') {
                    if (!m_line.empty()) PrintLine();
                    Feed(*n);
                }
                return {};
            }
            case '2': return {};
            case 'p': {
                auto params = Take(3, "ESC p");
                if (!params) return std::unexpected(params.error());
                return {};
            }
            default: return Fail(ErrorCode::InvalidInput, "unknown command ESC " + Hex(*op));
        }
    }

    Result<void> Gs() {
        auto op = Next("GS");
        if (!op) return std::unexpected(op.error());
        switch (*op) {
            case 'v': {
                auto zero = Next("GS v 0");
                if (!zero) return std::unexpected(zero.error());
                if (*zero != '0') return Fail(ErrorCode::InvalidInput, "GS v " + Hex(*zero) + " is not GS v 0");
                return Raster();
            }
            case '(': {
                auto k = Next("GS (");
                if (!k) return std::unexpected(k.error());
                auto len = Take(2, "GS ( length");
                if (!len) return std::unexpected(len.error());
                const std::size_t n = static_cast<std::size_t>((*len)[0] | ((*len)[1] << 8));
                auto body = Take(n, "GS ( parameters");
                if (!body) return std::unexpected(body.error());
                if (*k == 'k' && !body->empty()) return Symbol((*body)[0], body->subspan(1));
                return {};
            }
            case 'k': return Barcode();
            case 'V': {
                auto m = Next("GS V");
                if (!m) return std::unexpected(m.error());
                if (*m == 65 || *m == 66) {
                    auto n = Next("GS V feed");
                    if (!n) return std::unexpected(n.error());
                    Feed(*n);
                }
                if (!m_line.empty()) PrintLine();
                Feed(8);
                for (int x = 0; x < m_options.dots; x += 12) m_out.paper.FillRect(x, m_y, 6, 2, 0);
                Feed(10);
                ++m_out.cuts;
                return {};
            }
            case 'L': case 'W': {
                auto params = Take(2, "GS L/W");
                if (!params) return std::unexpected(params.error());
                return {};
            }
            case '!': case 'B': case 'h': case 'w': case 'H': case 'f': case 'a': {
                auto n = Next("GS command argument");
                if (!n) return std::unexpected(n.error());
                if (*op == '!') {
                    m_style.widthFactor = ((*n >> 4) & 7) + 1;
                    m_style.heightFactor = (*n & 7) + 1;
                }
                if (*op == 'B') m_style.inverse = (*n & 1) != 0;
                if (*op == 'h') m_barHeight = std::max<int>(*n, 1);
                if (*op == 'w') m_barWidth = std::clamp<int>(*n, 1, 6);
                if (*op == 'H') m_hri = *n >= '0' ? *n - '0' : *n;
                return {};
            }
            default: return Fail(ErrorCode::InvalidInput, "unknown command GS " + Hex(*op));
        }
    }

    Result<void> Fs() {
        auto op = Next("FS");
        if (!op) return std::unexpected(op.error());
        switch (*op) {
            case '&': m_cjk = true; return {};
            case '.': m_cjk = false; return {};
            case '!': case '-': case 'C': {
                auto n = Next("FS command argument");
                if (!n) return std::unexpected(n.error());
                return {};
            }
            default: return Fail(ErrorCode::InvalidInput, "unknown command FS " + Hex(*op));
        }
    }

    Result<void> Step() {
        const std::uint8_t b = m_in[m_pos++];
        switch (b) {
            case 0x0A: FlushOrFeed(); return {};
            case 0x0D: return {};
            case 0x09: m_line.push_back(Cell{U' ', m_style}); return {};
            case 0x1B: return Esc();
            case 0x1D: return Gs();
            case 0x1C: return Fs();
            case 0x10: {
                auto rest = Take(2, "DLE command");
                if (!rest) return std::unexpected(rest.error());
                return {};
            }
            default:
                if (b < 0x20 || b == 0x7F) return Fail(ErrorCode::InvalidInput, "unexpected control byte " + Hex(b));
                return Text(b);
        }
    }

    std::span<const std::uint8_t> m_in;
    const EmulatorOptions& m_options;
    std::shared_ptr<const escpos::GlyphFont> m_font;
    std::size_t m_pos = 0;
    Printout m_out;
    int m_y = 0;
    Style m_style;
    int m_align = 0;
    bool m_cjk = false;
    std::vector<Cell> m_line;
    int m_qrModule = 3;
    std::string m_qrData;
    int m_barWidth = 3;
    int m_barHeight = 162;
    int m_hri = 0;
};

void AppendToVector(void* context, void* data, int size) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
}

}  // namespace

Result<Printout> Render(std::span<const std::uint8_t> bytes, const EmulatorOptions& options) {
    if (options.dots < 64 || options.dots > 2048) return Fail(ErrorCode::InvalidInput, "paper width must be 64-2048 dots");
    auto font = options.font ? Result<std::shared_ptr<const escpos::GlyphFont>>(options.font) : escpos::GlyphFont::Default();
    if (!font) return Fail(ErrorCode::Unavailable, "receipt emulator: " + font.error().message);
    return Interpreter(bytes, options, *font).Run();
}

Result<std::vector<std::uint8_t>> EncodePng(const Bitmap& image) {
    std::vector<std::uint8_t> out;
    if (image.width <= 0 || image.height <= 0) return Fail(ErrorCode::InvalidInput, "empty picture");
    if (stbi_write_png_to_func(AppendToVector, &out, image.width, image.height, 1, image.pixels.data(), image.width) == 0) {
        return Fail(ErrorCode::Storage, "PNG encoding failed");
    }
    return out;
}

Result<void> WritePng(const Bitmap& image, const std::filesystem::path& file) {
    auto png = EncodePng(image);
    if (!png) return std::unexpected(png.error());
    std::filesystem::path partial = file;
    partial += ".part";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) return Fail(ErrorCode::Storage, file.string() + ": cannot be written");
        out.write(reinterpret_cast<const char*>(png->data()), static_cast<std::streamsize>(png->size()));
        if (!out.flush()) {
            std::error_code ec;
            std::filesystem::remove(partial, ec);
            return Fail(ErrorCode::Storage, file.string() + ": write error");
        }
    }
    std::error_code ec;
    std::filesystem::rename(partial, file, ec);
    if (ec) {
        std::filesystem::remove(partial, ec);
        return Fail(ErrorCode::Storage, file.string() + ": " + ec.message());
    }
    return {};
}

}  // namespace kiosk::drivers::emulator
