// The customer flow: every screen and transition, timeouts on a manual clock, the wipe, the printer
// failure path and a scan that is not a product on each screen.
#include <functional>
#include <set>

#include "flow/flow_fixture.hpp"

using namespace kiosk::testing;

TEST_CASE("a repair is filed from a scanned product to the done screen", "[flow]") {
    FlowFixture f;
    CHECK(f.Screen() == "attract");
    f.Send(Start{});
    CHECK(f.Screen() == "language");
    f.Send(SetLanguage{Language::ZhHant});
    CHECK(f.Screen() == "scan");
    CHECK(f.flow->CurrentLanguage() == Language::ZhHant);

    f.Send(FlowFixture::ProductCode(FlowFixture::kPhone, "SN1"));
    REQUIRE(f.Screen() == "decision");
    const auto& assessment = *f.flow->CurrentSession().assessment;
    CHECK(assessment.decision.covered);
    CHECK(assessment.decision.clause.id == "return-window");
    CHECK(assessment.sale->orderNumber == "SO-1");
    CHECK_FALSE(assessment.decision.clause.text.zhHant.empty());

    f.Send(Next{});
    CHECK(f.Screen() == "remedy");
    f.Send(PickRemedy{Remedy::Repair});
    CHECK(f.Screen() == "problem");
    f.Send(PickProblem{"battery"});
    CHECK(f.Screen() == "self-help");
    f.Send(SelfHelpAnswer{false});
    CHECK(f.Screen() == "describe");
    f.Send(SubmitDescription{"  它在 40% 时关机  "});
    CHECK(f.Screen() == "phone");
    f.Send(SubmitPhone{"138 0013 8000", true});
    CHECK(f.Screen() == "review");
    CHECK(f.flow->CurrentSession().phone == "13800138000");

    f.Send(Confirm{});
    REQUIRE(f.Screen() == "done");
    const auto& done = std::get<Done>(f.flow->State());
    CHECK(done.printed);
    CHECK_FALSE(done.printFailed);
    CHECK(done.due.has_value());
    REQUIRE(f.tickets.events.size() == 1);
    const NewTicket& filed = *f.tickets.events.begin()->second.front().created;
    CHECK(filed.type == TicketType::Repair);
    CHECK(filed.gtin == "06910000000006");
    CHECK(filed.serial == "SN1");
    CHECK(filed.orderNumber == "SO-1");
    CHECK(filed.remedy == Remedy::Repair);
    CHECK(filed.clauseId == "return-window");
    CHECK(filed.problemCategory == "battery");
    CHECK(filed.description == "它在 40% 时关机");
    CHECK(filed.customerPhone == "13800138000");
    CHECK(filed.language == Language::ZhHant);
    REQUIRE(f.printed.size() == 1);
    CHECK(f.printed.front().ticketNumber == done.ticketNumber);
    CHECK(f.printed.front().language == Language::ZhHant);
    CHECK(f.flow->Outputs().ticketsFiled == 1);
    CHECK(f.flow->Outputs().selfHelp.notSolved == 1);

    f.Send(Next{});
    CHECK(f.Screen() == "attract");
    CHECK(f.flow->CurrentSession().phone.empty());
}

TEST_CASE("only the remedies the policy allows can be chosen", "[flow]") {
    FlowFixture f;
    f.Send(Start{});
    f.Send(SetLanguage{Language::En});
    f.Send(Scanned{SalesReceiptScan{"SO-2"}});  // the laptop from 2020: out of warranty
    REQUIRE(f.Screen() == "decision");
    const auto& decision = f.flow->CurrentSession().assessment->decision;
    CHECK_FALSE(decision.covered);
    CHECK(decision.remedies == std::vector<Remedy>{Remedy::PaidRepair, Remedy::Decline});
    f.Send(Next{});
    f.Send(PickRemedy{Remedy::Refund});
    CHECK(f.Screen() == "remedy");
    f.Send(PickRemedy{Remedy::PaidRepair});
    CHECK(f.Screen() == "problem");
    CHECK(f.flow->CurrentSession().filing == TicketType::Repair);
}

