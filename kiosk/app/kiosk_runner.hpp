// The kiosk's event loop: sleeps in SDL_WaitEventTimeout until input, a worker's result or the flow's
// next deadline; draws a few frames after anything changed and none while idle; guards each frame;
// executes the flow's commands against the ports; plays a script when given one.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/kiosk_script.hpp"
#include "kiosk/app/main_thread_queue.hpp"
#include "kiosk/app/scan_sources.hpp"
#include "kiosk/core/admin/admin_port.hpp"
#include "kiosk/core/admin_flow/admin_flow.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/devices.hpp"
#include "kiosk/core/flow/customer_flow.hpp"
#include "ui/admin/admin_shell.hpp"
#include "ui/glyph_cache.hpp"
#include "ui/shell.hpp"

struct SDL_Window;

namespace kiosk::app {

// Admin mode: its flow and screens take over the window while staff are signed in.
struct AdminParts {
    core::admin_flow::AdminFlow& flow;
    ui::admin::AdminShell& shell;
    core::admin::AdminPort& port;    // CSAT answers from the customer flow's rating screen
    std::filesystem::path exportDir;  // where report CSV exports are written
    // A customer answered a self-help suggestion for a problem category (for the deflection report).
    std::function<void(std::string_view category, bool solved)> selfHelpAnswered;
};

struct RunnerOptions {
    bool allowQuit = false;            // windowed only: a fullscreen kiosk has no way out
    bool demoKeyboardScanner = false;  // typed digits + Enter arrive as scans (the demo's scanner)
    // The configured scanners: their scans arrive through the queue (DeliverScan); the window's text
    // events go through its keyboard wedge. Null: no scanner but the demo's and the script's.
    ScanSources* scanSources = nullptr;
    bool renderContinuously = false;   // the naive loop, for the idle benchmark's baseline only
    std::optional<std::chrono::milliseconds> quitAfter;  // benchmarks: stop after this long
    std::vector<ScriptStep> script;
    std::string scriptName;
    const core::Clock* clock = nullptr;  // the flow's clock (so --now stamps tickets too); null: the system's
    AdminParts* admin = nullptr;         // null: no admin mode (a staff badge shows a notice)
    // Set from another thread (SIGTERM, SIGINT) to end the loop after the current frame; whoever sets it
    // wakes the loop (an SDL event). Null: only the ways above end it.
    const std::atomic<bool>* stopRequested = nullptr;
    // Told (on the main thread) of each frame the frame guard caught: the screen and what failed.
    std::function<void(const std::string& screen, const std::string& what)> frameFailed;
    // Run between sessions, when RequestBetweenSessions asked for it: new published data takes effect
    // here, never in the middle of a filing.
    std::function<void()> betweenSessions;
    // Characters added while drawing; a frame that lacked some is drawn again.
    ui::GlyphCache* glyphCache = nullptr;
    // Takes a queue number for a service and prints its slip in the language (TakeQueueNumberCommand).
    // Unset: the kiosk hands out no numbers.
    std::function<core::flow::QueueNumberTaken(const std::string& service, core::Language language)> takeQueueNumber;
};

// Script `wait` steps are where measurements are taken: nothing scripted happens during them, so an
// idle kiosk must draw no frame and use next to no CPU while one runs.
struct RunStats {
    std::int64_t framesRendered = 0;
    std::int64_t frameFailures = 0;
    std::optional<std::chrono::steady_clock::time_point> firstFrame;  // after its buffer swap
    std::int64_t framesDuringWaits = 0;
    std::int64_t wakeupsDuringWaits = 0;          // main-loop turns: a sleeping loop makes a handful
    std::chrono::microseconds cpuDuringWaits{0};  // the whole process: every thread, the GL driver's too
    std::vector<double> frameMsDuringWaits;       // NewFrame to buffer swap, one entry per frame
    // From a scanner handing a scan over (its thread) to the end of the first frame drawn after it.
    std::vector<double> scanToFrameMs;
};

class KioskRunner {
public:
    KioskRunner(SDL_Window* window, core::flow::CustomerFlow& flow, ui::Shell& shell, core::TicketStore& tickets,
                core::ReceiptPrinting& printer, std::function<void(std::string_view)> setPrinter, MainThreadQueue& queue, std::uint32_t wakeEvent, RunnerOptions options);

