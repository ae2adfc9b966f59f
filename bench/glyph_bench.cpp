// Making 50 characters the font atlas lacks drawable: the glyph cache (rasterise them into the
// reserved area, write them into the texture) against the baseline of rebuilding the whole atlas with
// them and uploading it again. The atlas is the kiosk's: its three fonts at 1920x1080, built from the
// glyphs of the shipped translations. The texture is a buffer in main memory here (what a software GL
// renderer does with an upload), so both sides pay the same per byte.
// Usage: glyph_bench [ROUNDS] (default 40 rounds of 50 new characters).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/glyph_cache.hpp"
#include "ui/glyphs.hpp"
#include "ui/i18n/translations.hpp"
#include "ui/theme.hpp"

namespace {

using namespace kiosk;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& message) {
    std::fprintf(stderr, "glyph_bench: %s\n", message.c_str());
    std::exit(1);
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::string Utf8(unsigned int c) {
    std::string s;
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
    return s;
}

// The glyphs the kiosk builds its atlas with (the translations; see kiosk_main.cpp).
ui::GlyphSet KioskGlyphs(const ui::Translations& translations) {
    ui::GlyphSet glyphs;
    for (core::Language language : {core::Language::ZhHans, core::Language::ZhHant, core::Language::En}) {
        for (const auto& [id, text] : translations.Get(language).Entries()) {
            glyphs.Add(id);
            glyphs.Add(text);
        }
    }
    return glyphs;
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 40;
    auto translations = ui::Translations::Load(std::string(KIOSK_BENCH_ASSET_DIR) + "/i18n");
    if (!translations) Die(translations.error().message);
    auto font = ui::FontFile::Map(KIOSK_BENCH_CJK_FONT);
    if (!font) Die(font.error().message);

    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    const ui::GlyphSet base = KioskGlyphs(*translations);
    const ImVector<ImWchar> baseRanges = base.Ranges();
    auto fonts = ui::AddFonts(**font, nullptr, baseRanges, 1920.0f, 1080.0f);
    if (!fonts) Die(fonts.error().message);
    ui::GlyphCache cache(*io.Fonts, (*font)->Data(), 0);
    if (!io.Fonts->Build()) Die("the atlas did not build");
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height);
    std::vector<unsigned char> texture(pixels, pixels + static_cast<std::ptrdiff_t>(width) * height);
    const int textureWidth = width;
    auto added = cache.AtlasBuilt({fonts->body, fonts->title}, [&](int x, int y, int w, int h, const unsigned char* glyph) {
        for (int row = 0; row < h; ++row) {
            std::memcpy(&texture[static_cast<std::size_t>((y + row) * textureWidth + x)], glyph + row * w, static_cast<std::size_t>(w));
        }
    });
    if (!added) Die(added.error().message);
    std::printf("glyph_bench: atlas %dx%d with %zu characters in 3 sizes (body %.0f px), %d rounds of 50 new characters\n",
                width, height, base.Count(), fonts->body->FontSize, rounds);

    // New characters: CJK ideographs the translations do not use, 50 per round, never repeated.
    std::vector<std::string> fresh;
    {
        ui::GlyphSet probe = base;
        const std::size_t before = probe.Count();
        for (unsigned int c = 0x4E00; c < 0x9FA5 && fresh.size() < static_cast<std::size_t>(rounds) * 50; ++c) {
            probe.Add(Utf8(c));
            if (probe.Count() > before + fresh.size()) fresh.push_back(Utf8(c));
        }
    }
    std::vector<double> cached;
    for (int r = 0; r < rounds; ++r) {
        std::string text;
        for (int i = 0; i < 50; ++i) text += fresh[static_cast<std::size_t>(r * 50 + i)];
        const auto start = Clock::now();
        cache.Need(text);
        cache.WantsFrame();  // between frames: empties the area when it filled up
        cache.Need(text);    // the frame drawn again with what did not fit
        cached.push_back(Ms(Clock::now() - start));
    }

    // Baseline: the atlas built again with the 50 new characters, and the whole texture uploaded.
    std::vector<double> rebuilt;
    ImVector<ImWchar> ranges = baseRanges;
    const int baselineRounds = std::min(rounds, 10);
    for (int r = 0; r < baselineRounds; ++r) {
        ui::GlyphSet next = base;
        for (int i = 0; i < 50; ++i) next.Add(fresh[static_cast<std::size_t>(r * 50 + i)]);
        ImVector<ImWchar> nextRanges = next.Ranges();
        const auto start = Clock::now();
        ui::RebuildFonts(ranges, nextRanges);
        io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height);
        texture.assign(pixels, pixels + static_cast<std::ptrdiff_t>(width) * height);
        rebuilt.push_back(Ms(Clock::now() - start));
        ranges.swap(nextRanges);
    }

    const double cachedP50 = Percentile(cached, 0.5), cachedP99 = Percentile(cached, 0.99);
    const double rebuiltP50 = Percentile(rebuilt, 0.5), rebuiltP99 = Percentile(rebuilt, 0.99);
    std::printf("\n%-52s %10s %10s %10s\n", "make 50 new characters drawable", "p50", "p99", "rounds");
    std::printf("%-52s %7.2f ms %7.2f ms %10d\n", "glyph cache (in the frame that shows them)", cachedP50, cachedP99, rounds);
    std::printf("%-52s %7.2f ms %7.2f ms %10d\n", "baseline: rebuild the atlas and upload it", rebuiltP50, rebuiltP99, baselineRounds);
    std::printf("%-52s %9.0fx\n", "ratio (baseline p50 / cache p50)", rebuiltP50 / std::max(cachedP50, 1e-6));
    std::printf("%-52s %10d\n", "cache evictions (area emptied when full)", cache.Evictions());
    std::printf("%-52s %7.1f MB\n", "texture (fixed size)", static_cast<double>(texture.size()) / (1024.0 * 1024.0));
    ImGui::DestroyContext();
    return 0;
}
