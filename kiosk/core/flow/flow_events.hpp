// What the customer flow hears (taps, scans, ticks, results of its commands) and what it asks the
// application to do (commands executed against the ports, whose results come back as events).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "kiosk/core/devices.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"
#include "kiosk/core/queue_numbers.hpp"
#include "kiosk/core/remedy.hpp"
#include "kiosk/core/scan.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core::flow {

// ---- Events: customer intents (from the screens), scans, time and results

struct Start {};
struct SetLanguage { Language language; };   // on any screen
struct Back {};
struct Home {};                               // cancel: wipe the session, back to attract
struct Next {};                               // continue on screens with a single way forward
struct OpenKeypad {};
struct OpenSearch {};
struct OpenBrowse {};
struct SubmitGtin { std::string digits; };
struct SearchFor { std::string text; };
struct PickCategory { std::string category; };
struct PickProduct { std::string gtin; };
struct SubmitPurchaseDate { std::string digits; };  // YYYYMMDD
struct PickRemedy { Remedy remedy; };
struct PickProblem { std::string categoryId; };
struct SelfHelpAnswer { bool solved = false; };
struct SubmitDescription { std::string text; };     // may be empty: skipped
// notify: the customer also asked for messages about the ticket (offered only when head office sends them).
struct SubmitPhone { std::string digits; bool consent = false; bool notify = false; };
struct SkipPhone {};
struct Confirm {};                                  // review accepted: file the ticket
struct OpenCheckTicket {};
struct OpenRate {};
struct OpenFeedback {};
struct SubmitRating { int score = 0; std::string comment; };  // 1..5
struct SubmitFeedback { std::string text; };
struct StillHere {};                                // answers "still there?"
struct DismissNotice {};
struct Scanned { ScanMeaning meaning; };
struct Tick {};                                     // time moved: the flow reads its clock
struct FrameFailed { std::string detail; };         // the UI could not draw: ask for staff
struct TicketCreated { Result<Ticket> ticket; };
struct PrintQueued { Result<std::int64_t> jobId; };
struct PrintUpdated { PrintJobUpdate update; };
struct RatingSaved { Result<void> saved; };
struct OpenQueue {};                                // take a number, from attract or at the end of a filing
struct PickQueueService { std::string service; };   // QueueService::id
// The number taken (or why not) and its slip's print job, queued for the print worker: its outcome
// arrives later as PrintUpdated for that job. No job: the slip could not be queued.
struct QueueNumberTaken { Result<TakenNumber> taken; std::optional<std::int64_t> slipJob{}; };

using FlowEvent = std::variant<Start, SetLanguage, Back, Home, Next, OpenKeypad, OpenSearch, OpenBrowse, SubmitGtin,
                               SearchFor, PickCategory, PickProduct, SubmitPurchaseDate, PickRemedy, PickProblem,
                               SelfHelpAnswer, SubmitDescription, SubmitPhone, SkipPhone, Confirm, OpenCheckTicket,
                               OpenRate, OpenFeedback, SubmitRating, SubmitFeedback, StillHere, DismissNotice,
                               Scanned, Tick, FrameFailed, TicketCreated, PrintQueued, PrintUpdated, RatingSaved,
                               OpenQueue, PickQueueService, QueueNumberTaken>;

// ---- Commands: writes the application performs, answering with the matching event

struct CreateTicketCommand { NewTicket ticket; };         // answer: TicketCreated
struct EnqueuePrintCommand { PrintRequest request; };     // answer: PrintQueued, later PrintUpdated
// The customer's CSAT answer for a ticket: score 1-5, the comment trimmed (may be empty).
struct RateCommand { std::string ticketNumber; int score = 0; std::string comment; };  // answer: RatingSaved

// Take the day's next number for a service and queue its slip in `language`.
struct TakeQueueNumberCommand { std::string service; Language language = Language::ZhHans; };  // answer: QueueNumberTaken, later PrintUpdated

using FlowCommand = std::variant<CreateTicketCommand, EnqueuePrintCommand, RateCommand, TakeQueueNumberCommand>;

}  // namespace kiosk::core::flow
