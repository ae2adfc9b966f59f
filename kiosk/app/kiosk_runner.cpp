// The kiosk's loop, frame guard and script player.
#include "kiosk/app/kiosk_runner.hpp"

#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <stb_image_write.h>
#include <sys/resource.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <exception>
#include <tuple>

#include "kiosk/app/imgui_assert.hpp"

namespace kiosk::app {

namespace {

constexpr int kFramesAfterActivity = 3;  // popups size themselves on a first pass; a click spans frames
constexpr int kMaxConsecutiveFrameFailures = 3;

// What the screen shows beyond the state itself: when it changes, frames must be drawn.
auto ViewStamp(const core::flow::CustomerFlow& flow) {
    return std::tuple(flow.Generation(), flow.CurrentNotice(), flow.StillThereLeft(), flow.CurrentLanguage());
}

std::chrono::microseconds ProcessCpuTime() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto micros = [](const timeval& t) { return std::chrono::seconds{t.tv_sec} + std::chrono::microseconds{t.tv_usec}; };
    return micros(usage.ru_utime) + micros(usage.ru_stime);
}

}  // namespace

KioskRunner::KioskRunner(SDL_Window* window, core::flow::CustomerFlow& flow, ui::Shell& shell,
                         core::TicketStore& tickets, core::ReceiptPrinting& printer,
                         std::function<void(bool)> setPrinterFailing, MainThreadQueue& queue,
                         std::uint32_t wakeEvent, RunnerOptions options)
    : m_window(window), m_flow(flow), m_shell(shell), m_tickets(tickets), m_printer(printer),
      m_setPrinterFailing(std::move(setPrinterFailing)), m_queue(queue),
      m_wakeEvent(wakeEvent), m_options(std::move(options)) {}

void KioskRunner::Send(const core::flow::FlowEvent& event) {
    const auto before = ViewStamp(m_flow);
    Execute(m_flow.Handle(event));
    if (!std::holds_alternative<core::flow::Tick>(event) || ViewStamp(m_flow) != before) {
        m_framesLeft = kFramesAfterActivity;
    }
}

void KioskRunner::Execute(std::vector<core::flow::FlowCommand> commands) {
    using namespace core::flow;
    const core::Actor customer{core::Role::Customer, "customer"};
    for (auto& command : commands) {
        if (auto* create = std::get_if<CreateTicketCommand>(&command)) {
            auto ticket = m_tickets.CreateTicket(create->ticket, customer, Now());
            if (!ticket) std::fprintf(stderr, "kiosk: ticket not filed: %s\n", ticket.error().message.c_str());
            Send(TicketCreated{std::move(ticket)});
        } else if (auto* print = std::get_if<EnqueuePrintCommand>(&command)) {
            Send(PrintQueued{m_printer.Enqueue(print->request)});
        } else if (auto* note = std::get_if<AddNoteCommand>(&command)) {
            auto saved = m_tickets.AddNote(note->ticketNumber, customer, note->note, Now());
            if (!saved) std::fprintf(stderr, "kiosk: note not saved: %s\n", saved.error().message.c_str());
            Send(NoteSaved{saved ? core::Result<void>{} : std::unexpected(saved.error())});
        }
    }
}