TEST_CASE("declining ends the session without a ticket", "[flow]") {
    FlowFixture f;
    f.ToDecision();
    f.Send(Next{});
    f.Send(PickRemedy{Remedy::Decline});
    CHECK(f.Screen() == "declined");
    CHECK(f.tickets.events.empty());
    CHECK_FALSE(f.flow->CanGoBack());
    f.Advance(29);
    CHECK(f.Screen() == "declined");
    f.Advance(1);
    CHECK(f.Screen() == "attract");
}

TEST_CASE("self-help that solves the problem is counted and files nothing", "[flow]") {
    FlowFixture f;
    f.ToDecision();
    f.Send(Next{});
    f.Send(PickRemedy{Remedy::Exchange});
    f.Send(PickProblem{"battery"});
    f.Send(SelfHelpAnswer{true});
    CHECK(f.Screen() == "solved");
    CHECK(f.tickets.events.empty());
    const FlowOutputs& out = f.flow->Outputs();
    CHECK(out.selfHelp.offered == 1);
    CHECK(out.selfHelp.solved == 1);
    CHECK(out.selfHelpByCategory.at("battery").solved == 1);
    CHECK(f.flow->CurrentSession().product == std::nullopt);
}

TEST_CASE("a problem category without suggestions goes straight to the description", "[flow]") {
    FlowFixture f;
    f.ToDecision();
    f.Send(Next{});
    f.Send(PickRemedy{Remedy::Repair});
    f.Send(PickProblem{"nonsense"});
    CHECK(f.Screen() == "problem");
    f.Send(PickProblem{"other"});
    CHECK(f.Screen() == "describe");
    CHECK(f.flow->Outputs().selfHelp.offered == 0);
    f.Send(Next{});  // skipping the description
    CHECK(f.Screen() == "phone");
}

TEST_CASE("the phone needs a valid number and consent, or can be skipped", "[flow]") {
    FlowFixture f;
    f.ToReview();
    f.Send(Back{});
    REQUIRE(f.Screen() == "phone");
    f.Send(SubmitPhone{"12345", true});
    CHECK(std::get<EnterPhone>(f.flow->State()).invalid);
    f.Send(SubmitPhone{"13800138000", false});
    CHECK(std::get<EnterPhone>(f.flow->State()).needConsent);
    CHECK(f.Screen() == "phone");
    f.Send(SkipPhone{});
    CHECK(f.Screen() == "review");
    CHECK(f.flow->CurrentSession().phone.empty());
}

TEST_CASE("messages about the ticket go to a customer who asked for them with a phone", "[flow]") {
    FlowFixture f;
    f.ToReview();
    f.Send(Back{});
    REQUIRE(f.Screen() == "phone");
    f.Send(SubmitPhone{"13800138000", true, true});
    REQUIRE(f.Screen() == "review");
    CHECK(f.flow->CurrentSession().notify);
    f.Send(Back{});
    f.Send(SkipPhone{});  // no phone, so no messages, whatever was ticked before
    CHECK_FALSE(f.flow->CurrentSession().notify);
    f.Send(Back{});
    f.Send(SubmitPhone{"13800138000", true, true});
    f.Send(Confirm{});
    REQUIRE(f.tickets.events.size() == 1);
    const auto& filed = f.tickets.events.begin()->second.front().created;
    REQUIRE(filed);
    CHECK(filed->notify);
    CHECK(filed->customerPhone == "13800138000");
}

TEST_CASE("back walks the screens in reverse and stops where it must", "[flow]") {
    FlowFixture f;
    f.ToReview();
    for (const char* screen : {"phone", "describe", "self-help", "problem", "remedy", "decision", "scan", "language",
                               "attract"}) {
        f.Send(Back{});
        CHECK(f.Screen() == screen);
    }
    CHECK_FALSE(f.flow->CanGoBack());
}

