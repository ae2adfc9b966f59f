// Queue numbers (取号): choosing the service, the number taken, and the attract screen's "now serving".
#include "ui/screens/screens.hpp"

#include "ui/icons.hpp"

namespace kiosk::ui::screens {

namespace {

// A service's name in the customer's language; its id when the services file no longer has it.
std::string QueueServiceName(const Context& c, std::string_view id) {
    for (const core::QueueService& s : c.flow.QueueServiceList()) {
        if (s.id == id) return s.name.In(c.ui.Language());
    }
    return std::string(id);
}

}  // namespace

float QueueBoardHeight(const Context& c) {
    if (c.facts.queueBoard.empty() || c.flow.QueueServiceList().empty()) return 0.0f;
    return (ImGui::GetFontSize() + ImGui::GetStyle().ItemSpacing.y) * static_cast<float>(c.facts.queueBoard.size());
}

void QueueBoard(Context& c) {
    if (QueueBoardHeight(c) <= 0.0f) return;
    for (const core::QueueBoardRow& row : c.facts.queueBoard) {
        const std::string serving = row.nowServing.empty() ? std::string("-") : row.nowServing;
        c.ui.Centered(Fill(c.ui.T("{0}: now serving {1}, {2} waiting"),
                           {QueueServiceName(c, row.service), serving, std::to_string(row.waiting)}),
                      c.ui.Font().body);
        // For scripts: which number this frame shows as called ("now-serving-pickup-A001").
        if (!row.nowServing.empty()) c.ui.Tag(("now-serving-" + row.service + "-" + row.nowServing).c_str());
    }
}

void Draw(Context& c, const flow::ChooseQueueService&) {
    c.ui.Title(c.ui.T("Take a number: what do you need?"));
    c.ui.TextMuted(c.ui.T("Your number and the estimated wait are printed on a slip."));
    const float height = c.ui.Unit() * 1.6f;
    for (const core::QueueService& service : c.flow.QueueServiceList()) {
        const std::string id = "queue-" + service.id;
        if (c.ui.Tile(id.c_str(), icon::kTimer, service.name.In(c.ui.Language()), 0.0f, height)) {
            c.ui.Emit(flow::PickQueueService{service.id});
        }
    }
}

void Draw(Context& c, const flow::QueueNumberShown& s) {
    const core::TakenNumber& taken = s.taken;
    c.ui.Centered(c.ui.T("Your number"), c.ui.Font().title);
    c.ui.Centered(taken.ticket.label, c.ui.Font().huge);
    c.ui.Centered(QueueServiceName(c, taken.ticket.service), c.ui.Font().title);
    c.ui.Text(Fill(c.ui.T("People ahead of you: {0}"), {std::to_string(taken.peopleAhead)}));
    if (taken.estimatedWait) {
        const auto minutes = (taken.estimatedWait->count() + 59) / 60;
        c.ui.Text(Fill(c.ui.T("Estimated wait: about {0} min"), {std::to_string(minutes)}));
    }
    // The slip prints on the print worker's thread: this screen shows at once and follows it.
    switch (s.slip) {
        case flow::SlipState::Printing:
            c.ui.TextMuted(c.ui.T("Your slip is printing..."));
            c.ui.Tag("slip-printing");
            break;
        case flow::SlipState::Printed:
            c.ui.TextMuted(c.ui.T("Please take your slip and listen for your number."));
            c.ui.Tag("slip-printed");
            break;
        case flow::SlipState::PrinterProblem:
            c.ui.Text(c.ui.T("The printer has a problem: please ask staff. Your number stands: remember it or take a photo of this screen."));
            c.ui.Tag("slip-printer-problem");
            break;
    }
    c.ui.ActionRow();
    if (c.ui.Button("finish", c.ui.WithIcon(icon::kCheck, c.ui.T("Finish")), ButtonKind::Primary)) c.ui.Emit(flow::Next{});
}

}  // namespace kiosk::ui::screens
