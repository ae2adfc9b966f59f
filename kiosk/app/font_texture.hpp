// The font atlas on the GPU: uploaded once, the CPU copy of its pixels freed (16 MB for a CJK atlas),
// and the glyph cache's new glyphs written straight into the texture.
#pragma once

#include <vector>

#include <imgui.h>

#include "kiosk/core/error.hpp"
#include "ui/glyph_cache.hpp"

namespace kiosk::app {

// After every build of the atlas: makes the font texture from it, frees the atlas's pixels and hands
// `cache` the texture to add glyphs to, for the fonts in `served`. Needs the ImGui OpenGL 3 backend
// initialised and its GL context current.
core::Result<void> UploadFontAtlas(ui::GlyphCache& cache, std::vector<ImFont*> served);

// Before drawing a frame. Text at the size it was rasterised (scale 1; the fonts snap glyphs to whole
// pixels) is sampled nearest: exact there, and a software renderer fills every pixel (the solid
// ones sample the texture too) a third faster. Scaled text (large-text mode) is filtered.
void MatchFontSampling();
// Draw callbacks around text drawn at another scale within a frame (ImGui::SetWindowFontScale): the
// texture is filtered for it, then sampled as MatchFontSampling chose.
void ScaledTextBegins(const ImDrawList* list, const ImDrawCmd* command);
void ScaledTextEnds(const ImDrawList* list, const ImDrawCmd* command);

}  // namespace kiosk::app