TEST_CASE("finding the product without a barcode", "[flow]") {
    FlowFixture f;
    f.Send(Start{});
    f.Send(SetLanguage{Language::En});

    SECTION("typing the GTIN on the keypad") {
        f.Send(OpenKeypad{});
        CHECK(f.Screen() == "keypad");
        f.Send(SubmitGtin{"6910000000007"});
        CHECK(std::get<EnterGtin>(f.flow->State()).invalid);
        f.Send(SubmitGtin{"6999999999997"});
        CHECK(f.flow->CurrentNotice() == Notice::ProductNotFound);
        f.Send(SubmitGtin{std::string(FlowFixture::kCable)});
        // No serial and no receipt: the customer says when it was bought.
        REQUIRE(f.Screen() == "purchase-date");
        f.Send(SubmitPurchaseDate{"20261399"});
        CHECK(std::get<EnterPurchaseDate>(f.flow->State()).invalid);
        f.Send(SubmitPurchaseDate{"20261123"});
        CHECK(std::get<EnterPurchaseDate>(f.flow->State()).invalid);
        f.Send(SubmitPurchaseDate{"20261120"});
        REQUIRE(f.Screen() == "decision");
        CHECK(f.flow->CurrentSession().assessment->proofToVerify);
    }
    SECTION("searching by name") {
        f.Send(OpenSearch{});
        CHECK(f.Screen() == "search");
        f.Send(SearchFor{"Laptop"});
        const auto& search = std::get<SearchProduct>(f.flow->State());
        REQUIRE(search.results.size() == 1);
        f.Send(PickProduct{search.results.front().gtin.Digits14()});
        CHECK(f.Screen() == "purchase-date");
    }
    SECTION("browsing the categories") {
        f.Send(OpenBrowse{});
        REQUIRE(f.Screen() == "browse");
        CHECK(std::get<BrowseCategories>(f.flow->State()).categories ==
              std::vector<std::string>{"computer", "phone", "small_electronics"});
        f.Send(PickCategory{"phone"});
        REQUIRE(f.Screen() == "browse-products");
        f.Send(PickProduct{std::string(FlowFixture::kPhone)});
        CHECK(f.Screen() == "purchase-date");
    }
    SECTION("a receipt with two products asks which one") {
        f.Send(Scanned{SalesReceiptScan{"SO-3"}});
        REQUIRE(f.Screen() == "pick-from-sale");
        CHECK(std::get<PickFromSale>(f.flow->State()).lines.size() == 2);
        f.Send(PickProduct{std::string(FlowFixture::kPhone)});
        REQUIRE(f.Screen() == "decision");
        CHECK(f.flow->CurrentSession().serial == "SN3");
        CHECK(f.flow->CurrentSession().orderNumber == "SO-3");
    }
    SECTION("a serial number alone finds its sale") {
        f.Send(Scanned{SerialScan{"SN1", false}});
        REQUIRE(f.Screen() == "decision");
        CHECK(f.flow->CurrentSession().orderNumber == "SO-1");
    }
    SECTION("an unknown receipt is a notice") {
        f.Send(Scanned{SalesReceiptScan{"SO-404"}});
        CHECK(f.Screen() == "scan");
        CHECK(f.flow->CurrentNotice() == Notice::SaleNotFound);
        f.Send(DismissNotice{});
        CHECK(f.flow->CurrentNotice() == Notice::None);
    }
    SECTION("a store that cannot be read is a notice, not a crash") {
        f.catalog.failing = true;
        f.Send(FlowFixture::ProductCode(FlowFixture::kPhone));
        CHECK(f.Screen() == "scan");
        CHECK(f.flow->CurrentNotice() == Notice::Unavailable);
    }
}

TEST_CASE("language can be switched on every screen", "[flow]") {
    FlowFixture f;
    f.ToReview(Language::ZhHans);
    f.Send(SetLanguage{Language::En});
    CHECK(f.Screen() == "review");
    CHECK(f.flow->CurrentLanguage() == Language::En);
    f.Send(Confirm{});
    CHECK(f.printed.front().language == Language::En);
}

