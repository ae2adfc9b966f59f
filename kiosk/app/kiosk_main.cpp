// The `kiosk` program: wires configuration, store, devices, the customer flow and the ImGui shell to an
// SDL2 + OpenGL 3 window, then runs the loop.
#include <CLI/CLI.hpp>
#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <tuple>

#include "kiosk/app/admin_devices.hpp"
#include "kiosk/app/admin_intake.hpp"
#include "kiosk/app/scan_sources.hpp"
#include "kiosk/app/app_context.hpp"
#include "kiosk/app/device_recorder.hpp"
#include "kiosk/app/font_texture.hpp"
#include "kiosk/app/kiosk_printing.hpp"
#include "kiosk/app/kiosk_runner.hpp"
#include "drivers/escpos/encoder.hpp"
#include "drivers/escpos/raster.hpp"
#include "kiosk/app/published_watch.hpp"
#include "kiosk/app/queue_board_watch.hpp"
#include "kiosk/app/stop_signals.hpp"
#include "kiosk/app/watchdog.hpp"
#include "kiosk/config/roles_loader.hpp"
#include "kiosk/storage/queue_book.hpp"
#include "kiosk/config/text_file.hpp"
#include "kiosk/importer/csv_import.hpp"
#include "kiosk/input/handwriting_engine.hpp"
#include "kiosk/input/pinyin_engine.hpp"
#include "kiosk/input/to_traditional.hpp"
#include "kiosk/storage/admin_store.hpp"
#include "kiosk/storage/product_directory.hpp"
#include "ui/admin/admin_shell.hpp"
#include "ui/glyph_cache.hpp"
#include "ui/glyphs.hpp"
#include "ui/i18n/translations.hpp"
#include "ui/shell.hpp"
#include "ui/theme.hpp"

namespace {

using namespace kiosk;

const core::Actor kDemoActor{core::Role::System, "kiosk-demo"};

std::filesystem::path DemoDatabasePath() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path base = xdg != nullptr && *xdg != '\0' ? std::filesystem::path(xdg)
                                 : home != nullptr ? std::filesystem::path(home) / ".local/share"
                                                   : std::filesystem::path(".");
    return base / "service-kiosk" / "demo.db";
}

template <class T>
std::vector<T> Values(std::vector<importer::Row<T>> rows) {
    std::vector<T> out;
    for (auto& row : rows) out.push_back(std::move(row.value));
    return out;
}

// First run of the demo: the kiosk's identity and the demo catalog, sales and staff.
core::Result<void> SeedDemo(app::AppContext& ctx, core::Timestamp now) {
    if (ctx.store->Identity()) return {};
    if (auto id = ctx.store->Initialize(ctx.config.storeCode, ctx.config.kioskCode, now); !id) {
        return std::unexpected(id.error());
    }
    const auto demo = app::DefaultAssetDir() / "demo";
    auto read = [&](const char* file) { return config::ReadTextFile(demo / file); };
    auto catalog = read("catalog.csv");
    if (!catalog) return std::unexpected(catalog.error());
    auto products = importer::ParseCatalogCsv(*catalog, "catalog.csv");
    if (!products) return std::unexpected(products.error());
    if (auto r = ctx.store->ImportProducts(Values(std::move(*products)), kDemoActor, now); !r) return std::unexpected(r.error());
    auto salesText = read("sales.csv");
    if (!salesText) return std::unexpected(salesText.error());
    auto sales = importer::ParseSalesCsv(*salesText, "sales.csv");
    if (!sales) return std::unexpected(sales.error());
    if (auto r = ctx.store->ImportSales(Values(std::move(*sales)), kDemoActor, now); !r) return std::unexpected(r.error());
    auto staffText = read("staff.csv");
    if (!staffText) return std::unexpected(staffText.error());
    auto staff = importer::ParseStaffCsv(*staffText, "staff.csv");
    if (!staff) return std::unexpected(staff.error());
    if (auto r = ctx.store->ImportStaff(Values(std::move(*staff)), kDemoActor, now); !r) return std::unexpected(r.error());
    return {};
}

