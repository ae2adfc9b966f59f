// The glyphs the kiosk actually shows, so the CJK font atlas holds a few thousand characters at most
// instead of the font's tens of thousands.
#pragma once

#include <set>
#include <string_view>

#include <imgui.h>

namespace kiosk::ui {

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