TEST_CASE("inactivity asks, then wipes the session and returns to attract", "[flow]") {
    FlowFixture f;
    f.ToReview();
    const auto generation = f.flow->Generation();
    CHECK(f.flow->NextDeadline() == f.clock.Now() + std::chrono::seconds{60});
    f.Advance(59);
    CHECK_FALSE(f.flow->StillThereUntil());
    f.Advance(1);
    REQUIRE(f.flow->StillThereUntil());
    CHECK(f.flow->StillThereLeft() == std::chrono::seconds{20});
    CHECK(f.flow->NextDeadline() == f.flow->StillThereUntil());

    SECTION("a tap answers the question and keeps everything") {
        f.Send(StillHere{});
        CHECK_FALSE(f.flow->StillThereUntil());
        CHECK(f.Screen() == "review");
        CHECK(f.flow->CurrentSession().phone == "13800138000");
    }
    SECTION("no answer wipes") {
        f.Advance(19);
        CHECK(f.Screen() == "review");
        f.Advance(1);
        CHECK(f.Screen() == "attract");
        const Session& s = f.flow->CurrentSession();
        CHECK(s.phone.empty());
        CHECK(s.description.empty());
        CHECK_FALSE(s.product);
        CHECK_FALSE(s.assessment);
        CHECK(s.language == Language::ZhHans);
        CHECK_FALSE(f.flow->CanGoBack());
        CHECK(f.flow->Generation() > generation);
        CHECK(f.flow->Outputs().sessionsTimedOut == 1);
        CHECK_FALSE(f.flow->NextDeadline());
        CHECK(f.tickets.events.empty());
    }
}

TEST_CASE("timeouts are configured per screen", "[flow]") {
    FlowFixture f;
    f.ToReview();
    f.Send(Back{});
    REQUIRE(f.Screen() == "phone");
    f.Advance(119);
    CHECK_FALSE(f.flow->StillThereUntil());
    f.Advance(1);
    CHECK(f.flow->StillThereUntil());
}

TEST_CASE("attract never times out", "[flow]") {
    FlowFixture f;
    f.Advance(100000);
    CHECK(f.Screen() == "attract");
    CHECK_FALSE(f.flow->NextDeadline());
}

TEST_CASE("when the printer fails the done screen says so and the job stays queued", "[flow]") {
    FlowFixture f;
    f.printerFails = true;
    f.ToReview();
    f.Send(Confirm{});
    REQUIRE(f.Screen() == "done");
    auto done = std::get<Done>(f.flow->State());
    CHECK(done.printFailed);
    CHECK_FALSE(done.ticketNumber.empty());

    // The queue retries later; the screen catches up while it is still showing.
    f.Send(PrintUpdated{PrintJobUpdate{1, done.ticketNumber, PrintJobState::Printed, ""}});
    done = std::get<Done>(f.flow->State());
    CHECK(done.printed);
    CHECK_FALSE(done.printFailed);
}

TEST_CASE("a printer that never answers still ends on the done screen", "[flow]") {
    FlowFixture f;
    f.printerSilent = true;
    f.ToReview();
    f.Send(Confirm{});
    CHECK(f.Screen() == "printing");
    CHECK_FALSE(f.flow->CanGoBack());
    f.Advance(60);
    REQUIRE(f.Screen() == "done");
    CHECK(std::get<Done>(f.flow->State()).printFailed);
}

TEST_CASE("a ticket that cannot be written asks for staff", "[flow]") {
    FlowFixture f;
    f.tickets.failing = true;
    f.ToReview();
    f.Send(Confirm{});
    CHECK(f.Screen() == "staff");
    CHECK(std::get<StaffNeeded>(f.flow->State()).reason == "disk full");
    CHECK(f.flow->CurrentSession().phone.empty());
    f.Send(Next{});
    CHECK(f.Screen() == "attract");
}

TEST_CASE("a failing frame asks for staff and wipes", "[flow]") {
    FlowFixture f;
    f.ToReview();
    f.Send(FrameFailed{"vector too long"});
    CHECK(f.Screen() == "staff");
    CHECK(f.flow->CurrentSession().phone.empty());
}

TEST_CASE("checking a ticket by scanning its receipt", "[flow]") {
    FlowFixture f;
    f.ToReview();
    f.Send(Confirm{});
    const std::string number = std::get<Done>(f.flow->State()).ticketNumber;
    f.Send(Home{});
    f.Send(OpenCheckTicket{});
    CHECK(f.Screen() == "check-ticket");
    f.Send(Scanned{TicketReceiptScan{Must(TicketNumber::Parse("S001-K1-261122-0099"))}});
    CHECK(f.flow->CurrentNotice() == Notice::TicketNotFound);
    f.Send(Scanned{TicketReceiptScan{Must(TicketNumber::Parse(number))}});
    REQUIRE(f.Screen() == "ticket-status");
    const auto& status = std::get<TicketStatus>(f.flow->State());
    CHECK(status.ticket.number == number);
    CHECK(status.events.size() == 1);
    CHECK(status.due.has_value());
    f.Send(Next{});
    CHECK(f.Screen() == "attract");
}

