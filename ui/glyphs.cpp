// Collecting code points from UTF-8 text.
#include "ui/glyphs.hpp"

namespace kiosk::ui {

GlyphSet::GlyphSet() {
    for (ImWchar c = 0x20; c < 0x7F; ++c) m_codepoints.insert(c);
    for (ImWchar c = 0xA0; c <= 0xFF; ++c) m_codepoints.insert(c);
    Add("…“”‘’–—·•✓×←→↑↓、。，：；！？（）「」《》【】％");
}

void GlyphSet::Add(std::string_view utf8) {
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
        if (i + length > n) break;
        for (std::size_t k = 1; k < length; ++k) c = (c << 6U) | (s[i + k] & 0x3FU);
        i += length;
        // ImGui 1.86 stores glyphs as 16-bit code points: characters beyond the BMP cannot be drawn.
        if (c >= 0x20 && c <= 0xFFFF) m_codepoints.insert(static_cast<ImWchar>(c));
    }
}

ImVector<ImWchar> GlyphSet::Ranges() const {
    ImFontGlyphRangesBuilder builder;
    for (ImWchar c : m_codepoints) builder.AddChar(c);
    ImVector<ImWchar> ranges;
    builder.BuildRanges(&ranges);
    return ranges;
}

}  // namespace kiosk::ui
