// Services for a ticket already filed: its status, a rating, and complaints.
#include "ui/screens/screens.hpp"

#include "ui/icons.hpp"

namespace kiosk::ui::screens {

void Draw(Context& c, const flow::CheckTicket&) {
    c.ui.Title(c.ui.T("Scan the code on your service receipt"));
    c.ui.TextMuted(c.ui.T("Hold the receipt under the scanner below the screen."));
    ScanPicture(c.ui, std::min(ImGui::GetContentRegionAvail().y * 0.8f, c.ui.Unit() * 7.0f));
}

void Draw(Context& c, const flow::TicketStatus& s) {
    c.ui.Title(Fill(c.ui.T("Ticket {0}"), {s.ticket.number}));
    const core::StatusInfo* status =
        c.facts.lifecycle != nullptr ? c.facts.lifecycle->FindStatus(s.ticket.status) : nullptr;
    c.ui.Title(Fill(c.ui.T("Status: {0}"), {status != nullptr ? status->label.In(c.ui.Language()) : s.ticket.status}));
    if (s.due) c.ui.Text(Fill(c.ui.T("Due by {0}"), {LocalTime(c.facts, *s.due)}));
    ImGui::Separator();
    for (const core::TicketEvent& event : s.events) {
        if (event.kind == core::EventKind::Created) {
            c.ui.Text(LocalTime(c.facts, event.at) + "  " + std::string(c.ui.T("Ticket filed")));
        } else if (event.kind == core::EventKind::StatusChanged) {
            const core::StatusInfo* to =
                c.facts.lifecycle != nullptr ? c.facts.lifecycle->FindStatus(event.toStatus) : nullptr;
            c.ui.Text(LocalTime(c.facts, event.at) + "  " + (to != nullptr ? to->label.In(c.ui.Language()) : event.toStatus));
        }
    }
    c.ui.ActionRow();
    if (c.ui.Button("finish", c.ui.WithIcon(icon::kCheck, c.ui.T("Finish")), ButtonKind::Primary)) c.ui.Emit(flow::Next{});
}

void Draw(Context& c, const flow::RateScan&) {
    c.ui.Title(c.ui.T("To rate our service, scan the code on your service receipt"));
    ScanPicture(c.ui, std::min(ImGui::GetContentRegionAvail().y * 0.8f, c.ui.Unit() * 7.0f));
}

void Draw(Context& c, const flow::RateService& s) {
    c.ui.Title(Fill(c.ui.T("How was our service for ticket {0}?"), {s.ticketNumber}));
    const char* faces[] = {":-((", ":-(", ":-|", ":-)", ":-D"};
    const float width = (ImGui::GetContentRegionAvail().x - 4.0f * ImGui::GetStyle().ItemSpacing.x) / 5.0f;
    for (int score = 1; score <= 5; ++score) {
        if (score > 1) ImGui::SameLine();
        const std::string id = "face-" + std::to_string(score);
        if (c.ui.Toggle(id.c_str(), faces[score - 1], c.buffers.score == score, width)) c.buffers.score = score;
    }
    c.ui.Text(c.ui.T("Comment (optional)"));
    c.ui.Keyboard(c.buffers.text, 300);
    if (c.buffers.score > 0 && c.ui.Button("submit", c.ui.WithIcon(icon::kNext, c.ui.T("Send")), ButtonKind::Primary)) {
        c.ui.Emit(flow::SubmitRating{c.buffers.score, c.buffers.text});
    }
}

void Draw(Context& c, const flow::Feedback&) {
    c.ui.Title(c.ui.T("Tell us what happened"));
    c.ui.Keyboard(c.buffers.text, 500);
    c.ui.ActionRow();
    if (c.ui.Button("submit", c.ui.WithIcon(icon::kNext, c.ui.T("Continue")), ButtonKind::Primary)) {
        c.ui.Emit(flow::SubmitFeedback{c.buffers.text});
    }
}

}  // namespace kiosk::ui::screens
