// Runs the Catch2 session for a test executable's own main() (the suites that decide first whether
// they can run at all, and report SKIP otherwise).
#pragma once

namespace kiosk::testing {

int RunCatch(int argc, char** argv);

}  // namespace kiosk::testing