ui::QrModules MakeQr(const std::string& text) {
    ui::QrModules qr;
    try {
        const ZXing::BitMatrix matrix =
            ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(0).encode(text, 0, 0);
        qr.size = matrix.width();
        qr.dark.resize(static_cast<std::size_t>(qr.size) * static_cast<std::size_t>(qr.size));
        for (int y = 0; y < qr.size; ++y) {
            for (int x = 0; x < qr.size; ++x) qr.dark[static_cast<std::size_t>(y * qr.size + x)] = matrix.get(x, y);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kiosk: no QR code for %s: %s\n", text.c_str(), e.what());
        qr = {};
    }
    return qr;
}

// The receipt preview as a texture, uploaded again only when another preview replaces it.
class PreviewTexture {
public:
    PreviewTexture() = default;
    PreviewTexture(const PreviewTexture&) = delete;
    PreviewTexture& operator=(const PreviewTexture&) = delete;
    ~PreviewTexture() {
        if (m_texture != 0) glDeleteTextures(1, &m_texture);
    }

    ImTextureID For(const core::admin_flow::ReceiptPreview& preview) {
        // A new preview may reuse the old one's memory: its size and ticket tell them apart too.
        const auto key = std::tuple(preview.rgba.data(), preview.width, preview.height, preview.ticketNumber);
        if (key != m_uploaded || m_texture == 0) {
            if (m_texture == 0) glGenTextures(1, &m_texture);
            glBindTexture(GL_TEXTURE_2D, m_texture);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, preview.width, preview.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                         preview.rgba.data());
            m_uploaded = key;
        }
        // ImGui's OpenGL backend takes the texture name as its opaque id.
        return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(m_texture));
    }

private:
    GLuint m_texture = 0;
    std::tuple<const std::uint8_t*, int, int, std::string> m_uploaded;
};

// Intake photos' thumbnails, one texture each (keyed by the photo's hash); the least recently drawn
// goes when more than a screenful are kept.
class PhotoTextures {
public:
    PhotoTextures() = default;
    PhotoTextures(const PhotoTextures&) = delete;
    PhotoTextures& operator=(const PhotoTextures&) = delete;
    ~PhotoTextures() {
        for (const auto& [hash, entry] : m_textures) glDeleteTextures(1, &entry.texture);
    }

    ImTextureID For(const core::admin_flow::ReceiptPreview& thumbnail) {
        auto it = m_textures.find(thumbnail.ticketNumber);
        if (it == m_textures.end()) {
            if (m_textures.size() >= kKept) {
                auto oldest = std::ranges::min_element(m_textures, {}, [](const auto& e) { return e.second.lastDrawn; });
                glDeleteTextures(1, &oldest->second.texture);
                m_textures.erase(oldest);
            }
            Entry entry;
            glGenTextures(1, &entry.texture);
            glBindTexture(GL_TEXTURE_2D, entry.texture);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, thumbnail.width, thumbnail.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                         thumbnail.rgba.data());
            it = m_textures.emplace(thumbnail.ticketNumber, entry).first;
        }
        it->second.lastDrawn = ++m_draws;
        return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(it->second.texture));
    }

private:
    static constexpr std::size_t kKept = 12;
    struct Entry {
        GLuint texture = 0;
        std::uint64_t lastDrawn = 0;
    };
    std::map<std::string, Entry> m_textures;
    std::uint64_t m_draws = 0;
};

