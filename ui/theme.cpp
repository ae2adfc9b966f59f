// Theme tokens, the style made from them, and fonts for a touch kiosk.
#include "ui/theme.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <system_error>
#include <vector>

#include <stb_truetype.h>

#include "ui/icons.hpp"

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

constexpr Rgb Hex(unsigned int rgb) {
    return Rgb{static_cast<float>((rgb >> 16U) & 0xFFU) / 255.0f, static_cast<float>((rgb >> 8U) & 0xFFU) / 255.0f,
               static_cast<float>(rgb & 0xFFU) / 255.0f};
}

// Light and calm, one saturated blue for the way forward, red only for leaving.
ThemeColors NormalColors() {
    ThemeColors c;
    c.background = Hex(0xF3F5F8);
    c.surface = Hex(0xFFFFFF);
    c.border = Hex(0xB8C1CC);
    c.text = Hex(0x15191E);
    c.textMuted = Hex(0x4A5361);
    c.accent = Hex(0x0B57D0);
    c.focus = Hex(0xC62828);
    c.primary = {Hex(0x0B57D0), Hex(0x083F99), Hex(0xFFFFFF), Hex(0x0B57D0)};
    c.secondary = {Hex(0xFFFFFF), Hex(0xD6E2F7), Hex(0x0B4BB3), Hex(0x8FA9D6)};
    c.danger = {Hex(0xFFFFFF), Hex(0xFBE3E1), Hex(0xB3261E), Hex(0xD99A95)};
    c.tile = {Hex(0xFFFFFF), Hex(0xD6E2F7), Hex(0x15191E), Hex(0xB8C1CC)};
    c.selected = {Hex(0x15191E), Hex(0x000000), Hex(0xFFFFFF), Hex(0x15191E)};
    c.key = {Hex(0xDCE5F4), Hex(0xB9CCEC), Hex(0x0B4BB3), Hex(0xDCE5F4)};
    c.stepDone = Hex(0xD6E2F7);
    c.stepDoneText = Hex(0x083F99);
    c.stepCurrent = Hex(0x0B57D0);
    c.stepCurrentText = Hex(0xFFFFFF);
    c.stepTodo = Hex(0xE3E7EC);
    c.stepTodoText = Hex(0x4A5361);
    return c;
}

// White and yellow on black, thick white outlines.
ThemeColors HighContrastColors() {
    ThemeColors c;
    c.background = Hex(0x000000);
    c.surface = Hex(0x000000);
    c.border = Hex(0xFFFFFF);
    c.text = Hex(0xFFFFFF);
    c.textMuted = Hex(0xFFEB3B);
    c.accent = Hex(0xFFEB3B);
    c.focus = Hex(0x00E5FF);
    c.primary = {Hex(0xFFEB3B), Hex(0xFFFFFF), Hex(0x000000), Hex(0xFFEB3B)};
    c.secondary = {Hex(0x000000), Hex(0x333333), Hex(0xFFFFFF), Hex(0xFFFFFF)};
    c.danger = {Hex(0x000000), Hex(0x333333), Hex(0xFF8A80), Hex(0xFF8A80)};
    c.tile = {Hex(0x000000), Hex(0x333333), Hex(0xFFFFFF), Hex(0xFFFFFF)};
    c.selected = {Hex(0xFFFFFF), Hex(0xFFEB3B), Hex(0x000000), Hex(0xFFFFFF)};
    c.key = c.secondary;
    c.stepDone = Hex(0x000000);
    c.stepDoneText = Hex(0xFFFFFF);
    c.stepCurrent = Hex(0xFFEB3B);
    c.stepCurrentText = Hex(0x000000);
    c.stepTodo = Hex(0x000000);
    c.stepTodoText = Hex(0xFFEB3B);
    return c;
}

Theme g_current = MakeTheme({});

double Linear(float channel) {
    const double c = channel;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double Luminance(Rgb c) { return 0.2126 * Linear(c.r) + 0.7152 * Linear(c.g) + 0.0722 * Linear(c.b); }

}  // namespace

Theme MakeTheme(const DisplayOptions& options) {
    Theme theme;
    theme.color = options.highContrast ? HighContrastColors() : NormalColors();
    if (options.highContrast) theme.size.borderWidth = theme.size.keyBorderWidth = 3.0f;
    if (options.largeText) {
        theme.size.textScale = 1.3f;
        theme.size.itemSpacing = ImVec2(22.0f, 16.0f);
    }
    return theme;
}

const Theme& CurrentTheme() { return g_current; }

std::vector<TextPair> TextPairs(const Theme& theme) {
    const ThemeColors& c = theme.color;
    std::vector<TextPair> pairs = {
        {"text on background", c.text, c.background},
        {"text on surface", c.text, c.surface},
        {"muted text on background", c.textMuted, c.background},
        {"muted text on surface", c.textMuted, c.surface},
        {"pictogram on background", c.accent, c.background},
        {"pictogram on tile", c.accent, c.tile.fill},
        {"pictogram on pressed tile", c.accent, c.tile.fillPressed},
        {"step done", c.stepDoneText, c.stepDone},
        {"step current", c.stepCurrentText, c.stepCurrent},
        {"step to do", c.stepTodoText, c.stepTodo},
        {"step label under the indicator", c.text, c.background},
    };
    const std::pair<std::string_view, const ButtonColors*> buttons[] = {
        {"primary", &c.primary}, {"secondary", &c.secondary}, {"danger", &c.danger},
        {"tile", &c.tile},       {"selected", &c.selected}, {"key", &c.key}};
    for (const auto& [name, b] : buttons) {
        pairs.push_back({name, b->text, b->fill});
        pairs.push_back({name, b->text, b->fillPressed});
    }
    return pairs;
}

