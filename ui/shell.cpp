// The fullscreen window, its top bar and overlays, and the dispatch from flow state to screen.
#include "ui/shell.hpp"

#include <malloc.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <type_traits>

#include "ui/icons.hpp"
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
    notify = false;
    score = 0;
}

Shell::Shell(const Translations& translations, const Fonts& fonts, ShellFacts facts)
    : m_ui(translations, fonts), m_facts(std::move(facts)) {}

void Shell::Draw(const flow::CustomerFlow& flow) {
    if (flow.Generation() != m_generation) {
        m_generation = flow.Generation();
        m_buffers.Wipe();
        m_ui.ReleaseInputs();
        // What the customer's session freed (candidate pages, recognition buffers, screen texts) goes
        // back to the system instead of waiting in the allocator's free lists until the next customer.
        malloc_trim(0);
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
    // A portrait panel's text is large for the screens; the top bar's choices keep to two rows.
    const bool portrait = viewport->Size.y > viewport->Size.x;
    if (portrait) m_ui.ScaleText(0.8f);
    DrawTopBar(flow);
    ImGui::Separator();
    DrawSteps(flow);
    if (portrait) m_ui.ScaleText(1.0f);
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
    std::string contrast = m_ui.WithIcon(icon::kContrast, m_ui.T("High contrast"));
    std::string largeText = m_ui.WithIcon(icon::kLargeText, m_ui.T("Large text"));
    std::string backLabel = m_ui.WithIcon(icon::kBack, m_ui.T("Back"));
    std::string homeLabel = m_ui.WithIcon(icon::kStartOver, m_ui.T("Start over"));

    // Seven equal buttons in one row where their labels fit (landscape); on a narrow portrait screen
    // the languages take the first row and the other buttons the second.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float avail = ImGui::GetContentRegionAvail().x;
    auto fit = [&style](std::string_view label) {
        return ImGui::CalcTextSize(label.data(), label.data() + label.size()).x + 2.0f * style.FramePadding.x;
    };
    // One row when every label fits, the spare width shared out equally.
    const int shown = 5 + (back ? 1 : 0) + (home ? 1 : 0);
    float spare = avail - static_cast<float>(shown - 1) * style.ItemSpacing.x;
    for (std::string_view label : {names[0], names[1], names[2], std::string_view(contrast), std::string_view(largeText)}) {
        spare -= fit(label);
    }
    if (back) spare -= fit(backLabel);
    if (home) spare -= fit(homeLabel);
    const bool twoRows = spare < 0.0f;
    if (twoRows) {
        // The second row drops the pictograms before it would wrap onto a third.
        float total = fit(contrast) + style.ItemSpacing.x + fit(largeText);
        if (back) total += style.ItemSpacing.x + fit(backLabel);
        if (home) total += style.ItemSpacing.x + fit(homeLabel);
        if (total > avail) {
            contrast = m_ui.T("High contrast");
            largeText = m_ui.T("Large text");
            backLabel = m_ui.T("Back");
            homeLabel = m_ui.T("Start over");
        }
    }
    const float languageWidth = (avail - 2.0f * style.ItemSpacing.x) / 3.0f;
    // Below the languages the other buttons share the row equally where their labels fit, else each
    // takes its label's width and they wrap onto another row (large text on a narrow panel).
    const int others = 2 + (back ? 1 : 0) + (home ? 1 : 0);
    const float share = (avail - static_cast<float>(others - 1) * style.ItemSpacing.x) / static_cast<float>(others);
    float widestOther = 0.0f;
    for (std::string_view label : {std::string_view(contrast), std::string_view(largeText), std::string_view(backLabel),
                                   std::string_view(homeLabel)}) {
        widestOther = std::max(widestOther, fit(label));
    }
    auto width = [&](std::string_view label) {
        if (!twoRows) return fit(label) + spare / static_cast<float>(shown);
        return widestOther <= share ? share : fit(label);
    };
    float rowUsed = 0.0f;  // of the second row, for wrapping
    auto next = [&](float w) {
        if (!twoRows || (rowUsed > 0.0f && rowUsed + style.ItemSpacing.x + w <= avail)) {
            ImGui::SameLine();
            rowUsed += style.ItemSpacing.x + w;
        } else {
            rowUsed = w;
        }
    };

    for (std::size_t i = 0; i < 3; ++i) {
        if (i > 0) ImGui::SameLine();
        const auto [language, id] = languages[i];
        if (m_ui.Toggle(id, names[i], flow.CurrentLanguage() == language, twoRows ? languageWidth : width(names[i]))) {
            m_ui.Emit(flow::SetLanguage{language});
        }
    }
    next(width(contrast));
    if (m_ui.Toggle("contrast", contrast, m_display.highContrast, width(contrast))) {
        m_display.highContrast = !m_display.highContrast;
        ApplyTheme(m_display);
    }
    next(width(largeText));
    if (m_ui.Toggle("large-text", largeText, m_display.largeText, width(largeText))) {
        m_display.largeText = !m_display.largeText;
        ApplyTheme(m_display);
    }
    if (back) {
        next(width(backLabel));
        if (m_ui.Button("back", backLabel, width(backLabel))) m_ui.Emit(flow::Back{});
    }
    if (home) {
        next(width(homeLabel));
        if (m_ui.Button("home", homeLabel, ButtonKind::Danger, width(homeLabel))) m_ui.Emit(flow::Home{});
    }
}

namespace {

// Where a filing is, as a step of the indicator: none outside a filing.
std::optional<std::size_t> ClaimStep(const flow::FlowState& state) {
    return std::visit(
        [](const auto& s) -> std::optional<std::size_t> {
            using S = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<S, flow::ScanProduct> || std::is_same_v<S, flow::EnterGtin> ||
                          std::is_same_v<S, flow::SearchProduct> || std::is_same_v<S, flow::BrowseCategories> ||
                          std::is_same_v<S, flow::BrowseProducts> || std::is_same_v<S, flow::PickFromSale> ||
                          std::is_same_v<S, flow::EnterPurchaseDate>) {
                return 0;
            } else if constexpr (std::is_same_v<S, flow::ExplainDecision> || std::is_same_v<S, flow::ChooseRemedy>) {
                return 1;
            } else if constexpr (std::is_same_v<S, flow::ChooseProblem> || std::is_same_v<S, flow::SelfHelp> ||
                                 std::is_same_v<S, flow::Describe> || std::is_same_v<S, flow::Feedback>) {
                return 2;
            } else if constexpr (std::is_same_v<S, flow::EnterPhone>) {
                return 3;
            } else if constexpr (std::is_same_v<S, flow::Review>) {
                return 4;
            } else {
                return std::nullopt;
            }
        },
        state);
}

}  // namespace

