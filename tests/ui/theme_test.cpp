// The theme's colours: every text/background pair the kiosk draws reads at WCAG 2 AA (4.5:1) in each
// display mode, and the button kinds look different from one another.
#include <catch2/catch.hpp>

#include <cmath>

#include "ui/theme.hpp"

using kiosk::ui::ContrastRatio;
using kiosk::ui::DisplayOptions;
using kiosk::ui::MakeTheme;
using kiosk::ui::Rgb;
using kiosk::ui::TextPairs;

namespace {

struct Mode {
    const char* name;
    DisplayOptions options;
};

const Mode kModes[] = {
    {"normal", {false, false}},
    {"high contrast", {true, false}},
    {"large text", {false, true}},
    {"high contrast and large text", {true, true}},
};

bool Same(Rgb a, Rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

}  // namespace

TEST_CASE("the contrast ratio follows WCAG 2") {
    CHECK(ContrastRatio(Rgb{0, 0, 0}, Rgb{1, 1, 1}) == Approx(21.0));
    CHECK(ContrastRatio(Rgb{1, 1, 1}, Rgb{0, 0, 0}) == Approx(21.0));
    CHECK(ContrastRatio(Rgb{0.5f, 0.5f, 0.5f}, Rgb{0.5f, 0.5f, 0.5f}) == Approx(1.0));
    // #767676 on white is the classic just-passing grey: 4.54:1.
    const float grey = 118.0f / 255.0f;
    CHECK(ContrastRatio(Rgb{grey, grey, grey}, Rgb{1, 1, 1}) == Approx(4.54).epsilon(0.01));
}

TEST_CASE("every text colour on its background reads at 4.5:1 or more in every display mode") {
    for (const Mode& mode : kModes) {
        const auto pairs = TextPairs(MakeTheme(mode.options));
        REQUIRE(pairs.size() >= 20);
        for (const auto& pair : pairs) {
            const double ratio = ContrastRatio(pair.text, pair.background);
            INFO(mode.name << ": " << pair.name << " " << ratio << ":1");
            CHECK(ratio >= 4.5);
        }
    }
}

TEST_CASE("the button kinds look different and large text is larger") {
    for (const Mode& mode : kModes) {
        INFO(mode.name);
        const auto& c = MakeTheme(mode.options).color;
        // Primary stands out from everything else; secondary, danger and the selected toggle differ
        // in fill or in text colour.
        CHECK_FALSE(Same(c.primary.fill, c.secondary.fill));
        CHECK_FALSE(Same(c.primary.fill, c.danger.fill));
        CHECK_FALSE(Same(c.primary.fill, c.background));
        CHECK_FALSE(Same(c.danger.text, c.secondary.text));
        CHECK_FALSE(Same(c.selected.fill, c.secondary.fill));
        // The primary button's fill stands out from the screen (WCAG non-text contrast 3:1).
        CHECK(ContrastRatio(c.primary.fill, c.background) >= 3.0);
    }
    CHECK(MakeTheme({false, true}).size.textScale > MakeTheme({}).size.textScale);
    CHECK(MakeTheme({true, true}).size.textScale > MakeTheme({true, false}).size.textScale);
}
