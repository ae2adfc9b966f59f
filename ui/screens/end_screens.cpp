// The end of a visit: printing, the ticket, and the other ways a visit ends.
#include "ui/screens/screens.hpp"

namespace kiosk::ui::screens {

void Draw(Context& c, const flow::Submitting&) {
    ImGui::Dummy(ImVec2(0, c.ui.Unit()));
    c.ui.Centered(c.ui.T("Printing your ticket..."), c.ui.Font().title);
}

void Draw(Context& c, const flow::Done& s) {
    c.ui.Centered(c.ui.T("Your ticket number"), c.ui.Font().title);
    c.ui.Centered(s.ticketNumber, c.ui.Font().huge);
    if (s.printFailed) {
        c.ui.Title(c.ui.T("The printer is not working right now. Please take a photo of this number and code."));
        const float side = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetContentRegionAvail().y * 0.55f);
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - side) * 0.5f);
        if (c.facts.qrFor) c.ui.Qr(c.facts.qrFor(s.ticketNumber), side);
        c.ui.TextMuted(c.ui.T("Your receipt stays in the queue and staff can print it for you."));
    } else {
        c.ui.Text(c.ui.T("Please take your receipt."));
    }
    c.ui.Text(c.ui.T("Next: bring the product to the service counter. We will message you when it is ready."));
    if (s.due) c.ui.Title(Fill(c.ui.T("We aim to finish by {0}"), {LocalTime(c.facts, *s.due)}));
    if (c.ui.Button("finish", c.ui.T("Finish"))) c.ui.Emit(flow::Next{});
}

void Draw(Context& c, const flow::SelfHelpSolved&) {
    c.ui.Title(c.ui.T("Glad it works again!"));
    c.ui.Text(c.ui.T("No ticket was filed. If the problem comes back, you are welcome to return."));
    if (c.ui.Button("finish", c.ui.T("Finish"))) c.ui.Emit(flow::Next{});
}

void Draw(Context& c, const flow::Declined&) {
    c.ui.Title(c.ui.T("Nothing was filed."));
    c.ui.Text(c.ui.T("Thank you for visiting. Staff at the counter are happy to help."));
    if (c.ui.Button("finish", c.ui.T("Finish"))) c.ui.Emit(flow::Next{});
}

void Draw(Context& c, const flow::ThankYou&) {
    c.ui.Title(c.ui.T("Thank you for your feedback!"));
    if (c.ui.Button("finish", c.ui.T("Finish"))) c.ui.Emit(flow::Next{});
}

void Draw(Context& c, const flow::StaffNeeded&) {
    ImGui::Dummy(ImVec2(0, c.ui.Unit()));
    c.ui.Centered(c.ui.T("Sorry, something went wrong."), c.ui.Font().title);
    c.ui.Centered(c.ui.T("Please ask a member of staff for help."), c.ui.Font().title);
    if (c.ui.Button("finish", c.ui.T("Start over"))) c.ui.Emit(flow::Next{});
}

}  // namespace kiosk::ui::screens
