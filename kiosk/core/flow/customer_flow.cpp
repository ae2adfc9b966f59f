// The customer flow's transitions, timeouts and session wipe.
#include "kiosk/core/flow/customer_flow.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace kiosk::core::flow {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};

// Overwrites the characters before releasing them, so a wiped session leaves no phone number or
// description behind in the freed buffer.
void SecureClear(std::string& text) {
    volatile char* bytes = text.data();
    for (std::size_t i = 0; i < text.size(); ++i) bytes[i] = '\0';
    text.clear();
    text.shrink_to_fit();
}

constexpr std::size_t kMaxFreeText = 1000;  // bytes of description or feedback kept

std::string Trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    std::string out(text.substr(first, last - first + 1));
    if (out.size() > kMaxFreeText) {
        // Cut on a UTF-8 character boundary.
        std::size_t cut = kMaxFreeText;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) --cut;
        out.resize(cut);
    }
    return out;
}

template <class S>
bool Is(const FlowState& state) {
    return std::holds_alternative<S>(state);
}

}  // namespace

std::string_view ScreenName(const FlowState& state) {
    return std::visit(Overloaded{
                          [](const Attract&) { return std::string_view("attract"); },
                          [](const ChooseLanguage&) { return std::string_view("language"); },
                          [](const ScanProduct&) { return std::string_view("scan"); },
                          [](const EnterGtin&) { return std::string_view("keypad"); },
                          [](const SearchProduct&) { return std::string_view("search"); },
                          [](const BrowseCategories&) { return std::string_view("browse"); },
                          [](const BrowseProducts&) { return std::string_view("browse-products"); },
                          [](const PickFromSale&) { return std::string_view("pick-from-sale"); },
                          [](const EnterPurchaseDate&) { return std::string_view("purchase-date"); },
                          [](const ExplainDecision&) { return std::string_view("decision"); },
                          [](const ChooseRemedy&) { return std::string_view("remedy"); },
                          [](const ChooseProblem&) { return std::string_view("problem"); },
                          [](const SelfHelp&) { return std::string_view("self-help"); },
                          [](const Describe&) { return std::string_view("describe"); },
                          [](const EnterPhone&) { return std::string_view("phone"); },
                          [](const Review&) { return std::string_view("review"); },
                          [](const Submitting&) { return std::string_view("printing"); },
                          [](const Done&) { return std::string_view("done"); },
                          [](const SelfHelpSolved&) { return std::string_view("solved"); },
                          [](const Declined&) { return std::string_view("declined"); },
                          [](const CheckTicket&) { return std::string_view("check-ticket"); },
                          [](const TicketStatus&) { return std::string_view("ticket-status"); },
                          [](const RateScan&) { return std::string_view("rate-scan"); },
                          [](const RateService&) { return std::string_view("rate"); },
                          [](const Feedback&) { return std::string_view("feedback"); },
                          [](const ThankYou&) { return std::string_view("thank-you"); },
                          [](const StaffNeeded&) { return std::string_view("staff"); },
                          [](const ChooseQueueService&) { return std::string_view("queue-service"); },
                          [](const QueueNumberShown&) { return std::string_view("queue-number"); },
                      },
                      state);
}

std::string_view ToString(Notice notice) {
    switch (notice) {
        case Notice::None: return "none";
        case Notice::AdminLater: return "admin-later";
        case Notice::UnknownCode: return "unknown-code";
        case Notice::ProductNotFound: return "product-not-found";
        case Notice::SaleNotFound: return "sale-not-found";
        case Notice::TicketNotFound: return "ticket-not-found";
        case Notice::AlreadyRated: return "already-rated";
        case Notice::NotNow: return "not-now";
        case Notice::Unavailable: return "unavailable";
    }
    return "none";
}

CustomerFlow::CustomerFlow(FlowDeps deps, FlowSettings settings)
    : m_deps(deps), m_settings(std::move(settings)), m_state(Attract{}), m_lastActivity(deps.clock.Now()) {
    m_session.language = m_settings.defaultLanguage;
}

void CustomerFlow::Touch() {
    m_lastActivity = m_deps.clock.Now();
    m_stillThereUntil.reset();
}

void CustomerFlow::Go(FlowState next, bool remember) {
    if (remember) {
        m_history.push_back(std::move(m_state));
    } else {
        m_history.clear();
    }
    m_state = std::move(next);
    ++m_generation;
    Touch();
}

