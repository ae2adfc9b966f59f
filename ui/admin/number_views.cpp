// Queue numbers (取号) at the counter: per service who is being served and how many wait, "call next",
// and for each called number "served", "no-show" and linking it to the ticket open on the Ticket tab.
#include "kiosk/core/admin/actions.hpp"
#include "ui/admin/admin_views.hpp"

namespace kiosk::ui::admin {

namespace {

std::string NumberServiceName(const ViewContext& c, const std::string& id) {
    if (c.facts.queue != nullptr) {
        if (const core::QueueService* s = c.facts.queue->Find(id)) return s->name.In(c.ui.Language());
    }
    return id;
}

}  // namespace

void DrawNumbers(ViewContext& c) {
    const af::AdminView& view = c.View();
    c.ui.Title(c.ui.T("Queue numbers"));
    if (view.numbers.board.empty()) {
        c.ui.TextMuted(c.ui.T("This kiosk hands out no queue numbers."));
        return;
    }
    const bool canCall = c.Can(core::admin::action::kQueueCall);
    if (!canCall) c.ui.TextMuted(c.ui.T("Your role may not call queue numbers."));
    const std::string openTicket = view.ticket ? view.ticket->ticket.number : std::string();
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
    for (const core::QueueBoardRow& row : view.numbers.board) {
        ImGui::PushID(row.service.c_str());
        ImGui::Separator();
        c.ui.Text(Fill(c.ui.T("{0}: now serving {1}, {2} waiting"),
                       {NumberServiceName(c, row.service), row.nowServing.empty() ? std::string("-") : row.nowServing,
                        std::to_string(row.waiting)}));
        if (canCall && row.waiting > 0) {
            const std::string callId = "call-next-" + row.service;
            if (c.ui.Button(callId.c_str(), c.ui.T("Call next"), ButtonKind::Primary, third)) {
                c.Emit(af::CallNextNumber{row.service});
            }
        }
        for (const core::QueueTicket& t : view.numbers.today) {
            if (t.service != row.service || t.state != core::QueueState::Called) continue;
            ImGui::PushID(t.label.c_str());
            c.ui.Text(Fill(c.ui.T("{0} called at {1} by {2}"),
                           {t.label, t.calledAt ? LocalTime(c.facts, *t.calledAt) : std::string("-"), t.calledBy}) +
                      (t.ticketNumber.empty() ? std::string() : "  " + t.ticketNumber));
            if (canCall) {
                const std::string servedId = "served-" + t.label;
                const std::string noShowId = "no-show-" + t.label;
                if (c.ui.Button(servedId.c_str(), c.ui.T("Served"), ButtonKind::Secondary, third)) {
                    c.Emit(af::FinishNumber{t.label, true});
                }
                ImGui::SameLine();
                if (c.ui.Button(noShowId.c_str(), c.ui.T("No-show"), ButtonKind::Danger, third)) {
                    c.Emit(af::FinishNumber{t.label, false});
                }
                if (!openTicket.empty() && t.ticketNumber != openTicket) {
                    ImGui::SameLine();
                    const std::string linkId = "link-" + t.label;
                    if (c.ui.Button(linkId.c_str(), Fill(c.ui.T("Link to {0}"), {openTicket}), ButtonKind::Secondary, third)) {
                        c.Emit(af::LinkNumber{t.label, openTicket});
                    }
                }
            }
            ImGui::PopID();
        }
        ImGui::PopID();
    }
}

}  // namespace kiosk::ui::admin
