// The ESC/POS encoder: tracks the printer's modes so each command is sent only when it changes.
#include "drivers/escpos/encoder.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "drivers/escpos/text.hpp"

namespace kiosk::drivers::escpos {
namespace {

using core::ErrorCode;
using core::Fail;
using Bytes = std::vector<std::uint8_t>;

constexpr int kLineDots = 30;  // default line spacing (ESC 2) for a 24-dot font, as drawn text rows use

std::uint8_t U8(int value) { return static_cast<std::uint8_t>(value & 0xFF); }

class Encoder {
public:
    Encoder(const PrinterProfile& profile, const EncodeOptions& options) : m_p(profile), m_options(options) {
        m_out.reserve(2048);
        Put({cmd::kEsc, '@'});
        if (m_p.cjk != CjkMode::None) Put({cmd::kFs, '.'});
    }

    Result<void> Add(const Element& element) {
        return std::visit([this](const auto& e) { return Do(e); }, element);
    }

    Bytes Finish() { return std::move(m_out); }

private:
    void Put(std::initializer_list<std::uint8_t> bytes) { m_out.insert(m_out.end(), bytes); }
    void Put(std::string_view bytes) { m_out.insert(m_out.end(), bytes.begin(), bytes.end()); }

    void SetAlign(Align align) {
        if (align == m_align) return;
        Put({cmd::kEsc, 'a', U8(static_cast<int>(align))});
        m_align = align;
    }

    void SetStyle(const TextStyle& s) {
        if (s.font != m_style.font) Put({cmd::kEsc, 'M', U8(s.font == Font::B ? 1 : 0)});
        if (s.bold != m_style.bold) Put({cmd::kEsc, 'E', U8(s.bold)});
        if (s.underline != m_style.underline) {
            Put({cmd::kEsc, '-', U8(s.underline)});
            if (m_p.cjk != CjkMode::None) Put({cmd::kFs, '-', U8(s.underline)});
        }
        if (s.doubleWidth != m_style.doubleWidth || s.doubleHeight != m_style.doubleHeight) {
            Put({cmd::kGs, '!', U8((s.doubleWidth ? 0x10 : 0) | (s.doubleHeight ? 0x01 : 0))});
            if (m_p.cjk != CjkMode::None) {
                Put({cmd::kFs, '!', U8((s.doubleWidth ? 0x04 : 0) | (s.doubleHeight ? 0x08 : 0))});
            }
        }
        if (s.inverse != m_style.inverse) Put({cmd::kGs, 'B', U8(s.inverse)});
        m_style = s;
    }

    int ColumnsFor(const TextStyle& s) const {
        const int columns = s.font == Font::B ? m_p.columnsFontB : m_p.columnsFontA;
        return s.doubleWidth ? columns / 2 : columns;
    }

    // The printer's bytes for a line, or nothing when some character needs drawing instead.
    std::optional<std::string> Printable(const std::vector<char32_t>& codePoints) {
        std::string bytes;
        bool cjk = false;
        for (char32_t cp : codePoints) {
            if (cp < 0x80) {
                if (cjk) bytes += "\x1C.";
                cjk = false;
                bytes += cp < 0x20 || cp == 0x7F ? ' ' : static_cast<char>(cp);
                continue;
            }
            if (m_p.cjk == CjkMode::None) return std::nullopt;
            auto encoded = EncodeCjk(cp, m_p.cjk);
            if (!encoded || encoded->size() != 2) return std::nullopt;
            if (!cjk) bytes += "\x1C&";
            cjk = true;
            bytes += *encoded;
        }
        if (cjk) bytes += "\x1C.";
        return bytes;
    }

    // One printed line of at most the line's columns.
    Result<void> Line(std::string_view utf8, const TextStyle& style, Align align) {
        const std::vector<char32_t> codePoints = DecodeUtf8(utf8);
        if (auto bytes = Printable(codePoints)) {
            SetAlign(align);
            SetStyle(style);
            // Each double-byte run is closed inside `bytes`: the printer stays in single-byte mode.
            Put(*bytes);
            Put({cmd::kLf});
            return {};
        }
        return DrawnLine(codePoints, style, align);
    }

