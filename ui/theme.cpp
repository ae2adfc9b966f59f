// Style and fonts for a touch kiosk.
#include "ui/theme.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <system_error>
#include <vector>

namespace kiosk::ui {

namespace {

// ImGui copies a font's data unless the atlas owns it, and frees what it owns: the atlas is told it
// owns the mapped files, and ImGui's free leaves their mappings alone (FontFile unmaps them).
std::vector<const void*>& MappedFonts() {
    static std::vector<const void*> mapped;
    return mapped;
}

void* ImGuiAlloc(std::size_t size, void*) { return std::malloc(size); }

void ImGuiFree(void* pointer, void*) {
    for (const void* mapped : MappedFonts()) {
        if (pointer == mapped) return;
    }
    std::free(pointer);
}

}  // namespace

void ApplyTheme(const DisplayOptions& options) {
    ImGuiStyle style;
    if (options.highContrast) {
        ImGui::StyleColorsDark(&style);
        ImVec4* c = style.Colors;
        c[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 1);
        c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 1);
        c[ImGuiCol_Text] = ImVec4(1, 1, 1, 1);
        c[ImGuiCol_TextDisabled] = ImVec4(1.0f, 0.95f, 0.3f, 1);
        c[ImGuiCol_Button] = ImVec4(0.0f, 0.0f, 0.0f, 1);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.2f, 0.2f, 0.2f, 1);
        c[ImGuiCol_ButtonActive] = ImVec4(0.15f, 0.35f, 0.9f, 1);
        c[ImGuiCol_Border] = ImVec4(1, 1, 1, 1);
        style.FrameBorderSize = 3.0f;
        style.ChildBorderSize = 3.0f;
    } else {
        ImGui::StyleColorsLight(&style);
        ImVec4* c = style.Colors;
        c[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.97f, 0.98f, 1);
        c[ImGuiCol_Button] = ImVec4(0.16f, 0.40f, 0.78f, 1);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.20f, 0.46f, 0.86f, 1);
        c[ImGuiCol_ButtonActive] = ImVec4(0.08f, 0.28f, 0.60f, 1);
        c[ImGuiCol_Text] = ImVec4(0.08f, 0.09f, 0.10f, 1);
        c[ImGuiCol_TextDisabled] = ImVec4(0.35f, 0.38f, 0.42f, 1);
        style.FrameBorderSize = 0.0f;
    }
    style.FrameRounding = 14.0f;
    style.ChildRounding = 10.0f;
    style.WindowPadding = ImVec2(32, 24);
    style.FramePadding = ImVec2(20, 14);
    style.ItemSpacing = ImVec2(18, 18);
    style.ScrollbarSize = 36.0f;
    style.WindowBorderSize = 0.0f;
    ImGui::GetStyle() = style;
    // White text on the blue buttons of the light palette.
    if (!options.highContrast) ImGui::GetStyle().Colors[ImGuiCol_Button].w = 1.0f;
    ImGui::GetIO().FontGlobalScale = options.largeText ? 1.3f : 1.0f;
}

core::Result<std::shared_ptr<const FontFile>> FontFile::Map(const std::filesystem::path& path) {
    const std::string name = path.string();
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return core::Fail(core::ErrorCode::NotFound, "font file not readable: " + name + ": " + std::strerror(errno));
    struct stat info {};
    void* data = MAP_FAILED;
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
        data = ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (data == MAP_FAILED) return core::Fail(core::ErrorCode::NotFound, "font file not readable: " + name);
    MappedFonts().push_back(data);
    ImGui::SetAllocatorFunctions(ImGuiAlloc, ImGuiFree);
    return std::shared_ptr<const FontFile>(
        new FontFile(static_cast<const unsigned char*>(data), static_cast<std::size_t>(info.st_size), name));
}

FontFile::~FontFile() {
    auto& mapped = MappedFonts();
    mapped.erase(std::remove(mapped.begin(), mapped.end(), static_cast<const void*>(m_data)), mapped.end());
    ::munmap(const_cast<unsigned char*>(m_data), m_size);
}

core::Result<Fonts> AddFonts(const FontFile& font, const ImVector<ImWchar>& ranges, float displayHeight) {
    ImGuiIO& io = ImGui::GetIO();
    // Only as tall as the glyphs need: a power-of-two height would leave up to half the texture empty.
    io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    // Lines are anti-aliased with geometry, not with texture lines that need filtered sampling (the
    // font texture is sampled nearest at scale 1, see MatchFontSampling).
    io.Fonts->Flags |= ImFontAtlasFlags_NoBakedLines;
    // Sized so the tallest screens (keyboard, keypad) fit without scrolling down to 800 pixels.
    const float body = std::clamp(displayHeight / 34.0f, 22.0f, 44.0f);
    ImFontConfig config;
    config.FontNo = 0;
    config.OversampleH = 1;  // CJK glyphs are large enough; oversampling would double the atlas
    config.OversampleV = 1;
    config.PixelSnapH = true;  // glyphs at whole pixels: one texel per pixel
    config.FontDataOwnedByAtlas = true;  // not copied: one mapping for every size (see ImGuiFree)
    static const ImWchar kNumberRanges[] = {0x0020, 0x007E, 0};
    auto* data = const_cast<unsigned char*>(font.Data());  // ImGui only reads it
    const int size = static_cast<int>(font.Size());
    Fonts fonts;
    fonts.body = io.Fonts->AddFontFromMemoryTTF(data, size, body, &config, ranges.Data);
    fonts.title = io.Fonts->AddFontFromMemoryTTF(data, size, body * 1.6f, &config, ranges.Data);
    fonts.huge = io.Fonts->AddFontFromMemoryTTF(data, size, body * 3.2f, &config, kNumberRanges);
    if (fonts.body == nullptr || fonts.title == nullptr || fonts.huge == nullptr) {
        return core::Fail(core::ErrorCode::InvalidInput, "not a usable font: " + font.Path());
    }
    return fonts;
}

void RebuildFonts(const ImVector<ImWchar>& oldRanges, const ImVector<ImWchar>& newRanges) {
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    for (ImFontConfig& config : atlas.ConfigData) {
        if (config.GlyphRanges == oldRanges.Data) config.GlyphRanges = newRanges.Data;
    }
    atlas.ClearTexData();
    atlas.Build();
}

}  // namespace kiosk::ui
