// A customer flow on the real policy, SLA, calendar and lifecycle tables, with in-memory ports and a
// manual clock; commands are executed the way the application does, results fed back as events.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/policy_loader.hpp"
#include "kiosk/config/sla_loader.hpp"
#include "kiosk/core/flow/customer_flow.hpp"

namespace kiosk::testing {

using namespace kiosk::core;
using namespace kiosk::core::flow;

template <class T>
T Must(Result<T> result) {
    if (!result) FAIL(result.error().message);
    return std::move(*result);
}

inline Gtin G(std::string_view digits) { return Must(Gtin::Parse(digits)); }

class MemoryCatalog final : public CatalogReader {
public:
    std::vector<Product> products;
    std::vector<Sale> sales;
    bool failing = false;

    Result<std::optional<Product>> FindProduct(const Gtin& gtin) override {
        if (failing) return Fail(ErrorCode::Storage, "disk on fire");
        for (const Product& p : products) {
            if (p.gtin == gtin) return p;
        }
        return std::nullopt;
    }
    Result<std::optional<Sale>> FindSale(std::string_view orderNumber) override {
        for (const Sale& s : sales) {
            if (s.orderNumber == orderNumber) return s;
        }
        return std::nullopt;
    }
    Result<std::optional<Sale>> FindSaleBySerial(std::string_view serial) override {
        for (const Sale& s : sales) {
            for (const SaleLine& l : s.lines) {
                if (!serial.empty() && l.serial == serial) return s;
            }
        }
        return std::nullopt;
    }
    Result<CustomerHistory> HistoryOf(std::string_view) override { return CustomerHistory{}; }
    Result<std::optional<Staff>> FindStaff(std::string_view) override { return std::nullopt; }
};

class MemoryTickets final : public TicketStore {
public:
    explicit MemoryTickets(const Lifecycle& lifecycle) : m_lifecycle(lifecycle) {}
    std::map<std::string, std::vector<TicketEvent>> events;
    int sequence = 0;
    bool failing = false;