    // Text the printer has no font for, drawn on the printer's own character grid so columns line up.
    Result<void> DrawnLine(const std::vector<char32_t>& codePoints, const TextStyle& style, Align align) {
        auto font = m_options.font ? Result<std::shared_ptr<const GlyphFont>>(m_options.font) : GlyphFont::Default();
        if (!font) return Fail(ErrorCode::Unavailable, "cannot draw text the printer has no font for: " + font.error().message);
        const int cellWidth = style.font == Font::B ? 9 : 12;
        const int cellHeight = style.font == Font::B ? 17 : 24;
        int columns = 0;
        for (char32_t cp : codePoints) columns += ColumnsOf(cp);
        Bitmap line(std::max(columns, 1) * cellWidth, style.font == Font::B ? 24 : kLineDots);
        int column = 0;
        for (char32_t cp : codePoints) {
            const int w = ColumnsOf(cp);
            if (cp > 0x20) (*font)->Draw(line, column * cellWidth, 0, w * cellWidth, cellHeight, cp, style.bold);
            column += w;
        }
        if (style.underline) line.FillRect(0, cellHeight, line.width, 2, 0);
        if (style.inverse) {
            for (auto& px : line.pixels) px = static_cast<std::uint8_t>(255 - px);
        }
        Bitmap scaled = Scale(line, style.doubleWidth ? 2 : 1, style.doubleHeight ? 2 : 1);
        SetAlign(align);
        AppendRaster(m_out, ToBits(Crop(scaled), Dither::Threshold));
        return {};
    }

    Bitmap Crop(const Bitmap& image) const {
        if (image.width <= m_p.dots) return image;
        Bitmap out(m_p.dots, image.height);
        for (int y = 0; y < image.height; ++y) {
            for (int x = 0; x < m_p.dots; ++x) out.Set(x, y, image.At(x, y));
        }
        return out;
    }

    // Splits text into lines of at most `columns`, at a space when one is near the end.
    static std::vector<std::string> Wrap(std::string_view text, int columns) {
        std::vector<std::string> lines;
        std::string rest(text);
        while (ColumnsOf(rest) > columns) {
            int used = 0;
            std::string head = FitColumns(rest, columns, &used);
            const std::size_t space = head.rfind(' ');
            if (space != std::string::npos && space > head.size() / 2) head.resize(space);
            if (head.empty()) break;
            std::size_t skip = head.size();
            while (skip < rest.size() && rest[skip] == ' ') ++skip;
            lines.push_back(head);
            rest.erase(0, skip);
        }
        lines.push_back(rest);
        return lines;
    }

    Result<void> Do(const TextLine& e) {
        for (const std::string& line : Wrap(e.text, ColumnsFor(e.style))) {
            if (auto ok = Line(line, e.style, e.align); !ok) return ok;
        }
        return {};
    }

    Result<void> Do(const Columns& e) {
        const int total = ColumnsFor(e.style);
        int fixed = 0, flexible = 0;
        for (const Column& c : e.cells) {
            if (c.width > 0) {
                fixed += c.width;
            } else {
                ++flexible;
            }
        }
        const int share = flexible > 0 ? std::max(total - fixed, 0) / flexible : 0;
        std::string row;
        for (const Column& c : e.cells) {
            const int width = c.width > 0 ? c.width : share;
            int used = 0;
            const std::string text = FitColumns(c.text, width, &used);
            const int pad = width - used;
            const int before = c.align == Align::Right ? pad : c.align == Align::Center ? pad / 2 : 0;
            row.append(static_cast<std::size_t>(before), ' ');
            row += text;
            row.append(static_cast<std::size_t>(pad - before), ' ');
        }
        while (!row.empty() && row.back() == ' ') row.pop_back();
        return Line(row, e.style, Align::Left);
    }

    Result<void> Do(const Separator& e) {
        const char glyph = e.glyph >= 0x21 && e.glyph <= 0x7E ? e.glyph : '-';
        return Line(std::string(static_cast<std::size_t>(m_p.columnsFontA), glyph), TextStyle{}, Align::Left);
    }

    Result<void> Do(const Image& e) {
        SetAlign(e.align);
        AppendRaster(m_out, ToBits(Crop(e.bitmap), e.dither));
        return {};
    }

