// Scripted runs of the real UI (`kiosk --script FILE`), one step per line:
//   scan 6901234567892          a scan arrives, as from the scanner
//   tap "repair"                taps the control with this id
//   type "13800138000"          taps the on-screen keys one by one (digits, a-z, space)
//   wait 2s                     lets time pass (also 500ms)
//   screenshot out/05-review.png
//   expect-screen review        waits up to 15 s for this screen, then fails
//   expect-shown slip-printed   waits up to 60 s for text with this id on screen (a control, or text
//                               tagged for scripts); "within 60s" waits longer, as for expect-screen
//   printer fail | printer ok   the printer reports paper out from now on (jobs stay queued), or works again
//   printer stall               the printer answers nothing until it times out (10 s) or the script
//                               changes it
//   stroke 0.1,0.5 0.9,0.5      draws one stroke on the handwriting pad ("hand-pad"), or on the signature
//                               pad ("sign-pad") when no handwriting pad is shown: the finger goes down
//                               at the first point, moves through the others, one frame each, and lifts.
//                               Points are x,y from the pad's top-left corner, 0..1 across and down;
//                               outside 0..1 is off the pad.
// Blank lines and lines starting with # are ignored.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/error.hpp"

namespace kiosk::app {

struct ScriptStep {
    enum class Kind { Scan, Tap, Type, Wait, Screenshot, ExpectScreen, ExpectShown, Printer, Stroke };
    Kind kind = Kind::Wait;
    std::string argument;
    std::chrono::milliseconds wait{0};  // a wait's length; an expect-screen's patience (0: the default)
    int line = 0;
    std::vector<std::pair<float, float>> points;  // a stroke's, in pad coordinates
};

// Fails with InvalidInput "FILE:LINE: what" for an unknown step or a malformed argument.
core::Result<std::vector<ScriptStep>> ParseScript(std::string_view text, std::string_view sourceName);
core::Result<std::vector<ScriptStep>> LoadScript(const std::filesystem::path& path);

}  // namespace kiosk::app