TEST_CASE("a service is rated once per ticket", "[flow]") {
    FlowFixture f;
    f.ToReview();
    f.Send(Confirm{});
    const auto number = Must(TicketNumber::Parse(std::get<Done>(f.flow->State()).ticketNumber));
    f.Send(Home{});
    f.Send(OpenRate{});
    CHECK(f.Screen() == "rate-scan");
    f.Send(Scanned{TicketReceiptScan{number}});
    REQUIRE(f.Screen() == "rate");
    f.Send(SubmitRating{6, ""});
    CHECK(f.Screen() == "rate");
    f.Send(SubmitRating{4, " quick and friendly "});
    CHECK(f.Screen() == "thank-you");
    CHECK(f.flow->Outputs().ratings == 1);
    const auto& events = f.tickets.events.at(number.Format());
    REQUIRE(events.size() == 2);
    CHECK(events.back().kind == EventKind::Rated);
    CHECK(events.back().value == "4");
    CHECK(events.back().note == "quick and friendly");

    f.Send(Home{});
    f.Send(OpenRate{});
    f.Send(Scanned{TicketReceiptScan{number}});
    CHECK(f.Screen() == "rate-scan");
    CHECK(f.flow->CurrentNotice() == Notice::AlreadyRated);
}

TEST_CASE("a complaint is filed with its text", "[flow]") {
    FlowFixture f;
    f.Send(OpenFeedback{});
    CHECK(f.Screen() == "feedback");
    f.Send(SubmitFeedback{"   "});
    CHECK(f.Screen() == "feedback");
    f.Send(SubmitFeedback{"The queue was long"});
    CHECK(f.Screen() == "phone");
    f.Send(SkipPhone{});
    f.Send(Confirm{});
    REQUIRE(f.Screen() == "done");
    const NewTicket& filed = *f.tickets.events.begin()->second.front().created;
    CHECK(filed.type == TicketType::Complaint);
    CHECK(filed.description == "The queue was long");
    CHECK(filed.gtin.empty());
}