    Result<void> Do(const Code128& e) {
        if (e.data.empty() || e.data.size() > 80 ||
            !std::all_of(e.data.begin(), e.data.end(), [](char c) { return c >= 0x20 && c <= 0x7E; })) {
            return Fail(ErrorCode::InvalidInput, "Code 128 data must be 1-80 printable ASCII characters: \"" + e.data + "\"");
        }
        SetAlign(Align::Center);
        int module = std::clamp(e.moduleDots, 1, 6);
        const int height = std::clamp(e.height, 8, 255);
        if (m_p.nativeCode128) {
            std::string data = "{B";
            for (char c : e.data) data += c == '{' ? std::string("{{") : std::string(1, c);
            // Code set B takes 11 modules a character; keep the symbol within the paper.
            while (module > 1 && (static_cast<int>(data.size()) + 3) * 11 * module + 20 * module > m_p.dots) --module;
            Put({cmd::kGs, 'h', U8(height), cmd::kGs, 'w', U8(std::max(module, 2)), cmd::kGs, 'H',
                 U8(e.humanReadable ? 2 : 0), cmd::kGs, 'f', 0, cmd::kGs, 'k', 73, U8(static_cast<int>(data.size()))});
            Put(data);
            Put({cmd::kLf});
            return {};
        }
        Result<Bitmap> bars = Code128Bitmap(e.data, module, height);
        while (bars && bars->width > m_p.dots && module > 1) bars = Code128Bitmap(e.data, --module, height);
        if (!bars) return std::unexpected(bars.error());
        if (bars->width > m_p.dots) return Fail(ErrorCode::InvalidInput, "Code 128 \"" + e.data + "\" is wider than the paper");
        AppendRaster(m_out, ToBits(*bars, Dither::Threshold));
        if (e.humanReadable) return Line(e.data, TextStyle{}, Align::Center);
        return {};
    }

    Result<void> Do(const QrCode& e) {
        if (e.data.empty() || e.data.size() > 2000) {
            return Fail(ErrorCode::InvalidInput, "QR data must be 1-2000 bytes, got " + std::to_string(e.data.size()));
        }
        SetAlign(Align::Center);
        const int module = std::clamp(e.moduleDots, 1, 16);
        if (m_p.nativeQr) {
            const int stored = static_cast<int>(e.data.size()) + 3;
            Put({cmd::kGs, '(', 'k', 4, 0, 49, 65, 50, 0});          // model 2
            Put({cmd::kGs, '(', 'k', 3, 0, 49, 67, U8(module)});     // module size
            Put({cmd::kGs, '(', 'k', 3, 0, 49, 69, 49});             // error correction M
            Put({cmd::kGs, '(', 'k', U8(stored), U8(stored >> 8), 49, 80, 48});
            Put(e.data);
            Put({cmd::kGs, '(', 'k', 3, 0, 49, 81, 48});             // print
            return {};
        }
        Result<Bitmap> qr = QrBitmap(e.data, module);
        for (int m = module - 1; qr && qr->width > m_p.dots && m >= 1; --m) qr = QrBitmap(e.data, m);
        if (!qr) return std::unexpected(qr.error());
        if (qr->width > m_p.dots) return Fail(ErrorCode::InvalidInput, "QR code is wider than the paper");
        AppendRaster(m_out, ToBits(*qr, Dither::Threshold));
        return {};
    }

    Result<void> Do(const Feed& e) {
        Put({cmd::kEsc, 'd', U8(std::clamp(e.lines, 0, 255))});
        return {};
    }

    Result<void> Do(const Cut& e) {
        // Past the tear bar or the cutter blade: the last printed line sits about four lines above it.
        Put({cmd::kEsc, 'd', 4});
        if (m_p.cutter) Put({cmd::kGs, 'V', U8(e.partial ? 1 : 0)});
        return {};
    }

    const PrinterProfile& m_p;
    const EncodeOptions& m_options;
    Bytes m_out;
    TextStyle m_style;
    Align m_align = Align::Left;
};

}  // namespace

Result<std::vector<std::uint8_t>> Encode(const Document& document, const PrinterProfile& profile,
                                         const EncodeOptions& options) {
    Encoder encoder(profile, options);
    for (std::size_t i = 0; i < document.elements.size(); ++i) {
        if (auto ok = encoder.Add(document.elements[i]); !ok) {
            return Fail(ok.error().code, "receipt element " + std::to_string(i + 1) + ": " + ok.error().message);
        }
    }
    return encoder.Finish();
}

namespace cmd {
std::vector<std::uint8_t> StatusRequest(int n) { return {kDle, kEot, static_cast<std::uint8_t>(n)}; }
}  // namespace cmd

}  // namespace kiosk::drivers::escpos
