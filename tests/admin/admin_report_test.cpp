// Report figures against values computed by hand from a fixed set of tickets, answers and counts.
#include <catch2/catch.hpp>

#include "admin_test_support.hpp"
#include "kiosk/core/admin/report.hpp"

using namespace kiosk;
using namespace kiosk::core::admin;
using namespace kiosk::admin_test;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

ReportTicket Row(std::string number, core::TicketType type, std::string_view created, std::string status,
                 std::string assignee, std::string gtin, std::string category) {
    ReportTicket row;
    row.ticket.number = std::move(number);
    row.ticket.filed.type = type;
    row.ticket.filed.gtin = std::move(gtin);
    row.ticket.filed.problemCategory = std::move(category);
    row.ticket.createdAt = At(created);
    row.ticket.status = std::move(status);
    row.ticket.assignee = std::move(assignee);
    return row;
}

core::SlaStatus Sla(core::SlaState firstResponse, core::SlaState resolution) {
    core::SlaStatus status;
    status.firstResponse.state = firstResponse;
    status.resolution.state = resolution;
    return status;
}

}  // namespace

TEST_CASE("report periods start at local midnight, Monday and the 1st", "[admin]") {
    const auto now = At("2026-11-22T10:00:00Z");  // Sunday 18:00 in the store (UTC+8)
    const minutes offset{8 * 60};
    CHECK(PeriodRange(ReportPeriod::Today, now, offset).from == At("2026-11-21T16:00:00Z"));
    CHECK(PeriodRange(ReportPeriod::Week, now, offset).from == At("2026-11-15T16:00:00Z"));
    CHECK(PeriodRange(ReportPeriod::Month, now, offset).from == At("2026-10-31T16:00:00Z"));
    CHECK(PeriodRange(ReportPeriod::Month, now, offset).to == now);
    // 23:30 local on the 22nd is still the 22nd; 00:30 local on the 23rd is a new day.
    CHECK(PeriodRange(ReportPeriod::Today, At("2026-11-22T16:30:00Z"), offset).from == At("2026-11-22T16:00:00Z"));
}