TEST_CASE("a code that is not a product does the right thing on every screen", "[flow]") {
    // Reach each screen, then scan a staff badge, an unknown code and a ticket receipt.
    struct Path {
        const char* screen;
        std::function<void(FlowFixture&)> reach;
    };
    const std::vector<Path> paths = {
        {"attract", [](FlowFixture&) {}},
        {"language", [](FlowFixture& f) { f.Send(Start{}); }},
        {"scan", [](FlowFixture& f) { f.Send(Start{}); f.Send(SetLanguage{Language::En}); }},
        {"keypad", [](FlowFixture& f) { f.Send(Start{}); f.Send(Next{}); f.Send(OpenKeypad{}); }},
        {"search", [](FlowFixture& f) { f.Send(Start{}); f.Send(Next{}); f.Send(OpenSearch{}); }},
        {"browse", [](FlowFixture& f) { f.Send(Start{}); f.Send(Next{}); f.Send(OpenBrowse{}); }},
        {"browse-products",
         [](FlowFixture& f) { f.Send(Start{}); f.Send(Next{}); f.Send(OpenBrowse{}); f.Send(PickCategory{"phone"}); }},
        {"pick-from-sale", [](FlowFixture& f) { f.Send(Start{}); f.Send(Next{}); f.Send(Scanned{SalesReceiptScan{"SO-3"}}); }},
        {"purchase-date",
         [](FlowFixture& f) { f.Send(Start{}); f.Send(Next{}); f.Send(FlowFixture::ProductCode(FlowFixture::kCable)); }},
        {"decision", [](FlowFixture& f) { f.ToDecision(); }},
        {"remedy", [](FlowFixture& f) { f.ToDecision(); f.Send(Next{}); }},
        {"problem", [](FlowFixture& f) { f.ToDecision(); f.Send(Next{}); f.Send(PickRemedy{Remedy::Repair}); }},
        {"self-help",
         [](FlowFixture& f) {
             f.ToDecision(); f.Send(Next{}); f.Send(PickRemedy{Remedy::Repair}); f.Send(PickProblem{"battery"});
         }},
        {"describe", [](FlowFixture& f) { f.ToReview(); f.Send(Back{}); f.Send(Back{}); }},
        {"phone", [](FlowFixture& f) { f.ToReview(); f.Send(Back{}); }},
        {"review", [](FlowFixture& f) { f.ToReview(); }},
        {"printing", [](FlowFixture& f) { f.printerSilent = true; f.ToReview(); f.Send(Confirm{}); }},
        {"done", [](FlowFixture& f) { f.ToReview(); f.Send(Confirm{}); }},
        {"solved",
         [](FlowFixture& f) {
             f.ToDecision(); f.Send(Next{}); f.Send(PickRemedy{Remedy::Repair}); f.Send(PickProblem{"battery"});
             f.Send(SelfHelpAnswer{true});
         }},
        {"declined", [](FlowFixture& f) { f.ToDecision(); f.Send(Next{}); f.Send(PickRemedy{Remedy::Decline}); }},
        {"check-ticket", [](FlowFixture& f) { f.Send(OpenCheckTicket{}); }},
        {"rate-scan", [](FlowFixture& f) { f.Send(OpenRate{}); }},
        {"feedback", [](FlowFixture& f) { f.Send(OpenFeedback{}); }},
        {"staff", [](FlowFixture& f) { f.Send(FrameFailed{"test"}); }},
    };
    for (const Path& path : paths) {
        DYNAMIC_SECTION(path.screen) {
            FlowFixture f;
            // A ticket to look up, filed by an earlier customer.
            const Ticket earlier =
                Must(f.tickets.CreateTicket(NewTicket{}, Actor{Role::Customer, "customer"}, f.clock.Now()));
            path.reach(f);
            REQUIRE(f.Screen() == path.screen);

            f.Send(Scanned{StaffBadgeScan{"B-1001"}});
            CHECK(f.Screen() == path.screen);
            CHECK(f.flow->CurrentNotice() == Notice::AdminLater);
            f.Send(Scanned{UnknownScan{"not a code we know"}});
            CHECK(f.Screen() == path.screen);
            CHECK(f.flow->CurrentNotice() == Notice::UnknownCode);

            f.Send(Scanned{TicketReceiptScan{Must(TicketNumber::Parse(earlier.number))}});
            if (std::string_view(path.screen) == "printing") {
                CHECK(f.Screen() == "printing");
                CHECK(f.flow->CurrentNotice() == Notice::NotNow);
            } else if (std::string_view(path.screen) == "rate-scan") {
                CHECK(f.Screen() == "rate");
            } else {
                CHECK(f.Screen() == "ticket-status");
                CHECK(f.flow->CurrentSession().phone.empty());
            }
        }
    }
}

TEST_CASE("a product scanned mid-claim replaces the claim", "[flow]") {
    FlowFixture f;
    f.ToReview();
    f.Send(Scanned{SalesReceiptScan{"SO-2"}});
    REQUIRE(f.Screen() == "decision");
    CHECK(f.flow->CurrentSession().product->gtin == G(FlowFixture::kLaptop));
    CHECK(f.flow->CurrentSession().phone.empty());
    CHECK(f.flow->CurrentLanguage() == Language::En);
}

TEST_CASE("every screen has its own name", "[flow]") {
    const std::vector<FlowState> states = {Attract{}, ChooseLanguage{}, ScanProduct{}, EnterGtin{}, SearchProduct{},
                                           BrowseCategories{}, BrowseProducts{}, PickFromSale{}, EnterPurchaseDate{},
                                           ExplainDecision{}, ChooseRemedy{}, ChooseProblem{}, SelfHelp{}, Describe{},
                                           EnterPhone{}, Review{}, Submitting{}, Done{}, SelfHelpSolved{}, Declined{},
                                           CheckTicket{}, TicketStatus{}, RateScan{}, RateService{}, Feedback{},
                                           ThankYou{}, StaffNeeded{}, ChooseQueueService{}, QueueNumberShown{}};
    std::set<std::string_view> names;
    for (const FlowState& s : states) names.insert(ScreenName(s));
    CHECK(names.size() == std::variant_size_v<FlowState>);
    CHECK(states.size() == std::variant_size_v<FlowState>);
}