// Nearest-rank percentile of frame times; 0 when there are none.
double Percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    std::ranges::sort(values);
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// One "name value" line each, for benchmarks and tests to read.
void PrintStats(const app::RunStats& s, std::chrono::steady_clock::time_point processStart) {
    using namespace std::chrono;
    std::printf("frames-rendered %lld\n", static_cast<long long>(s.framesRendered));
    std::printf("frame-failures %lld\n", static_cast<long long>(s.frameFailures));
    if (s.firstFrame) {
        std::printf("start-to-first-frame-ms %lld\n",
                    static_cast<long long>(duration_cast<milliseconds>(*s.firstFrame - processStart).count()));
        // On the steady clock every process shares, so a launcher can add the time before main().
        std::printf("first-frame-steady-ns %lld\n",
                    static_cast<long long>(duration_cast<nanoseconds>(s.firstFrame->time_since_epoch()).count()));
    }
    std::printf("frames-during-waits %lld\n", static_cast<long long>(s.framesDuringWaits));
    std::printf("wakeups-during-waits %lld\n", static_cast<long long>(s.wakeupsDuringWaits));
    std::printf("cpu-ms-during-waits %.1f\n", duration<double, std::milli>(s.cpuDuringWaits).count());
    std::printf("frame-ms-p50-during-waits %.2f\n", Percentile(s.frameMsDuringWaits, 50));
    std::printf("frame-ms-p99-during-waits %.2f\n", Percentile(s.frameMsDuringWaits, 99));
    std::printf("scans-drawn %zu\n", s.scanToFrameMs.size());
    std::printf("scan-to-frame-ms-p50 %.2f\n", Percentile(s.scanToFrameMs, 50));
    std::printf("scan-to-frame-ms-p99 %.2f\n", Percentile(s.scanToFrameMs, 99));
    std::printf("scan-to-frame-ms-max %.2f\n", Percentile(s.scanToFrameMs, 100));
    std::fflush(stdout);
}

int Fail(const core::Error& error) {
    std::fprintf(stderr, "kiosk: %s\n", error.message.c_str());
    return 2;
}

