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
#include <fstream>
#include <tuple>

#include "kiosk/app/font_texture.hpp"
#include "kiosk/app/imgui_assert.hpp"

namespace kiosk::app {

namespace {

constexpr int kFramesAfterActivity = 3;  // popups size themselves on a first pass; a click spans frames
constexpr int kMaxConsecutiveFrameFailures = 3;
constexpr float kLongPressSeconds = 3.0f;  // holding the top-left corner this long opens staff sign-in
constexpr std::chrono::seconds kExpectScreenPatience{60};  // how long `expect-screen` waits for its screen (a busy machine too)

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
                         std::function<void(std::string_view)> setPrinter, MainThreadQueue& queue,
                         std::uint32_t wakeEvent, RunnerOptions options)
    : m_window(window), m_flow(flow), m_shell(shell), m_tickets(tickets), m_printer(printer),
      m_setPrinter(std::move(setPrinter)), m_queue(queue),
      m_wakeEvent(wakeEvent), m_options(std::move(options)) {}

void KioskRunner::Send(const core::flow::FlowEvent& event) {
    const auto before = ViewStamp(m_flow);
    if (m_options.admin != nullptr && m_options.admin->selfHelpAnswered) {
        const auto* answer = std::get_if<core::flow::SelfHelpAnswer>(&event);
        const auto* shown = std::get_if<core::flow::SelfHelp>(&m_flow.State());
        if (answer != nullptr && shown != nullptr) m_options.admin->selfHelpAnswered(shown->categoryId, answer->solved);
    }
    Execute(m_flow.Handle(event));
    if (!std::holds_alternative<core::flow::Tick>(event) || ViewStamp(m_flow) != before) {
        m_framesLeft = kFramesAfterActivity;
    }
}

void KioskRunner::Redraw() { m_framesLeft = std::max(m_framesLeft, kFramesAfterActivity); }

std::string KioskRunner::ScreenName() const {
    if (AdminActive()) return m_options.admin->flow.ScreenName();
    return std::string(core::flow::ScreenName(m_flow.State()));
}

void KioskRunner::DeliverScan(const core::ScanEvent& event, std::chrono::steady_clock::time_point handedOver) {
    if (!m_scanWaitingForFrame) m_scanWaitingForFrame = handedOver;
    Scan(event.input);
    m_framesLeft = std::max(m_framesLeft, 1);
}

void KioskRunner::Typing(const std::vector<drivers::WedgeOutput>& typing) {
    for (const auto& output : typing) {
        if (const auto* text = std::get_if<drivers::TypedText>(&output)) {
            ImGui::GetIO().AddInputCharactersUTF8(text->text.c_str());
            m_framesLeft = kFramesAfterActivity;
        }
        // TypedEnter: the key event itself goes to ImGui (see Run).
    }
}

void KioskRunner::Scan(const core::ScanInput& input) {
    const std::string& text = input.text;
    const core::ScanMeaning meaning = core::ClassifyScan(input);
    if (m_options.admin != nullptr) {
        m_options.admin->flow.NoteScan(Now());
        if (AdminActive()) {
            SendAdmin(core::admin_flow::Scanned{meaning, text});
            return;
        }
        if (const auto* badge = std::get_if<core::StaffBadgeScan>(&meaning)) {
            SendAdmin(core::admin_flow::BadgeScanned{badge->badge});
            return;
        }
    }
    Send(core::flow::Scanned{meaning});
}

void KioskRunner::SendAdmin(const core::admin_flow::AdminEvent& event) {
    AdminParts& admin = *m_options.admin;
    const bool wasActive = admin.flow.Active();
    const auto generation = admin.flow.Generation();
    admin.flow.Handle(event);
    if (!wasActive && admin.flow.Active()) {
        // Staff take over the screen: whatever a customer left on it is wiped first.
        Send(core::flow::Home{});
    }
    if (auto pending = admin.flow.TakeExport()) {
        std::error_code ec;
        std::filesystem::create_directories(admin.exportDir, ec);
        const auto path = admin.exportDir / pending->fileName;
        std::ofstream out(path, std::ios::binary);
        out << pending->text;
        out.close();
        admin.flow.Handle(core::admin_flow::ExportWritten{
            out ? core::Result<std::string>(path.string())
                : core::Fail(core::ErrorCode::Storage, "cannot write " + path.string())});
    }
    if (auto closed = admin.flow.TakeClosedTicket()) {
        // The item is back with its owner: the kiosk turns to them for the rating, in their language.
        admin.flow.Handle(core::admin_flow::SignOut{});
        auto number = core::TicketNumber::Parse(closed->number);
        if (number) {
            Send(core::flow::SetLanguage{closed->language});
            Send(core::flow::OpenRate{});
            Send(core::flow::Scanned{core::TicketReceiptScan{*number}});
        }
    }
    if (admin.flow.ExitRequested()) m_quit = true;
    if (admin.flow.Generation() != generation || admin.flow.Active() != wasActive) m_framesLeft = kFramesAfterActivity;
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
        } else if (auto* rate = std::get_if<RateCommand>(&command)) {
            auto saved = m_tickets.RateTicket(rate->ticketNumber, rate->score, rate->comment, Now());
            if (!saved) std::fprintf(stderr, "kiosk: rating not saved: %s\n", saved.error().message.c_str());
            Send(RatingSaved{saved ? core::Result<void>{} : std::unexpected(saved.error())});
        } else if (auto* take = std::get_if<TakeQueueNumberCommand>(&command)) {
            if (!m_options.takeQueueNumber) {
                Send(QueueNumberTaken{core::Fail(core::ErrorCode::Unavailable, "this kiosk hands out no queue numbers")});
                continue;
            }
            Send(m_options.takeQueueNumber(take->service, take->language));
        }
    }
}

