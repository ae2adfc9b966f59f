// The root of admin mode's UI: the sign-in keypads, then a top bar with the signed-in person, the
// tabs, sign-out and (for a supervisor) exit, a status line, and the current tab. Draws from a
// read-only admin flow and returns the frame's intents.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kiosk/core/admin_flow/admin_flow.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/scripts.hpp"
#include "ui/ui.hpp"

namespace kiosk::ui::admin {

// What the application knows that the admin flow does not.
struct AdminFacts {
    const core::Lifecycle* lifecycle = nullptr;  // status labels
    std::chrono::minutes utcOffset{8 * 60};
    // The service scripts in force (the application's, replaced when head office publishes); null: none shown.
    const core::ScriptLibrary* scripts = nullptr;
    const core::QueueServices* queue = nullptr;  // queue services' names on the Numbers tab; null: ids shown
    // A texture of the receipt preview's pixels (uploaded by the application, which owns the GL
    // context); the same preview is passed every frame until it changes. Null: no preview shown.
    std::function<ImTextureID(const core::admin_flow::ReceiptPreview&)> textureFor;
    // A texture of an intake photo's thumbnail, one per photo (its ticketNumber is the photo's hash).
    // Null: the photos are listed without pictures.
    std::function<ImTextureID(const core::admin_flow::ReceiptPreview&)> photoTextureFor;
};

// Typed text not yet submitted: wiped whenever the stage, the tab or the ticket changes.
struct AdminBuffers {
    std::string digits;
    std::string text;
    bool keyboardOpen = false;
    std::string scriptSearch;            // the keyword the ticket's scripts are searched by
    bool scriptKeyboardOpen = false;
    std::string approvalId;              // the request the reason is typed for
    core::admin::Settings draft;
    bool draftLoaded = false;
    std::vector<core::admin_flow::PadStroke> signature;  // the customer's strokes on the signature pad
    double signatureStartedAt = 0.0;
    bool intakeShown = false;  // an intake panel was on screen last frame
    void Wipe();
};

class AdminShell {
public:
    AdminShell(const Translations& translations, const Fonts& fonts, AdminFacts facts);

    // Draws one frame's windows (between ImGui::NewFrame and ImGui::Render).
    void Draw(const core::admin_flow::AdminFlow& flow, core::Language language);
    void SetUtcOffset(std::chrono::minutes offset) { m_facts.utcOffset = offset; }
    void SetGlyphCache(GlyphCache* cache) { m_ui.SetGlyphCache(cache); }
    void SetScaledTextHooks(ImDrawCallback begins, ImDrawCallback ends) { m_ui.SetScaledTextHooks(begins, ends); }
    // The engines every keyboard writes Chinese with.
    void SetInputMethods(core::InputMethods methods) { m_ui.SetInputMethods(methods); }
    std::vector<core::admin_flow::AdminEvent> TakeIntents() { return std::exchange(m_intents, {}); }
    const std::unordered_map<std::string, ControlRect>& Controls() const { return m_ui.Controls(); }

private:
    void DrawTopBar(const core::admin_flow::AdminFlow& flow);
    void DrawSignIn(const core::admin_flow::AdminFlow& flow);

    Ui m_ui;
    AdminFacts m_facts;
    AdminBuffers m_buffers;
    std::vector<core::admin_flow::AdminEvent> m_intents;
    std::string m_shownKey;  // stage, tab and ticket of the last frame: buffers are wiped when it changes
};

}  // namespace kiosk::ui::admin