void Shell::DrawSteps(const flow::CustomerFlow& flow) {
    const std::optional<std::size_t> step = ClaimStep(flow.State());
    if (!step) return;
    // A complaint names no product and has no warranty to check: three steps of its own.
    const bool complaint = std::holds_alternative<flow::Feedback>(flow.State()) ||
                           flow.CurrentSession().filing == core::TicketType::Complaint;
    if (complaint) {
        m_ui.Steps({m_ui.T("Problem"), m_ui.T("Contact"), m_ui.T("Confirm")}, *step - 2);
    } else {
        m_ui.Steps({m_ui.T("Scan"), m_ui.T("Coverage"), m_ui.T("Problem"), m_ui.T("Contact"), m_ui.T("Confirm")}, *step);
    }
}

void Shell::DrawScreen(const flow::CustomerFlow& flow) {
    screens::Context context{m_ui, flow, m_facts, m_buffers};
    std::visit([&context](const auto& state) { screens::Draw(context, state); }, flow.State());
}

void Shell::DrawOverlay(const flow::CustomerFlow& flow) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    // The screen behind dims, so the question is the one thing to look at.
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.0f, 0.0f, 0.0f, 0.45f));
    ImGui::Begin("overlay-dim", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav |
                                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing);
    ImGui::End();
    ImGui::PopStyleColor();
    // As wide as a comfortable line, as tall as its content, in the middle of the screen.
    const bool portrait = viewport->Size.y > viewport->Size.x;
    const float width = viewport->Size.x * (portrait ? 0.86f : 0.6f);
    ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + viewport->Size.x * 0.5f, viewport->Pos.y + viewport->Size.y * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0.0f), ImVec2(width, viewport->Size.y * 0.9f));
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 4.0f);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, CurrentTheme().color.surface.Vec4());
    ImGui::PushStyleColor(ImGuiCol_Border, CurrentTheme().color.accent.Vec4());
    ImGui::Begin("overlay", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize);
    if (auto left = flow.StillThereLeft()) {
        m_ui.Title(m_ui.T("Are you still there?"));
        m_ui.Text(Fill(m_ui.T("For your privacy this screen will be cleared in {0} seconds."),
                       {std::to_string(left->count())}));
        DrawCountdown(*left);
        if (m_ui.Button("still-here", m_ui.WithIcon(icon::kTouch, m_ui.T("I'm still here")), ButtonKind::Primary)) {
            m_ui.Emit(flow::StillHere{});
        }
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
        if (m_ui.Button("notice-ok", m_ui.T("OK"), ButtonKind::Primary)) m_ui.Emit(flow::DismissNotice{});
    }
    ImGui::End();
    ImGui::PopStyleColor(2);
    ImGui::PopStyleVar();
}

void Shell::DrawCountdown(std::chrono::seconds left) {
    // A ring emptying clockwise with the seconds in it; redrawn once a second, as the number changes.
    const float radius = m_ui.Unit() * 0.9f;
    const float thickness = radius * 0.22f;
    const float width = ImGui::GetContentRegionAvail().x;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, radius * 2.0f + thickness));
    const ImVec2 centre(origin.x + width * 0.5f, origin.y + radius + thickness * 0.5f);
    const float total = static_cast<float>(std::max<long>(1, static_cast<long>(m_facts.stillThereTimeout.count())));
    const float share = std::clamp(static_cast<float>(left.count()) / total, 0.0f, 1.0f);
    const ThemeColors& c = CurrentTheme().color;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddCircle(centre, radius, ImGui::GetColorU32(c.border.Vec4()), 64, thickness);
    if (share > 0.0f) {
        constexpr float kTop = -1.5707963f;
        draw->PathArcTo(centre, radius, kTop, kTop + share * 6.2831853f, 64);
        draw->PathStroke(ImGui::GetColorU32(c.accent.Vec4()), 0, thickness);
    }
    const std::string seconds = std::to_string(left.count());
    ImFont* font = m_ui.Font().title;
    const float size = font->FontSize * ImGui::GetIO().FontGlobalScale;
    const ImVec2 text = font->CalcTextSizeA(size, FLT_MAX, 0.0f, seconds.c_str());
    draw->AddText(font, size, ImVec2(centre.x - text.x * 0.5f, centre.y - text.y * 0.5f), ImGui::GetColorU32(c.text.Vec4()),
                  seconds.c_str());
}

}  // namespace kiosk::ui
