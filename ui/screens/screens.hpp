// One drawing function per flow state. Screens read the flow, edit their buffers and emit intents.
#pragma once

#include "kiosk/core/flow/customer_flow.hpp"
#include "ui/shell.hpp"
#include "ui/ui.hpp"

namespace kiosk::ui::screens {

namespace flow = core::flow;

struct Context {
    Ui& ui;
    const flow::CustomerFlow& flow;
    const ShellFacts& facts;
    ScreenBuffers& buffers;
};

// start_screens.cpp
void Draw(Context& c, const flow::Attract& s);
void Draw(Context& c, const flow::ChooseLanguage& s);
void Draw(Context& c, const flow::ScanProduct& s);
void Draw(Context& c, const flow::EnterGtin& s);
void Draw(Context& c, const flow::SearchProduct& s);
void Draw(Context& c, const flow::BrowseCategories& s);
void Draw(Context& c, const flow::BrowseProducts& s);
void Draw(Context& c, const flow::PickFromSale& s);
void Draw(Context& c, const flow::EnterPurchaseDate& s);
// claim_screens.cpp
void Draw(Context& c, const flow::ExplainDecision& s);
void Draw(Context& c, const flow::ChooseRemedy& s);
void Draw(Context& c, const flow::ChooseProblem& s);
void Draw(Context& c, const flow::SelfHelp& s);
void Draw(Context& c, const flow::Describe& s);
void Draw(Context& c, const flow::EnterPhone& s);
void Draw(Context& c, const flow::Review& s);
// end_screens.cpp
void Draw(Context& c, const flow::Submitting& s);
void Draw(Context& c, const flow::Done& s);
void Draw(Context& c, const flow::SelfHelpSolved& s);
void Draw(Context& c, const flow::Declined& s);
void Draw(Context& c, const flow::ThankYou& s);
void Draw(Context& c, const flow::StaffNeeded& s);
// queue_screens.cpp
void Draw(Context& c, const flow::ChooseQueueService& s);
void Draw(Context& c, const flow::QueueNumberShown& s);
// ticket_screens.cpp
void Draw(Context& c, const flow::CheckTicket& s);
void Draw(Context& c, const flow::TicketStatus& s);
void Draw(Context& c, const flow::RateScan& s);
void Draw(Context& c, const flow::RateService& s);
void Draw(Context& c, const flow::Feedback& s);

// Helpers shared by the screens.
std::string_view RemedyLabel(const Ui& ui, core::Remedy remedy);
std::string_view RemedyId(core::Remedy remedy);  // control id: "refund", "repair", ...
std::string LocalTime(const ShellFacts& facts, core::Timestamp t);
// The attract screen's "now serving" lines, one per service; their height (0 with no board) first.
float QueueBoardHeight(const Context& c);
void QueueBoard(Context& c);
// "Scan here": a barcode under the scanner's beam and an arrow down to the scanner, `height` tall.
void ScanPicture(Ui& ui, float height);

}  // namespace kiosk::ui::screens
