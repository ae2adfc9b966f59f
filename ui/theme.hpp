// Looks: touch-sized spacing, a normal and a high-contrast palette, and the fonts built once from the
// glyphs the kiosk uses.
#pragma once

#include <filesystem>

#include "kiosk/core/error.hpp"
#include "ui/glyphs.hpp"
#include "ui/ui.hpp"

namespace kiosk::ui {

struct DisplayOptions {
    bool highContrast = false;
    bool largeText = false;
};

// Sets ImGui's style for a touch screen; call again when the options change.
void ApplyTheme(const DisplayOptions& options);

// Adds the body, title and ticket-number fonts to the current context's atlas from `fontFile` (a .ttf
// or the first face of a .ttc), sized for a screen `displayHeight` pixels tall. `ranges` must stay alive
// until the atlas is built. Fails with NotFound when the file is missing, InvalidInput when it does not
// load as a font.
core::Result<Fonts> AddFonts(const std::filesystem::path& fontFile, const ImVector<ImWchar>& ranges,
                             float displayHeight);

// Rebuilds the atlas of AddFonts with `newRanges` in place of `oldRanges` (new data brought new
// characters), keeping every ImFont: the Fonts handed out stay valid. Outside a frame only; the
// renderer's font texture must be made again afterwards. `newRanges` must outlive the atlas.
void RebuildFonts(const ImVector<ImWchar>& oldRanges, const ImVector<ImWchar>& newRanges);

}  // namespace kiosk::ui
