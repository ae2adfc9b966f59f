// The glyph cache in a real window under Xvfb, writing into the real font texture the way the kiosk
// does: a character the atlas was built without renders as if the atlas had it, and after 2,000
// distinct characters the texture, the fonts and the process have not grown.
#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

#include "kiosk/app/font_texture.hpp"
#include "ui/glyph_cache.hpp"
#include "ui/glyphs.hpp"
#include "ui/i18n/translations.hpp"
#include "ui/theme.hpp"
#include "ui/ui.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define KIOSK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KIOSK_UNDER_ASAN 1
#endif
#endif
#ifndef KIOSK_UNDER_ASAN
#define KIOSK_UNDER_ASAN 0
#endif

namespace {

using namespace kiosk;

constexpr int kWidth = 480;
constexpr int kHeight = 160;

// One hidden window and GL context for the whole run.
struct GlWindow {
    SDL_Window* window = nullptr;
    SDL_GLContext context = nullptr;

    GlWindow() {
        if (SDL_Init(SDL_INIT_VIDEO) != 0) FAIL("SDL_Init: " << SDL_GetError() << " (run under xvfb-run)");
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
        window = SDL_CreateWindow("glyphs", 0, 0, kWidth, kHeight, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
        if (window == nullptr) FAIL("SDL_CreateWindow: " << SDL_GetError());
        context = SDL_GL_CreateContext(window);
        if (context == nullptr) FAIL("SDL_GL_CreateContext: " << SDL_GetError());
        SDL_GL_MakeCurrent(window, context);
    }
};

GlWindow& Window() {
    static GlWindow window;
    return window;
}

const ui::Translations& Catalogs() {
    static const auto translations = ui::Translations::Load(std::string(KIOSK_TEST_ASSET_DIR) + "/i18n");
    REQUIRE(translations.has_value());
    return *translations;
}

const ui::FontFile& Font() {
    static const auto font = ui::FontFile::Map(KIOSK_TEST_CJK_FONT);
    REQUIRE(font.has_value());
    return **font;
}

double ResidentMb() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// An ImGui context with the kiosk's fonts built from `glyphs` only, its texture on the GPU, and the
// glyph cache on it or not.
class Scene {
public:
    Scene(const std::string& glyphs, bool cache, bool hooks = true) {
        Window();
        m_context = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(kWidth, kHeight);
        io.DeltaTime = 1.0f / 60.0f;
        REQUIRE(ImGui_ImplOpenGL3_Init("#version 150"));
        ui::GlyphSet set;
        set.Add(glyphs);
        m_ranges = set.Ranges();
        auto fonts = ui::AddFonts(Font(), nullptr, m_ranges, 480.0f, 480.0f);
        REQUIRE(fonts.has_value());
        m_fonts = *fonts;
        if (cache) m_cache.emplace(*io.Fonts, Font().Data(), 0);
        REQUIRE(io.Fonts->Build());
        if (m_cache) {
            const auto uploaded = app::UploadFontAtlas(*m_cache, {m_fonts.body, m_fonts.title});
            if (!uploaded) FAIL(uploaded.error().message);
        } else {
            REQUIRE(ImGui_ImplOpenGL3_CreateFontsTexture());
        }
        m_ui.emplace(Catalogs(), m_fonts);
        m_ui->SetGlyphCache(m_cache ? &*m_cache : nullptr);
        if (hooks) m_ui->SetScaledTextHooks(app::ScaledTextBegins, app::ScaledTextEnds);
    }
    ~Scene() {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(m_context);
    }
    Scene(const Scene&) = delete;
    Scene& operator=(const Scene&) = delete;

