// Taking a queue number (取号) in the customer flow: from the attract screen or once a ticket is filed,
// the service chosen becomes one command, its answer the number's screen; no services, no such way.
#include "flow/flow_fixture.hpp"

using namespace kiosk::testing;

namespace {

QueueServices TwoServices() {
    QueueServices services;
    services.services = {QueueService{"pickup", 'A', {"取件", "取件", "Pickup"}, std::chrono::minutes{3}},
                         QueueService{"question", 'C', {"咨询", "諮詢", "Questions"}, std::nullopt}};
    return services;
}

TakenNumber TakenA007() {
    TakenNumber taken;
    taken.ticket.day = "2026-11-22";
    taken.ticket.service = "pickup";
    taken.ticket.number = 7;
    taken.ticket.label = "A007";
    taken.peopleAhead = 2;
    taken.estimatedWait = std::chrono::minutes{6};
    return taken;
}

}  // namespace

TEST_CASE("a customer takes a queue number from the attract screen, in their language", "[flow][queue]") {
    FlowFixture f;
    const QueueServices services = TwoServices();
    f.flow = std::make_unique<CustomerFlow>(
        FlowDeps{f.catalog, f.tickets, f.directory, f.policy, f.sla, f.calendar, f.lifecycle, f.faq, f.clock, &services},
        f.settings);
    f.flow->Handle(SetLanguage{Language::En});
    CHECK(f.flow->Handle(OpenQueue{}).empty());
    REQUIRE(f.Screen() == "queue-service");
    CHECK(f.flow->Handle(PickQueueService{"repairs"}).empty());  // not a service: nothing happens

    const auto commands = f.flow->Handle(PickQueueService{"pickup"});
    REQUIRE(commands.size() == 1);
    const auto* take = std::get_if<TakeQueueNumberCommand>(&commands[0]);
    REQUIRE(take != nullptr);
    CHECK(take->service == "pickup");
    CHECK(take->language == Language::En);

    // The store could not be written: a notice, and the customer may choose again.
    f.flow->Handle(QueueNumberTaken{Fail(ErrorCode::Busy, "database is locked"), std::nullopt});
    CHECK(f.Screen() == "queue-service");
    CHECK(f.flow->CurrentNotice() == Notice::Unavailable);

    // The number shows at once, its slip queued for the printer (job 41).
    f.flow->Handle(QueueNumberTaken{TakenA007(), std::int64_t{41}});
    REQUIRE(f.Screen() == "queue-number");
    CHECK(std::get<QueueNumberShown>(f.flow->State()).taken.ticket.label == "A007");
    CHECK(std::get<QueueNumberShown>(f.flow->State()).slip == SlipState::Printing);
    CHECK_FALSE(f.flow->CanGoBack());
    // Another job's news changes nothing; the slip's own does, whenever the worker reports it.
    f.flow->Handle(PrintUpdated{PrintJobUpdate{40, "S012-K1-261122-0001", PrintJobState::Printed, ""}});
    CHECK(std::get<QueueNumberShown>(f.flow->State()).slip == SlipState::Printing);
    f.flow->Handle(PrintUpdated{PrintJobUpdate{41, "", PrintJobState::Printing, ""}});
    CHECK(std::get<QueueNumberShown>(f.flow->State()).slip == SlipState::Printing);
    f.flow->Handle(PrintUpdated{PrintJobUpdate{41, "", PrintJobState::Printed, ""}});
    CHECK(std::get<QueueNumberShown>(f.flow->State()).slip == SlipState::Printed);

    // A finished screen: it goes back to attract on its own, wiping the session.
    f.clock.Advance(f.settings.finishedTimeout + std::chrono::seconds{1});
    f.flow->Handle(Tick{});
    CHECK(f.Screen() == "attract");
    CHECK(f.flow->CurrentLanguage() == f.settings.defaultLanguage);
}

TEST_CASE("a queue number's slip the printer cannot print shows as a printer problem under the number", "[flow][queue]") {
    FlowFixture f;
    const QueueServices services = TwoServices();
    f.flow = std::make_unique<CustomerFlow>(
        FlowDeps{f.catalog, f.tickets, f.directory, f.policy, f.sla, f.calendar, f.lifecycle, f.faq, f.clock, &services},
        f.settings);
    f.flow->Handle(OpenQueue{});
    f.flow->Handle(PickQueueService{"pickup"});
    f.flow->Handle(QueueNumberTaken{TakenA007(), std::int64_t{7}});
    REQUIRE(f.Screen() == "queue-number");
    // Back in the queue with the printer's reason: the customer is told to ask staff, the number stays.
    f.flow->Handle(PrintUpdated{PrintJobUpdate{7, "", PrintJobState::Queued, "printer cannot print: paper out"}});
    REQUIRE(f.Screen() == "queue-number");
    CHECK(std::get<QueueNumberShown>(f.flow->State()).slip == SlipState::PrinterProblem);
    CHECK(std::get<QueueNumberShown>(f.flow->State()).taken.ticket.label == "A007");

    // A slip that could not even be queued: the same, at once.
    f.flow->Handle(Home{});
    f.flow->Handle(OpenQueue{});
    f.flow->Handle(PickQueueService{"pickup"});
    f.flow->Handle(QueueNumberTaken{TakenA007(), std::nullopt});
    REQUIRE(f.Screen() == "queue-number");
    CHECK(std::get<QueueNumberShown>(f.flow->State()).slip == SlipState::PrinterProblem);
}

TEST_CASE("a customer takes a queue number once their ticket is filed, and never without queue services", "[flow][queue]") {
    FlowFixture f;
    const QueueServices services = TwoServices();
    f.flow = std::make_unique<CustomerFlow>(
        FlowDeps{f.catalog, f.tickets, f.directory, f.policy, f.sla, f.calendar, f.lifecycle, f.faq, f.clock, &services},
        f.settings);
    f.Send(OpenFeedback{});
    f.Send(SubmitFeedback{"where do I collect my phone?"});
    f.Send(SkipPhone{});
    f.Send(Confirm{});
    REQUIRE(f.Screen() == "done");
    f.flow->Handle(OpenQueue{});
    CHECK(f.Screen() == "queue-service");
    f.flow->Handle(Home{});

    FlowFixture without;
    without.flow->Handle(OpenQueue{});
    CHECK(without.Screen() == "attract");
    CHECK(without.flow->QueueServiceList().empty());
}