void CustomerFlow::Wipe() {
    SecureClear(m_session.phone);
    SecureClear(m_session.description);
    SecureClear(m_session.feedback);
    SecureClear(m_session.serial);
    SecureClear(m_session.orderNumber);
    m_session = Session{};
    m_session.language = m_settings.defaultLanguage;
    m_history.clear();
    m_history.shrink_to_fit();
    m_notice = Notice::None;
    m_stillThereUntil.reset();
}

bool CustomerFlow::Finished() const {
    return Is<Done>(m_state) || Is<ThankYou>(m_state) || Is<SelfHelpSolved>(m_state) || Is<Declined>(m_state) ||
           Is<QueueNumberShown>(m_state);
}

bool CustomerFlow::CanGoBack() const {
    if (m_history.empty()) return false;
    return !(Finished() || Is<Attract>(m_state) || Is<Submitting>(m_state) || Is<StaffNeeded>(m_state));
}

std::chrono::seconds CustomerFlow::TimeoutOf(const FlowState& state) const {
    if (Finished()) return m_settings.finishedTimeout;
    const auto it = m_settings.screenTimeouts.find(std::string(ScreenName(state)));
    return it != m_settings.screenTimeouts.end() ? it->second : m_settings.idleTimeout;
}

std::optional<std::chrono::seconds> CustomerFlow::StillThereLeft() const {
    if (!m_stillThereUntil) return std::nullopt;
    return std::max(std::chrono::seconds{0}, *m_stillThereUntil - m_deps.clock.Now());
}

std::optional<Timestamp> CustomerFlow::NextDeadline() const {
    if (Is<Attract>(m_state)) return std::nullopt;
    if (m_stillThereUntil) return m_stillThereUntil;
    return m_lastActivity + TimeoutOf(m_state);
}

// [SECTION] Time

template <>
void CustomerFlow::On(const Tick&) {
    if (Is<Attract>(m_state)) return;
    const Timestamp now = m_deps.clock.Now();
    if (Finished()) {
        if (now - m_lastActivity >= m_settings.finishedTimeout) {
            Wipe();
            Go(Attract{}, false);
        }
        return;
    }
    if (Is<Submitting>(m_state)) {
        // The printer never answered: the ticket exists, so show its number and QR code anyway.
        if (now - m_lastActivity < TimeoutOf(m_state)) return;
        if (!m_session.ticketNumber.empty()) {
            Go(Done{m_session.ticketNumber, m_session.due, false, true}, false);
        } else {
            Wipe();
            Go(StaffNeeded{"no answer from the ticket store"}, false);
        }
        return;
    }
    if (m_stillThereUntil) {
        if (now >= *m_stillThereUntil) {
            ++m_outputs.sessionsTimedOut;
            Wipe();
            Go(Attract{}, false);
        }
        return;
    }
    if (now - m_lastActivity >= TimeoutOf(m_state)) m_stillThereUntil = now + m_settings.stillThereTimeout;
}

template <>
void CustomerFlow::On(const StillHere&) {}

template <>
void CustomerFlow::On(const DismissNotice&) {}

template <>
void CustomerFlow::On(const FrameFailed& event) {
    Wipe();
    Go(StaffNeeded{event.detail}, false);
}

// [SECTION] Navigation

template <>
void CustomerFlow::On(const Start&) {
    if (Is<Attract>(m_state)) Go(ChooseLanguage{});
}

template <>
void CustomerFlow::On(const SetLanguage& event) {
    m_session.language = event.language;
    if (Is<ChooseLanguage>(m_state)) Go(ScanProduct{});
}

template <>
void CustomerFlow::On(const Back&) {
    if (!CanGoBack()) return;
    m_state = std::move(m_history.back());
    m_history.pop_back();
    ++m_generation;
}

template <>
void CustomerFlow::On(const Home&) {
    Wipe();
    Go(Attract{}, false);
}

template <>
void CustomerFlow::On(const Next&) {
    if (Is<ChooseLanguage>(m_state)) {
        Go(ScanProduct{});
    } else if (Is<ExplainDecision>(m_state)) {
        Go(ChooseRemedy{});
    } else if (Is<Describe>(m_state)) {
        Go(EnterPhone{});
    } else if (Finished() || Is<TicketStatus>(m_state) || Is<StaffNeeded>(m_state)) {
        Wipe();
        Go(Attract{}, false);
    }
}

