// The receipt emulator: interprets ESC/POS bytes the way a thermal printer does and draws the paper,
// for tests (bytes -> picture -> barcode read back), the demo's simulated printer and `kioskctl
// receipt render`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "drivers/escpos/profile.hpp"
#include "drivers/escpos/raster.hpp"

namespace kiosk::drivers::emulator {

using core::Result;

struct EmulatorOptions {
    int dots = 576;                                     // paper width in dots
    escpos::CjkMode cjk = escpos::CjkMode::Gb18030;     // what FS & ... FS . bytes are decoded as
    std::shared_ptr<const escpos::GlyphFont> font;      // null: the default CJK font
};

// The printed paper and what was printed on it.
struct Printout {
    escpos::Bitmap paper;
    std::vector<std::string> lines;        // each printed text line, UTF-8, trailing spaces removed
    std::vector<std::string> qrCodes;      // data of each native QR code printed
    std::vector<std::string> code128s;     // data of each native Code 128 printed
    int rasterImages = 0;                  // GS v 0 strips
    int cuts = 0;
};

// Fails with InvalidInput "offset N: what" for an unknown command, a truncated command, a byte that
// has no meaning where it stands or a double-byte sequence the encoding does not define; Unavailable
// when the font cannot be loaded. Nothing is returned half-drawn.
Result<Printout> Render(std::span<const std::uint8_t> bytes, const EmulatorOptions& options = {});

// PNG, one grey channel. Fails with Storage when the file cannot be written (no file is left behind).
Result<void> WritePng(const escpos::Bitmap& image, const std::filesystem::path& file);
Result<std::vector<std::uint8_t>> EncodePng(const escpos::Bitmap& image);

}  // namespace kiosk::drivers::emulator
