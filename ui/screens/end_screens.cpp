// The end of a visit: printing, the ticket, and the other ways a visit ends.
#include "ui/screens/screens.hpp"

#include "ui/icons.hpp"

namespace kiosk::ui::screens {

void Draw(Context& c, const flow::Submitting&) {
    ImGui::Dummy(ImVec2(0, c.ui.Unit()));
    c.ui.Centered(c.ui.WithIcon(icon::kPrint, c.ui.T("Printing your ticket...")), c.ui.Font().title);
}

void Draw(Context& c, const flow::Done& s) {
    c.ui.Centered(c.ui.T("Your ticket number"), c.ui.Font().title);
    c.ui.Centered(s.ticketNumber, c.ui.Font().huge);
    // The ticket's code as the receipt prints it: a photo of it works at the kiosk's scanner too. Beside
    // the words on a landscape screen, above them in portrait.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const bool portrait = ImGui::GetMainViewport()->Size.y > ImGui::GetMainViewport()->Size.x;
    const float room = portrait ? std::min(avail.x * 0.6f, avail.y * 0.4f) : avail.y - c.ui.Unit() - ImGui::GetStyle().ItemSpacing.y * 2.0f;
    const float side = std::clamp(room, c.ui.Unit() * 2.0f, c.ui.Unit() * 6.0f);
    if (portrait) ImGui::SetCursorPosX((ImGui::GetWindowWidth() - side) * 0.5f);
    c.ui.BeginSplit(std::min(0.5f, (side + ImGui::GetStyle().ItemSpacing.x * 2.0f) / avail.x));
    if (!portrait) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetStyle().ItemSpacing.x);
    if (c.facts.qrFor) c.ui.Qr(c.facts.qrFor(s.ticketNumber), side);
    c.ui.SplitNext();
    if (s.printFailed) {
        c.ui.Title(c.ui.T("The printer is not working right now. Please take a photo of this number and code."));
        c.ui.TextMuted(c.ui.T("Your receipt stays in the queue and staff can print it for you."));
    } else {
        c.ui.Title(c.ui.T("Please take your receipt."));
        c.ui.TextMuted(c.ui.T("This code is your ticket: scan it here later to see its status."));
    }
    // The promise only when this customer asked for messages and head office sends them.
    c.ui.Text(c.flow.CurrentSession().notify ? c.ui.T("Next: bring the product to the service counter. We will message you when it is ready.")
                       : c.ui.T("Next: bring the product to the service counter."));
    if (s.due) c.ui.Title(Fill(c.ui.T("We aim to finish by {0}"), {LocalTime(c.facts, *s.due)}));
    c.ui.ActionRow();
    // Filed: the customer may queue for the counter straight away.
    if (!c.flow.QueueServiceList().empty()) {
        const float half = c.ui.Share(2);
        if (c.ui.Button("take-number", c.ui.WithIcon(icon::kTimer, c.ui.T("Take a number")), ButtonKind::Secondary, half)) {
            c.ui.Emit(flow::OpenQueue{});
        }
        ImGui::SameLine();
        if (c.ui.Button("finish", c.ui.WithIcon(icon::kCheck, c.ui.T("Finish")), ButtonKind::Primary, half)) c.ui.Emit(flow::Next{});
    } else if (c.ui.Button("finish", c.ui.WithIcon(icon::kCheck, c.ui.T("Finish")), ButtonKind::Primary)) {
        c.ui.Emit(flow::Next{});
    }
    c.ui.EndSplit();
}

void Draw(Context& c, const flow::SelfHelpSolved&) {
    c.ui.Title(c.ui.T("Glad it works again!"));
    c.ui.Text(c.ui.T("No ticket was filed. If the problem comes back, you are welcome to return."));
    c.ui.ActionRow();
    if (c.ui.Button("finish", c.ui.WithIcon(icon::kCheck, c.ui.T("Finish")), ButtonKind::Primary)) c.ui.Emit(flow::Next{});
}

void Draw(Context& c, const flow::Declined&) {
    c.ui.Title(c.ui.T("Nothing was filed."));
    c.ui.Text(c.ui.T("Thank you for visiting. Staff at the counter are happy to help."));
    c.ui.ActionRow();
    if (c.ui.Button("finish", c.ui.WithIcon(icon::kCheck, c.ui.T("Finish")), ButtonKind::Primary)) c.ui.Emit(flow::Next{});
}

void Draw(Context& c, const flow::ThankYou&) {
    c.ui.Title(c.ui.T("Thank you for your feedback!"));
    c.ui.ActionRow();
    if (c.ui.Button("finish", c.ui.WithIcon(icon::kCheck, c.ui.T("Finish")), ButtonKind::Primary)) c.ui.Emit(flow::Next{});
}

void Draw(Context& c, const flow::StaffNeeded&) {
    ImGui::Dummy(ImVec2(0, c.ui.Unit()));
    c.ui.Centered(c.ui.T("Sorry, something went wrong."), c.ui.Font().title);
    c.ui.Centered(c.ui.WithIcon(icon::kHelp, c.ui.T("Please ask a member of staff for help.")), c.ui.Font().title);
    c.ui.ActionRow();
    if (c.ui.Button("finish", c.ui.WithIcon(icon::kStartOver, c.ui.T("Start over")), ButtonKind::Primary)) {
        c.ui.Emit(flow::Next{});
    }
}

}  // namespace kiosk::ui::screens
