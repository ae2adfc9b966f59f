// Looks: named colour, size and spacing tokens in three modes (normal, high contrast, large text), the
// ImGui style made from them, and the fonts built once from the glyphs the kiosk uses.
//
// - Widgets take their colours from CurrentTheme(), never from literals, so the contrast test
//   (tests/ui/theme_test.cpp) checks what customers see: every text/fill pair drawn is in TextPairs().
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "kiosk/core/error.hpp"
#include "ui/glyphs.hpp"
#include "ui/ui.hpp"

namespace kiosk::ui {

struct DisplayOptions {
    bool highContrast = false;
    bool largeText = false;
};

// An sRGB colour, each channel 0..1.
struct Rgb {
    float r = 0.0f;
    float g = 0.0f;
    float b = 0.0f;
    ImVec4 Vec4(float alpha = 1.0f) const { return ImVec4(r, g, b, alpha); }
};

// What one kind of button looks like; the text keeps its colour while a finger holds the button down.
struct ButtonColors {
    Rgb fill;
    Rgb fillPressed;
    Rgb text;
    Rgb border;
};

struct ThemeColors {
    Rgb background;  // the screen
    Rgb surface;     // cards, boxes, the overlay
    Rgb border;      // separators, box outlines
    Rgb text;
    Rgb textMuted;   // hints and secondary lines
    Rgb accent;      // pictograms, the countdown ring, the scanner picture
    Rgb focus;       // keyboard focus and the scanner beam
    ButtonColors primary;    // the one action a screen leads to
    ButtonColors secondary;  // other choices
    ButtonColors danger;     // leaving: start over, decline
    ButtonColors tile;       // the big choices with a pictogram (return, exchange, repair...)
    ButtonColors selected;   // a toggle that is on (the language in use)
    ButtonColors key;        // keys of the on-screen keyboard and keypad
    Rgb stepDone, stepDoneText;        // the step indicator: steps behind the customer
    Rgb stepCurrent, stepCurrentText;  // the step on screen
    Rgb stepTodo, stepTodoText;        // steps ahead
};

struct ThemeSizes {
    float textScale = 1.0f;   // ImGuiIO::FontGlobalScale
    float rounding = 14.0f;
    float borderWidth = 2.0f;
    float keyBorderWidth = 0.0f;  // keys are flat unless the mode needs outlines
    ImVec2 windowPadding{32.0f, 24.0f};
    ImVec2 framePadding{20.0f, 14.0f};
    ImVec2 itemSpacing{18.0f, 14.0f};
    float scrollbar = 36.0f;
    float tileHeight = 2.6f;   // in touch units
    float stepHeight = 1.4f;   // in lines of text: the indicator is not for touching
};

struct Theme {
    ThemeColors color;
    ThemeSizes size;
};

// The tokens of a mode: colours from highContrast, sizes from largeText.
Theme MakeTheme(const DisplayOptions& options);
// The theme ApplyTheme last set (the normal one before any call).
const Theme& CurrentTheme();

// A text colour drawn on a fill, named for test messages.
struct TextPair {
    std::string_view name;
    Rgb text;
    Rgb background;
};
// Every text/background pair the kiosk draws with `theme`.
std::vector<TextPair> TextPairs(const Theme& theme);
// WCAG 2 contrast ratio, 1 to 21.
double ContrastRatio(Rgb a, Rgb b);

// Sets ImGui's style for a touch screen from MakeTheme(options); call again when the options change.
void ApplyTheme(const DisplayOptions& options);

// A font file mapped read-only, shared by every size built from it and by the glyph cache: the atlas
// would otherwise copy the file (5 MB for the CJK font) once per size and keep the copies. Only the
// pages glyphs are read from become resident.
class FontFile {
public:
    // Fails with NotFound when the file is missing or unreadable.
    // The mapping must outlive every ImGui context whose atlas has fonts from it.
    static core::Result<std::shared_ptr<const FontFile>> Map(const std::filesystem::path& path);
    // A file another part of the process has mapped already (the receipt's raster font is the same CJK
    // font): the screen draws from those pages instead of a second mapping, which would count them
    // twice in the kiosk's resident memory. `owner` keeps `bytes` mapped while this lives.
    static std::shared_ptr<const FontFile> Share(std::shared_ptr<const void> owner, std::span<const unsigned char> bytes,
                                                 std::string path);
    FontFile(const FontFile&) = delete;
    FontFile& operator=(const FontFile&) = delete;
    ~FontFile();
    const unsigned char* Data() const { return m_data; }
    std::size_t Size() const { return m_size; }
    const std::string& Path() const { return m_path; }

private:
    FontFile(const unsigned char* data, std::size_t size, std::string path, std::shared_ptr<const void> owner)
        : m_data(data), m_size(size), m_path(std::move(path)), m_owner(std::move(owner)) {}
    const unsigned char* m_data;
    std::size_t m_size;
    std::string m_path;
    std::shared_ptr<const void> m_owner;  // null: this object mapped the file and unmaps it
};

// Adds the body, title and ticket-number fonts to the current context's atlas from `font` (a .ttf or
// the first face of a .ttc), sized for a `width` x `height` screen; the pictograms of ui/icons.hpp are
// merged in from `icons` when given and a font (else labels go without them). `font`, `icons`, `ranges`
// must stay alive as long as the atlas. Fails with InvalidInput when a file does not load as a font.
core::Result<Fonts> AddFonts(const FontFile& font, const FontFile* icons, const ImVector<ImWchar>& ranges, float width,
                             float height);

// Rebuilds the atlas of AddFonts with `newRanges` in place of `oldRanges` (new data brought new
// characters), keeping every ImFont: the Fonts handed out stay valid. Outside a frame only; the
// renderer's font texture must be made again afterwards. `newRanges` must outlive the atlas.
void RebuildFonts(const ImVector<ImWchar>& oldRanges, const ImVector<ImWchar>& newRanges);

}  // namespace kiosk::ui
