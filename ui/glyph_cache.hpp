// Characters the font atlas was not built with, rasterised into a reserved area of the font texture
// the moment a screen is about to show them: pinyin candidates, what a customer wrote, names from a
// newly published catalog, staff notes.
//
// - Why not rebuild the atlas? A rebuild rasterises every glyph again (a few hundred milliseconds for a
//   CJK atlas): far over a frame. Adding one glyph costs a few tens of microseconds per font size.
// - Why mid-frame? The widget asks right before it draws the text, so the frame that first shows a
//   character already shows it, never the fallback box. Only texture pixels the GPU has not drawn
//   from yet change, and the uploads happen before the frame's draw calls.
// - Memory is bounded: the area has a fixed size. When it is full, the glyphs that did not fit show as
//   the fallback for one frame, the area is emptied before the next frame (WantsFrame() asks for it) and
//   the characters that frame needs are added again.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "kiosk/core/error.hpp"

namespace kiosk::ui {

class GlyphCache {
public:
    // Writes `width` x `height` coverage bytes (rows packed) into the font texture at (x, y).
    using Upload = std::function<void(int x, int y, int width, int height, const unsigned char* coverage)>;

    // Reserves the area in `atlas`; call before the atlas is built. `fontData` is the font file the
    // fonts were loaded from (face `faceIndex`); it must outlive the cache. The area is narrower than
    // the narrowest atlas ImGui builds (512 with its padding), so it always fits.
    GlyphCache(ImFontAtlas& atlas, const unsigned char* fontData, int faceIndex, int width = 500, int height = 1024);
    ~GlyphCache();
    GlyphCache(const GlyphCache&) = delete;
    GlyphCache& operator=(const GlyphCache&) = delete;

    // After every build of the atlas (the first and any later one): learns where the area went and which
    // characters the fonts already hold. Fails when the font data is not a font.
    core::Result<void> AtlasBuilt(std::vector<ImFont*> fonts, Upload upload);

    // Makes every character of `utf8` drawable in the served fonts, now. Cheap for characters already
    // there (one table look-up each).
    void Need(std::string_view utf8);
    // Between frames: empties a full area. True when the last frame lacked glyphs and must be drawn again.
    bool WantsFrame();

    std::size_t CachedCount() const { return m_cached.size(); }
    int Evictions() const { return m_evictions; }
    std::size_t Rasterised() const { return m_rasterised; }

private:
    enum State : std::uint8_t { Unknown = 0, Built = 1, Cached = 2, NotInFont = 3, Waiting = 4 };
    bool Add(ImWchar c);
    bool Place(int width, int height, int& x, int& y);
    void Empty();

    ImFontAtlas& m_atlas;
    const unsigned char* m_fontData;
    int m_faceIndex;
    int m_width;
    int m_height;
    int m_rectId;
    struct FontInfo;
    std::unique_ptr<FontInfo> m_info;
    std::vector<ImFont*> m_fonts;
    Upload m_upload;
    ImVec2 m_origin{0, 0};
    // Shelf packing: rows of glyphs, each row as tall as its tallest glyph.
    int m_shelfY = 0;
    int m_shelfHeight = 0;
    int m_shelfX = 0;
    std::array<State, 0x10000> m_state{};
    std::vector<ImWchar> m_cached;
    std::vector<unsigned char> m_coverage;
    bool m_full = false;
    bool m_wantsFrame = false;
    int m_evictions = 0;
    int m_emptiedAtFrame = -2;
    std::size_t m_rasterised = 0;
};

// Need(utf8) on the cache of the Ui that began the current frame, for text drawn outside Ui's widgets
// (charts, coloured messages); nothing without one.
void NeedGlyphs(std::string_view utf8);
void SetFrameGlyphCache(GlyphCache* cache);

}  // namespace kiosk::ui
