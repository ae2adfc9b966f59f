// Collecting code points from UTF-8 text.
#include "ui/glyphs.hpp"

namespace kiosk::ui {

GlyphSet::GlyphSet() {
    for (ImWchar c = 0x20; c < 0x7F; ++c) m_codepoints.insert(c);
    for (ImWchar c = 0xA0; c <= 0xFF; ++c) m_codepoints.insert(c);
    Add("…“”‘’–—·•✓×←→↑↓、。，：；！？（）「」《》【】％");
}

void GlyphSet::Add(std::string_view utf8) {
    ForEachCodepoint(utf8, [this](unsigned int c) {
        // ImGui 1.86 stores glyphs as 16-bit code points: characters beyond the BMP cannot be drawn.
        if (c >= 0x20 && c <= 0xFFFF) m_codepoints.insert(static_cast<ImWchar>(c));
    });
}

ImVector<ImWchar> GlyphSet::Ranges() const {
    ImFontGlyphRangesBuilder builder;
    for (ImWchar c : m_codepoints) builder.AddChar(c);
    ImVector<ImWchar> ranges;
    builder.BuildRanges(&ranges);
    return ranges;
}

}  // namespace kiosk::ui