    Result<Ticket> CreateTicket(const NewTicket& request, const Actor& actor, Timestamp now) override {
        if (failing) return Fail(ErrorCode::Storage, "disk full");
        TicketNumber number{"S001", "K1", LocalDate(now, std::chrono::hours{8}), ++sequence};
        TicketEvent event;
        event.id = "e" + std::to_string(sequence);
        event.ticketNumber = number.Format();
        event.kind = EventKind::Created;
        event.actor = actor;
        event.at = now;
        event.toStatus = m_lifecycle.initialStatus;
        event.created = request;
        events[event.ticketNumber] = {event};
        return ProjectTicket(events[event.ticketNumber], m_lifecycle);
    }
    Result<Ticket> TransitionTicket(std::string_view, std::string_view, const Actor&, std::string_view,
                                    Timestamp) override {
        return Fail(ErrorCode::Forbidden, "not in these tests");
    }
    Result<Ticket> AddNote(std::string_view number, const Actor& actor, std::string_view note,
                           Timestamp now) override {
        auto it = events.find(std::string(number));
        if (it == events.end()) return Fail(ErrorCode::NotFound, "no ticket");
        TicketEvent event;
        event.id = "n" + std::to_string(it->second.size());
        event.ticketNumber = std::string(number);
        event.kind = EventKind::NoteAdded;
        event.actor = actor;
        event.at = now;
        event.note = std::string(note);
        it->second.push_back(event);
        return ProjectTicket(it->second, m_lifecycle);
    }
    Result<Ticket> RateTicket(std::string_view number, int score, std::string_view comment, Timestamp now) override {
        auto it = events.find(std::string(number));
        if (it == events.end()) return Fail(ErrorCode::NotFound, "no ticket");
        TicketEvent event;
        event.id = "r" + std::to_string(it->second.size());
        event.ticketNumber = std::string(number);
        event.kind = EventKind::Rated;
        event.actor = Actor{Role::Customer, "customer"};
        event.at = now;
        event.value = std::to_string(score);
        event.note = std::string(comment);
        it->second.push_back(event);
        return ProjectTicket(it->second, m_lifecycle);
    }
    Result<std::optional<Ticket>> FindTicket(std::string_view number) override {
        auto it = events.find(std::string(number));
        if (it == events.end()) return std::nullopt;
        auto ticket = ProjectTicket(it->second, m_lifecycle);
        if (!ticket) return std::unexpected(ticket.error());
        return std::optional<Ticket>(std::move(*ticket));
    }
    Result<std::vector<TicketEvent>> EventsOf(std::string_view number) override {
        auto it = events.find(std::string(number));
        if (it == events.end()) return std::vector<TicketEvent>{};
        return it->second;
    }
    Result<std::vector<Ticket>> ListTickets(const TicketFilter&) override { return std::vector<Ticket>{}; }

private:
    const Lifecycle& m_lifecycle;
};

class MemoryDirectory final : public ProductDirectory {
public:
    explicit MemoryDirectory(const MemoryCatalog& catalog) : m_catalog(catalog) {}
    Result<std::vector<std::string>> Categories() override {
        std::vector<std::string> out;
        for (const Product& p : m_catalog.products) {
            if (std::ranges::find(out, p.category) == out.end()) out.push_back(p.category);
        }
        std::ranges::sort(out);
        return out;
    }
    Result<std::vector<ProductSummary>> InCategory(std::string_view category, int) override {
        std::vector<ProductSummary> out;
        for (const Product& p : m_catalog.products) {
            if (p.category == category) out.push_back({p.gtin, p.name, p.category});
        }
        return out;
    }
    Result<std::vector<ProductSummary>> Search(std::string_view text, int) override {
        std::vector<ProductSummary> out;
        if (text.empty()) return out;
        for (const Product& p : m_catalog.products) {
            if (p.name.en.find(text) != std::string::npos || p.name.zhHans.find(text) != std::string::npos) {
                out.push_back({p.gtin, p.name, p.category});
            }
        }
        return out;
    }

private:
    const MemoryCatalog& m_catalog;
};

// The demo phone (sold 15 November 2026 with serial SN1), a laptop sold long ago, two products on one
// receipt; "today" is Sunday 22 November 2026, 14:00 store time.
struct FlowFixture {
    PolicyTable policy = Must(config::LoadPolicyFile(KIOSK_TEST_ASSET_DIR "/policy/sanbao.toml"));
    SlaPolicy sla = Must(config::LoadSlaPolicyFile(KIOSK_TEST_ASSET_DIR "/sla.toml"));
    BusinessCalendar calendar = Must(config::LoadCalendarFile(KIOSK_TEST_ASSET_DIR "/calendar.toml"));
    Lifecycle lifecycle = Must(config::LoadLifecycleFile(KIOSK_TEST_ASSET_DIR "/lifecycle.toml"));
    ManualClock clock{Must(ParseTimestamp("2026-11-22T06:00:00Z"))};
    MemoryCatalog catalog;
    MemoryTickets tickets{lifecycle};
    MemoryDirectory directory{catalog};
    FaqCatalog faq;
    FlowSettings settings;
    std::unique_ptr<CustomerFlow> flow;
    std::vector<FlowCommand> executed;
    std::vector<PrintRequest> printed;
    bool printerFails = false;
    bool printerSilent = false;

    static constexpr std::string_view kPhone = "6910000000006";
    static constexpr std::string_view kLaptop = "6920000000005";
    static constexpr std::string_view kCable = "6930000000004";

