// ESC/POS encoding of a receipt document for one printer profile: pure bytes, no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "drivers/escpos/document.hpp"
#include "drivers/escpos/profile.hpp"

namespace kiosk::drivers::escpos {

struct EncodeOptions {
    // Draws text the printer cannot print (Chinese without a double-byte font). Null: the default
    // font, loaded on first need.
    std::shared_ptr<const GlyphFont> font;
};

// The whole job: ESC @ (and FS . on CJK printers, which may power up in double-byte mode), then the
// elements in order; a Cut element feeds past the tear bar and cuts when the printer has a cutter.
// Text in the printer's CJK encoding inside FS & ... FS . when the profile has one, else drawn as an
// image; QR and Code 128 native when the profile says so, else drawn with ZXing. Fails with
// InvalidInput for data a barcode cannot hold, Unavailable when text needs the font and it is missing.
Result<std::vector<std::uint8_t>> Encode(const Document& document, const PrinterProfile& profile,
                                         const EncodeOptions& options = {});

// Byte-level command builders, shared with the transports and tests.
namespace cmd {
inline constexpr std::uint8_t kEsc = 0x1B, kGs = 0x1D, kFs = 0x1C, kDle = 0x10, kEot = 0x04, kLf = 0x0A;
std::vector<std::uint8_t> StatusRequest(int n);  // DLE EOT n
}  // namespace cmd

}  // namespace kiosk::drivers::escpos
