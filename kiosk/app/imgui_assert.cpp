// The assertion handler the linker substitutes for glibc's __assert_fail in the kiosk executable.
#include "kiosk/app/imgui_assert.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace kiosk::app {

namespace {

// A copy, not a pointer: callers pass names built for the frame. The UI thread sets it and the
// handler reads it on the thread whose assert() failed, which is the UI thread.
char g_screen[64] = "start-up";
std::size_t g_screenLength = 8;

}  // namespace

void SetAssertionScreen(std::string_view screen) {
    g_screenLength = std::min(screen.size(), sizeof g_screen);
    std::copy_n(screen.data(), g_screenLength, g_screen);
}

std::string_view AssertionScreen() { return {g_screen, g_screenLength}; }

}  // namespace kiosk::app

// An exception cannot be thrown from here: ImGui's call sites assume assert() does not return and may
// have no unwind entries. Exit without running destructors; ImGui's state is not trustworthy.
extern "C" [[noreturn]] void __wrap___assert_fail(const char* expression, const char* file, unsigned int line,
                                                  const char* function) {
    std::fprintf(stderr, "kiosk: assertion failed while drawing screen %.*s: %s (%s:%u, %s)\n",
                 static_cast<int>(kiosk::app::g_screenLength), kiosk::app::g_screen, expression, file,
                 line, function);
    std::fflush(stderr);
    std::_Exit(kiosk::app::kAssertionExitCode);
}