template <>
void CustomerFlow::On(const OpenKeypad&) {
    if (Is<ScanProduct>(m_state)) Go(EnterGtin{});
}

template <>
void CustomerFlow::On(const OpenSearch&) {
    if (Is<ScanProduct>(m_state)) Go(SearchProduct{});
}

template <>
void CustomerFlow::On(const OpenBrowse&) {
    if (!Is<ScanProduct>(m_state)) return;
    auto categories = m_deps.directory.Categories();
    if (!categories) {
        m_notice = Notice::Unavailable;
        return;
    }
    Go(BrowseCategories{std::move(*categories)});
}

template <>
void CustomerFlow::On(const OpenCheckTicket&) {
    if (Is<Attract>(m_state)) Go(CheckTicket{});
}

template <>
void CustomerFlow::On(const OpenRate&) {
    if (Is<Attract>(m_state)) Go(RateScan{});
}

template <>
void CustomerFlow::On(const OpenFeedback&) {
    if (Is<Attract>(m_state)) Go(Feedback{});
}

// [SECTION] Finding the product

template <>
void CustomerFlow::On(const SubmitGtin& event) {
    auto* keypad = std::get_if<EnterGtin>(&m_state);
    if (keypad == nullptr) return;
    auto gtin = Gtin::Parse(event.digits);
    if (!gtin) {
        keypad->invalid = true;
        return;
    }
    ClaimFromProductCode(*gtin, {});
}

template <>
void CustomerFlow::On(const SearchFor& event) {
    auto* search = std::get_if<SearchProduct>(&m_state);
    if (search == nullptr) return;
    auto results = m_deps.directory.Search(event.text, m_settings.listLimit);
    if (!results) {
        m_notice = Notice::Unavailable;
        return;
    }
    search->query = event.text;
    search->results = std::move(*results);
}

template <>
void CustomerFlow::On(const PickCategory& event) {
    if (!Is<BrowseCategories>(m_state)) return;
    auto products = m_deps.directory.InCategory(event.category, m_settings.listLimit);
    if (!products) {
        m_notice = Notice::Unavailable;
        return;
    }
    Go(BrowseProducts{event.category, std::move(*products)});
}

template <>
void CustomerFlow::On(const PickProduct& event) {
    const bool fromList = Is<SearchProduct>(m_state) || Is<BrowseProducts>(m_state) || Is<PickFromSale>(m_state);
    if (!fromList) return;
    auto gtin = Gtin::Parse(event.gtin);
    if (!gtin) return;
    std::string serial;
    if (Is<PickFromSale>(m_state)) {
        // The sale names the line's serial: keep it with the claim.
        auto sale = m_deps.catalog.FindSale(m_session.orderNumber);
        if (sale && *sale) {
            for (const SaleLine& line : (*sale)->lines) {
                if (line.gtin == *gtin) serial = line.serial;
            }
        }
    } else {
        m_session.orderNumber.clear();
    }
    ClaimFromProductCode(*gtin, std::move(serial));
}

void CustomerFlow::OnScan(const ScanMeaning& meaning) {
    std::visit(Overloaded{
                   [this](const ProductScan& scan) { ClaimFromProductCode(scan.gtin, scan.serial); },
                   [this](const SerialScan& scan) { ClaimFromSerial(scan.serial); },
                   [this](const SalesReceiptScan& scan) { ClaimFromSale(scan.orderNumber); },
                   [this](const TicketReceiptScan& scan) {
                       if (Is<RateScan>(m_state)) {
                           OpenRating(scan.number);
                       } else {
                           OpenTicketStatus(scan.number);
                       }
                   },
                   [this](const StaffBadgeScan&) { m_notice = Notice::AdminLater; },
                   [this](const EnrolmentTokenScan&) { m_notice = Notice::AdminLater; },
                   [this](const UnknownScan&) { m_notice = Notice::UnknownCode; },
               },
               meaning);
}

template <>
void CustomerFlow::On(const Scanned& event) {
    // Nothing may interrupt a ticket being filed; elsewhere a scan always means something.
    const bool interrupts = !std::holds_alternative<StaffBadgeScan>(event.meaning) &&
                            !std::holds_alternative<EnrolmentTokenScan>(event.meaning) &&
                            !std::holds_alternative<UnknownScan>(event.meaning);
    if (Is<Submitting>(m_state) && interrupts) {
        m_notice = Notice::NotNow;
        return;
    }
    OnScan(event.meaning);
}