int KioskRunner::Run() {
    using namespace std::chrono;
    const auto started = steady_clock::now();
    const auto stopRequested = [this] { return m_options.stopRequested != nullptr && m_options.stopRequested->load(); };
    while (!m_quit && !stopRequested()) {
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
                until(duration_cast<milliseconds>(*deadline - Now()) + milliseconds{5});
            }
            if (m_options.admin != nullptr) {
                if (auto deadline = m_options.admin->flow.NextDeadline()) {
                    until(duration_cast<milliseconds>(*deadline - Now()) + milliseconds{5});
                }
                // Countdowns show seconds: one frame a second while one is on screen.
                if (AdminActive() && m_options.admin->flow.CountdownVisible()) {
                    until(duration_cast<milliseconds>(m_nextCountdownFrame - steady_clock::now()));
                }
            }
            if (m_flow.StillThereUntil()) until(milliseconds{1000});  // the countdown shows seconds
            if (!m_options.script.empty()) {
                until(duration_cast<milliseconds>(m_resumeAt - steady_clock::now()));
            }
            if (m_options.quitAfter) until(duration_cast<milliseconds>(started + *m_options.quitAfter - steady_clock::now()));
        }

        const bool wedge = m_options.scanSources != nullptr && m_options.scanSources->WedgeOn() && !m_options.demoKeyboardScanner;
        if (wedge && !busy) {
            if (auto wait = m_options.scanSources->WedgeWait()) until(*wait);
        }
        SDL_Event event;
        const bool got = timeoutMs < 0 ? SDL_WaitEvent(&event) == 1 : SDL_WaitEventTimeout(&event, timeoutMs) == 1;
        if (got) {
            do {
                if (event.type == m_wakeEvent) continue;  // the queue is drained below
                if (event.type == SDL_QUIT && m_options.allowQuit) m_quit = true;
                const bool enter = event.type == SDL_KEYDOWN &&
                                   (event.key.keysym.sym == SDLK_RETURN || event.key.keysym.sym == SDLK_KP_ENTER);
                bool toImGui = true;
                if (m_options.demoKeyboardScanner && event.type == SDL_TEXTINPUT) {
                    m_wedge += event.text.text;
                } else if (m_options.demoKeyboardScanner && enter) {
                    if (!m_wedge.empty()) Scan(core::ScanInput{m_wedge, ""});
                    m_wedge.clear();
                } else if (wedge && event.type == SDL_TEXTINPUT) {
                    // Held back until the wedge knows whether a scanner or a person typed it.
                    Typing(m_options.scanSources->WedgeText(event.text.text));
                    toImGui = false;
                } else if (wedge && enter) {
                    const auto typing = m_options.scanSources->WedgeEnter();
                    Typing(typing);
                    toImGui = std::any_of(typing.begin(), typing.end(), [](const drivers::WedgeOutput& o) {
                        return std::holds_alternative<drivers::TypedEnter>(o);
                    });
                }
                if (toImGui) ImGui_ImplSDL2_ProcessEvent(&event);
                m_framesLeft = kFramesAfterActivity;
            } while (SDL_PollEvent(&event) == 1);
        }
        if (wedge) Typing(m_options.scanSources->WedgePoll());
        if (m_queue.Drain()) m_framesLeft = std::max(m_framesLeft, 1);
        Send(core::flow::Tick{});
        if (m_options.admin != nullptr) {
            SendAdmin(core::admin_flow::Tick{});
            if (AdminActive() && m_options.admin->flow.CountdownVisible() && steady_clock::now() >= m_nextCountdownFrame) {
                m_nextCountdownFrame = steady_clock::now() + seconds{1};
                m_framesLeft = std::max(m_framesLeft, 1);
            }
        }

        if (m_betweenSessionsDue && ScreenName() == "attract") {
            m_betweenSessionsDue = false;
            if (m_options.betweenSessions) m_options.betweenSessions();
            m_framesLeft = std::max(m_framesLeft, 1);
        }
        if (!StepScript()) return m_exitCode;
        if (m_options.quitAfter && steady_clock::now() - started >= *m_options.quitAfter) break;

        if (m_options.renderContinuously || m_framesLeft > 0 || m_tapPhase > 0 || !m_strokePoints.empty()) {
            if (!RenderFrame()) return m_exitCode;
            if (m_framesLeft > 0) --m_framesLeft;
        }
    }
    return m_exitCode;
}

