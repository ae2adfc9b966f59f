// UTF-8, column widths and iconv conversions; iconv descriptors are cached per thread because
// opening one costs more than encoding a whole receipt.
#include "drivers/escpos/text.hpp"

#include <iconv.h>

#include <cerrno>
#include <memory>

namespace kiosk::drivers::escpos {
namespace {

using core::ErrorCode;
using core::Fail;

struct IconvCloser {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvHandle = std::unique_ptr<void, IconvCloser>;

const char* CharsetOf(CjkMode mode) { return mode == CjkMode::Big5 ? "BIG5" : "GB18030"; }

// A cached descriptor for utf8 -> mode (toUtf8 false) or mode -> utf8 (true); null when iconv lacks it.
iconv_t Descriptor(CjkMode mode, bool toUtf8) {
    thread_local IconvHandle cache[2][2];
    IconvHandle& slot = cache[mode == CjkMode::Big5 ? 1 : 0][toUtf8 ? 1 : 0];
    if (!slot) {
        iconv_t cd = toUtf8 ? iconv_open("UTF-8", CharsetOf(mode)) : iconv_open(CharsetOf(mode), "UTF-8");
        if (cd == reinterpret_cast<iconv_t>(-1)) return reinterpret_cast<iconv_t>(-1);
        slot.reset(cd);
    }
    iconv(static_cast<iconv_t>(slot.get()), nullptr, nullptr, nullptr, nullptr);
    return static_cast<iconv_t>(slot.get());
}

}  // namespace

std::vector<char32_t> DecodeUtf8(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        int extra = 0;
        char32_t cp = 0;
        if (lead < 0x80) {
            cp = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            extra = 1;
            cp = lead & 0x1Fu;
        } else if ((lead & 0xF0) == 0xE0) {
            extra = 2;
            cp = lead & 0x0Fu;
        } else if ((lead & 0xF8) == 0xF0) {
            extra = 3;
            cp = lead & 0x07u;
        } else {
            out.push_back(U'\uFFFD');
            ++i;
            continue;
        }
        bool ok = i + static_cast<std::size_t>(extra) < text.size();
        for (int k = 1; ok && k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            if ((next & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (next & 0x3Fu);
        }
        if (!ok) {
            out.push_back(U'\uFFFD');
            ++i;
            continue;
        }
        out.push_back(cp);
        i += static_cast<std::size_t>(extra) + 1;
    }
    return out;
}

std::string EncodeUtf8(const std::vector<char32_t>& codePoints) {
    std::string out;
    for (char32_t cp : codePoints) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    return out;
}

int ColumnsOf(char32_t cp) {
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
                      (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
                      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    return wide ? 2 : 1;
}

int ColumnsOf(std::string_view utf8) {
    int columns = 0;
    for (char32_t cp : DecodeUtf8(utf8)) columns += ColumnsOf(cp);
    return columns;
}

std::string FitColumns(std::string_view utf8, int columns, int* usedColumns) {
    std::vector<char32_t> kept;
    int used = 0;
    for (char32_t cp : DecodeUtf8(utf8)) {
        const int w = ColumnsOf(cp);
        if (used + w > columns) break;
        kept.push_back(cp);
        used += w;
    }
    if (usedColumns != nullptr) *usedColumns = used;
    return EncodeUtf8(kept);
}

Result<std::string> EncodeCjk(char32_t codePoint, CjkMode mode) {
    if (mode == CjkMode::None) return Fail(ErrorCode::InvalidInput, "the printer has no double-byte font");
    iconv_t cd = Descriptor(mode, false);
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return Fail(ErrorCode::Unavailable, std::string("iconv has no ") + CharsetOf(mode) + " converter");
    }
    std::string in = EncodeUtf8({codePoint});
    char out[8];
    char* inPtr = in.data();
    std::size_t inLeft = in.size();
    char* outPtr = out;
    std::size_t outLeft = sizeof out;
    if (iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == static_cast<std::size_t>(-1)) {
        return Fail(ErrorCode::InvalidInput, "U+" + std::to_string(static_cast<std::uint32_t>(codePoint)) +
                                                 " has no " + CharsetOf(mode) + " code");
    }
    return std::string(out, static_cast<std::size_t>(outPtr - out));
}

Result<std::string> DecodeCjk(std::string_view bytes, CjkMode mode) {
    if (mode == CjkMode::None) return Fail(ErrorCode::InvalidInput, "no double-byte encoding selected");
    iconv_t cd = Descriptor(mode, true);
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return Fail(ErrorCode::Unavailable, std::string("iconv has no ") + CharsetOf(mode) + " converter");
    }
    std::string in(bytes);
    std::string out(bytes.size() * 2 + 8, '\0');
    char* inPtr = in.data();
    std::size_t inLeft = in.size();
    char* outPtr = out.data();
    std::size_t outLeft = out.size();
    if (iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == static_cast<std::size_t>(-1)) {
        const auto offset = static_cast<std::size_t>(inPtr - in.data());
        return Fail(ErrorCode::InvalidInput, std::string(errno == EINVAL ? "truncated " : "invalid ") +
                                                 CharsetOf(mode) + " sequence at byte " + std::to_string(offset));
    }
    out.resize(out.size() - outLeft);
    return out;
}

}  // namespace kiosk::drivers::escpos
