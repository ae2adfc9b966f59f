// The same SLA at both ends: head office measures a ticket with the kiosk's engine, on the calendar and
// targets it publishes, and agrees with the kiosk on due times and breaches (in its stored projection,
// the SLA compliance of its reports and the dashboard's ticket page), with "now" always given.
#include <catch2/catch.hpp>

#include "kiosk/config/sla_loader.hpp"
#include "sync/dashboard_fixture.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/headoffice/ticket_sla.hpp"
#include "sync/headoffice/web_auth.hpp"
#include "sync/headoffice/web_dashboard.hpp"
#include "support/temp_dir.hpp"

namespace kiosk::sync::test {
namespace {

using storage::test::At;
using storage::test::Ok;
using storage::test::TempDir;

headoffice::SlaRules AgreementRules() {
    return {Ok(config::ParseSlaPolicy(AgreementSla(), "sla")), Ok(config::ParseCalendar(kAgreementCalendar, "calendar")),
            Ok(config::LoadLifecycleFile(KIOSK_TEST_ASSET_DIR "/lifecycle.toml")), 1, 1};
}

core::TicketEvent Event(core::EventKind kind, std::string_view at, std::string to) {
    core::TicketEvent e;
    e.ticketNumber = "S012-K1-260430-0001";
    e.kind = kind;
    e.actor = storage::test::kTechnician;
    e.at = At(at);
    e.toStatus = std::move(to);
    return e;
}

// Ticket R of the scenario as fixed events (dashboard_fixture.hpp works out its figures).
std::vector<core::TicketEvent> RepairEvents() {
    core::TicketEvent created = Event(core::EventKind::Created, "2026-04-30T08:00:00Z", "submitted");
    created.created = storage::test::RepairRequest();
    created.created->customerTier = core::Tier::New;
    return {created,
            Event(core::EventKind::StatusChanged, "2026-05-06T02:30:00Z", "received"),
            Event(core::EventKind::StatusChanged, "2026-05-06T03:00:00Z", "diagnosing"),
            Event(core::EventKind::StatusChanged, "2026-05-07T02:00:00Z", "awaiting_parts"),
            Event(core::EventKind::StatusChanged, "2026-05-08T09:00:00Z", "in_repair"),
            Event(core::EventKind::StatusChanged, "2026-05-12T07:00:00Z", "ready_for_pickup")};
}

std::optional<core::Timestamp> Due(std::string_view iso) { return At(iso); }

// The kiosk's own verdict on `number`: its events from its database, its engine, the same documents.
core::SlaStatus KioskSla(const std::filesystem::path& kioskDb, const std::string& number, core::Timestamp now) {
    auto store = storage::test::OpenStore(kioskDb);
    const auto events = Ok(store.EventsOf(number));
    const auto ticket = Ok(store.FindTicket(number));
    REQUIRE(ticket);
    const headoffice::SlaRules rules = AgreementRules();
    return Ok(core::EvaluateSla(rules.policy, rules.calendar, rules.lifecycle, ticket->filed.type, ticket->filed.customerTier,
                                events, now));
}

void CheckSame(const core::SlaClock& kiosk, const core::SlaClock& ho) {
    CHECK(ho.state == kiosk.state);
    CHECK(ho.due == kiosk.due);
    CHECK(ho.metAt == kiosk.metAt);
    CHECK(ho.consumed == kiosk.consumed);
    CHECK(ho.target == kiosk.target);
}

}  // namespace

TEST_CASE("head office's SLA on fixed events counts business hours around a holiday, a 调休 Saturday and a parts wait", "[dashboard][sla]") {
    const headoffice::SlaRules rules = AgreementRules();
    const auto events = RepairEvents();
    const auto sla = Ok(headoffice::EvaluateTicketSla(rules, events, At("2026-05-20T00:00:00Z")));
    CHECK(sla.firstResponse.state == core::SlaState::MetOnTime);
    CHECK(sla.firstResponse.due == Due("2026-05-06T03:00:00Z"));
    CHECK(sla.firstResponse.consumed == std::chrono::minutes{210});
    CHECK(sla.resolution.state == core::SlaState::MetLate);
    CHECK(sla.resolution.due == Due("2026-05-12T06:00:00Z"));
    CHECK(sla.resolution.metAt == Due("2026-05-12T07:00:00Z"));
    CHECK(sla.resolution.consumed == std::chrono::hours{37});
    CHECK(sla.Breached());

    // While waiting for parts the resolution clock is paused and has no due time; before then it ran to
    // a deadline that the pause then pushed out.
    const auto waiting = Ok(headoffice::EvaluateTicketSla(rules, std::span(events).first(4), At("2026-05-08T00:00:00Z")));
    CHECK(waiting.resolution.state == core::SlaState::Paused);
    CHECK_FALSE(waiting.resolution.due);
    const auto running = Ok(headoffice::EvaluateTicketSla(rules, std::span(events).first(3), At("2026-05-07T01:00:00Z")));
    // 36 h with no pause: 2 + 9 + 9 + 9 h to Fri 05-08, then 7 h into the 调休 Saturday: 05-09 16:00.
    CHECK(running.resolution.due == Due("2026-05-09T08:00:00Z"));

    // An open ticket breaches as time passes, at the instant the kiosk says.
    core::TicketEvent complaint = Event(core::EventKind::Created, "2026-05-09T09:50:00Z", "submitted");
    complaint.created = core::NewTicket{};
    complaint.created->type = core::TicketType::Complaint;
    const std::vector<core::TicketEvent> open{complaint};
    const auto before = Ok(headoffice::EvaluateTicketSla(rules, open, At("2026-05-11T01:19:59Z")));
    CHECK(before.firstResponse.due == Due("2026-05-11T01:20:00Z"));
    CHECK(before.firstResponse.state == core::SlaState::AtRisk);
    CHECK_FALSE(before.Breached());
    const auto after = Ok(headoffice::EvaluateTicketSla(rules, open, At("2026-05-11T01:20:00Z")));
    CHECK(after.firstResponse.state == core::SlaState::Breached);
    CHECK(after.resolution.due == Due("2026-05-18T01:00:00Z"));
    CHECK(after.Breached());

    CHECK(headoffice::EvaluateTicketSla(rules, std::span(events).subspan(1), At("2026-05-20T00:00:00Z")).error().code ==
          core::ErrorCode::InvalidInput);
}

TEST_CASE("synced through the real worker, head office's stored SLA, ticket SLA and compliance agree with the kiosk's", "[dashboard][sla]") {
    TempDir dir("ticket-sla");
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const auto kioskDb = dir.File("kiosk.db");
    const AgreementTickets tickets = SyncAgreementTickets(ho, kioskDb);
    auto db = Ok(ho.service->Pool().Acquire());
    headoffice::SlaRulesSource& source = *ho.service->SlaSource();
    CHECK(Ok(source.Current(*db))->slaVersion == 1);
    CHECK(Ok(source.Current(*db))->calendarVersion == 1);

    for (const std::string_view now : {"2026-05-11T01:00:00Z", "2026-05-11T01:20:00Z", "2026-05-20T00:00:00Z"}) {
        INFO("now " << now);
        for (const std::string& number : {tickets.repair, tickets.complaint}) {
            INFO(number);
            const core::SlaStatus kiosk = KioskSla(kioskDb, number, At(now));
            const auto atHeadOffice = Ok(headoffice::LoadTicketSla(*db, source, number, Ms(now)));
            CheckSame(kiosk.firstResponse, atHeadOffice.status.firstResponse);
            CheckSame(kiosk.resolution, atHeadOffice.status.resolution);
            CHECK(atHeadOffice.status.Breached() == kiosk.Breached());
        }
    }

    // The projection stores the clocks as evaluated at each ticket's latest event.
    const auto stored = Ok(db->Query("SELECT number, sla_response_due, sla_response_state, sla_resolution_due, sla_resolution_state "
                                     "FROM tickets ORDER BY created_at"));
    REQUIRE(stored.size() == 2);
    CHECK(stored[0] == headoffice::SqlRow{tickets.repair, std::to_string(Ms("2026-05-06T03:00:00Z")), "met_on_time",
                                          std::to_string(Ms("2026-05-12T06:00:00Z")), "met_late"});
    CHECK(stored[1] == headoffice::SqlRow{tickets.complaint, std::to_string(Ms("2026-05-11T01:20:00Z")), "on_track",
                                          std::to_string(Ms("2026-05-18T01:00:00Z")), "on_track"});

    // SLA compliance counts the repair (met late) and, from its deadline on, the unanswered complaint.
    const std::int64_t from = Ms("2026-04-01T00:00:00Z"), to = Ms("2026-06-01T00:00:00Z");
    const auto early = Ok(headoffice::LoadTotals(*db, from, to, Ms("2026-05-18T00:59:59Z")));
    CHECK(early.slaCounted == 1);
    CHECK(early.slaMet == 0);
    const auto late = Ok(headoffice::LoadTotals(*db, from, to, Ms("2026-05-18T01:00:00Z")));
    CHECK(late.slaCounted == 2);
    CHECK(late.slaMet == 0);
    const auto report = Ok(headoffice::LoadQualityReport(*db, headoffice::Dimension::Store, from, to, Ms("2026-05-20T00:00:00Z")));
    CHECK(report.total.slaCounted == 2);
    CHECK(report.total.SlaCompliance() == Approx(0.0));

    // A database whose tickets were projected without SLA rules gets them measured on start; so do
    // tickets measured under a calendar since replaced. The others are left as they are.
    CHECK(Ok(headoffice::RemeasureSla(*db, *Ok(source.Current(*db)))) == 0);
    Ok(db->Query("UPDATE tickets SET sla_resolution_state = '', sla_resolution_due = NULL, sla_rules = ''"));
    CHECK(Ok(headoffice::RemeasureSla(*db, *Ok(source.Current(*db)))) == 2);
    CHECK(Ok(headoffice::LoadTotals(*db, from, to, Ms("2026-05-18T01:00:00Z"))).slaCounted == 2);

    // A calendar that opens on Sundays too, published later: the repair's deadline moves to Mon 05-11 14:00
    // once it is measured again (36 h: 2 + 9 + 1, the pause, 1 + 9 (Sat) + 9 (Sun) + 5 h), as at a kiosk
    // that applied it.
    std::string sundays(kAgreementCalendar);
    sundays.replace(sundays.find("sun = []"), 8, R"(sun = ["09:00-18:00"])");
    Ok(ho.service->Publish("calendar", sundays, "test"));
    const auto republished = Ok(source.Current(*db));
    CHECK(republished->Versions() == "sla v1, calendar v2");
    CHECK(Ok(headoffice::RemeasureSla(*db, *republished)) == 2);
    CHECK(Ok(db->Query("SELECT sla_resolution_due, sla_rules FROM tickets WHERE number = $1", {tickets.repair})).front() ==
          headoffice::SqlRow{std::to_string(Ms("2026-05-11T06:00:00Z")), "sla v1, calendar v2"});
}

TEST_CASE("the dashboard's ticket page shows the kiosk's due times and verdict at the page's now", "[dashboard][sla]") {
    TempDir dir("ticket-sla-page");
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const AgreementTickets tickets = SyncAgreementTickets(ho, dir.File("kiosk.db"));
    std::int64_t now = Ms("2026-05-20T00:00:00Z");
    const auto clock = [&now] { return now; };
    headoffice::WebAuth auth = Ok(headoffice::WebAuth::Open(ho.service->Pool(), clock));
    Ok(auth.AddUser("viewer", "viewer password", headoffice::WebRole::Viewer));
    const std::string session = Ok(auth.Login("viewer", "viewer password"));
    headoffice::WebDashboard dashboard(*ho.service, std::move(auth), headoffice::DashboardOptions{60 * 60'000, false, {}, {}}, clock);
    headoffice::HttpServer server(*ho.service, &dashboard);
    const int port = Ok(server.Start("127.0.0.1", 0));
    const auto page = [&](const std::string& number, std::string_view lang) {
        const auto response = Ok(SendHttp("GET", "http://127.0.0.1:" + std::to_string(port) + "/tickets/" + number,
                                          {{"Cookie", "ho_session=" + session + "; ho_lang=" + std::string(lang)}}, ""));
        REQUIRE(response.status == 200);
        return response.body;
    };

    const std::string repair = page(tickets.repair, "en");
    CHECK(repair.find("id=\"sla-resolution\" data-state=\"met_late\" data-due=\"2026-05-12T06:00:00Z\"") != std::string::npos);
    CHECK(repair.find("id=\"sla-first-response\" data-state=\"met_on_time\" data-due=\"2026-05-06T03:00:00Z\"") != std::string::npos);
    CHECK(repair.find("data-breached=\"true\">SLA breached</p>") != std::string::npos);

    now = Ms("2026-05-11T01:19:00Z");
    std::string complaint = page(tickets.complaint, "en");
    CHECK(complaint.find("id=\"sla-first-response\" data-state=\"at_risk\" data-due=\"2026-05-11T01:20:00Z\"") != std::string::npos);
    CHECK(complaint.find("data-breached=\"false\">SLA not breached</p>") != std::string::npos);
    now = Ms("2026-05-11T01:20:00Z");
    complaint = page(tickets.complaint, "zh");
    CHECK(complaint.find("id=\"sla-first-response\" data-state=\"breached\"") != std::string::npos);
    CHECK(complaint.find("data-breached=\"true\">已超出 SLA 时限</p>") != std::string::npos);
    CHECK(complaint.find("<td>已超时</td>") != std::string::npos);
}

}  // namespace kiosk::sync::test
