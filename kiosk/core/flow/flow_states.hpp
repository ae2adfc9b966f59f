// The screens of the customer flow as states. Each state carries only what its screen shows that is
// not already in the session; FlowState is a variant, so a state without a screen does not compile.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/flow/product_directory.hpp"
#include "kiosk/core/queue_numbers.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core::flow {

struct Attract {};                 // waiting for a customer: start, check a ticket, rate, complain
struct ChooseLanguage {};
struct ScanProduct {};             // scan the product or the sales receipt, or choose another way
struct EnterGtin { bool invalid = false; };
struct SearchProduct { std::string query; std::vector<ProductSummary> results; };
struct BrowseCategories { std::vector<std::string> categories; };
struct BrowseProducts { std::string category; std::vector<ProductSummary> products; };
struct PickFromSale { std::vector<ProductSummary> lines; };  // a receipt with several products
struct EnterPurchaseDate { bool invalid = false; };         // no sale on record: ask when it was bought
struct ExplainDecision {};          // the warranty decision and its clause, in plain words
struct ChooseRemedy {};
struct ChooseProblem {};
struct SelfHelp { std::string categoryId; };
struct Describe {};
struct EnterPhone { bool invalid = false; bool needConsent = false; };
struct Review {};
struct Submitting {};               // filing the ticket and printing its receipt
struct Done {
    std::string ticketNumber;
    std::optional<Timestamp> due;   // when the resolution is due, from the SLA
    bool printed = false;
    bool printFailed = false;       // show the number and its QR code large enough to photograph
};
struct SelfHelpSolved {};
struct Declined {};                 // the customer took the product back as it is
struct CheckTicket {};              // scan a ticket receipt
struct TicketStatus {
    Ticket ticket;
    std::vector<TicketEvent> events;
    std::optional<Timestamp> due;
};
struct RateScan {};                 // scan the receipt of the ticket to rate
struct RateService { std::string ticketNumber; };
struct Feedback {};
struct ThankYou {};
struct StaffNeeded { std::string reason; };  // the reason is for logs; the customer sees "please ask staff"
struct ChooseQueueService {};       // take a number (取号): which service
// Where the number's slip is: the print worker reports it while the number is on screen.
enum class SlipState {
    Printing,        // queued for the printer
    Printed,
    PrinterProblem,  // the printer could not print it (or it could not be queued): ask staff
};
struct QueueNumberShown {           // the number taken, as its slip prints it
    TakenNumber taken;
    std::optional<std::int64_t> slipJob{};  // the slip's print job
    SlipState slip = SlipState::Printing;  // not printed: the number stays large enough to photograph
};

using FlowState = std::variant<Attract, ChooseLanguage, ScanProduct, EnterGtin, SearchProduct, BrowseCategories,
                               BrowseProducts, PickFromSale, EnterPurchaseDate, ExplainDecision, ChooseRemedy,
                               ChooseProblem, SelfHelp, Describe, EnterPhone, Review, Submitting, Done,
                               SelfHelpSolved, Declined, CheckTicket, TicketStatus, RateScan, RateService, Feedback,
                               ThankYou, StaffNeeded, ChooseQueueService, QueueNumberShown>;

// A stable name per screen: scripts say `expect-screen review`, timeouts are configured by it.
std::string_view ScreenName(const FlowState& state);

// A message over the current screen until the next tap.
enum class Notice {
    None,
    AdminLater,        // a staff badge: admin mode is not on the kiosk yet
    UnknownCode,       // a code we cannot place
    ProductNotFound,
    SaleNotFound,
    TicketNotFound,
    AlreadyRated,
    NotNow,            // a scan that makes no sense on this screen (e.g. while printing)
    Unavailable,       // the store could not be read; try again or ask staff
};
std::string_view ToString(Notice notice);

}  // namespace kiosk::core::flow