void CustomerFlow::ClaimFromProductCode(const Gtin& gtin, std::string serial) {
    auto product = m_deps.catalog.FindProduct(gtin);
    if (!product) {
        m_notice = Notice::Unavailable;
        return;
    }
    if (!*product) {
        m_notice = Notice::ProductNotFound;
        return;
    }
    std::string orderNumber = Is<PickFromSale>(m_state) ? m_session.orderNumber : std::string{};
    if (orderNumber.empty() && !serial.empty()) {
        auto sale = m_deps.catalog.FindSaleBySerial(serial);
        if (sale && *sale) orderNumber = (*sale)->orderNumber;
    }
    StartClaim(std::move(**product), std::move(serial), std::move(orderNumber));
}

void CustomerFlow::ClaimFromSerial(const std::string& serial) {
    auto sale = m_deps.catalog.FindSaleBySerial(serial);
    if (!sale) {
        m_notice = Notice::Unavailable;
        return;
    }
    if (!*sale) {
        m_notice = Notice::ProductNotFound;
        return;
    }
    for (const SaleLine& line : (*sale)->lines) {
        if (line.serial != serial) continue;
        auto product = m_deps.catalog.FindProduct(line.gtin);
        if (!product || !*product) {
            m_notice = product ? Notice::ProductNotFound : Notice::Unavailable;
            return;
        }
        StartClaim(std::move(**product), serial, (*sale)->orderNumber);
        return;
    }
    m_notice = Notice::ProductNotFound;
}

void CustomerFlow::ClaimFromSale(const std::string& orderNumber) {
    auto sale = m_deps.catalog.FindSale(orderNumber);
    if (!sale) {
        m_notice = Notice::Unavailable;
        return;
    }
    if (!*sale || (*sale)->lines.empty()) {
        m_notice = Notice::SaleNotFound;
        return;
    }
    std::vector<ProductSummary> lines;
    for (const SaleLine& line : (*sale)->lines) {
        const bool seen = std::ranges::any_of(lines, [&](const ProductSummary& s) { return s.gtin == line.gtin; });
        if (seen) continue;
        auto product = m_deps.catalog.FindProduct(line.gtin);
        if (!product) {
            m_notice = Notice::Unavailable;
            return;
        }
        if (*product) lines.push_back(ProductSummary{line.gtin, (*product)->name, (*product)->category});
    }
    if (lines.empty()) {
        m_notice = Notice::ProductNotFound;
        return;
    }
    if (lines.size() == 1) {
        auto product = m_deps.catalog.FindProduct(lines.front().gtin);
        if (!product || !*product) {
            m_notice = Notice::Unavailable;
            return;
        }
        std::string serial;
        for (const SaleLine& line : (*sale)->lines) {
            if (line.gtin == lines.front().gtin) serial = line.serial;
        }
        StartClaim(std::move(**product), std::move(serial), orderNumber);
        return;
    }
    // A new claim starts here: whatever was chosen before does not carry over.
    const Language language = m_session.language;
    Wipe();
    m_session.language = language;
    m_session.orderNumber = orderNumber;
    Go(PickFromSale{std::move(lines)});
}

void CustomerFlow::StartClaim(Product product, std::string serial, std::string orderNumber) {
    // A claim started on a later screen replaces the one in progress, keeping the language.
    const Language language = m_session.language;
    const bool fromAttract = Is<Attract>(m_state) || Is<TicketStatus>(m_state) || Finished();
    auto history = std::move(m_history);
    Wipe();
    if (!fromAttract) m_history = std::move(history);
    m_session.language = language;
    m_session.product = std::move(product);
    m_session.serial = std::move(serial);
    m_session.orderNumber = std::move(orderNumber);
    m_session.filing = TicketType::Repair;
    if (fromAttract) Go(ScanProduct{}, false);
    Assess();
}

void CustomerFlow::Assess() {
    ClaimFacts facts;
    facts.gtin = m_session.product->gtin;
    facts.serial = m_session.serial;
    facts.orderNumber = m_session.orderNumber;
    facts.statedPurchase = m_session.statedPurchase;
    facts.today = LocalDate(m_deps.clock.Now(), m_deps.calendar.utcOffset);
    auto assessment = AssessClaim(m_deps.catalog, m_deps.policy, facts);
    if (assessment) {
        m_session.assessment = std::move(*assessment);
        Go(ExplainDecision{});
        return;
    }
    const bool noProof = m_session.orderNumber.empty() && !m_session.statedPurchase;
    if (assessment.error().code == ErrorCode::InvalidInput && noProof) {
        Go(EnterPurchaseDate{});
    } else if (assessment.error().code == ErrorCode::NotFound) {
        m_notice = Notice::SaleNotFound;
    } else {
        Go(StaffNeeded{assessment.error().message}, false);
    }
}

