// Catch2's implementation, compiled once for every test executable (the single header compiles it
// wherever CATCH_CONFIG_RUNNER is defined, which takes longer than most suites).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "catch_session.hpp"

namespace kiosk::testing {

int RunCatch(int argc, char** argv) { return Catch::Session().run(argc, argv); }

}  // namespace kiosk::testing
