// The main every test executable without its own links.
#include "catch_session.hpp"

int main(int argc, char** argv) { return kiosk::testing::RunCatch(argc, argv); }
