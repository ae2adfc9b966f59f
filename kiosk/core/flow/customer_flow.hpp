// The customer flow: a state machine over FlowState, driven by FlowEvent, emitting FlowCommand.
// It reads through the ports (catalog, tickets, product directory) and writes only through commands,
// so the application decides where and when writes happen. Time comes from the injected clock.
//
// - Inactivity: after a screen's idle timeout the flow asks "still there?" (StillThereUntil()); when
//   that runs out too, the session is wiped and the flow returns to Attract. Finished screens (done,
//   thank you) go back to Attract without asking.
// - Any screen accepts a scan: a product or sales receipt starts or restarts a claim, one of our
//   ticket receipts opens its status, a staff badge shows a notice.
// - Generation() changes on every state entry, so screens reset their local buffers.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/business_calendar.hpp"
#include "kiosk/core/claim.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/customer.hpp"
#include "kiosk/core/flow/faq.hpp"
#include "kiosk/core/flow/flow_events.hpp"
#include "kiosk/core/flow/flow_states.hpp"
#include "kiosk/core/flow/product_directory.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/ports.hpp"
#include "kiosk/core/sla.hpp"
#include "kiosk/core/warranty.hpp"

namespace kiosk::core::flow {

struct FlowSettings {
    Language defaultLanguage = Language::ZhHans;
    std::chrono::seconds idleTimeout{60};                       // every screen without its own
    std::map<std::string, std::chrono::seconds> screenTimeouts;  // by ScreenName: "phone" -> 120 s
    std::chrono::seconds stillThereTimeout{20};
    std::chrono::seconds finishedTimeout{30};                   // done, thank you, solved, declined
    TierThresholds tiers;
    int listLimit = 24;                                         // search and browse results shown
};

// What the customer has told the kiosk so far. Wiped on timeout, on Home and when a session ends.
struct Session {
    Language language = Language::ZhHans;
    std::optional<Product> product;
    std::string serial;
    std::string orderNumber;
    std::optional<Date> statedPurchase;
    std::optional<ClaimAssessment> assessment;
    std::optional<Remedy> remedy;
    std::string problemCategory;
    std::string description;
    std::string phone;
    bool consent = false;
    bool notify = false;  // messages about the ticket, to the phone above
    std::string feedback;
    TicketType filing = TicketType::Repair;
    std::string ticketNumber;
    std::optional<Timestamp> due;
    std::int64_t printJob = 0;
};

// Counts the flow keeps for reports: how often self-help was offered and whether it helped.
struct FlowOutputs {
    struct SelfHelpCount {
        int offered = 0;
        int solved = 0;
        int notSolved = 0;
    };
    SelfHelpCount selfHelp;
    std::map<std::string, SelfHelpCount> selfHelpByCategory;
    int sessionsTimedOut = 0;
    int ticketsFiled = 0;
    int ratings = 0;
};

struct FlowDeps {
    CatalogReader& catalog;
    TicketStore& tickets;          // read only: status and ratings; writes go out as commands
    ProductDirectory& directory;
    const PolicyTable& policy;
    const SlaPolicy& sla;
    const BusinessCalendar& calendar;
    const Lifecycle& lifecycle;
    const FaqCatalog& faq;
    const Clock& clock;
    // The services a customer can take a queue number for; none (nullptr or empty): no "take a number".
    const QueueServices* queue = nullptr;
};

class CustomerFlow {
public:
    CustomerFlow(FlowDeps deps, FlowSettings settings);

    // Runs the transition for `event` and returns the writes to perform, in order. Never fails: what
    // goes wrong becomes a notice or the StaffNeeded state.
    std::vector<FlowCommand> Handle(const FlowEvent& event);

    const FlowState& State() const { return m_state; }
    const Session& CurrentSession() const { return m_session; }
    Language CurrentLanguage() const { return m_session.language; }
    Notice CurrentNotice() const { return m_notice; }
    std::optional<Timestamp> StillThereUntil() const { return m_stillThereUntil; }
    // Seconds left on the "still there?" countdown, or nullopt when it is not showing.
    std::optional<std::chrono::seconds> StillThereLeft() const;
    const FlowOutputs& Outputs() const { return m_outputs; }
    std::uint64_t Generation() const { return m_generation; }
    bool CanGoBack() const;
    // When the flow next needs a Tick to act (a timeout), or nullopt when only input can change it.
    std::optional<Timestamp> NextDeadline() const;

    const PolicyTable& Policy() const { return m_deps.policy; }
    const FaqCatalog& Faq() const { return m_deps.faq; }
    // Empty when the store hands out no queue numbers.
    const std::vector<QueueService>& QueueServiceList() const;

private:
    template <class E> void On(const E& event);

    void Go(FlowState next, bool remember = true);
    void Wipe();
    void Touch();
    std::chrono::seconds TimeoutOf(const FlowState& state) const;
    bool Finished() const;

    void OnScan(const ScanMeaning& meaning);
    void StartClaim(Product product, std::string serial, std::string orderNumber);
    void ClaimFromProductCode(const Gtin& gtin, std::string serial);
    void ClaimFromSale(const std::string& orderNumber);
    void ClaimFromSerial(const std::string& serial);
    void Assess();
    void OpenTicketStatus(const TicketNumber& number);
    void OpenRating(const TicketNumber& number);
    std::optional<Timestamp> DueOf(const Ticket& ticket, const std::vector<TicketEvent>& events) const;
    void FileTicket();

    FlowDeps m_deps;
    FlowSettings m_settings;
    FlowState m_state;
    std::vector<FlowState> m_history;  // for Back
    Session m_session;
    Notice m_notice = Notice::None;
    Timestamp m_lastActivity;
    std::optional<Timestamp> m_stillThereUntil;
    FlowOutputs m_outputs;
    std::uint64_t m_generation = 0;
    std::vector<FlowCommand> m_commands;  // collected during one Handle
};

}  // namespace kiosk::core::flow
