#include "kiosk/app/font_texture.hpp"

#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdint>
#include <string>
#include <utility>

namespace kiosk::app {

namespace {

bool g_filtered = true;  // the font texture's sampling: linear (true) or nearest

void SetFiltered(bool filter) {
    if (filter == g_filtered) return;
    const GLint mode = filter ? GL_LINEAR : GL_NEAREST;
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(ImGui::GetIO().Fonts->TexID)));
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, mode);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, mode);
    g_filtered = filter;
}

}  // namespace

void MatchFontSampling() { SetFiltered(ImGui::GetIO().FontGlobalScale != 1.0f); }

void ScaledTextBegins(const ImDrawList*, const ImDrawCmd*) { SetFiltered(true); }

void ScaledTextEnds(const ImDrawList*, const ImDrawCmd*) { MatchFontSampling(); }

core::Result<void> UploadFontAtlas(ui::GlyphCache& cache, std::vector<ImFont*> served) {
    ImGuiIO& io = ImGui::GetIO();
    // The backend makes its shaders and the font texture together. Made here, not in the first frame:
    // there it would ask the atlas for pixels after they are freed below, and build the atlas again.
    // It would also convert the atlas to four bytes a texel (16 MB for a CJK atlas) only for the
    // texture to be replaced: it is handed one white texel to make the texture object from.
    ImFontAtlas& atlas = *io.Fonts;
    unsigned char* coverage = nullptr;
    int width = 0;
    int height = 0;
    atlas.GetTexDataAsAlpha8(&coverage, &width, &height);
    static unsigned int white = 0xFFFFFFFFU;
    IM_FREE(std::exchange(atlas.TexPixelsRGBA32, reinterpret_cast<unsigned int*>(&white)));
    atlas.TexWidth = atlas.TexHeight = 1;
    ImGui_ImplOpenGL3_DestroyDeviceObjects();
    const bool made = ImGui_ImplOpenGL3_CreateDeviceObjects();
    atlas.TexPixelsRGBA32 = nullptr;
    atlas.TexWidth = width;
    atlas.TexHeight = height;
    if (!made) return core::Fail(core::ErrorCode::Unavailable, "the renderer's shaders or font texture could not be made");
    // Coverage only, one byte a texel instead of the backend's four: the software renderer keeps
    // textures in main memory. The swizzle makes it read as white with the coverage as alpha.
    const auto texture = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(atlas.TexID));
    glBindTexture(GL_TEXTURE_2D, texture);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, coverage);
    const GLint swizzle[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    g_filtered = true;  // as the backend made it
    MatchFontSampling();
    if (const GLenum error = glGetError(); error != GL_NO_ERROR) {
        return core::Fail(core::ErrorCode::Unavailable, "the font texture could not be made (GL error " + std::to_string(error) + ")");
    }
    io.Fonts->ClearTexData();
    return cache.AtlasBuilt(std::move(served), [texture](int x, int y, int w, int h, const unsigned char* glyph) {
        glBindTexture(GL_TEXTURE_2D, texture);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, GL_RED, GL_UNSIGNED_BYTE, glyph);
    });
}

}  // namespace kiosk::app
