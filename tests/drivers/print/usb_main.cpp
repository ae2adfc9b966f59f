// Entry point of the USB printer suite: it needs umockdev's preload library to emulate devices, and
// reports SKIP (exit code 77) instead of passing when it runs without it.
#include "catch_session.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace {

// umockdev_in_mock_environment() also looks at the host's /sys, so ask the loader instead.
bool PreloadActive() {
    std::ifstream maps("/proc/self/maps");
    const std::string text{std::istreambuf_iterator<char>(maps), std::istreambuf_iterator<char>()};
    return text.find("libumockdev-preload") != std::string::npos;
}

}  // namespace

int main(int argc, char** argv) {
    if (!PreloadActive()) {
        std::puts("SKIP: not running under umockdev (start with umockdev-wrapper or LD_PRELOAD=libumockdev-preload.so.0)");
        return 77;
    }
    return kiosk::testing::RunCatch(argc, argv);
}