TEST_CASE("today's report matches the hand-computed figures", "[admin]") {
    using core::SlaState;
    using core::TicketType;
    const auto now = At("2026-11-22T10:00:00Z");

    std::vector<ReportTicket> tickets;
    auto t1 = Row("T1", TicketType::Repair, "2026-11-21T17:00:00Z", "closed", "E1002", "06910000000001", "battery");
    t1.ticket.firstResponseAt = t1.ticket.createdAt + minutes{30};
    t1.ticket.resolvedAt = t1.ticket.createdAt + hours{5};
    t1.closedAt = At("2026-11-21T23:00:00Z");
    t1.sla = Sla(SlaState::MetOnTime, SlaState::MetOnTime);
    t1.productName = "Phone X";
    tickets.push_back(t1);
    auto t2 = Row("T2", TicketType::Repair, "2026-11-22T01:00:00Z", "diagnosing", "E1002", "06910000000001", "screen");
    t2.ticket.firstResponseAt = t2.ticket.createdAt + minutes{90};
    t2.sla = Sla(SlaState::MetLate, SlaState::OnTrack);
    t2.productName = "Phone X";
    tickets.push_back(t2);
    auto t3 = Row("T3", TicketType::Complaint, "2026-11-22T02:00:00Z", "resolved", "E1003", "", "service");
    t3.ticket.firstResponseAt = t3.ticket.createdAt + minutes{10};
    t3.ticket.resolvedAt = t3.ticket.createdAt + hours{2};
    t3.sla = Sla(SlaState::MetOnTime, SlaState::MetLate);
    tickets.push_back(t3);
    // Created before the period, closed inside it: counts as closed, not as created.
    auto t4 = Row("T4", TicketType::Return, "2026-11-20T05:00:00Z", "closed", "E1003", "06910000000002", "battery");
    t4.closedAt = At("2026-11-21T18:00:00Z");
    tickets.push_back(t4);
    auto t5 = Row("T5", TicketType::Exchange, "2026-11-22T03:00:00Z", "submitted", "", "06910000000002", "");
    t5.sla = Sla(SlaState::Breached, SlaState::Breached);
    tickets.push_back(t5);

    const std::vector<CsatAnswer> csat{
        {"T1", 5, "", At("2026-11-21T23:30:00Z")},
        {"T4", 2, "slow", At("2026-11-21T19:00:00Z")},
        {"T0", 1, "", At("2026-11-20T08:00:00Z")},  // before the period
    };
    const std::vector<DeflectionRow> deflection{
        {Day("2026-11-22"), "battery", 10, 4},
        {Day("2026-11-21"), "battery", 5, 5},  // before the period
    };
    const std::vector<core::Staff> staff{{"E1002", "Li Lei", core::Role::Technician, "", true},
                                         {"E1003", "Zhao Min", core::Role::Technician, "", true},
                                         {"E1004", "Chen Jie", core::Role::Clerk, "", true}};

    ReportInput input;
    input.period = ReportPeriod::Today;
    input.range = PeriodRange(ReportPeriod::Today, now, minutes{480});
    input.lifecycle = &TestLifecycle();
    input.tickets = tickets;
    input.csat = csat;
    input.deflection = deflection;
    input.staff = staff;
    const Report r = ComputeReport(input);

    CHECK(r.ticketsCreated == 4);
    auto counts = [](const std::vector<CountRow>& rows) {
        std::vector<std::pair<std::string, int>> out;
        for (const auto& row : rows) out.emplace_back(row.key, row.count);
        return out;
    };
    CHECK(counts(r.byType) ==
          std::vector<std::pair<std::string, int>>{{"repair", 2}, {"complaint", 1}, {"exchange", 1}});
    CHECK(counts(r.byStatus) == std::vector<std::pair<std::string, int>>{
                                    {"closed", 1}, {"diagnosing", 1}, {"resolved", 1}, {"submitted", 1}});
    CHECK(r.byStatus[1].label == "Diagnosing");

    // Resolution clocks measured: T1 met, T3 late, T5 breached -> 1 of 3.
    CHECK(r.slaMeasured == 3);
    CHECK(r.slaMet == 1);
    REQUIRE(r.slaCompliancePercent);
    CHECK(*r.slaCompliancePercent == Approx(100.0 / 3));

    // First response: 30, 90 and 10 minutes; resolution: 5 h and 2 h.
    CHECK(r.firstResponse.count == 3);
    CHECK(r.firstResponse.average == seconds{2600});
    CHECK(r.firstResponse.median == seconds{1800});
    CHECK(r.resolution.count == 2);
    CHECK(r.resolution.average == seconds{12600});
    CHECK(r.resolution.median == seconds{12600});

    CHECK(r.csatCount == 2);
    REQUIRE(r.csatAverage);
    CHECK(*r.csatAverage == Approx(3.5));
    CHECK(r.csatDistribution == std::array<int, 5>{0, 1, 0, 0, 1});

    CHECK(counts(r.topProducts) ==
          std::vector<std::pair<std::string, int>>{{"06910000000001", 2}, {"06910000000002", 1}});
    CHECK(r.topProducts[0].label == "Phone X");
    CHECK(r.topProducts[1].label == "06910000000002");
    CHECK(counts(r.topCategories) ==
          std::vector<std::pair<std::string, int>>{{"battery", 1}, {"screen", 1}, {"service", 1}});

    CHECK(r.selfHelpShown == 10);
    CHECK(r.selfHelpSolved == 4);
    REQUIRE(r.deflectionPercent);
    CHECK(*r.deflectionPercent == Approx(40.0));

    REQUIRE(r.staff.size() == 2);  // E1004 did nothing
    CHECK(r.staff[0].staffNo == "E1002");
    CHECK(r.staff[0].name == "Li Lei");
    CHECK(r.staff[0].assigned == 2);
    CHECK(r.staff[0].open == 1);
    CHECK(r.staff[0].closed == 1);
    CHECK(r.staff[0].csatCount == 1);
    CHECK(r.staff[0].csatAverage == 5.0);
    CHECK(r.staff[1].staffNo == "E1003");
    CHECK(r.staff[1].assigned == 1);
    CHECK(r.staff[1].open == 1);
    CHECK(r.staff[1].closed == 1);
    CHECK(r.staff[1].csatAverage == 2.0);

    REQUIRE(r.daily.size() == 1);
    CHECK(r.daily[0].day == Day("2026-11-22"));
    CHECK(r.daily[0].created == 4);
    CHECK(r.daily[0].closed == 2);
    CHECK(r.daily[0].breached == 3);

    SECTION("as CSV") {
        const std::string csv = ReportToCsv(r);
        CHECK_THAT(csv, Catch::StartsWith("section,figure,value\r\nsummary,period,today\r\n"));
        CHECK_THAT(csv, Catch::Contains("summary,tickets_created,4\r\n"));
        CHECK_THAT(csv, Catch::Contains("summary,sla_compliance_percent,33.3\r\n"));
        CHECK_THAT(csv, Catch::Contains("summary,csat_average,3.5\r\n"));
        CHECK_THAT(csv, Catch::Contains("summary,csat_score_5,1\r\n"));
        CHECK_THAT(csv, Catch::Contains("\r\ntop_products,label,count\r\n06910000000001,Phone X,2\r\n"));
        CHECK_THAT(csv, Catch::Contains("E1002,Li Lei,2,1,1,1,5.0\r\n"));
        CHECK_THAT(csv, Catch::Contains("2026-11-22,4,2,3\r\n"));
    }
}

TEST_CASE("an empty period has counts of zero and no percentages", "[admin]") {
    ReportInput input;
    input.range = PeriodRange(ReportPeriod::Week, At("2026-11-22T10:00:00Z"), minutes{480});
    const Report r = ComputeReport(input);
    CHECK(r.ticketsCreated == 0);
    CHECK_FALSE(r.slaCompliancePercent);
    CHECK_FALSE(r.csatAverage);
    CHECK_FALSE(r.deflectionPercent);
    CHECK_FALSE(r.firstResponse.average);
    CHECK(r.daily.size() == 7);
}

TEST_CASE("CSV fields are quoted when they must be", "[admin]") {
    CHECK(CsvField("plain") == "plain");
    CHECK(CsvField("a,b") == "\"a,b\"");
    CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(CsvField("two\nlines") == "\"two\nlines\"");
    CHECK(CsvField("手机") == "手机");
}