int RunKiosk(int argc, char** argv, app::StopSignals& stopSignals) {
    const auto processStart = std::chrono::steady_clock::now();
    CLI::App cli{"Service kiosk: the customer's touch screen"};
    bool windowed = false;
    bool demo = false;
    bool stats = false;
    bool renderContinuously = false;
    std::string configFile, database, scriptFile, printerUri, printerProfile, startAt, size = "1280x800";
    std::string pinyinDictionary = input::DefaultPinyinDictionary().string();
    std::string handwritingModel = input::DefaultHandwritingModel().string();
    double quitAfter = 0;
    cli.add_flag("--windowed", windowed, "Run in a window instead of fullscreen");
    cli.add_option("--size", size, "Window size WIDTHxHEIGHT (with --windowed)");
    cli.add_flag("--demo", demo, "Simulated scanner (type a code + Enter) and printer; demo data on first run");
    cli.add_option("--config", configFile, "Settings file (kiosk.toml)");
    cli.add_option("--db", database, "Database file (demo default: under the user's data directory)");
    cli.add_option("--printer", printerUri, "Printer URI (default: the settings; the demo prints PNGs next to its database)");
    cli.add_option("--printer-profile", printerProfile, "Printer profile in assets/printers (default: the settings)");
    cli.add_option("--now", startAt, "Start the clock at this UTC time (YYYY-MM-DDTHH:MM:SSZ), for demos and tests");
    cli.add_option("--script", scriptFile, "Play a script against the UI, exit non-zero on the first failure");
    cli.add_flag("--stats", stats, "Print frames rendered and start-up time on exit");
    cli.add_option("--quit-after", quitAfter, "Exit after this many seconds (benchmarks)");
    cli.add_option("--pinyin-dict", pinyinDictionary, "libgooglepinyin's dictionary (missing: no pinyin input)");
    cli.add_option("--handwriting-model", handwritingModel, "zinnia handwriting model (missing: no handwriting input)");
    cli.add_flag("--render-continuously", renderContinuously, "Render every frame (the naive loop, benchmarks)");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    int width = 1280, height = 800;
    if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 320 || height < 320) {
        std::fprintf(stderr, "kiosk: --size wants WIDTHxHEIGHT, e.g. 1920x1080, not '%s'\n", size.c_str());
        return 2;
    }

    // Data: configuration, tables, the store.
    app::LoadOptions load;
    load.assetDir = app::DefaultAssetDir();
    if (!configFile.empty()) load.configFile = configFile;
    if (!database.empty()) load.database = database;
    else if (demo) load.database = DemoDatabasePath();
    auto ctx = app::AppContext::Load(load);
    if (!ctx) return Fail(ctx.error());
    std::error_code ec;
    if (demo) std::filesystem::create_directories(ctx->config.database.parent_path(), ec);
    if (auto opened = ctx->OpenStore(demo); !opened) return Fail(opened.error());
    core::ShiftedClock clock;
    if (!startAt.empty()) {
        auto start = core::ParseTimestamp(startAt);
        if (!start) return Fail(core::Error{start.error().code, "--now: " + start.error().message});
        clock = core::ShiftedClock::StartingAt(*start);
    }
    if (demo) {
        if (auto seeded = SeedDemo(*ctx, clock.Now()); !seeded) return Fail(seeded.error());
    }
    // Receipts: the durable print queue and its worker, on their own database connections.
    app::PrintingOptions printing;
    printing.load = load;
    printing.clock = &clock;
    printing.printerUri = !printerUri.empty() ? printerUri
                          : demo              ? "emulator://" + std::filesystem::absolute(ctx->config.database.parent_path() / "receipts").string()
                                              : ctx->config.printer;
    printing.profile = !printerProfile.empty() ? printerProfile : ctx->config.printerProfile;
    if (demo) std::filesystem::create_directories(ctx->config.database.parent_path() / "receipts", ec);
    auto printer = app::KioskPrinting::Start(printing);
    if (!printer) return Fail(printer.error());

    // Admin mode: staff, roles and the admin tables on a connection of their own.
    auto roles = config::LoadRolesFile(load.assetDir / "roles.toml");
    if (!roles) return Fail(roles.error());
    auto adminDb = storage::Database::Open(ctx->config.database);
    if (!adminDb) return Fail(adminDb.error());
    storage::AdminStoreOptions adminOptions;
    adminOptions.utcOffset = ctx->calendar.utcOffset;
    adminOptions.policy = &ctx->policy;
    adminOptions.queue = &ctx->queue;
    auto adminStore = storage::AdminStore::Open(std::move(*adminDb), *ctx->store, *ctx->lifecycle, ctx->sla,
                                                ctx->calendar, std::move(*roles), adminOptions);
    if (!adminStore) return Fail(adminStore.error());
    if (demo) {
        if (auto pins = adminStore->SeedDemoPins(kDemoActor, clock.Now()); !pins) return Fail(pins.error());
    }
    auto profile = drivers::escpos::LoadProfileByName(load.assetDir / "printers", printing.profile);
    if (!profile) return Fail(profile.error());
    app::AdminDevices adminDevices(app::AdminDevicesOptions{ctx->config.database, printing.printerUri, std::move(*profile)},
                                   (*printer)->Port(), *ctx, clock);
    core::admin_flow::AdminFlowSettings adminSettings;
    if (auto stored = adminStore->LoadSettings(kDemoActor)) adminSettings.idleTimeout = stored->adminIdleTimeout;
    core::admin_flow::AdminFlow adminFlow(*adminStore, adminDevices, clock, adminSettings);
    // Intake photos from the configured camera; the demo photographs its recorded counter scenes.
    config::IntakeConfig intakeSettings = ctx->config.intake;
    if (demo && intakeSettings.camera.empty() && intakeSettings.recordedFrames.empty()) {
        intakeSettings.recordedFrames = load.assetDir / "demo" / "frames";
    }
    auto intakeCamera = app::OpenIntakeCamera(intakeSettings);
    if (!intakeCamera) return Fail(intakeCamera.error());
    app::AdminIntake adminIntake(std::move(*intakeCamera),
                                 storage::BlobStore(storage::BlobStore::DirectoryFor(ctx->config.database)));
    adminFlow.SetIntake(&adminIntake);

    auto directoryDb = storage::Database::Open(ctx->config.database);
    if (!directoryDb) return Fail(directoryDb.error());
    storage::SqliteProductDirectory directory(std::move(*directoryDb));
    auto translations = ui::Translations::Load(load.assetDir / "i18n");
    if (!translations) return Fail(translations.error());
    std::vector<app::ScriptStep> script;
    if (!scriptFile.empty()) {
        auto loaded = app::LoadScript(scriptFile);
        if (!loaded) return Fail(loaded.error());
        script = std::move(*loaded);
    }

    // The flow.
    core::flow::FlowSettings settings;
    settings.defaultLanguage = ctx->config.defaultLanguage;
    settings.tiers = ctx->config.tiers;
    core::flow::CustomerFlow flow(core::flow::FlowDeps{*ctx->store, *ctx->store, directory, ctx->policy, ctx->sla,
                                                       ctx->calendar, *ctx->lifecycle, ctx->faq, clock, &ctx->queue},
                                  settings);

    // The window. SIGTERM and SIGINT are StopSignals', not SDL's (which would turn them into a quit
    // event that a fullscreen kiosk ignores).
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "kiosk: SDL_Init: %s\n", SDL_GetError());
        return 2;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    // ImGui draws in painter's order: no depth or stencil buffer (4 MB each at 1920x1080 in software GL).
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    const Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI |
                         (windowed ? 0U : static_cast<Uint32>(SDL_WINDOW_FULLSCREEN_DESKTOP));
    SDL_Window* window = SDL_CreateWindow("Service kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width,
                                          height, flags);
    if (window == nullptr) {
        std::fprintf(stderr, "kiosk: SDL_CreateWindow: %s\n", SDL_GetError());
        return 2;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(window);
    if (gl == nullptr) {
        std::fprintf(stderr, "kiosk: no OpenGL 3.2 context: %s\n", SDL_GetError());
        return 2;
    }
    SDL_GL_MakeCurrent(window, gl);
    SDL_GL_SetSwapInterval(1);
    if (!windowed) SDL_ShowCursor(SDL_DISABLE);
    const Uint32 wakeEvent = SDL_RegisterEvents(1);
    stopSignals.Start([wakeEvent] {
        SDL_Event event{};
        event.type = wakeEvent;
        SDL_PushEvent(&event);
    });

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_IsTouchScreen;
    ImGui_ImplSDL2_InitForOpenGL(window, gl);
    ImGui_ImplOpenGL3_Init("#version 150");

    // Fonts: the atlas is built with the glyphs of the fixed texts (translations, published policy,
    // FAQ and statuses); any other character (product and staff names, what customers and staff
    // write, pinyin candidates) is added by the glyph cache the moment a screen shows it.
    const auto collectGlyphs = [&] {
        ui::GlyphSet glyphs;
        for (core::Language language : {core::Language::ZhHans, core::Language::ZhHant, core::Language::En}) {
            for (const auto& [id, text] : translations->Get(language).Entries()) {
                glyphs.Add(id);
                glyphs.Add(text);
            }
        }
        glyphs.Add("简体中文繁體中文English");
        for (const auto& category : ctx->faq.categories) {
            for (const auto* t : {&category.label}) glyphs.Add(t->zhHans + t->zhHant + t->en);
            for (const auto& s : category.suggestions) glyphs.Add(s.zhHans + s.zhHant + s.en);
        }
        for (const auto& clause : ctx->policy.clauses) glyphs.Add(clause.text.zhHans + clause.text.zhHant + clause.text.en);
        for (const auto& category : ctx->policy.categories) glyphs.Add(category.name.zhHans + category.name.zhHant);
        for (const auto& status : ctx->lifecycle->statuses) glyphs.Add(status.label.zhHans + status.label.zhHant);
        for (const auto& service : ctx->queue.services) glyphs.Add(service.name.zhHans + service.name.zhHant + service.name.en);
        return glyphs;
    };
    ui::GlyphSet glyphs = collectGlyphs();
    ImVector<ImWchar> ranges = glyphs.Ranges();
    int drawableW = 0, drawableH = 0;
    SDL_GL_GetDrawableSize(window, &drawableW, &drawableH);
    // The receipt's raster text is drawn with the same CJK font: the screen shares that mapping, so the
    // file's pages are resident once, not twice.
    core::Result<std::shared_ptr<const ui::FontFile>> fontFile = [] {
        if (auto receiptFont = drivers::escpos::GlyphFont::Default()) {
            const std::shared_ptr<const drivers::escpos::GlyphFont>& owner = *receiptFont;
            return core::Result<std::shared_ptr<const ui::FontFile>>(ui::FontFile::Share(owner, owner->Bytes(), KIOSK_CJK_FONT));
        }
        return ui::FontFile::Map(KIOSK_CJK_FONT);
    }();
    if (!fontFile) return Fail(fontFile.error());
    // The pictograms are a nicety: a kiosk whose icon font is missing still serves, without them.
    std::shared_ptr<const ui::FontFile> iconFile;
    if (auto mapped = ui::FontFile::Map(KIOSK_ICON_FONT)) {
        iconFile = *mapped;
    } else {
        std::fprintf(stderr, "kiosk: buttons without pictograms: %s\n", mapped.error().message.c_str());
    }
    auto fonts = ui::AddFonts(**fontFile, iconFile.get(), ranges, static_cast<float>(drawableW),
                              static_cast<float>(drawableH));
    if (!fonts) return Fail(fonts.error());
    ui::GlyphCache glyphCache(*io.Fonts, (*fontFile)->Data(), 0);
    const auto uploadFonts = [&] { return app::UploadFontAtlas(glyphCache, {fonts->body, fonts->title}); };
    io.Fonts->Build();
    if (auto uploaded = uploadFonts(); !uploaded) return Fail(uploaded.error());
    ui::ApplyTheme({});

    app::MainThreadQueue queue(wakeEvent);

    std::map<std::string, ui::QrModules> qrCache;
    ui::ShellFacts facts;
    facts.lifecycle = ctx->lifecycle.get();
    facts.utcOffset = ctx->calendar.utcOffset;
    facts.messagesOffered = [&ctx] { return ctx->notifications.Promises("ready_for_pickup"); };
    facts.qrFor = [&qrCache](const std::string& text) -> const ui::QrModules& {
        auto it = qrCache.find(text);
        if (it == qrCache.end()) it = qrCache.emplace(text, MakeQr(text)).first;
        return it->second;
    };
    // Chinese input: the engines open their data on first use (the dictionary in a few milliseconds,
    // the handwriting model in about 50), so start-up only checks that the files are there. No user
    // dictionary: what one customer typed is not learnt and offered to the next.
    input::ToTraditional toTraditional;
    input::PinyinEngine pinyin(pinyinDictionary, "", toTraditional);
    input::HandwritingEngine handwriting(handwritingModel, toTraditional);
    const core::InputMethods inputMethods{&pinyin, &handwriting};
    facts.stillThereTimeout = settings.stillThereTimeout;
    ui::Shell shell(*translations, *fonts, facts);
    shell.SetGlyphCache(&glyphCache);
    shell.SetScaledTextHooks(app::ScaledTextBegins, app::ScaledTextEnds);
    shell.SetInputMethods(inputMethods);
    // Touch targets at least 15 mm at the panel's density, however small the text.
    shell.SetMinTouchTarget(15.0f * static_cast<float>(ctx->config.display.dpi) / 25.4f);
    PreviewTexture previewTexture;
    ui::admin::AdminFacts adminFacts;
    adminFacts.lifecycle = ctx->lifecycle.get();
    adminFacts.utcOffset = ctx->calendar.utcOffset;
    adminFacts.scripts = &ctx->scripts;
    adminFacts.queue = &ctx->queue;
    adminFacts.textureFor = [&previewTexture](const core::admin_flow::ReceiptPreview& preview) {
        return previewTexture.For(preview);
    };
    PhotoTextures photoTextures;
    adminFacts.photoTextureFor = [&photoTextures](const core::admin_flow::ReceiptPreview& thumbnail) {
        return photoTextures.For(thumbnail);
    };
    ui::admin::AdminShell adminShell(*translations, *fonts, adminFacts);
    adminShell.SetGlyphCache(&glyphCache);
    adminShell.SetScaledTextHooks(app::ScaledTextBegins, app::ScaledTextEnds);
    adminShell.SetInputMethods(inputMethods);
    app::AdminParts adminParts{adminFlow, adminShell, *adminStore, ctx->config.database.parent_path() / "exports", {}};
    adminParts.selfHelpAnswered = [&adminStore, &clock](std::string_view category, bool solved) {
        if (auto counted = adminStore->RecordSelfHelp(category, solved, clock.Now()); !counted) {
            std::fprintf(stderr, "kiosk: self-help answer not counted: %s\n", counted.error().message.c_str());
        }
    };

    // Scanners as the settings describe them; the demo's scanner is the keyboard instead.
    app::KioskRunner* scanReceiver = nullptr;
    std::unique_ptr<app::ScanSources> scanSources;
    if (!demo) {
        for (const std::string& problem : ctx->config.scanner.problems) std::fprintf(stderr, "kiosk: %s\n", problem.c_str());
        scanSources = std::make_unique<app::ScanSources>(
            ctx->config.scanner, queue, clock, [&scanReceiver](const core::ScanEvent& event, std::chrono::steady_clock::time_point at) {
                if (scanReceiver != nullptr) scanReceiver->DeliverScan(event, at);
            });
        adminDevices.SetScanSources(scanSources.get());
    }

    app::RunnerOptions options;
    options.allowQuit = windowed;
    options.demoKeyboardScanner = demo;
    options.scanSources = scanSources.get();
    options.renderContinuously = renderContinuously;
    if (quitAfter > 0) options.quitAfter = std::chrono::milliseconds{static_cast<long>(quitAfter * 1000.0)};
    options.script = std::move(script);
    options.glyphCache = &glyphCache;
    options.scriptName = scriptFile;
    options.clock = &clock;
    options.admin = &adminParts;
    options.stopRequested = &stopSignals.Requested();
    // Data head office published, applied by `kioskctl sync run`, takes effect between sessions: the
    // policy, SLA targets and calendar in force, and the glyphs new names and clauses need.
    options.betweenSessions = [&] {
        auto db = storage::Database::Open(ctx->config.database);
        if (!db) {
            std::fprintf(stderr, "kiosk: published data not read: %s\n", db.error().message.c_str());
            return;
        }
        auto changed = ctx->UsePublishedData(*db);
        if (!changed) {
            std::fprintf(stderr, "kiosk: published data not read: %s\n", changed.error().message.c_str());
            return;
        }
        if (*changed) {
            // Store time follows the calendar in force: ticket numbers' days, reports, times shown.
            ctx->store->SetUtcOffset(ctx->calendar.utcOffset);
            adminStore->SetUtcOffset(ctx->calendar.utcOffset);
            shell.SetUtcOffset(ctx->calendar.utcOffset);
            adminShell.SetUtcOffset(ctx->calendar.utcOffset);
            std::string inForce;
            for (const app::DataInForce& d : ctx->inForce) inForce += " " + d.dataset + " " + d.Label() + ";";
            std::fprintf(stderr, "kiosk: now in force:%s\n", inForce.c_str());
        }
        ui::GlyphSet fresh = collectGlyphs();
        if (fresh.Count() > glyphs.Count()) {
            std::fprintf(stderr, "kiosk: fonts rebuilt for %zu new characters\n", fresh.Count() - glyphs.Count());
            ImVector<ImWchar> next = fresh.Ranges();
            ui::RebuildFonts(ranges, next);
            ranges.swap(next);  // the atlas now reads the new ranges, kept alive in `ranges`
            glyphs = std::move(fresh);
            if (auto uploaded = uploadFonts(); !uploaded) {
                std::fprintf(stderr, "kiosk: glyph cache off: %s\n", uploaded.error().message.c_str());
                shell.SetGlyphCache(nullptr);
                adminShell.SetGlyphCache(nullptr);
            }
        }
    };
    // Queue numbers (取号) on a connection of their own. The number is committed first and shown at
    // once; its slip goes through the durable print queue like a receipt, so the UI thread never waits
    // for the printer: the worker reports the slip's outcome (PrintUpdated) while the number is shown.
    std::optional<storage::Database> queueDb;
    const core::admin::RoleTable customerRoles;  // the customer only takes numbers
    std::optional<storage::QueueBook> queueBook;
    if (!ctx->queue.services.empty()) {
        auto db = storage::Database::Open(ctx->config.database);
        if (!db) return Fail(db.error());
        queueDb = std::move(*db);
        queueBook.emplace(*queueDb, ctx->queue, customerRoles, ctx->calendar.utcOffset);
        options.takeQueueNumber = [&](const std::string& service, core::Language language) {
            auto taken = queueBook->Take(service, clock.Now());
            if (!taken) {
                std::fprintf(stderr, "kiosk: no queue number taken: %s\n", taken.error().message.c_str());
                return core::flow::QueueNumberTaken{std::unexpected(taken.error()), std::nullopt};
            }
            std::optional<std::int64_t> slipJob;
            auto request = app::QueueSlipRequest(*ctx, *taken, language, (*printer)->Profile());
            if (!request) {
                std::fprintf(stderr, "kiosk: queue slip %s not encoded: %s\n", taken->ticket.label.c_str(), request.error().message.c_str());
            } else if (auto job = (*printer)->Port().Enqueue(*request); !job) {
                std::fprintf(stderr, "kiosk: queue slip %s not queued: %s\n", taken->ticket.label.c_str(), job.error().message.c_str());
            } else {
                slipJob = *job;
            }
            return core::flow::QueueNumberTaken{std::move(*taken), slipJob};
        };
    }
    app::DeviceRecorder* frameRecorder = nullptr;  // set below, before the loop runs
    options.frameFailed = [&frameRecorder](const std::string& screen, const std::string& what) {
        if (frameRecorder != nullptr) frameRecorder->FrameFailed(screen, what);
    };
    app::KioskRunner runner(window, flow, shell, *ctx->store, (*printer)->Port(),
                            [&printer](std::string_view mode) {
                                using Emulated = app::KioskPrinting::Emulated;
                                (*printer)->SetEmulated(mode == "fail"    ? Emulated::PaperOut
                                                        : mode == "stall" ? Emulated::Stalled
                                                                          : Emulated::Works);
                            },
                            queue, wakeEvent,
                            std::move(options));
    scanReceiver = &runner;
    if (scanSources) scanSources->Start();
    // Device health for head office: recorded in the database as it changes, sent by `kioskctl sync run`.
    std::function<app::ScanHealth()> scanHealth;
    if (scanSources) scanHealth = [&scanSources] { return scanSources->Health(); };
    auto recorder = app::DeviceRecorder::Start(ctx->config.database, (*printer)->Port(), clock, KIOSK_VERSION, scanHealth);
    if (!recorder) return Fail(recorder.error());
    frameRecorder = recorder->get();
    auto publishedWatch = app::PublishedDataWatch::Start(ctx->config.database, [&queue, &runner] {
        queue.Post([&runner] { runner.RequestBetweenSessions(); });
    });
    if (!publishedWatch) return Fail(publishedWatch.error());
    // "Now serving" on the attract screen, redrawn only when the board changes.
    std::unique_ptr<app::QueueBoardWatch> queueWatch;
    if (!ctx->queue.services.empty()) {
        auto watch = app::QueueBoardWatch::Start(ctx->config.database, ctx->queue, clock, ctx->calendar.utcOffset,
                                                 [&queue, &runner, &shell](std::vector<core::QueueBoardRow> board) {
                                                     queue.Post([&runner, &shell, board = std::move(board)]() mutable {
                                                         shell.SetQueueBoard(std::move(board));
                                                         runner.Redraw();
                                                     });
                                                 });
        if (!watch) return Fail(watch.error());
        queueWatch = std::move(*watch);
    }
    (*printer)->Port().OnUpdate([&queue, &runner, &recorder](const core::PrintJobUpdate& update) {
        (*recorder)->JobUpdated(update);
        queue.Post([&runner, update] { runner.Deliver(core::flow::PrintUpdated{update}); });
    });
    if (stats) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - processStart);
        std::printf("start-to-loop-ms %lld\nglyphs %zu\n", static_cast<long long>(ms.count()), glyphs.Count());
        std::fflush(stdout);
    }
    app::Watchdog watchdog;
    watchdog.Start([&queue](std::function<void()> ping) { queue.Post(std::move(ping)); });
    const int code = runner.Run();
    watchdog.Stop();
    if (const int signal = stopSignals.Signal(); signal != 0) {
        std::fprintf(stderr, "kiosk: %s: stopping\n", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    }
    if (stats) PrintStats(runner.Stats(), processStart);
    publishedWatch->reset();
    queueWatch.reset();
    recorder->reset();
    if (scanSources) scanSources->Stop();
    scanReceiver = nullptr;

    (*printer)->Port().OnUpdate({});
    recorder->reset();
    printer->reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    // First, so that every thread started later leaves SIGTERM and SIGINT to it.
    kiosk::app::StopSignals stopSignals;
    try {
        return RunKiosk(argc, argv, stopSignals);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kiosk: %s\n", e.what());
        return 2;
    }
}
