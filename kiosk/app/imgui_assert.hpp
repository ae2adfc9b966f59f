// Failed assertions (ImGui's IM_ASSERT is assert() in the Debian library) become a logged exit with
// code 4 naming the screen being drawn, instead of a bare abort. The kiosk links with
// -Wl,--wrap=__assert_fail, which sends every assert() in the statically linked code here.
#pragma once

#include <string_view>

namespace kiosk::app {

inline constexpr int kAssertionExitCode = 4;

// The screen named in the log if an assertion fails; `screen` must stay alive (a literal).
void SetAssertionScreen(std::string_view screen);

}  // namespace kiosk::app
