// Admin mode's window: sign-in keypads, the top bar with tabs, the status line, and the dispatch to
// the tab's view; plus the formatting helpers the views share.
#include "ui/admin/admin_shell.hpp"

#include <algorithm>
#include <cstdio>

#include "ui/admin/admin_views.hpp"
#include "ui/glyph_cache.hpp"
#include "ui/icons.hpp"

namespace kiosk::ui::admin {

namespace {

std::string_view TabLabel(const Ui& ui, af::Tab tab) {
    switch (tab) {
        case af::Tab::Queue: return ui.T("Queue");
        case af::Tab::Ticket: return ui.T("Ticket");
        case af::Tab::Numbers: return ui.T("Numbers");
        case af::Tab::Approvals: return ui.T("Approvals");
        case af::Tab::FollowUp: return ui.T("Follow-up");
        case af::Tab::Devices: return ui.T("Devices");
        case af::Tab::Sync: return ui.T("Sync");
        case af::Tab::Reports: return ui.T("Reports");
        case af::Tab::Settings: return ui.T("Settings");
    }
    return {};
}

// The PIN pad: dots instead of digits, otherwise the same keys as the customer keypad.
void PinPad(Ui& ui, std::string& value, std::size_t maxDigits, bool enabled) {
    ImGui::PushFont(ui.Font().title);
    const std::string dots = value.empty() ? std::string(" ") : std::string(value.size(), '*');
    ImGui::BeginChild("pin-value", ImVec2(std::min(ImGui::GetContentRegionAvail().x, ui.Unit() * 9.0f),
                                          ImGui::GetFontSize() * 2.2f), true);
    ImGui::TextUnformatted(dots.c_str());
    ImGui::EndChild();
    ImGui::PopFont();
    ImGui::BeginDisabled(!enabled);
    const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", ""};
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = std::min(ImGui::GetContentRegionAvail().x, ui.Unit() * 9.0f);
    const float keyWidth = (width - 2.0f * spacing) / 3.0f;
    for (int i = 0; i < 12; ++i) {
        if (i % 3 != 0) ImGui::SameLine();
        const std::string key = keys[i];
        if (key.empty()) {
            ImGui::Dummy(ImVec2(keyWidth, ui.Unit()));
            continue;
        }
        const std::string id = "key-" + key;
        if (ui.Button(id.c_str(), key == "del" ? ui.T("Delete") : std::string_view(key), keyWidth, ui.Unit() * 0.8f)) {
            if (key == "del") {
                if (!value.empty()) value.pop_back();
            } else if (value.size() < maxDigits) {
                value += key;
            }
        }
    }
    ImGui::EndDisabled();
}

}  // namespace

void AdminBuffers::Wipe() {
    for (std::string* s : {&digits, &text, &scriptSearch}) {
        volatile char* bytes = s->data();
        for (std::size_t i = 0; i < s->size(); ++i) bytes[i] = '\0';
        s->clear();
    }
    keyboardOpen = false;
    scriptKeyboardOpen = false;
    approvalId.clear();
    draft = {};
    draftLoaded = false;
    signature.clear();
    signatureStartedAt = 0.0;
    intakeShown = false;
}

AdminShell::AdminShell(const Translations& translations, const Fonts& fonts, AdminFacts facts)
    : m_ui(translations, fonts), m_facts(std::move(facts)) {}

void AdminShell::Draw(const af::AdminFlow& flow, core::Language language) {
    const af::AdminView& view = flow.View();
    std::string key = flow.ScreenName();
    // Any change to the open ticket clears what was typed for it: the note went with the change.
    if (view.ticket) key += "/" + view.ticket->ticket.number + "/" + std::to_string(view.ticket->ticket.eventCount);
    if (view.identity) key += "/" + view.identity->staffNo;
    if (key != m_shownKey) {
        m_shownKey = std::move(key);
        m_buffers.Wipe();
        m_ui.ReleaseInputs();
    }
    m_ui.BeginFrame(language);
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    // No background: the frame is cleared to the window colour already (see Shell::Draw).
    constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                        ImGuiWindowFlags_NoBackground;
    ImGui::Begin("admin", nullptr, kFlags);
    if (flow.CurrentStage() == af::Stage::Working) {
        DrawTopBar(flow);
        ImGui::Separator();
        ImGui::BeginChild("admin-screen", ImVec2(0, 0), false, ImGuiWindowFlags_NoSavedSettings);
        ViewContext context{m_ui, flow, m_facts, m_buffers, m_intents, flow.Now()};
        switch (view.tab) {
            case af::Tab::Queue: DrawQueue(context); break;
            case af::Tab::Ticket: DrawTicket(context); break;
            case af::Tab::Numbers: DrawNumbers(context); break;
            case af::Tab::Approvals: DrawApprovals(context); break;
            case af::Tab::FollowUp: DrawFollowUp(context); break;
            case af::Tab::Devices: DrawDevices(context); break;
            case af::Tab::Sync: DrawSync(context); break;
            case af::Tab::Reports: DrawReports(context); break;
            case af::Tab::Settings: DrawSettings(context); break;
        }
        ImGui::EndChild();
    } else {
        DrawSignIn(flow);
    }
    ImGui::End();
}

void AdminShell::DrawTopBar(const af::AdminFlow& flow) {
    const af::AdminView& view = flow.View();
    const core::admin::Session& session = *view.session;
    m_ui.Text(Fill(m_ui.T("Staff mode: {0} ({1})"), {session.name, RoleLabel(m_ui, session.actor.role)}));
    // Tabs flow onto as many rows as the width needs; sign-out and exit close the last row.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float avail = ImGui::GetContentRegionAvail().x;
    float used = 0.0f;
    auto place = [&](std::string_view label) {
        const float width = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x + 2.0f * style.FramePadding.x;
        if (used > 0.0f && used + style.ItemSpacing.x + width <= avail) {
            ImGui::SameLine();
            used += style.ItemSpacing.x + width;
        } else {
            used = width;
        }
        return width;
    };
    for (af::Tab tab : af::kTabs) {
        const std::string_view label = TabLabel(m_ui, tab);
        const std::string id = "tab-" + std::string(af::ToString(tab));
        const float width = place(label);
        if (m_ui.Toggle(id.c_str(), label, view.tab == tab, width)) m_intents.emplace_back(af::ShowTab{tab});
    }
    const std::string_view refresh = m_ui.T("Refresh");
    if (m_ui.Button("refresh", refresh, place(refresh))) m_intents.emplace_back(af::Refresh{});
    const std::string_view signOut = m_ui.T("Sign out");
    if (m_ui.Button("sign-out", signOut, ButtonKind::Danger, place(signOut))) m_intents.emplace_back(af::SignOut{});
    if (session.Can(core::admin::action::kAppExit)) {
        const std::string_view exit = m_ui.T("Exit application");
        if (m_ui.Button("exit-app", exit, place(exit))) m_intents.emplace_back(af::ExitApplication{});
    }
    if (!view.message.text.empty()) {
        const ImVec4 colour = view.message.ok ? ImVec4(0.10f, 0.50f, 0.20f, 1) : ImVec4(0.75f, 0.10f, 0.10f, 1);
        ColouredText(colour, view.message.ok ? m_ui.T(view.message.text) : std::string_view(view.message.text));
    }
}

void AdminShell::DrawSignIn(const af::AdminFlow& flow) {
    const af::AdminView& view = flow.View();
    const bool pin = flow.CurrentStage() == af::Stage::Pin && view.identity;
    m_ui.Title(m_ui.WithIcon(icon::kAdmin, m_ui.T("Staff sign-in")));
    const core::Timestamp now = flow.Now();
    const bool locked = view.lockedUntil && *view.lockedUntil > now;
    std::string_view problem;
    switch (view.problem) {
        case af::SignInProblem::None: break;
        case af::SignInProblem::UnknownStaff: problem = m_ui.T("No active staff member has this badge or number."); break;
        case af::SignInProblem::WrongPin: problem = m_ui.T("Wrong PIN."); break;
        case af::SignInProblem::Locked: break;
        case af::SignInProblem::NoPin: problem = m_ui.T("No PIN is set for you yet. Please ask a supervisor."); break;
        case af::SignInProblem::Unavailable: problem = m_ui.T("Sign-in is not available right now. Please try again."); break;
    }
    if (pin) {
        m_ui.Text(Fill(m_ui.T("Hello, {0}. Enter your PIN."), {view.identity->name}));
    } else {
        m_ui.Text(m_ui.T("Enter your staff number."));
    }
    if (!problem.empty()) ColouredText(ImVec4(0.75f, 0.10f, 0.10f, 1), problem);
    if (locked) {
        ColouredText(ImVec4(0.75f, 0.10f, 0.10f, 1),
                     Fill(m_ui.T("Too many wrong PINs. Try again in {0}."),
                          {Countdown(std::chrono::duration_cast<std::chrono::seconds>(*view.lockedUntil - now))}));
    } else if (pin && view.problem == af::SignInProblem::WrongPin && view.failuresBeforeLockout > 0) {
        m_ui.TextMuted(Fill(m_ui.T("{0} more wrong PINs lock this badge for a while."),
                            {std::to_string(view.failuresBeforeLockout)}));
    }
    if (pin) {
        PinPad(m_ui, m_buffers.digits, 8, !locked && view.problem != af::SignInProblem::NoPin);
    } else {
        m_ui.Keypad(m_buffers.digits, 6);
    }
    const float width = std::min(ImGui::GetContentRegionAvail().x, m_ui.Unit() * 9.0f);
    const float half = (width - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    if (m_ui.Button("cancel", m_ui.T("Cancel"), half)) m_intents.emplace_back(af::CancelSignIn{});
    ImGui::SameLine();
    ImGui::BeginDisabled(m_buffers.digits.empty() || locked);
    if (m_ui.Button("ok", m_ui.T("OK"), ButtonKind::Primary, half)) {
        if (pin) {
            m_intents.emplace_back(af::SubmitPin{m_buffers.digits});
        } else {
            m_intents.emplace_back(af::SubmitStaffNumber{m_buffers.digits});
        }
        m_buffers.Wipe();
    }
    ImGui::EndDisabled();
}

// [SECTION] Helpers

std::string Countdown(std::chrono::seconds left) {
    const bool past = left.count() < 0;
    const long long total = past ? -left.count() : left.count();
    const long long days = total / 86400, hours = total / 3600 % 24, minutes = total / 60 % 60, seconds = total % 60;
    char text[48];
    if (days > 0) {
        std::snprintf(text, sizeof text, "%s%lldd %02lldh", past ? "-" : "", days, hours);
    } else if (hours > 0) {
        std::snprintf(text, sizeof text, "%s%lldh %02lldm", past ? "-" : "", hours, minutes);
    } else {
        std::snprintf(text, sizeof text, "%s%02lld:%02lld", past ? "-" : "", minutes, seconds);
    }
    return text;
}

ImVec4 UrgencyColour(core::admin::Urgency urgency) {
    switch (urgency) {
        case core::admin::Urgency::Green: return ImVec4(0.10f, 0.55f, 0.20f, 1);
        case core::admin::Urgency::Amber: return ImVec4(0.85f, 0.55f, 0.00f, 1);
        case core::admin::Urgency::Red: return ImVec4(0.80f, 0.10f, 0.10f, 1);
        case core::admin::Urgency::Paused:
        case core::admin::Urgency::None: break;
    }
    return ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
}

void ColouredText(const ImVec4& colour, std::string_view text) {
    NeedGlyphs(text);
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

std::string LocalTime(const AdminFacts& facts, core::Timestamp t) { return core::FormatLocalTime(t, facts.utcOffset); }

std::string_view StatusLabel(const ViewContext& c, const std::string& status) {
    const core::StatusInfo* info = c.facts.lifecycle != nullptr ? c.facts.lifecycle->FindStatus(status) : nullptr;
    return info != nullptr ? std::string_view(info->label.In(c.ui.Language())) : std::string_view(status);
}

std::string_view TypeLabel(const Ui& ui, core::TicketType type) {
    switch (type) {
        case core::TicketType::Return: return ui.T("Return");
        case core::TicketType::Exchange: return ui.T("Exchange");
        case core::TicketType::Repair: return ui.T("Repair");
        case core::TicketType::Complaint: return ui.T("Complaint");
        case core::TicketType::Inquiry: return ui.T("Inquiry");
    }
    return {};
}

std::string_view TierLabel(const Ui& ui, core::Tier tier) {
    switch (tier) {
        case core::Tier::New: return ui.T("New customer");
        case core::Tier::Returning: return ui.T("Returning customer");
        case core::Tier::Vip: return ui.T("VIP");
    }
    return {};
}

std::string_view ChannelLabel(const Ui& ui, core::ServiceChannel channel) {
    switch (channel) {
        case core::ServiceChannel::InStore: return ui.T("In store");
        case core::ServiceChannel::AuthorisedCentre: return ui.T("Authorised centre");
        case core::ServiceChannel::ThirdParty: return ui.T("Third party");
    }
    return {};
}

std::string_view RoleLabel(const Ui& ui, core::Role role) {
    switch (role) {
        case core::Role::Clerk: return ui.T("Clerk");
        case core::Role::Technician: return ui.T("Technician");
        case core::Role::Supervisor: return ui.T("Supervisor");
        case core::Role::Customer:
        case core::Role::System: break;
    }
    return core::ToString(role);
}

std::string Yuan(core::Money fen) {
    char text[32];
    std::snprintf(text, sizeof text, "¥%lld.%02lld", static_cast<long long>(fen / 100), static_cast<long long>(fen % 100));
    return text;
}

}  // namespace kiosk::ui::admin
