// Ticket numbers and the names used for ticket types, remedies and channels.
#include <catch2/catch.hpp>

#include "kiosk/core/ticket.hpp"

using namespace kiosk::core;

TEST_CASE("ticket numbers format as STORE-KIOSK-YYMMDD-NNNN", "[ticket]") {
    TicketNumber n{"S012", "K1", ParseDate("2026-11-22").value(), 7};
    CHECK(n.Format() == "S012-K1-261122-0007");
    auto parsed = TicketNumber::Parse("S012-K1-261122-0007");
    REQUIRE(parsed);
    CHECK(*parsed == n);
}

TEST_CASE("malformed ticket numbers are rejected with the reason", "[ticket]") {
    struct Case { const char* text; const char* reason; };
    for (const Case& c : {Case{"S012-K1-261122", "four parts"}, Case{"S012-K1-261322-0007", "invalid date"},
                          Case{"S012-K1-261122-007", "invalid sequence"}, Case{"S012-K1-261122-0000", "sequence 0"},
                          Case{"S 12-K1-261122-0007", "store code"}, Case{"S012-KIOSK1-261122-0007", "kiosk code"},
                          Case{"", "four parts"}}) {
        INFO(c.text);
        auto parsed = TicketNumber::Parse(c.text);
        REQUIRE_FALSE(parsed);
        CHECK_THAT(parsed.error().message, Catch::Contains(c.reason));
    }
}

TEST_CASE("remedies map to the ticket type they file", "[ticket]") {
    CHECK(TicketTypeFor(Remedy::Refund) == TicketType::Return);
    CHECK(TicketTypeFor(Remedy::Exchange) == TicketType::Exchange);
    CHECK(TicketTypeFor(Remedy::Repair) == TicketType::Repair);
    CHECK(TicketTypeFor(Remedy::PaidRepair) == TicketType::Repair);
    CHECK_FALSE(TicketTypeFor(Remedy::Decline));
}

TEST_CASE("names round trip", "[ticket]") {
    for (TicketType t : {TicketType::Return, TicketType::Exchange, TicketType::Repair, TicketType::Complaint,
                         TicketType::Inquiry}) {
        CHECK(ParseTicketType(ToString(t)) == t);
    }
    for (ServiceChannel c : {ServiceChannel::InStore, ServiceChannel::AuthorisedCentre, ServiceChannel::ThirdParty}) {
        CHECK(ParseServiceChannel(ToString(c)) == c);
    }
    for (EventKind k : {EventKind::Created, EventKind::StatusChanged, EventKind::NoteAdded, EventKind::Assigned,
                        EventKind::ChannelSet}) {
        CHECK(ParseEventKind(ToString(k)) == k);
    }
    CHECK_FALSE(ParseTicketType("refund"));
}
