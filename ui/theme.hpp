// Looks: touch-sized spacing, a normal and a high-contrast palette, and the fonts built once from the
// glyphs the kiosk uses.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>

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

// A font file mapped read-only, shared by every size built from it and by the glyph cache: the atlas
// would otherwise copy the file (5 MB for the CJK font) once per size and keep the copies. Only the
// pages glyphs are read from become resident.
class FontFile {
public:
    // Fails with NotFound when the file is missing or unreadable.
    // The mapping must outlive every ImGui context whose atlas has fonts from it.
    static core::Result<std::shared_ptr<const FontFile>> Map(const std::filesystem::path& path);
    FontFile(const FontFile&) = delete;
    FontFile& operator=(const FontFile&) = delete;
    ~FontFile();
    const unsigned char* Data() const { return m_data; }
    std::size_t Size() const { return m_size; }
    const std::string& Path() const { return m_path; }

private:
    FontFile(const unsigned char* data, std::size_t size, std::string path)
        : m_data(data), m_size(size), m_path(std::move(path)) {}
    const unsigned char* m_data;
    std::size_t m_size;
    std::string m_path;
};

// Adds the body, title and ticket-number fonts to the current context's atlas from `font` (a .ttf or
// the first face of a .ttc), sized for a screen `displayHeight` pixels tall. `font` and `ranges` must
// stay alive as long as the atlas. Fails with InvalidInput when the file does not load as a font.
core::Result<Fonts> AddFonts(const FontFile& font, const ImVector<ImWchar>& ranges, float displayHeight);

// Rebuilds the atlas of AddFonts with `newRanges` in place of `oldRanges` (new data brought new
// characters), keeping every ImFont: the Fonts handed out stay valid. Outside a frame only; the
// renderer's font texture must be made again afterwards. `newRanges` must outlive the atlas.
void RebuildFonts(const ImVector<ImWchar>& oldRanges, const ImVector<ImWchar>& newRanges);

}  // namespace kiosk::ui
