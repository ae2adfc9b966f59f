// Failed assertions (ImGui's IM_ASSERT is assert() in the Debian library) become a logged exit with
// code 4 naming the screen being drawn, instead of a bare abort. The kiosk links with
// -Wl,--wrap=__assert_fail, which sends every assert() in the statically linked code here.
#pragma once

#include <string_view>

namespace kiosk::app {

inline constexpr int kAssertionExitCode = 4;

// The screen named in the log if an assertion fails (copied; up to 64 bytes are kept).
void SetAssertionScreen(std::string_view screen);
// What the log would name now.
std::string_view AssertionScreen();

}  // namespace kiosk::app
