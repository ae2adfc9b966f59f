// The kiosk's assertion handler names the screen being drawn; the name must outlive the string it
// was set from (the runner builds a new one every frame).
#include <catch2/catch.hpp>

#include <string>

#include "kiosk/app/imgui_assert.hpp"

TEST_CASE("the assertion handler keeps its own copy of the screen name") {
    {
        std::string screen = "admin-ticket-detail";
        kiosk::app::SetAssertionScreen(screen);
        screen.assign(screen.size(), 'x');
    }
    std::string other(64, 'y');  // reuses the freed block, as the next frame's strings do
    CHECK(kiosk::app::AssertionScreen() == "admin-ticket-detail");

    kiosk::app::SetAssertionScreen(std::string(100, 'z'));
    CHECK(kiosk::app::AssertionScreen() == std::string(64, 'z'));
}
