// The on-screen keyboard's own state: the way of writing chosen, the candidate page shown and the ink on
// the handwriting pad. It lives in the Ui beside the keyboard and starts over whenever a keyboard
// appears or the language changes, so nothing composed outlives its screen.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kiosk/core/input_method.hpp"
#include "kiosk/core/language.hpp"

namespace kiosk::ui {

enum class KeyboardMode { Pinyin, Abc, Digits, Hand };

struct KeyboardState {
    KeyboardMode mode = KeyboardMode::Abc;
    core::Language language = core::Language::En;
    int lastFrame = -2;                   // the ImGui frame the keyboard was last drawn in
    std::size_t page = 0;                 // first candidate shown
    std::vector<std::string> candidates;  // the page shown (pinyin) or all of them (handwriting)
    bool full = false;                    // the last letter was refused: the composition is full
    std::vector<core::InkStroke> strokes;  // on the handwriting pad, in pad coordinates 0..1
};

}  // namespace kiosk::ui
