// The assertion handler the linker substitutes for glibc's __assert_fail in the kiosk executable.
#include "kiosk/app/imgui_assert.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace kiosk::app {

namespace {

std::atomic<const char*> g_screen{"start-up"};
std::atomic<std::size_t> g_screenLength{8};

}  // namespace

void SetAssertionScreen(std::string_view screen) {
    g_screenLength = screen.size();
    g_screen = screen.data();
}

}  // namespace kiosk::app

// An exception cannot be thrown from here: ImGui's call sites assume assert() does not return and may
// have no unwind entries. Exit without running destructors; ImGui's state is not trustworthy.
extern "C" [[noreturn]] void __wrap___assert_fail(const char* expression, const char* file, unsigned int line,
                                                  const char* function) {
    std::fprintf(stderr, "kiosk: assertion failed while drawing screen %.*s: %s (%s:%u, %s)\n",
                 static_cast<int>(kiosk::app::g_screenLength.load()), kiosk::app::g_screen.load(), expression, file,
                 line, function);
    std::fflush(stderr);
    std::_Exit(kiosk::app::kAssertionExitCode);
}
