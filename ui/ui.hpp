// What every screen draws with: translated text, the fonts, touch-sized widgets that record their
// rectangles under stable control ids (scripts tap them by id), and the intents the frame produced.
//
// - Control ids are plain words ("start", "repair", "key-5"); each may appear once per frame.
// - Screens never change the flow: they append intents, which the runner hands to the flow afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <imgui.h>

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
};

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
    // Makes `text` drawable before a screen draws it with ImGui directly.
    void NeedGlyphs(std::string_view text);

    // A finger-sized button; `width` 0 fills the line. Returns true when tapped.
    bool Button(const char* id, std::string_view label, float width = 0.0f, float height = 0.0f);
    // A button that looks selected (a language, a face, a checked box).
    bool Toggle(const char* id, std::string_view label, bool selected, float width = 0.0f);
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
    void Qr(const QrModules& qr, float side);

    // The rectangles of last frame's visible controls, by id.
    const std::unordered_map<std::string, ControlRect>& Controls() const { return m_lastControls; }
    float Unit() const;  // the touch unit: minimum button height

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
    core::Language m_language = core::Language::ZhHans;
    std::vector<core::flow::FlowEvent> m_intents;
    std::unordered_map<std::string, ControlRect> m_controls;
    std::unordered_map<std::string, ControlRect> m_lastControls;
    core::InputMethods m_inputs;
    KeyboardState m_keyboard;
};

}  // namespace kiosk::ui
