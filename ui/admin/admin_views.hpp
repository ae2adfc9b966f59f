// One drawing function per admin tab, and the helpers they share. Views read the flow's AdminView,
// edit their buffers and emit intents.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/admin_flow/admin_flow.hpp"
#include "ui/admin/admin_shell.hpp"
#include "ui/ui.hpp"

namespace kiosk::ui::admin {

namespace af = core::admin_flow;

// Whole seconds from `now` until `due`; negative once it has passed.
inline std::chrono::seconds Left(core::Timestamp due, core::Timestamp now) {
    return std::chrono::duration_cast<std::chrono::seconds>(due - now);
}

struct ViewContext {
    Ui& ui;
    const af::AdminFlow& flow;
    const AdminFacts& facts;
    AdminBuffers& buffers;
    std::vector<af::AdminEvent>& intents;
    core::Timestamp now;

    const af::AdminView& View() const { return flow.View(); }
    void Emit(af::AdminEvent event) { intents.push_back(std::move(event)); }
    bool Can(std::string_view action) const { return View().session && View().session->Can(action); }
};

// queue_views.cpp
void DrawQueue(ViewContext& c);
void DrawTicket(ViewContext& c);
// number_views.cpp
void DrawNumbers(ViewContext& c);
// office_views.cpp
void DrawApprovals(ViewContext& c);
void DrawFollowUp(ViewContext& c);
void DrawReports(ViewContext& c);
void DrawSettings(ViewContext& c);
// device_views.cpp
void DrawDevices(ViewContext& c);
void DrawSync(ViewContext& c);

// Helpers (admin_shell.cpp).
// "2d 03h", "3h 12m", "12:34"; a leading minus once past.
std::string Countdown(std::chrono::seconds left);
ImVec4 UrgencyColour(core::admin::Urgency urgency);
void ColouredText(const ImVec4& colour, std::string_view text);
std::string LocalTime(const AdminFacts& facts, core::Timestamp t);
std::string_view StatusLabel(const ViewContext& c, const std::string& status);
std::string_view TypeLabel(const Ui& ui, core::TicketType type);
std::string_view TierLabel(const Ui& ui, core::Tier tier);
std::string_view ChannelLabel(const Ui& ui, core::ServiceChannel channel);
std::string_view RoleLabel(const Ui& ui, core::Role role);
std::string Yuan(core::Money fen);

}  // namespace kiosk::ui::admin
