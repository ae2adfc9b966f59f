// The fullscreen window, its top bar and overlays, and the dispatch from flow state to screen.
#include "ui/shell.hpp"

#include <algorithm>
#include <type_traits>

#include "ui/screens/screens.hpp"

namespace kiosk::ui {

namespace flow = core::flow;

void ScreenBuffers::Wipe() {
    // Overwrite before releasing, like the flow's session wipe.
    for (std::string* s : {&digits, &text}) {
        volatile char* bytes = s->data();
        for (std::size_t i = 0; i < s->size(); ++i) bytes[i] = '\0';
        s->clear();
    }
    consent = false;
    score = 0;
}

Shell::Shell(const Translations& translations, const Fonts& fonts, ShellFacts facts)
    : m_ui(translations, fonts), m_facts(std::move(facts)) {}

void Shell::Draw(const flow::CustomerFlow& flow) {
    if (flow.Generation() != m_generation) {
        m_generation = flow.Generation();
        m_buffers.Wipe();
        m_ui.ReleaseInputs();
    }
    m_ui.BeginFrame(flow.CurrentLanguage());
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    // No background: the frame is cleared to the window colour already, and a second full-screen fill
    // costs a software renderer a millisecond or more.
    constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                        ImGuiWindowFlags_NoBackground;
    const bool overlay = flow.CurrentNotice() != flow::Notice::None || flow.StillThereUntil().has_value();
    ImGui::Begin("kiosk", nullptr, kFlags);
    ImGui::BeginDisabled(overlay);
    DrawTopBar(flow);
    ImGui::Separator();
    ImGui::BeginChild("screen", ImVec2(0, 0), false, ImGuiWindowFlags_NoSavedSettings);
    DrawScreen(flow);
    ImGui::EndChild();
    ImGui::EndDisabled();
    ImGui::End();
    if (overlay) DrawOverlay(flow);
}

void Shell::DrawTopBar(const flow::CustomerFlow& flow) {
    const std::pair<core::Language, const char*> languages[] = {
        {core::Language::ZhHans, "lang-zh-hans"}, {core::Language::ZhHant, "lang-zh-hant"}, {core::Language::En, "lang-en"}};
    const std::string_view names[] = {"简体中文", "繁體中文", "English"};
    const bool back = flow.CanGoBack();
    const bool home = !std::holds_alternative<flow::Attract>(flow.State()) &&
                      !std::holds_alternative<flow::Submitting>(flow.State());
    const std::string_view contrast = m_ui.T("High contrast");
    const std::string_view largeText = m_ui.T("Large text");
    const std::string_view backLabel = m_ui.T("Back");
    const std::string_view homeLabel = m_ui.T("Start over");

    // Seven equal buttons in one row where their labels fit (landscape); on a narrow portrait screen
    // the languages take the first row and the other buttons, sized to their labels, the second.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float avail = ImGui::GetContentRegionAvail().x;
    auto fit = [&style](std::string_view label) {
        return ImGui::CalcTextSize(label.data(), label.data() + label.size()).x + 2.0f * style.FramePadding.x;
    };
    const float unit = (avail - 6.0f * style.ItemSpacing.x) / 7.0f;
    float widest = 0.0f;
    for (std::string_view label : {names[0], names[1], names[2], contrast, largeText, backLabel, homeLabel}) {
        widest = std::max(widest, fit(label));
    }
    const bool twoRows = widest > unit;
    const float languageWidth = twoRows ? (avail - 2.0f * style.ItemSpacing.x) / 3.0f : unit;
    auto width = [&](std::string_view label) { return twoRows ? fit(label) : unit; };

    for (std::size_t i = 0; i < 3; ++i) {
        if (i > 0) ImGui::SameLine();
        const auto [language, id] = languages[i];
        if (m_ui.Toggle(id, names[i], flow.CurrentLanguage() == language, languageWidth)) {
            m_ui.Emit(flow::SetLanguage{language});
        }
    }
    if (!twoRows) ImGui::SameLine();
    if (m_ui.Toggle("contrast", contrast, m_display.highContrast, width(contrast))) {
        m_display.highContrast = !m_display.highContrast;
        ApplyTheme(m_display);
    }
    ImGui::SameLine();
    if (m_ui.Toggle("large-text", largeText, m_display.largeText, width(largeText))) {
        m_display.largeText = !m_display.largeText;
        ApplyTheme(m_display);
    }
    if (back) {
        ImGui::SameLine();
        if (m_ui.Button("back", backLabel, width(backLabel))) m_ui.Emit(flow::Back{});
    }
    if (home) {
        ImGui::SameLine();
        if (m_ui.Button("home", homeLabel, width(homeLabel))) m_ui.Emit(flow::Home{});
    }
}

void Shell::DrawScreen(const flow::CustomerFlow& flow) {
    screens::Context context{m_ui, flow, m_facts, m_buffers};
    std::visit([&context](const auto& state) { screens::Draw(context, state); }, flow.State());
}

void Shell::DrawOverlay(const flow::CustomerFlow& flow) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const ImVec2 size(viewport->Size.x * 0.7f, viewport->Size.y * 0.45f);
    ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + (viewport->Size.x - size.x) * 0.5f,
                                   viewport->Pos.y + (viewport->Size.y - size.y) * 0.5f));
    ImGui::SetNextWindowSize(size);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 4.0f);
    ImGui::Begin("overlay", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                         ImGuiWindowFlags_NoSavedSettings);
    if (auto left = flow.StillThereLeft()) {
        m_ui.Title(m_ui.T("Are you still there?"));
        m_ui.Text(Fill(m_ui.T("For your privacy this screen will be cleared in {0} seconds."),
                       {std::to_string(left->count())}));
        if (m_ui.Button("still-here", m_ui.T("I'm still here"))) m_ui.Emit(flow::StillHere{});
    } else {
        std::string_view message;
        switch (flow.CurrentNotice()) {
            case flow::Notice::AdminLater: message = m_ui.T("Staff badge recognised. Staff mode is not available on this kiosk yet."); break;
            case flow::Notice::UnknownCode: message = m_ui.T("Sorry, we could not read this code. Please try another one."); break;
            case flow::Notice::ProductNotFound: message = m_ui.T("We could not find this product. Please try another way or ask staff."); break;
            case flow::Notice::SaleNotFound: message = m_ui.T("We could not find this purchase. Please check the receipt or ask staff."); break;
            case flow::Notice::TicketNotFound: message = m_ui.T("We could not find this ticket."); break;
            case flow::Notice::AlreadyRated: message = m_ui.T("This service has already been rated. Thank you!"); break;
            case flow::Notice::NotNow: message = m_ui.T("Please wait: your ticket is being printed."); break;
            case flow::Notice::Unavailable: message = m_ui.T("Something went wrong. Please try again or ask staff."); break;
            case flow::Notice::None: break;
        }
        m_ui.Title(message);
        if (m_ui.Button("notice-ok", m_ui.T("OK"))) m_ui.Emit(flow::DismissNotice{});
    }
    ImGui::End();
    ImGui::PopStyleVar();
}

}  // namespace kiosk::ui
