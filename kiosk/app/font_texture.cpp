#include "kiosk/app/font_texture.hpp"

#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdint>

namespace kiosk::app {

core::Result<void> UploadFontAtlas(ui::GlyphCache& cache, std::vector<ImFont*> served) {
    ImGuiIO& io = ImGui::GetIO();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    if (!ImGui_ImplOpenGL3_CreateFontsTexture()) return core::Fail(core::ErrorCode::Unavailable, "the font texture could not be made");
    io.Fonts->ClearTexData();
    return cache.AtlasBuilt(std::move(served), [&io](int x, int y, int width, int height, const std::uint32_t* rgba) {
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(io.Fonts->TexID)));
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    });
}

}  // namespace kiosk::app