int KioskRunner::Run() {
    using namespace std::chrono;
    const auto started = steady_clock::now();
    while (!m_quit) {
        // How long the loop may sleep: not at all while frames are owed, else until the next deadline.
        int timeoutMs = -1;
        const bool busy = m_options.renderContinuously || m_framesLeft > 0 || m_tapPhase > 0 ||
                          m_shell.WantsContinuousRender();
        auto until = [&timeoutMs](milliseconds ms) {
            const int t = static_cast<int>(std::clamp<milliseconds::rep>(ms.count(), 0, 60'000));
            timeoutMs = timeoutMs < 0 ? t : std::min(timeoutMs, t);
        };
        if (busy) {
            timeoutMs = 0;
        } else {
            if (auto deadline = m_flow.NextDeadline()) {
                until(duration_cast<milliseconds>(*deadline - system_clock::now()) + milliseconds{5});
            }
            if (m_flow.StillThereUntil()) until(milliseconds{1000});  // the countdown shows seconds
            if (!m_options.script.empty()) {
                until(duration_cast<milliseconds>(m_resumeAt - steady_clock::now()));
            }
            if (m_options.quitAfter) until(duration_cast<milliseconds>(started + *m_options.quitAfter - steady_clock::now()));
        }

        SDL_Event event;
        const bool got = timeoutMs < 0 ? SDL_WaitEvent(&event) == 1 : SDL_WaitEventTimeout(&event, timeoutMs) == 1;
        if (got) {
            do {
                if (event.type == m_wakeEvent) continue;  // the queue is drained below
                if (event.type == SDL_QUIT && m_options.allowQuit) m_quit = true;
                if (m_options.demoKeyboardScanner && event.type == SDL_TEXTINPUT) {
                    m_wedge += event.text.text;
                } else if (m_options.demoKeyboardScanner && event.type == SDL_KEYDOWN &&
                           (event.key.keysym.sym == SDLK_RETURN || event.key.keysym.sym == SDLK_KP_ENTER)) {
                    if (!m_wedge.empty()) Send(core::flow::Scanned{core::ClassifyScan(core::ScanInput{m_wedge, ""})});
                    m_wedge.clear();
                }
                ImGui_ImplSDL2_ProcessEvent(&event);
                m_framesLeft = kFramesAfterActivity;
            } while (SDL_PollEvent(&event) == 1);
        }
        if (m_queue.Drain()) m_framesLeft = std::max(m_framesLeft, 1);
        Send(core::flow::Tick{});

        if (!StepScript()) return m_exitCode;
        if (m_options.quitAfter && steady_clock::now() - started >= *m_options.quitAfter) break;

        if (m_options.renderContinuously || m_framesLeft > 0 || m_tapPhase > 0) {
            if (!RenderFrame()) return m_exitCode;
            if (m_framesLeft > 0) --m_framesLeft;
        }
    }
    return m_exitCode;
}

bool KioskRunner::RenderFrame() {
    ImGuiIO& io = ImGui::GetIO();
    const auto frameStart = std::chrono::steady_clock::now();
    SetAssertionScreen(core::flow::ScreenName(m_flow.State()));
    try {
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        if (!m_options.script.empty()) {
            // Scripted runs own the pointer: taps are placed on the control's rectangle.
            io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
            io.MouseDown[0] = false;
            if (m_tapPhase > 0 && !m_pendingTaps.empty()) {
                const auto it = m_shell.Controls().find(m_pendingTaps.front());
                if (it != m_shell.Controls().end()) {
                    io.MousePos = ImVec2((it->second.min.x + it->second.max.x) * 0.5f,
                                         (it->second.min.y + it->second.max.y) * 0.5f);
                }
                io.MouseDown[0] = m_tapPhase == 2;
            }
        }
        ImGui::NewFrame();
        m_shell.Draw(m_flow);
        ImGui::Render();
        int width = 0;
        int height = 0;
        SDL_GL_GetDrawableSize(m_window, &width, &height);
        glViewport(0, 0, width, height);
        const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (m_pendingScreenshot) {
            const auto path = *std::exchange(m_pendingScreenshot, std::nullopt);
            if (!Screenshot(path)) return false;
        }
        SDL_GL_SwapWindow(m_window);
        const auto frameEnd = std::chrono::steady_clock::now();
        if (!m_stats.firstFrame) m_stats.firstFrame = frameEnd;
        if (frameStart < m_resumeAt) {
            ++m_stats.framesDuringWaits;
            m_stats.frameMsDuringWaits.push_back(std::chrono::duration<double, std::milli>(frameEnd - frameStart).count());
        }
        ++m_stats.framesRendered;
        m_consecutiveFailures = 0;
    } catch (const std::exception& e) {
        // The frame guard: recover ImGui's stacks, tell the customer to ask staff, give up if it repeats.
        std::fprintf(stderr, "kiosk: frame failed on screen %s: %s\n",
                     std::string(core::flow::ScreenName(m_flow.State())).c_str(), e.what());
        ImGui::ErrorCheckEndFrameRecover(nullptr);
        ImGui::EndFrame();
        ++m_stats.frameFailures;
        Send(core::flow::FrameFailed{e.what()});
        if (++m_consecutiveFailures >= kMaxConsecutiveFrameFailures) {
            std::fprintf(stderr, "kiosk: %d frames failed in a row, exiting\n", m_consecutiveFailures);
            m_exitCode = 3;
            return false;
        }
        return true;
    }
    if (m_tapPhase > 0) {
        if (++m_tapPhase > 3) {
            m_tapPhase = 0;
            m_pendingTaps.erase(m_pendingTaps.begin());
            // As after real input: a tap may change sizes mid-frame (large text) and ImGui settles
            // scrollbars a frame later, so the next control is located on a settled frame.
            m_framesLeft = kFramesAfterActivity;
        }
    }
    for (auto& intent : m_shell.TakeIntents()) Send(intent);
    return true;
}

bool KioskRunner::StepScript() {
    using Kind = ScriptStep::Kind;
    auto fail = [this](const ScriptStep& step, const std::string& what) {
        std::fprintf(stderr, "%s:%d: %s\n", m_options.scriptName.c_str(), step.line, what.c_str());
        m_exitCode = 1;
        return false;
    };
    const bool waiting = std::chrono::steady_clock::now() < m_resumeAt;
    if (!waiting && m_waitCpuStart) {
        m_stats.cpuDuringWaits += ProcessCpuTime() - *std::exchange(m_waitCpuStart, std::nullopt);
    }
    if (m_nextStep >= m_options.script.size() && m_pendingTaps.empty()) {
        if (!m_options.script.empty() && m_framesLeft == 0 && !m_pendingScreenshot && !waiting) m_quit = true;
        return true;
    }
    // A step runs once the screen has settled: owed frames drawn, the previous tap finished.
    if (m_framesLeft > 0 || m_tapPhase > 0 || m_pendingScreenshot || waiting) return true;
    if (!m_pendingTaps.empty()) {
        const ScriptStep& step = m_options.script[m_nextStep - 1];
        if (!m_shell.Controls().contains(m_pendingTaps.front())) {
            return fail(step, "no control '" + m_pendingTaps.front() + "' on screen " +
                                  std::string(core::flow::ScreenName(m_flow.State())));
        }
        m_tapPhase = 1;
        return true;
    }
    const ScriptStep& step = m_options.script[m_nextStep++];
    switch (step.kind) {
        case Kind::Scan:
            Send(core::flow::Scanned{core::ClassifyScan(core::ScanInput{step.argument, ""})});
            break;
        case Kind::Tap:
            m_pendingTaps.push_back(step.argument);
            break;
        case Kind::Type:
            for (char c : step.argument) {
                const bool digit = c >= '0' && c <= '9';
                const bool letter = c >= 'a' && c <= 'z';
                if (!digit && !letter && c != ' ') {
                    return fail(step, std::string("the on-screen keys cannot type '") + c + "'");
                }
                m_pendingTaps.push_back(c == ' ' ? std::string("key-space") : "key-" + std::string(1, c));
            }
            break;
        case Kind::Wait:
            m_waitCpuStart = ProcessCpuTime();
            m_resumeAt = std::chrono::steady_clock::now() + step.wait;
            break;
        case Kind::Screenshot:
            m_pendingScreenshot = step.argument;
            m_framesLeft = 1;
            break;
        case Kind::ExpectScreen: {
            const std::string_view shown = core::flow::ScreenName(m_flow.State());
            if (shown != step.argument) {
                return fail(step, "expected screen " + step.argument + ", the kiosk shows " + std::string(shown));
            }
            break;
        }
        case Kind::Printer:
            m_setPrinterFailing(step.argument == "fail");
            break;
    }
    return true;
}

bool KioskRunner::Screenshot(const std::filesystem::path& path) {
    int width = 0;
    int height = 0;
    SDL_GL_GetDrawableSize(m_window, &width, &height);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4U);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    // OpenGL's rows start at the bottom; PNG's at the top. Rows are swapped here rather than with
    // stbi_flip_vertically_on_write, a process-wide switch that would also flip the receipt PNGs the
    // print worker writes through the emulator.
    const std::size_t stride = static_cast<std::size_t>(width) * 4U;
    for (std::size_t top = 0, bottom = static_cast<std::size_t>(height) - 1; top < bottom; ++top, --bottom) {
        std::swap_ranges(pixels.begin() + static_cast<std::ptrdiff_t>(top * stride),
                         pixels.begin() + static_cast<std::ptrdiff_t>((top + 1) * stride),
                         pixels.begin() + static_cast<std::ptrdiff_t>(bottom * stride));
    }
    if (stbi_write_png(path.string().c_str(), width, height, 4, pixels.data(), width * 4) == 0) {
        std::fprintf(stderr, "kiosk: cannot write screenshot %s\n", path.string().c_str());
        m_exitCode = 1;
        return false;
    }
    return true;
}

}  // namespace kiosk::app