    // One frame showing `text` in the body font; returns the window's pixels (RGBA).
    std::vector<std::uint8_t> Draw(const std::string& text, float scale = 1.0f) {
        ImGui_ImplOpenGL3_NewFrame();
        ImGui::NewFrame();
        m_ui->BeginFrame(core::Language::ZhHans);
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(kWidth, kHeight));
        ImGui::Begin("text", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
        if (scale != 1.0f) m_ui->ScaleText(scale);
        m_ui->Text(text);
        if (scale != 1.0f) m_ui->ScaleText(1.0f);
        ImGui::Text("%s", "after");  // back at scale 1: sampled nearest again
        ImGui::End();
        ImGui::Render();
        glViewport(0, 0, kWidth, kHeight);
        glClearColor(0, 0, 0, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        std::vector<std::uint8_t> pixels(static_cast<std::size_t>(kWidth * kHeight * 4));
        glReadPixels(0, 0, kWidth, kHeight, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
        return pixels;
    }
    // What the kiosk's loop does between frames.
    bool WantsFrame() { return m_cache->WantsFrame(); }

    ui::GlyphCache& Cache() { return *m_cache; }
    const ui::Fonts& Fonts() const { return m_fonts; }

private:
    ImGuiContext* m_context = nullptr;
    ImVector<ImWchar> m_ranges;
    ui::Fonts m_fonts;
    std::optional<ui::GlyphCache> m_cache;
    std::optional<ui::Ui> m_ui;
};

struct Difference {
    int lit = 0;      // pixels the text lit in the first image
    int differ = 0;   // pixels whose brightness differs by more than 24 of 255
};

Difference Compare(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
    Difference d;
    for (std::size_t i = 0; i < a.size(); i += 4) {
        if (a[i] > 64) ++d.lit;
        if (std::abs(int{a[i]} - int{b[i]}) > 24) ++d.differ;
    }
    return d;
}

const std::string kAscii = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

// `count` distinct characters of the CJK block that the font has, starting at `first`.
std::vector<std::string> CjkCharacters(unsigned int first, int count) {
    std::vector<std::string> out;
    for (unsigned int c = first; static_cast<int>(out.size()) < count && c < 0x9FA5; ++c) {
        std::string utf8;
        utf8 += static_cast<char>(0xE0 | (c >> 12));
        utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        utf8 += static_cast<char>(0x80 | (c & 0x3F));
        out.push_back(utf8);
    }
    return out;
}

}  // namespace

TEST_CASE("a character the atlas was built without renders as the built glyph does, in the frame that shows it") {
    const std::string text = "Screen 屏幕闪烁 鬱";
    std::vector<std::uint8_t> cached, built, fallback;
    {
        Scene scene(kAscii, true);
        cached = scene.Draw(text);
        CHECK(scene.Cache().CachedCount() == 5);
        CHECK_FALSE(scene.WantsFrame());
    }
    {
        Scene scene(kAscii + "屏幕闪烁鬱", false);
        built = scene.Draw(text);
    }
    {
        Scene scene(kAscii, false);
        fallback = scene.Draw(text);
    }
    const Difference likeBuilt = Compare(built, cached);
    const Difference likeFallback = Compare(built, fallback);
    INFO("lit pixels " << likeBuilt.lit << ", differing from the built atlas " << likeBuilt.differ
                       << ", the fallback glyphs differ in " << likeFallback.differ);
    REQUIRE(likeBuilt.lit > 300);
    CHECK(likeBuilt.differ <= likeBuilt.lit / 100);
    CHECK(likeFallback.differ > likeBuilt.lit / 4);
}

TEST_CASE("scaled text is filtered like the backend's own texture, and text after it is exact again") {
    const std::string text = "Start over 重新开始";
    std::vector<std::uint8_t> hooked, unhooked, reference;
    {
        Scene scene(kAscii + "重新开始", true);
        hooked = scene.Draw(text, 0.8f);
    }
    {
        Scene scene(kAscii + "重新开始", true, false);
        unhooked = scene.Draw(text, 0.8f);
    }
    {
        Scene scene(kAscii + "重新开始", false);  // the backend's texture, always filtered
        reference = scene.Draw(text, 0.8f);
    }
    const Difference withHooks = Compare(reference, hooked);
    const Difference withoutHooks = Compare(reference, unhooked);
    INFO("lit pixels " << withHooks.lit << ", differing with the hooks " << withHooks.differ << ", without "
                       << withoutHooks.differ);
    REQUIRE(withHooks.lit > 300);
    CHECK(withHooks.differ <= withHooks.lit / 100);
    CHECK(withoutHooks.differ > withHooks.differ + 20);
}

TEST_CASE("after 2,000 distinct characters the font texture, the fonts and the memory have not grown") {
    Scene scene(kAscii, true);
    const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    const int textureWidth = atlas.TexWidth;
    const int textureHeight = atlas.TexHeight;
    const int builtGlyphs = scene.Fonts().body->Glyphs.Size;
    const std::vector<std::string> characters = CjkCharacters(0x4E00, 2200);
    REQUIRE(characters.size() == 2200);
    std::size_t mostCached = 0;

    // A screen of 40 new characters at a time, as a customer writing or staff paging through notes.
    double warmMb = 0;
    int frames = 0;
    for (std::size_t first = 0; first < characters.size(); first += 40) {
        std::string line;
        for (std::size_t i = first; i < first + 40 && i < characters.size(); ++i) line += characters[i];
        auto pixels = scene.Draw(line);
        ++frames;
        while (scene.WantsFrame()) {
            pixels = scene.Draw(line);
            ++frames;
            REQUIRE(frames < 400);
        }
        if (first == 200) warmMb = ResidentMb();
        mostCached = std::max(mostCached, scene.Cache().CachedCount());
        CHECK(scene.Fonts().body->Glyphs.Size == builtGlyphs + static_cast<int>(scene.Cache().CachedCount()));
        CHECK(scene.Fonts().title->Glyphs.Size == scene.Fonts().body->Glyphs.Size);
    }
    const double grewMb = ResidentMb() - warmMb;
    INFO("frames " << frames << ", at most " << mostCached << " characters cached, evictions " << scene.Cache().Evictions() << ", rasterised "
                   << scene.Cache().Rasterised() << ", resident memory grew " << grewMb << " MB");
    CHECK(mostCached < 1000);
    CHECK(scene.Cache().Evictions() >= 2);
    CHECK(scene.Cache().Rasterised() >= 2 * 2000);  // body and title sizes
    CHECK(atlas.TexWidth == textureWidth);
    CHECK(atlas.TexHeight == textureHeight);
#if KIOSK_UNDER_ASAN
    // AddressSanitizer keeps freed memory in quarantine, resident, by design: only the sizes above count.
    WARN("resident memory not checked under AddressSanitizer (grew " << grewMb << " MB)");
#else
    CHECK(grewMb < 8.0);
#endif
}

TEST_CASE("one screen needing more characters than the cache holds is drawn twice, not forever") {
    Scene scene(kAscii, true);
    std::string screen;  // more than the area holds
    for (const std::string& c : CjkCharacters(0x5000, 1500)) screen += c;
    scene.Draw(screen);
    int frames = 1;
    while (scene.WantsFrame() && frames < 10) {
        scene.Draw(screen);
        ++frames;
    }
    CHECK(frames == 2);
    CHECK(scene.Cache().Evictions() == 1);
    CHECK(scene.Cache().CachedCount() < 1500);
}