double ContrastRatio(Rgb a, Rgb b) {
    const double la = Luminance(a);
    const double lb = Luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void ApplyTheme(const DisplayOptions& options) {
    g_current = MakeTheme(options);
    const ThemeColors& t = g_current.color;
    const ThemeSizes& z = g_current.size;
    ImGuiStyle style;
    if (options.highContrast) {
        ImGui::StyleColorsDark(&style);
    } else {
        ImGui::StyleColorsLight(&style);
    }
    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = t.background.Vec4();
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = t.surface.Vec4();
    c[ImGuiCol_FrameBg] = t.surface.Vec4();
    c[ImGuiCol_Text] = t.text.Vec4();
    c[ImGuiCol_TextDisabled] = t.textMuted.Vec4();
    c[ImGuiCol_Border] = t.border.Vec4();
    c[ImGuiCol_Separator] = t.border.Vec4();
    c[ImGuiCol_NavHighlight] = t.focus.Vec4();
    // Buttons drawn without a kind (admin screens) look like secondary ones. A touch screen has no
    // hover: the pressed look shows only while a finger is down.
    c[ImGuiCol_Button] = t.secondary.fill.Vec4();
    c[ImGuiCol_ButtonHovered] = t.secondary.fill.Vec4();
    c[ImGuiCol_ButtonActive] = t.secondary.fillPressed.Vec4();
    style.FrameRounding = z.rounding;
    style.ChildRounding = z.rounding * 0.7f;
    style.WindowRounding = z.rounding;
    style.WindowPadding = z.windowPadding;
    style.FramePadding = z.framePadding;
    style.ItemSpacing = z.itemSpacing;
    style.ScrollbarSize = z.scrollbar;
    style.FrameBorderSize = z.borderWidth;
    style.ChildBorderSize = z.borderWidth;
    style.WindowBorderSize = 0.0f;
    ImGui::GetStyle() = style;
    ImGui::GetIO().FontGlobalScale = z.textScale;
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
        new FontFile(static_cast<const unsigned char*>(data), static_cast<std::size_t>(info.st_size), name, nullptr));
}

std::shared_ptr<const FontFile> FontFile::Share(std::shared_ptr<const void> owner, std::span<const unsigned char> bytes,
                                                std::string path) {
    MappedFonts().push_back(bytes.data());
    ImGui::SetAllocatorFunctions(ImGuiAlloc, ImGuiFree);
    return std::shared_ptr<const FontFile>(new FontFile(bytes.data(), bytes.size(), std::move(path), std::move(owner)));
}

FontFile::~FontFile() {
    auto& mapped = MappedFonts();
    // One entry per FontFile: two of them may share one mapping.
    if (auto it = std::find(mapped.begin(), mapped.end(), static_cast<const void*>(m_data)); it != mapped.end()) {
        mapped.erase(it);
    }
    if (m_owner == nullptr) ::munmap(const_cast<unsigned char*>(m_data), m_size);
}

core::Result<Fonts> AddFonts(const FontFile& font, const FontFile* icons, const ImVector<ImWchar>& ranges, float width,
                             float height) {
    ImGuiIO& io = ImGui::GetIO();
    // Only as tall as the glyphs need: a power-of-two height would leave up to half the texture empty.
    io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    // Lines are anti-aliased with geometry, not with texture lines that need filtered sampling (the
    // font texture is sampled nearest at scale 1, see MatchFontSampling).
    io.Fonts->Flags |= ImFontAtlasFlags_NoBakedLines;
    // Sized so the tallest screens (keyboard, keypad) fit without scrolling down to 800 pixels; a
    // portrait panel has the height to spare and its text grows with the width instead.
    const float landscape = std::min(width, height) / 34.0f;
    const float portrait = height > width ? width / 25.0f : 0.0f;
    const float body = std::clamp(std::max(landscape, portrait), 22.0f, 44.0f);
    ImFontConfig config;
    config.FontNo = 0;
    config.OversampleH = 1;  // CJK glyphs are large enough; oversampling would double the atlas
    config.OversampleV = 1;
    config.PixelSnapH = true;  // glyphs at whole pixels: one texel per pixel
    config.FontDataOwnedByAtlas = true;  // not copied: one mapping for every size (see ImGuiFree)
    static const ImWchar kNumberRanges[] = {0x0020, 0x007E, 0};
    auto* data = const_cast<unsigned char*>(font.Data());  // ImGui only reads it
    const int size = static_cast<int>(font.Size());
    // A file that is not a font would fail an assertion in the atlas build: such icons are left out.
    stbtt_fontinfo probe{};
    if (icons != nullptr) {
        const int offset = stbtt_GetFontOffsetForIndex(icons->Data(), 0);
        if (offset < 0 || stbtt_InitFont(&probe, icons->Data(), offset) == 0) icons = nullptr;
    }
    Fonts fonts;
    auto add = [&](float pixels, const ImWchar* glyphs) -> ImFont* {
        ImFont* added = io.Fonts->AddFontFromMemoryTTF(data, size, pixels, &config, glyphs);
        if (added == nullptr || icons == nullptr) return added;
        ImFontConfig merge = config;
        merge.MergeMode = true;
        merge.PixelSnapH = true;
        merge.GlyphMinAdvanceX = pixels;  // pictograms are square
        merge.GlyphOffset = ImVec2(0.0f, pixels * 0.18f);  // sit on the text's baseline, not above it
        io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(icons->Data()), static_cast<int>(icons->Size()),
                                       pixels, &merge, icon::kRanges);
        fonts.icons = true;
        return added;
    };
    fonts.body = add(body, ranges.Data);
    fonts.title = add(body * 1.6f, ranges.Data);
    fonts.huge = add(body * 3.2f, kNumberRanges);
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