    // Runs until the script ends (0), a script expectation fails (1), frames keep failing (3) or, in a
    // window, the window is closed (0). A failed assertion exits the process (kAssertionExitCode).
    int Run();
    const RunStats& Stats() const { return m_stats; }
    // Hands the flow an event from a worker (on the main thread, through the queue).
    void Deliver(const core::flow::FlowEvent& event) { Send(event); }
    // Something on screen changed outside the flow (the queue board): draw a few frames.
    void Redraw();
    // Asks for RunnerOptions::betweenSessions at the next moment no customer or staff session is open
    // (the attract screen): now if it is showing, else when a session ends. Main thread.
    void RequestBetweenSessions() {
        m_betweenSessionsDue = true;
        m_framesLeft = std::max(m_framesLeft, 1);
    }
    // A scan from a configured source (on the main thread, through the queue).
    void DeliverScan(const core::ScanEvent& event, std::chrono::steady_clock::time_point handedOver);

private:
    core::Timestamp Now() const {
        return m_options.clock != nullptr ? m_options.clock->Now() : core::SystemClock{}.Now();
    }
    bool RenderFrame();
    void Execute(std::vector<core::flow::FlowCommand> commands);
    void Send(const core::flow::FlowEvent& event);
    // Admin mode: routes the event, then acts on what the admin flow asks of the application.
    void SendAdmin(const core::admin_flow::AdminEvent& event);
    // A scan from the scanner or a script: to admin mode while it is active or for a staff badge.
    void Scan(const core::ScanInput& input);
    // The window's text and key events through the configured keyboard wedge.
    void Typing(const std::vector<drivers::WedgeOutput>& typing);
    bool AdminActive() const { return m_options.admin != nullptr && m_options.admin->flow.Active(); }
    std::string ScreenName() const;
    // Runs the next script step if it is due; false when the script failed (m_exitCode set).
    bool StepScript();
    bool Screenshot(const std::filesystem::path& path);

    SDL_Window* m_window;
    core::flow::CustomerFlow& m_flow;
    ui::Shell& m_shell;
    core::TicketStore& m_tickets;
    core::ReceiptPrinting& m_printer;
    std::function<void(std::string_view)> m_setPrinter;  // scripts' `printer fail|stall|ok`
    MainThreadQueue& m_queue;
    std::uint32_t m_wakeEvent;
    RunnerOptions m_options;
    RunStats m_stats;

    int m_framesLeft = 3;
    bool m_betweenSessionsDue = false;
    int m_consecutiveFailures = 0;
    int m_exitCode = 0;
    bool m_quit = false;
    std::string m_wedge;  // the demo scanner's characters so far
    std::optional<std::chrono::steady_clock::time_point> m_scanWaitingForFrame;
    bool m_longPressSent = false;  // one LongPress per touch
    std::vector<core::admin_flow::AdminEvent> m_pendingAdminEvents;  // noticed while drawing, sent after
    std::chrono::steady_clock::time_point m_nextCountdownFrame{};

    // Script playback.
    std::size_t m_nextStep = 0;
    std::chrono::steady_clock::time_point m_resumeAt{};
    std::optional<std::chrono::steady_clock::time_point> m_expectDeadline;  // the running expect-screen's
    std::optional<std::chrono::microseconds> m_waitCpuStart;  // process CPU time when the running wait began
    std::vector<std::string> m_pendingTaps;  // control ids still to tap for the current step
    int m_tapPhase = 0;                      // 0 idle, 1 pointer over, 2 pressed, 3 released
    std::vector<std::pair<float, float>> m_strokePoints;  // the stroke being drawn on m_strokePad
    std::string m_strokePad = "hand-pad";  // the pad the stroke being drawn is on
    std::size_t m_strokeFrame = 0;  // 0 pointer over the first point, 1..n down on point n-1, n+1 lifted
    std::optional<std::filesystem::path> m_pendingScreenshot;
};

}  // namespace kiosk::app
