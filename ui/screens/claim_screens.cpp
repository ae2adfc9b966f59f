// The claim: the warranty decision in plain words, the remedy, the problem, the details.
#include "ui/screens/screens.hpp"

#include "ui/icons.hpp"

namespace kiosk::ui::screens {

void Draw(Context& c, const flow::ExplainDecision&) {
    const flow::Session& session = c.flow.CurrentSession();
    if (!session.assessment || !session.product) return;
    const core::ClaimAssessment& a = *session.assessment;
    const core::WarrantyDecision& d = a.decision;
    c.ui.Title(session.product->name.In(c.ui.Language()));
    c.ui.Text(Fill(c.ui.T("Bought on {0}"), {core::FormatDate(a.purchasedOn)}));
    if (a.proofToVerify) c.ui.TextMuted(c.ui.T("We have no record of this purchase: staff will check your proof of purchase."));
    ImGui::Separator();
    c.ui.Title(d.covered ? c.ui.T("Good news: this is covered.") : c.ui.T("The free warranty does not cover this."));
    c.ui.Text(d.clause.text.In(c.ui.Language()));
    c.ui.TextMuted(Fill(c.ui.T("Rule: {0}"), {d.clause.id}));
    ImGui::Spacing();
    c.ui.Text(Fill(c.ui.T("Return possible until {0}"), {core::FormatDate(d.returnEnds)}));
    c.ui.Text(Fill(c.ui.T("Exchange possible until {0}"), {core::FormatDate(d.exchangeEnds)}));
    c.ui.Text(Fill(c.ui.T("Free repair until {0}"), {core::FormatDate(d.warrantyEnds)}));
    ImGui::Spacing();
    c.ui.ActionRow();
    if (c.ui.Button("next", c.ui.WithIcon(icon::kNext, c.ui.T("Continue")), ButtonKind::Primary)) c.ui.Emit(flow::Next{});
}

namespace {

std::string_view RemedyIcon(core::Remedy remedy) {
    switch (remedy) {
        case core::Remedy::Refund: return icon::kRefund;
        case core::Remedy::Exchange: return icon::kExchange;
        case core::Remedy::Repair: return icon::kRepair;
        case core::Remedy::PaidRepair: return icon::kRepair;
        case core::Remedy::Decline: return icon::kDecline;
    }
    return {};
}

}  // namespace

void Draw(Context& c, const flow::ChooseRemedy&) {
    const flow::Session& session = c.flow.CurrentSession();
    if (!session.assessment) return;
    c.ui.Title(c.ui.T("What would you like us to do?"));
    // The remedies as big tiles, two to a row; declining is the quiet last choice, across the width.
    const float half = c.ui.Share(2);
    int column = 0;
    bool paid = false;
    for (core::Remedy remedy : session.assessment->decision.remedies) {
        if (remedy == core::Remedy::Decline) continue;
        paid = paid || remedy == core::Remedy::PaidRepair;
        if (column == 1) ImGui::SameLine();
        const std::string id(RemedyId(remedy));
        if (c.ui.Tile(id.c_str(), RemedyIcon(remedy), RemedyLabel(c.ui, remedy), half)) c.ui.Emit(flow::PickRemedy{remedy});
        column = 1 - column;
    }
    if (paid) c.ui.TextMuted(c.ui.T("A technician checks the product and tells you the price before any work starts."));
    for (core::Remedy remedy : session.assessment->decision.remedies) {
        if (remedy != core::Remedy::Decline) continue;
        c.ui.ActionRow();
        const std::string id(RemedyId(remedy));
        if (c.ui.Button(id.c_str(), c.ui.WithIcon(icon::kDecline, RemedyLabel(c.ui, remedy)), ButtonKind::Danger)) {
            c.ui.Emit(flow::PickRemedy{remedy});
        }
    }
}

void Draw(Context& c, const flow::ChooseProblem&) {
    c.ui.Title(c.ui.T("What is the problem?"));
    for (const flow::ProblemCategory& category : c.flow.Faq().categories) {
        const std::string id = "problem-" + category.id;
        if (c.ui.Button(id.c_str(), category.label.In(c.ui.Language()))) c.ui.Emit(flow::PickProblem{category.id});
    }
}

void Draw(Context& c, const flow::SelfHelp& s) {
    const flow::ProblemCategory* category = c.flow.Faq().Find(s.categoryId);
    if (category == nullptr) return;
    c.ui.Title(c.ui.T("Before we file a ticket, please try this:"));
    int n = 1;
    for (const core::LocalizedText& suggestion : category->suggestions) {
        c.ui.Text(std::to_string(n++) + ". " + suggestion.In(c.ui.Language()));
    }
    ImGui::Spacing();
    c.ui.Title(c.ui.T("Did this solve it?"));
    c.ui.ActionRow();
    const float half = c.ui.Share(2);
    if (c.ui.Button("not-solved", c.ui.T("No, still a problem"), half)) c.ui.Emit(flow::SelfHelpAnswer{false});
    ImGui::SameLine();
    if (c.ui.Button("solved", c.ui.WithIcon(icon::kCheck, c.ui.T("Yes, solved")), ButtonKind::Primary, half)) {
        c.ui.Emit(flow::SelfHelpAnswer{true});
    }
}

void Draw(Context& c, const flow::Describe&) {
    c.ui.Title(c.ui.T("Describe the problem (optional)"));
    c.ui.Keyboard(c.buffers.text, 300);
    c.ui.ActionRow();
    const float half = c.ui.Share(2);
    if (c.ui.Button("skip", c.ui.T("Skip"), half)) c.ui.Emit(flow::SubmitDescription{""});
    ImGui::SameLine();
    if (c.ui.Button("next", c.ui.WithIcon(icon::kNext, c.ui.T("Continue")), ButtonKind::Primary, half)) {
        c.ui.Emit(flow::SubmitDescription{c.buffers.text});
    }
}

void Draw(Context& c, const flow::EnterPhone& s) {
    const bool offered = c.facts.messagesOffered && c.facts.messagesOffered();
    c.ui.Title(offered ? c.ui.T("Your phone number, so we can tell you when it is ready")
                       : c.ui.T("Your phone number, so staff can reach you about this ticket"));
    c.ui.BeginSplit(0.55f);
    c.ui.Keypad(c.buffers.digits, 15);
    c.ui.SplitNext();
    c.ui.TextMuted(c.ui.T("Privacy: your number is used only for this ticket and is masked on the receipt."));
    if (s.invalid) c.ui.TextMuted(c.ui.T("This phone number is not valid. Please check it."));
    if (s.needConsent) c.ui.TextMuted(c.ui.T("Please agree to the privacy notice to continue, or skip."));
    if (c.ui.Toggle("consent", c.buffers.consent ? c.ui.T("[x] I agree to the privacy notice")
                                                 : c.ui.T("[ ] I agree to the privacy notice"),
                    c.buffers.consent)) {
        c.buffers.consent = !c.buffers.consent;
    }
    if (offered && c.ui.Toggle("notify", c.buffers.notify ? c.ui.T("[x] Text me when it is ready") : c.ui.T("[ ] Text me when it is ready"),
                               c.buffers.notify)) {
        c.buffers.notify = !c.buffers.notify;
    }
    c.ui.ActionRow();
    const float half = c.ui.Share(2);
    if (c.ui.Button("skip", c.ui.T("Skip"), half)) c.ui.Emit(flow::SkipPhone{});
    ImGui::SameLine();
    if (c.ui.Button("ok", c.ui.WithIcon(icon::kNext, c.ui.T("Continue")), ButtonKind::Primary, half)) {
        c.ui.Emit(flow::SubmitPhone{c.buffers.digits, c.buffers.consent, offered && c.buffers.notify});
    }
    c.ui.EndSplit();
}

void Draw(Context& c, const flow::Review&) {
    const flow::Session& s = c.flow.CurrentSession();
    c.ui.Title(c.ui.T("Please check and confirm"));
    if (s.filing == core::TicketType::Complaint) {
        c.ui.Text(c.ui.T("Complaint or feedback"));
        c.ui.Text(s.feedback);
    } else {
        if (s.product) c.ui.Text(Fill(c.ui.T("Product: {0}"), {s.product->name.In(c.ui.Language())}));
        if (!s.serial.empty()) c.ui.Text(Fill(c.ui.T("Serial number: {0}"), {s.serial}));
        if (s.remedy) c.ui.Text(Fill(c.ui.T("You asked for: {0}"), {RemedyLabel(c.ui, *s.remedy)}));
        if (const flow::ProblemCategory* p = c.flow.Faq().Find(s.problemCategory)) {
            c.ui.Text(Fill(c.ui.T("Problem: {0}"), {p->label.In(c.ui.Language())}));
        }
        if (!s.description.empty()) c.ui.Text(Fill(c.ui.T("Description: {0}"), {s.description}));
    }
    c.ui.Text(Fill(c.ui.T("Phone: {0}"), {s.phone.empty() ? c.ui.T("not given") : core::MaskPhone(s.phone)}));
    ImGui::Spacing();
    c.ui.ActionRow(c.ui.Unit() * 1.5f);
    if (c.ui.Button("confirm", c.ui.WithIcon(icon::kPrint, c.ui.T("Confirm and print my ticket")), ButtonKind::Primary,
                    0.0f, c.ui.Unit() * 1.5f)) {
        c.ui.Emit(flow::Confirm{});
    }
}

}  // namespace kiosk::ui::screens
