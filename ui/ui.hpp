// What every screen draws with: translated text, the fonts, touch-sized widgets that record their
// rectangles under stable control ids (scripts tap them by id), and the intents the frame produced.
//
// - Control ids are plain words ("start", "repair", "key-5"); each may appear once per frame.
// - Screens never change the flow: they append intents, which the runner hands to the flow afterwards.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <imgui.h>

#include "kiosk/core/admin_flow/intake_port.hpp"
#include "kiosk/core/flow/flow_events.hpp"
#include "kiosk/core/input_method.hpp"
#include "kiosk/core/language.hpp"
#include "ui/i18n/translations.hpp"
#include "ui/keyboard.hpp"

namespace kiosk::ui {

struct Fonts {
    ImFont* body = nullptr;
    ImFont* title = nullptr;
    ImFont* huge = nullptr;  // ticket numbers
    bool icons = false;      // the pictograms of ui/icons.hpp are in every font
};

// What a button is for, and so how it looks: one Primary per screen, the way forward.
// Key: a key of the on-screen keyboard or keypad, flat and tinted like a phone's keys (dozens on one
// screen: an outline each would be most of what a software renderer draws there).
enum class ButtonKind { Primary, Secondary, Danger, Tile, Key };

// A QR code as modules: size x size, row-major, true for dark.
struct QrModules {
    int size = 0;
    std::vector<bool> dark;
};

struct ControlRect {
    ImVec2 min;
    ImVec2 max;
};

// "{0}" .. "{9}" in `pattern` replaced by the arguments, so translators can reorder them.
std::string Fill(std::string_view pattern, std::initializer_list<std::string_view> args);

class GlyphCache;

class Ui {
public:
    Ui(const Translations& translations, const Fonts& fonts) : m_translations(translations), m_fonts(fonts) {}

    void BeginFrame(core::Language language);
    std::vector<core::flow::FlowEvent> TakeIntents() { return std::exchange(m_intents, {}); }
    void Emit(core::flow::FlowEvent event) { m_intents.push_back(std::move(event)); }

    std::string_view T(std::string_view msgid) const { return m_translations.Get(m_language).Translate(msgid); }
    core::Language Language() const { return m_language; }
    const Fonts& Font() const { return m_fonts; }
    // Characters the atlas lacks are added as text is drawn (nullptr: only the atlas's own glyphs).
    void SetGlyphCache(GlyphCache* cache) { m_glyphs = cache; }
    // Draw callbacks the renderer runs around text drawn scaled (ScaleText): glyphs no longer land one
    // texel per pixel and want filtered sampling. Unset: nothing is added to the draw lists.
    void SetScaledTextHooks(ImDrawCallback begins, ImDrawCallback ends) {
        m_scaledBegins = begins;
        m_scaledEnds = ends;
    }
    // ImGui::SetWindowFontScale for the current window, telling the renderer; ScaleText(1) ends it.
    void ScaleText(float scale);
    // Makes `text` drawable before a screen draws it with ImGui directly.
    void NeedGlyphs(std::string_view text);

