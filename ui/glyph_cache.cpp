// Rasterising missing characters into the font texture's reserved area with stb_truetype, the
// rasteriser ImGui builds its atlas with, so cached glyphs look like built ones.
#include "ui/glyph_cache.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <stb_truetype.h>

#include "ui/glyphs.hpp"

namespace kiosk::ui {

struct GlyphCache::FontInfo {
    stbtt_fontinfo info{};
};

namespace {

constexpr int kPadding = 1;  // between glyphs, so linear filtering never bleeds a neighbour in

// ImFont::BuildLookupTable appends a tab glyph (a wide space) unless the last glyph is one: after
// glyphs were appended it would add another every time. Drop the old one first.
void Relookup(ImFont& font) {
    ImVector<ImFontGlyph>& glyphs = font.Glyphs;
    ImFontGlyph* kept = std::remove_if(glyphs.begin(), glyphs.end(), [](const ImFontGlyph& g) { return g.Codepoint == '\t'; });
    glyphs.resize(static_cast<int>(kept - glyphs.begin()));
    font.BuildLookupTable();
}

}  // namespace

GlyphCache::GlyphCache(ImFontAtlas& atlas, const unsigned char* fontData, int faceIndex, int width, int height)
    : m_atlas(atlas),
      m_fontData(fontData),
      m_faceIndex(faceIndex),
      m_width(width),
      m_height(height),
      m_rectId(atlas.AddCustomRectRegular(width, height)),
      m_info(std::make_unique<FontInfo>()) {}

GlyphCache::~GlyphCache() = default;

core::Result<void> GlyphCache::AtlasBuilt(std::vector<ImFont*> fonts, Upload upload) {
    const int offset = stbtt_GetFontOffsetForIndex(m_fontData, m_faceIndex);
    if (offset < 0 || stbtt_InitFont(&m_info->info, m_fontData, offset) == 0) {
        return core::Fail(core::ErrorCode::InvalidInput, "the font data is not a font");
    }
    const ImFontAtlasCustomRect* rect = m_atlas.GetCustomRectByIndex(m_rectId);
    if (rect == nullptr || !rect->IsPacked()) return core::Fail(core::ErrorCode::InvalidInput, "the glyph cache area was not packed");
    m_origin = ImVec2(rect->X, rect->Y);
    m_fonts = std::move(fonts);
    m_upload = std::move(upload);
    // A build drops every glyph added since: start over from what the fonts hold now.
    m_state.fill(Unknown);
    for (ImFont* font : m_fonts) {
        for (const ImFontGlyph& glyph : font->Glyphs) m_state[glyph.Codepoint] = Built;
    }
    m_cached.clear();
    m_shelfX = m_shelfY = m_shelfHeight = 0;
    m_full = false;
    return {};
}

void GlyphCache::Need(std::string_view utf8) {
    if (m_fonts.empty()) return;
    bool added = false;
    ForEachCodepoint(utf8, [&](unsigned int c) {
        if (c < 0x80 || c > 0xFFFF) return;
        const State state = m_state[c];
        if (state == Built || state == Cached || state == NotInFont) return;
        if (state == Waiting) {
            m_wantsFrame = true;
            return;
        }
        if (m_full || !Add(static_cast<ImWchar>(c))) {
            m_state[c] = Waiting;
            m_full = true;
            m_wantsFrame = true;
            return;
        }
        added = true;
    });
    if (added) {
        for (ImFont* font : m_fonts) Relookup(*font);
    }
}

bool GlyphCache::Add(ImWchar c) {
    const int glyph = stbtt_FindGlyphIndex(&m_info->info, c);
    if (glyph == 0) {
        m_state[c] = NotInFont;
        return true;
    }
    // Place every size first, so a glyph is in all fonts or in none.
    struct Placed {
        ImFont* font;
        float scale;
        int x0, y0, x1, y1, x, y;
    };
    Placed placed[8];
    const std::size_t count = std::min<std::size_t>(m_fonts.size(), 8);
    const int shelfX = m_shelfX, shelfY = m_shelfY, shelfHeight = m_shelfHeight;
    for (std::size_t i = 0; i < count; ++i) {
        Placed& p = placed[i];
        p.font = m_fonts[i];
        p.scale = stbtt_ScaleForPixelHeight(&m_info->info, p.font->ConfigData->SizePixels);
        stbtt_GetGlyphBitmapBox(&m_info->info, glyph, p.scale, p.scale, &p.x0, &p.y0, &p.x1, &p.y1);
        if (!Place(p.x1 - p.x0, p.y1 - p.y0, p.x, p.y)) {
            m_shelfX = shelfX, m_shelfY = shelfY, m_shelfHeight = shelfHeight;
            return false;
        }
    }
    const ImVec2 uvScale = m_atlas.TexUvScale;
    for (std::size_t i = 0; i < count; ++i) {
        const Placed& p = placed[i];
        const int w = p.x1 - p.x0;
        const int h = p.y1 - p.y0;
        if (w > 0 && h > 0) {
            m_coverage.assign(static_cast<std::size_t>(w * h), 0);
            stbtt_MakeGlyphBitmap(&m_info->info, m_coverage.data(), w, h, w, p.scale, p.scale, glyph);
            m_upload(p.x, p.y, w, h, m_coverage.data());
        }
        int advance = 0;
        int bearing = 0;
        stbtt_GetGlyphHMetrics(&m_info->info, glyph, &advance, &bearing);
        const ImFontConfig& config = *p.font->ConfigData;
        // The offsets ImGui's own build uses: the baseline sits at the font's rounded ascent.
        const float offsetX = config.GlyphOffset.x;
        const float offsetY = config.GlyphOffset.y + std::round(p.font->Ascent);
        p.font->AddGlyph(&config, c, static_cast<float>(p.x0) + offsetX, static_cast<float>(p.y0) + offsetY,
                         static_cast<float>(p.x1) + offsetX, static_cast<float>(p.y1) + offsetY,
                         static_cast<float>(p.x) * uvScale.x, static_cast<float>(p.y) * uvScale.y,
                         static_cast<float>(p.x + w) * uvScale.x, static_cast<float>(p.y + h) * uvScale.y,
                         static_cast<float>(advance) * p.scale);
        ++m_rasterised;
    }
    m_state[c] = Cached;
    m_cached.push_back(c);
    return true;
}

bool GlyphCache::Place(int width, int height, int& x, int& y) {
    const int w = width + kPadding;
    const int h = height + kPadding;
    if (w > m_width || h > m_height) return false;
    if (m_shelfX + w > m_width) {  // next shelf
        m_shelfY += m_shelfHeight;
        m_shelfX = 0;
        m_shelfHeight = 0;
    }
    if (m_shelfY + h > m_height) return false;
    x = static_cast<int>(m_origin.x) + m_shelfX;
    y = static_cast<int>(m_origin.y) + m_shelfY;
    m_shelfX += w;
    m_shelfHeight = std::max(m_shelfHeight, h);
    return true;
}

void GlyphCache::Empty() {
    for (ImFont* font : m_fonts) {
        ImVector<ImFontGlyph>& glyphs = font->Glyphs;
        ImFontGlyph* kept = std::remove_if(glyphs.begin(), glyphs.end(),
                                           [this](const ImFontGlyph& g) { return m_state[g.Codepoint] == Cached; });
        glyphs.resize(static_cast<int>(kept - glyphs.begin()));
        Relookup(*font);
    }
    for (ImWchar c : m_cached) m_state[c] = Unknown;
    for (auto& state : m_state) {
        if (state == Waiting) state = Unknown;
    }
    m_cached.clear();
    m_shelfX = m_shelfY = m_shelfHeight = 0;
    m_full = false;
    ++m_evictions;
}

bool GlyphCache::WantsFrame() {
    const bool wanted = std::exchange(m_wantsFrame, false);
    if (!m_full) return wanted;
    // One frame that needs more characters than the area holds would empty and refill it forever:
    // after emptying it for the frame just drawn, the next frame keeps what fit and asks for no more.
    const int frame = ImGui::GetFrameCount();
    if (m_emptiedAtFrame == frame - 1) return false;
    Empty();
    m_emptiedAtFrame = frame;
    return true;
}

namespace {

GlyphCache* g_frameCache = nullptr;

}  // namespace

void SetFrameGlyphCache(GlyphCache* cache) { g_frameCache = cache; }

void NeedGlyphs(std::string_view utf8) {
    if (g_frameCache != nullptr) g_frameCache->Need(utf8);
}

}  // namespace kiosk::ui
