// Entry point of the USB scanner suite: the devices are emulated through umockdev's preload library,
// so without it the suite reports SKIP (exit code 77) instead of passing.
#include "catch_session.hpp"

#include <cstdio>

#include <umockdev.h>

int main(int argc, char** argv) {
    // umockdev tells a mocked /sys from the real one, so the question needs a testbed to exist.
    UMockdevTestbed* probe = umockdev_testbed_new();
    const bool mocked = umockdev_in_mock_environment() != 0;
    g_object_unref(probe);
    if (!mocked) {
        std::puts("SKIP: not running under umockdev (start with umockdev-wrapper or LD_PRELOAD=libumockdev-preload.so.0)");
        return 77;
    }
    return kiosk::testing::RunCatch(argc, argv);
}