    // A finger-sized secondary button; `width` 0 fills the line. Returns true when tapped.
    bool Button(const char* id, std::string_view label, float width = 0.0f, float height = 0.0f);
    // The same, looking like `kind` says (ButtonKind::Tile draws a Tile without a pictogram).
    bool Button(const char* id, std::string_view label, ButtonKind kind, float width = 0.0f, float height = 0.0f);
    // A big choice: the pictogram `icon` above `label`, wrapped to `width`. `height` 0: the theme's.
    bool Tile(const char* id, std::string_view icon, std::string_view label, float width, float height = 0.0f);
    // A button that looks selected (a language, a face, a checked box).
    bool Toggle(const char* id, std::string_view label, bool selected, float width = 0.0f);
    // `label` led by the pictogram `icon` (ui/icons.hpp), or `label` alone without the icon font.
    std::string WithIcon(std::string_view icon, std::string_view label) const;
    // Where the customer is in a filing: `labels` left to right, `current` highlighted.
    void Steps(std::initializer_list<std::string_view> labels, std::size_t current);
    // Before a screen's actions, `height` pixels tall (0: one row of buttons): on a portrait screen they
    // go to the bottom of the window, within reach of a standing customer's hand; elsewhere they follow
    // the content.
    void ActionRow(float height = 0.0f);
    // Two columns side by side on a landscape screen (the first `share` of the width), one under the
    // other in portrait: BeginSplit, the first column, SplitNext, the second, EndSplit.
    void BeginSplit(float share);
    void SplitNext();
    void EndSplit();
    // Widths of `count` buttons sharing the line.
    float Share(int count) const;
    void Title(std::string_view text);
    void Text(std::string_view text);
    void TextMuted(std::string_view text);
    void Centered(std::string_view text, ImFont* font);
    // Shows `value` in a large box, then a 3x4 digit pad editing it ("key-0".."key-9", "key-del").
    void Keypad(std::string& value, std::size_t maxDigits);
    // The engines the keyboard writes Chinese with (ui/keyboard.cpp); none set: Latin letters only.
    void SetInputMethods(core::InputMethods methods) { m_inputs = methods; }
    // When a customer or staff member is done: the engines forget what was written and free what
    // only writing needs (the handwriting model).
    void ReleaseInputs();
    // An on-screen keyboard (ui/keyboard.cpp): "key-a".."key-z", "key-0".."key-9", "key-space",
    // "key-del"; ways of writing "mode-pinyin", "mode-abc", "mode-123", "mode-hand"; candidates
    // "cand-0".."cand-5" paged by "cand-prev"/"cand-next"; the handwriting pad "hand-pad" with
    // "hand-undo" and "hand-clear". Pinyin is the default for Chinese, ABC for English.
    void Keyboard(std::string& value, std::size_t maxBytes);
    // A signature pad `width` wide and a third as tall under control id `id`: a finger or the mouse
    // drawing on it adds strokes (points 0..1 across and down, t in ms since `startedAt`, an
    // ImGui::GetTime() of the first touch, set here). Clear and Done are the caller's (ui/signature_pad.cpp).
    void SignaturePad(const char* id, std::vector<core::admin_flow::PadStroke>& strokes, double& startedAt, float width);
    void Qr(const QrModules& qr, float side);

    // Names the item just drawn (text that is no control) so scripts can expect it on screen.
    void Tag(const char* id) { Record(id); }
    // The rectangles of last frame's visible controls, by id.
    const std::unordered_map<std::string, ControlRect>& Controls() const { return m_lastControls; }
    float Unit() const;  // the touch unit: minimum button height
    // The smallest touch target in pixels (15 mm at the panel's dots per inch); Unit() is never less.
    void SetMinTouchTarget(float pixels) { m_minTouch = pixels; }

private:
    void Record(const char* id);
    // Parts of the keyboard (ui/keyboard.cpp).
    void KeyboardStart();
    void KeyboardCandidateBar(std::string& value, std::size_t maxBytes, float keyWidth);
    void KeyboardPad(float keyWidth);
    void KeyboardRefresh();

    const Translations& m_translations;
    Fonts m_fonts;
    GlyphCache* m_glyphs = nullptr;
    ImDrawCallback m_scaledBegins = nullptr;
    ImDrawCallback m_scaledEnds = nullptr;
    float m_minTouch = 0.0f;
    bool m_split = false;  // between BeginSplit and EndSplit on a landscape screen
    core::Language m_language = core::Language::ZhHans;
    std::vector<core::flow::FlowEvent> m_intents;
    std::unordered_map<std::string, ControlRect> m_controls;
    std::unordered_map<std::string, ControlRect> m_lastControls;
    core::InputMethods m_inputs;
    KeyboardState m_keyboard;
};

}  // namespace kiosk::ui