bool KioskRunner::RenderFrame() {
    ImGuiIO& io = ImGui::GetIO();
    const auto frameStart = std::chrono::steady_clock::now();
    const bool admin = AdminActive();
    const auto& controls = admin ? m_options.admin->shell.Controls() : m_shell.Controls();
    SetAssertionScreen(ScreenName());
    try {
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        if (!m_options.script.empty()) {
            // Scripted runs own the pointer: taps are placed on the control's rectangle.
            io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
            io.MouseDown[0] = false;
            if (m_tapPhase > 0 && !m_pendingTaps.empty()) {
                const auto it = controls.find(m_pendingTaps.front());
                if (it != controls.end()) {
                    io.MousePos = ImVec2((it->second.min.x + it->second.max.x) * 0.5f,
                                         (it->second.min.y + it->second.max.y) * 0.5f);
                }
                io.MouseDown[0] = m_tapPhase == 2;
            }
            if (!m_strokePoints.empty()) {
                if (const auto it = controls.find(m_strokePad); it != controls.end()) {
                    const std::size_t n = m_strokePoints.size();
                    const auto& [x, y] = m_strokePoints[std::min(m_strokeFrame == 0 ? 0 : m_strokeFrame - 1, n - 1)];
                    io.MousePos = ImVec2(it->second.min.x + x * (it->second.max.x - it->second.min.x),
                                         it->second.min.y + y * (it->second.max.y - it->second.min.y));
                    io.MouseDown[0] = m_strokeFrame >= 1 && m_strokeFrame <= n;
                }
            }
        }
        ImGui::NewFrame();
        if (admin) {
            m_options.admin->shell.Draw(m_options.admin->flow, m_flow.CurrentLanguage());
        } else {
            m_shell.Draw(m_flow);
            if (m_options.admin != nullptr) {
                // Staff sign-in without a badge: a long press in the top-left corner, on any screen.
                const float corner = ImGui::GetFontSize() * 3.0f;
                const ImVec2 at = io.MouseClickedPos[0];
                const bool held = io.MouseDown[0] && at.x >= 0.0f && at.y >= 0.0f && at.x < corner && at.y < corner;
                if (!held) m_longPressSent = false;
                if (held) m_framesLeft = std::max(m_framesLeft, 1);  // the hold is timed on frames
                if (held && !m_longPressSent && io.MouseDownDuration[0] >= kLongPressSeconds) {
                    m_longPressSent = true;
                    m_pendingAdminEvents.emplace_back(core::admin_flow::LongPress{});
                }
            }
        }
        ImGui::Render();
        int width = 0;
        int height = 0;
        SDL_GL_GetDrawableSize(m_window, &width, &height);
        glViewport(0, 0, width, height);
        const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        MatchFontSampling();
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (m_pendingScreenshot) {
            const auto path = *std::exchange(m_pendingScreenshot, std::nullopt);
            if (!Screenshot(path)) return false;
        }
        SDL_GL_SwapWindow(m_window);
        const auto frameEnd = std::chrono::steady_clock::now();
        if (!m_stats.firstFrame) m_stats.firstFrame = frameEnd;
        if (m_scanWaitingForFrame) {
            const auto since = *std::exchange(m_scanWaitingForFrame, std::nullopt);
            m_stats.scanToFrameMs.push_back(std::chrono::duration<double, std::milli>(frameEnd - since).count());
        }
        if (frameStart < m_resumeAt) {
            ++m_stats.framesDuringWaits;
            m_stats.frameMsDuringWaits.push_back(std::chrono::duration<double, std::milli>(frameEnd - frameStart).count());
        }
        ++m_stats.framesRendered;
        m_consecutiveFailures = 0;
        if (m_options.glyphCache != nullptr && m_options.glyphCache->WantsFrame()) m_framesLeft = std::max(m_framesLeft, 1);
    } catch (const std::exception& e) {
        // The frame guard: recover ImGui's stacks, tell the customer to ask staff, give up if it repeats.
        std::fprintf(stderr, "kiosk: frame failed on screen %s: %s\n", ScreenName().c_str(), e.what());
        ImGui::ErrorCheckEndFrameRecover(nullptr);
        ImGui::EndFrame();
        ++m_stats.frameFailures;
        if (m_options.frameFailed) m_options.frameFailed(ScreenName(), e.what());
        Send(core::flow::FrameFailed{e.what()});
        if (++m_consecutiveFailures >= kMaxConsecutiveFrameFailures) {
            std::fprintf(stderr, "kiosk: %d frames failed in a row, exiting\n", m_consecutiveFailures);
            m_exitCode = 3;
            return false;
        }
        return true;
    }
    if (!m_strokePoints.empty() && ++m_strokeFrame > m_strokePoints.size() + 1) {
        m_strokePoints.clear();
        m_strokeFrame = 0;
        m_framesLeft = kFramesAfterActivity;
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
    if (m_options.admin != nullptr) {
        for (auto& intent : m_options.admin->shell.TakeIntents()) SendAdmin(intent);
        for (auto& event : std::exchange(m_pendingAdminEvents, {})) SendAdmin(event);
    }
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
    if (waiting) ++m_stats.wakeupsDuringWaits;
    if (!waiting && m_waitCpuStart) {
        m_stats.cpuDuringWaits += ProcessCpuTime() - *std::exchange(m_waitCpuStart, std::nullopt);
    }
    if (m_nextStep >= m_options.script.size() && m_pendingTaps.empty()) {
        if (!m_options.script.empty() && m_framesLeft == 0 && !m_pendingScreenshot && !waiting) m_quit = true;
        return true;
    }
    // A step runs once the screen has settled: owed frames drawn, the previous tap finished.
    if (m_framesLeft > 0 || m_tapPhase > 0 || !m_strokePoints.empty() || m_pendingScreenshot || waiting) return true;
    if (!m_pendingTaps.empty()) {
        const ScriptStep& step = m_options.script[m_nextStep - 1];
        const auto& controls = AdminActive() ? m_options.admin->shell.Controls() : m_shell.Controls();
        if (!controls.contains(m_pendingTaps.front())) {
            return fail(step, "no control '" + m_pendingTaps.front() + "' on screen " + ScreenName());
        }
        m_tapPhase = 1;
        return true;
    }
    const ScriptStep& step = m_options.script[m_nextStep++];
    switch (step.kind) {
        case Kind::Scan:
            Scan(core::ScanInput{step.argument, ""});
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
            // Some screens follow work on other threads (a receipt printing): the step looks again
            // every 100 ms and fails only when the screen has not come within kExpectScreenPatience.
            const std::string shown = ScreenName();
            const auto now = std::chrono::steady_clock::now();
            if (shown == step.argument) {
                m_expectDeadline.reset();
                break;
            }
            if (!m_expectDeadline) {
                m_expectDeadline = now + (step.wait.count() > 0 ? step.wait : std::chrono::milliseconds{kExpectScreenPatience});
            }
            if (now >= *m_expectDeadline) {
                return fail(step, "expected screen " + step.argument + ", the kiosk shows " + shown);
            }
            --m_nextStep;
            m_resumeAt = now + std::chrono::milliseconds{100};
            break;
        }
        case Kind::ExpectShown: {
            // Text that follows work on other threads (a slip's outcome): looked for in the last frame
            // drawn, every 100 ms, until the step's patience runs out.
            const auto& controls = AdminActive() ? m_options.admin->shell.Controls() : m_shell.Controls();
            const auto now = std::chrono::steady_clock::now();
            if (controls.contains(step.argument)) {
                m_expectDeadline.reset();
                break;
            }
            if (!m_expectDeadline) {
                m_expectDeadline = now + (step.wait.count() > 0 ? step.wait : std::chrono::milliseconds{kExpectScreenPatience});
            }
            if (now >= *m_expectDeadline) return fail(step, "nothing named '" + step.argument + "' on screen " + ScreenName());
            --m_nextStep;
            m_resumeAt = now + std::chrono::milliseconds{100};
            break;
        }
        case Kind::Printer:
            m_setPrinter(step.argument);
            break;
        case Kind::Stroke: {
            const auto& controls = AdminActive() ? m_options.admin->shell.Controls() : m_shell.Controls();
            // The handwriting pad, or the signature pad at intake.
            m_strokePad = controls.contains("hand-pad") ? "hand-pad" : "sign-pad";
            if (!controls.contains(m_strokePad)) {
                return fail(step, "no handwriting pad ('hand-pad') or signature pad ('sign-pad') on screen " + ScreenName());
            }
            m_strokePoints = step.points;
            m_strokeFrame = 0;
            break;
        }
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