template <>
void CustomerFlow::On(const SubmitPurchaseDate& event) {
    auto* state = std::get_if<EnterPurchaseDate>(&m_state);
    if (state == nullptr || !m_session.product) return;
    const std::string& d = event.digits;
    const bool digits = d.size() == 8 && std::ranges::all_of(d, [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
        state->invalid = true;
        return;
    }
    const std::chrono::year_month_day date{std::chrono::year{std::stoi(d.substr(0, 4))},
                                           std::chrono::month{static_cast<unsigned>(std::stoi(d.substr(4, 2)))},
                                           std::chrono::day{static_cast<unsigned>(std::stoi(d.substr(6, 2)))}};
    const Date today = LocalDate(m_deps.clock.Now(), m_deps.calendar.utcOffset);
    if (!date.ok() || date > today) {
        state->invalid = true;
        return;
    }
    m_session.statedPurchase = date;
    Assess();
}

// [SECTION] Decision, remedy, problem, details

template <>
void CustomerFlow::On(const PickRemedy& event) {
    if (!Is<ChooseRemedy>(m_state) || !m_session.assessment) return;
    const auto& allowed = m_session.assessment->decision.remedies;
    if (std::ranges::find(allowed, event.remedy) == allowed.end()) return;
    if (event.remedy == Remedy::Decline) {
        Wipe();
        Go(Declined{}, false);
        return;
    }
    m_session.remedy = event.remedy;
    m_session.filing = TicketTypeFor(event.remedy).value_or(TicketType::Repair);
    if (m_deps.faq.categories.empty()) {
        Go(Describe{});
    } else {
        Go(ChooseProblem{});
    }
}

template <>
void CustomerFlow::On(const PickProblem& event) {
    if (!Is<ChooseProblem>(m_state)) return;
    const ProblemCategory* category = m_deps.faq.Find(event.categoryId);
    if (category == nullptr) return;
    m_session.problemCategory = category->id;
    if (category->suggestions.empty()) {
        Go(Describe{});
        return;
    }
    ++m_outputs.selfHelp.offered;
    ++m_outputs.selfHelpByCategory[category->id].offered;
    Go(SelfHelp{category->id});
}

template <>
void CustomerFlow::On(const SelfHelpAnswer& event) {
    const auto* state = std::get_if<SelfHelp>(&m_state);
    if (state == nullptr) return;
    auto& perCategory = m_outputs.selfHelpByCategory[state->categoryId];
    if (event.solved) {
        ++m_outputs.selfHelp.solved;
        ++perCategory.solved;
        Wipe();
        Go(SelfHelpSolved{}, false);
    } else {
        ++m_outputs.selfHelp.notSolved;
        ++perCategory.notSolved;
        Go(Describe{});
    }
}

template <>
void CustomerFlow::On(const SubmitDescription& event) {
    if (!Is<Describe>(m_state)) return;
    SecureClear(m_session.description);
    m_session.description = Trimmed(event.text);
    Go(EnterPhone{});
}

template <>
void CustomerFlow::On(const SubmitFeedback& event) {
    if (!Is<Feedback>(m_state)) return;
    std::string text = Trimmed(event.text);
    if (text.empty()) return;
    m_session.feedback = std::move(text);
    m_session.filing = TicketType::Complaint;
    Go(EnterPhone{});
}

template <>
void CustomerFlow::On(const SubmitPhone& event) {
    auto* state = std::get_if<EnterPhone>(&m_state);
    if (state == nullptr) return;
    auto phone = NormalizePhone(event.digits);
    state->invalid = !phone.has_value();
    state->needConsent = phone.has_value() && !event.consent;
    if (state->invalid || state->needConsent) return;
    m_session.phone = std::move(*phone);
    m_session.consent = true;
    m_session.notify = event.notify;
    Go(Review{});
}

template <>
void CustomerFlow::On(const SkipPhone&) {
    if (!Is<EnterPhone>(m_state)) return;
    SecureClear(m_session.phone);
    m_session.consent = false;
    m_session.notify = false;
    Go(Review{});
}

// [SECTION] Filing and printing

template <>
void CustomerFlow::On(const Confirm&) {
    if (Is<Review>(m_state)) FileTicket();
}

void CustomerFlow::FileTicket() {
    NewTicket ticket;
    ticket.type = m_session.filing;
    ticket.language = m_session.language;
    ticket.customerPhone = m_session.phone;
    ticket.notify = m_session.notify && !m_session.phone.empty();
    if (!m_session.phone.empty()) {
        auto history = m_deps.catalog.HistoryOf(m_session.phone);
        if (history) ticket.customerTier = DeriveTier(*history, m_settings.tiers);
    }
    if (m_session.filing == TicketType::Complaint) {
        ticket.description = m_session.feedback;
    } else {
        if (m_session.product) ticket.gtin = m_session.product->gtin.Digits14();
        ticket.serial = m_session.serial;
        ticket.orderNumber = m_session.orderNumber;
        if (m_session.assessment) {
            const ClaimAssessment& a = *m_session.assessment;
            ticket.purchasedOn = a.purchasedOn;
            ticket.proofToVerify = a.proofToVerify;
            ticket.clauseId = a.decision.clause.id;
            ticket.policyVersion = m_deps.policy.version;
            ticket.component = a.decision.component;
        }
        ticket.remedy = m_session.remedy;
        ticket.fault = "performance";
        ticket.problemCategory = m_session.problemCategory;
        ticket.description = m_session.description;
    }
    m_commands.emplace_back(CreateTicketCommand{std::move(ticket)});
    Go(Submitting{}, false);
}

std::optional<Timestamp> CustomerFlow::DueOf(const Ticket& ticket, const std::vector<TicketEvent>& events) const {
    auto status = EvaluateSla(m_deps.sla, m_deps.calendar, m_deps.lifecycle, ticket.filed.type,
                              ticket.filed.customerTier, events, m_deps.clock.Now());
    if (!status) return std::nullopt;
    return status->resolution.due;
}

template <>
void CustomerFlow::On(const TicketCreated& event) {
    if (!Is<Submitting>(m_state)) return;
    if (!event.ticket) {
        Wipe();
        Go(StaffNeeded{event.ticket.error().message}, false);
        return;
    }
    const Ticket& ticket = *event.ticket;
    ++m_outputs.ticketsFiled;
    m_session.ticketNumber = ticket.number;
    if (auto events = m_deps.tickets.EventsOf(ticket.number)) m_session.due = DueOf(ticket, *events);
    m_commands.emplace_back(
        EnqueuePrintCommand{PrintRequest{ticket.number, ReceiptKind::CustomerReceipt, m_session.language, false}});
}

template <>
void CustomerFlow::On(const PrintQueued& event) {
    if (!Is<Submitting>(m_state)) return;
    if (!event.jobId) {
        Go(Done{m_session.ticketNumber, m_session.due, false, true}, false);
        return;
    }
    m_session.printJob = *event.jobId;
}

template <>
void CustomerFlow::On(const PrintUpdated& event) {
    const PrintJobUpdate& update = event.update;
    if (Is<Submitting>(m_state) && update.ticketNumber == m_session.ticketNumber) {
        if (update.state == PrintJobState::Printed) {
            Go(Done{m_session.ticketNumber, m_session.due, true, false}, false);
        } else if (update.state == PrintJobState::Failed ||
                   (update.state == PrintJobState::Queued && !update.detail.empty())) {
            // Given up, or back in the queue after an error: the customer leaves with the number on
            // screen rather than waiting for the printer; the job prints when the printer is back.
            Go(Done{m_session.ticketNumber, m_session.due, false, true}, false);
        }
        return;
    }
    // A queue number's slip: its outcome shows under the number while it is on screen. Back in the
    // queue after an error means the printer has a problem now: the customer asks staff rather than
    // waiting (the slip may still print if the printer comes back soon, and the screen says so).
    if (auto* shown = std::get_if<QueueNumberShown>(&m_state); shown != nullptr && shown->slipJob == update.jobId) {
        if (update.state == PrintJobState::Printed) {
            shown->slip = SlipState::Printed;
        } else if (update.state == PrintJobState::Failed ||
                   (update.state == PrintJobState::Queued && !update.detail.empty())) {
            shown->slip = SlipState::PrinterProblem;
        }
        return;
    }
    // A queued job that prints on a retry while the done screen is still up.
    if (auto* done = std::get_if<Done>(&m_state);
        done != nullptr && done->ticketNumber == update.ticketNumber && update.state == PrintJobState::Printed) {
        done->printed = true;
        done->printFailed = false;
    }
}

// [SECTION] Ticket status and rating

void CustomerFlow::OpenTicketStatus(const TicketNumber& number) {
    const std::string text = number.Format();
    auto ticket = m_deps.tickets.FindTicket(text);
    auto events = m_deps.tickets.EventsOf(text);
    if (!ticket || !events) {
        m_notice = Notice::Unavailable;
        return;
    }
    if (!*ticket) {
        m_notice = Notice::TicketNotFound;
        return;
    }
    const Language language = m_session.language;
    Wipe();
    m_session.language = language;
    auto due = DueOf(**ticket, *events);
    Go(TicketStatus{std::move(**ticket), std::move(*events), due}, false);
}

void CustomerFlow::OpenRating(const TicketNumber& number) {
    const std::string text = number.Format();
    auto ticket = m_deps.tickets.FindTicket(text);
    auto events = m_deps.tickets.EventsOf(text);
    if (!ticket || !events) {
        m_notice = Notice::Unavailable;
        return;
    }
    if (!*ticket) {
        m_notice = Notice::TicketNotFound;
        return;
    }
    const bool rated = std::ranges::any_of(*events, [](const TicketEvent& e) {
        return e.kind == EventKind::Rated;
    });
    if (rated) {
        m_notice = Notice::AlreadyRated;
        return;
    }
    Go(RateService{text});
}

template <>
void CustomerFlow::On(const SubmitRating& event) {
    const auto* state = std::get_if<RateService>(&m_state);
    if (state == nullptr || event.score < 1 || event.score > 5) return;
    m_commands.emplace_back(RateCommand{state->ticketNumber, event.score, Trimmed(event.comment)});
}

template <>
void CustomerFlow::On(const RatingSaved& event) {
    if (!Is<RateService>(m_state)) return;
    if (!event.saved) {
        m_notice = Notice::Unavailable;
        return;
    }
    ++m_outputs.ratings;
    Wipe();
    Go(ThankYou{}, false);
}

// [SECTION] Queue numbers (取号)

const std::vector<QueueService>& CustomerFlow::QueueServiceList() const {
    static const std::vector<QueueService> kNone;
    return m_deps.queue != nullptr ? m_deps.queue->services : kNone;
}

template <>
void CustomerFlow::On(const OpenQueue&) {
    // From the attract screen, or once a ticket is filed: the customer queues for the counter next.
    if (QueueServiceList().empty() || !(Is<Attract>(m_state) || Is<Done>(m_state))) return;
    Go(ChooseQueueService{});
}

template <>
void CustomerFlow::On(const PickQueueService& event) {
    if (!Is<ChooseQueueService>(m_state) || m_deps.queue == nullptr || m_deps.queue->Find(event.service) == nullptr) return;
    m_commands.emplace_back(TakeQueueNumberCommand{event.service, m_session.language});
}

template <>
void CustomerFlow::On(const QueueNumberTaken& event) {
    if (!Is<ChooseQueueService>(m_state)) return;
    if (!event.taken) {
        m_notice = Notice::Unavailable;
        return;
    }
    Go(QueueNumberShown{*event.taken, event.slipJob, event.slipJob ? SlipState::Printing : SlipState::PrinterProblem}, false);
}

// [SECTION] Dispatch (after every On<> specialisation it instantiates)

std::vector<FlowCommand> CustomerFlow::Handle(const FlowEvent& event) {
    m_commands.clear();
    // Results and ticks are not the customer: they neither count as activity nor dismiss a notice.
    const bool byCustomer = !std::holds_alternative<Tick>(event) && !std::holds_alternative<TicketCreated>(event) &&
                            !std::holds_alternative<PrintQueued>(event) &&
                            !std::holds_alternative<PrintUpdated>(event) && !std::holds_alternative<RatingSaved>(event) &&
                            !std::holds_alternative<QueueNumberTaken>(event);
    if (byCustomer) {
        Touch();
        m_notice = Notice::None;
    }
    std::visit([this](const auto& e) { On(e); }, event);
    return std::exchange(m_commands, {});
}

}  // namespace kiosk::core::flow
