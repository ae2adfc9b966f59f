// The glyphs the kiosk actually shows, so the CJK font atlas holds a few thousand characters at most
// instead of the font's tens of thousands.
#pragma once

#include <set>
#include <string_view>

#include <imgui.h>

namespace kiosk::ui {

// Calls `visit(codePoint)` for each character of `utf8`; a truncated last sequence is ignored.
template <typename Visit>
void ForEachCodepoint(std::string_view utf8, Visit&& visit) {
    const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
    const std::size_t n = utf8.size();
    for (std::size_t i = 0; i < n;) {
        unsigned int c = s[i];
        std::size_t length = 1;
        if (c >= 0xF0) {
            length = 4;
            c &= 0x07U;
        } else if (c >= 0xE0) {
            length = 3;
            c &= 0x0FU;
        } else if (c >= 0xC0) {
            length = 2;
            c &= 0x1FU;
        }
        if (i + length > n) return;
        for (std::size_t k = 1; k < length; ++k) c = (c << 6U) | (s[i + k] & 0x3FU);
        i += length;
        visit(c);
    }
}

class GlyphSet {
public:
    GlyphSet();  // starts with printable ASCII, Latin-1 and the punctuation the screens use
    void Add(std::string_view utf8);
    std::size_t Count() const { return m_codepoints.size(); }
    // Ranges for ImFontConfig::GlyphRanges; they must outlive the font atlas build.
    ImVector<ImWchar> Ranges() const;

private:
    std::set<ImWchar> m_codepoints;
};

}  // namespace kiosk::ui
