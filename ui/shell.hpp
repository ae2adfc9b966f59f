// The root of the kiosk's UI: one fullscreen window with a top bar (languages, display options, back
// and home), the current screen, and overlays for notices and "still there?". Draws from a read-only
// flow and returns the intents of the frame.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kiosk/core/flow/customer_flow.hpp"
#include "kiosk/core/queue_numbers.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "ui/theme.hpp"
#include "ui/ui.hpp"

namespace kiosk::ui {

// What the application knows that the flow does not.
struct ShellFacts {
    const core::Lifecycle* lifecycle = nullptr;        // status labels
    std::chrono::minutes utcOffset{8 * 60};           // to show times in store time
    std::function<const QrModules&(const std::string&)> qrFor;  // the QR code of a ticket number
    std::chrono::seconds stillThereTimeout{20};  // the whole "still there?" countdown, for its ring
    // Whether head office messages a customer when the product is ready (the notifications in force):
    // only then is the customer asked, and only then does the kiosk promise it.
    std::function<bool()> messagesOffered;
    // "Now serving" and how many wait per queue service, as the board last read them; empty: no board.
    std::vector<core::QueueBoardRow> queueBoard;
};

// UI-only state of the screens: typed text and choices not yet submitted. Zeroed whenever the flow
// enters another state, so nothing a customer typed outlives the screen.
struct ScreenBuffers {
    std::string digits;
    std::string text;
    bool consent = false;
    bool notify = false;
    int score = 0;
    void Wipe();
};

class Shell {
public:
    Shell(const Translations& translations, const Fonts& fonts, ShellFacts facts);

    // Draws one frame's windows (between ImGui::NewFrame and ImGui::Render).
    void Draw(const core::flow::CustomerFlow& flow);
    // Times are shown in store time; a newly published calendar may move it between sessions.
    void SetUtcOffset(std::chrono::minutes offset) { m_facts.utcOffset = offset; }
    // The attract screen's "now serving" board; the caller draws frames only when it changed.
    void SetQueueBoard(std::vector<core::QueueBoardRow> board) { m_facts.queueBoard = std::move(board); }
    void SetGlyphCache(GlyphCache* cache) { m_ui.SetGlyphCache(cache); }
    void SetScaledTextHooks(ImDrawCallback begins, ImDrawCallback ends) { m_ui.SetScaledTextHooks(begins, ends); }
    // The engines every keyboard writes Chinese with.
    void SetInputMethods(core::InputMethods methods) { m_ui.SetInputMethods(methods); }
    // The smallest touch target in pixels, from the panel's dots per inch.
    void SetMinTouchTarget(float pixels) { m_ui.SetMinTouchTarget(pixels); }
    std::vector<core::flow::FlowEvent> TakeIntents() { return m_ui.TakeIntents(); }
    const std::unordered_map<std::string, ControlRect>& Controls() const { return m_ui.Controls(); }
    // Nothing on the kiosk animates (the "still there?" ring moves once a second, when its number
    // changes): frames are drawn only after something changed.
    bool WantsContinuousRender() const { return false; }
    const DisplayOptions& Display() const { return m_display; }

private:
    void DrawTopBar(const core::flow::CustomerFlow& flow);
    void DrawSteps(const core::flow::CustomerFlow& flow);
    void DrawScreen(const core::flow::CustomerFlow& flow);
    void DrawOverlay(const core::flow::CustomerFlow& flow);
    void DrawCountdown(std::chrono::seconds left);

    Ui m_ui;
    ShellFacts m_facts;
    DisplayOptions m_display;
    std::uint64_t m_generation = ~std::uint64_t{0};
    ScreenBuffers m_buffers;
};

}  // namespace kiosk::ui
