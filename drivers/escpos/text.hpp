// Text for a receipt printer: UTF-8 code points, column widths (CJK takes two columns) and the
// double-byte encodings of the printers' Chinese fonts (GB18030, Big5) through iconv.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/escpos/profile.hpp"

namespace kiosk::drivers::escpos {

// Decodes UTF-8; a malformed sequence becomes U+FFFD, so a bad byte never stops a receipt.
std::vector<char32_t> DecodeUtf8(std::string_view text);
std::string EncodeUtf8(const std::vector<char32_t>& codePoints);
// Two columns for East Asian wide and full-width characters, one for everything else.
int ColumnsOf(char32_t codePoint);
int ColumnsOf(std::string_view utf8);
// The longest prefix of `utf8` that fits in `columns`, and its width.
std::string FitColumns(std::string_view utf8, int columns, int* usedColumns = nullptr);

// One character in the printer's double-byte encoding. Fails with InvalidInput when the encoding has
// no such character (a Simplified-only character in Big5, say) or `mode` is None.
Result<std::string> EncodeCjk(char32_t codePoint, CjkMode mode);
// Bytes in the printer's double-byte encoding back to UTF-8. Fails with InvalidInput naming the offset
// of the first byte sequence the encoding does not define.
Result<std::string> DecodeCjk(std::string_view bytes, CjkMode mode);

}  // namespace kiosk::drivers::escpos