    FlowFixture() {
        Product phone{G(kPhone), "PH-1", {"星河 A1 手机", "星河 A1 手機", "Xinghe A1 Phone"}, "phone", 565900, "sanbao",
                      true, {}};
        Product laptop{G(kLaptop), "PC-1", {"笔记本", "筆記本", "Laptop"}, "computer", 800000, "sanbao", false, {}};
        Product cable{G(kCable), "CB-1", {"数据线", "數據線", "Cable"}, "small_electronics", 3900, "sanbao", false, {}};
        catalog.products = {phone, laptop, cable};
        const Date nov15 = Must(ParseDate("2026-11-15"));
        catalog.sales = {
            Sale{"SO-1", "S001", nov15, "13800138000", {SaleLine{G(kPhone), "SN1", 565900}}},
            Sale{"SO-2", "S001", Must(ParseDate("2020-01-10")), "", {SaleLine{G(kLaptop), "", 800000}}},
            Sale{"SO-3", "S001", nov15, "", {SaleLine{G(kPhone), "SN3", 565900}, SaleLine{G(kCable), "", 3900}}},
        };
        faq.categories = {
            ProblemCategory{"battery", {"电池", "電池", "Battery"}, {{"充电", "充電", "Charge it for an hour"}}},
            ProblemCategory{"other", {"其他", "其他", "Other"}, {}},
        };
        settings.screenTimeouts["phone"] = std::chrono::seconds{120};
        Reset();
    }

    void Reset() {
        flow = std::make_unique<CustomerFlow>(
            FlowDeps{catalog, tickets, directory, policy, sla, calendar, lifecycle, faq, clock}, settings);
    }

    // Handles the event, then executes the commands as the application does, feeding results back.
    void Send(const FlowEvent& event) {
        std::vector<FlowCommand> pending = flow->Handle(event);
        while (!pending.empty()) {
            FlowCommand command = std::move(pending.front());
            pending.erase(pending.begin());
            executed.push_back(command);
            std::vector<FlowCommand> more;
            if (auto* create = std::get_if<CreateTicketCommand>(&command)) {
                more = flow->Handle(TicketCreated{
                    tickets.CreateTicket(create->ticket, Actor{Role::Customer, "customer"}, clock.Now())});
            } else if (auto* print = std::get_if<EnqueuePrintCommand>(&command)) {
                printed.push_back(print->request);
                more = flow->Handle(PrintQueued{std::int64_t{static_cast<std::int64_t>(printed.size())}});
                if (!printerSilent) {
                    const auto state = printerFails ? PrintJobState::Failed : PrintJobState::Printed;
                    auto updates = flow->Handle(PrintUpdated{PrintJobUpdate{
                        static_cast<std::int64_t>(printed.size()), print->request.ticketNumber, state, ""}});
                    more.insert(more.end(), updates.begin(), updates.end());
                }
            } else if (auto* rate = std::get_if<RateCommand>(&command)) {
                auto saved = tickets.RateTicket(rate->ticketNumber, rate->score, rate->comment, clock.Now());
                more = flow->Handle(RatingSaved{saved ? Result<void>{} : std::unexpected(saved.error())});
            }
            pending.insert(pending.end(), more.begin(), more.end());
        }
    }

    void Advance(int seconds) {
        clock.Advance(std::chrono::seconds{seconds});
        Send(Tick{});
    }

    std::string Screen() const { return std::string(ScreenName(flow->State())); }

    static Scanned ProductCode(std::string_view gtin, std::string serial = {}) {
        ProductScan scan{G(gtin), std::move(serial), {}, {}, {}, {}};
        return Scanned{scan};
    }

    // Attract -> language -> scan the phone with its serial -> decision.
    void ToDecision(Language language = Language::En) {
        Send(Start{});
        Send(SetLanguage{language});
        Send(ProductCode(kPhone, "SN1"));
    }

    // ... -> remedy (repair) -> problem (battery) -> self-help (not solved) -> description -> phone -> review.
    void ToReview(Language language = Language::En) {
        ToDecision(language);
        Send(Next{});
        Send(PickRemedy{Remedy::Repair});
        Send(PickProblem{"battery"});
        Send(SelfHelpAnswer{false});
        Send(SubmitDescription{"It dies at 40%"});
        Send(SubmitPhone{"13800138000", true});
    }
};

}  // namespace kiosk::testing
