// The default sla.toml and calendar.toml, and the errors a mistyped file gets.
#include <catch2/catch.hpp>

#include <string>

#include "kiosk/config/sla_loader.hpp"
#include "support/timestamps.hpp"

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

using kiosk::testing::At;

core::Date Day(std::string_view text) {
    auto d = core::ParseDate(text);
    REQUIRE(d);
    return *d;
}

std::string SlaError(std::string_view text) {
    auto policy = config::ParseSlaPolicy(text, "sla.toml");
    REQUIRE_FALSE(policy);
    CHECK(policy.error().code == core::ErrorCode::InvalidInput);
    return policy.error().message;
}

std::string CalendarError(std::string_view text) {
    auto calendar = config::ParseCalendar(text, "calendar.toml");
    REQUIRE_FALSE(calendar);
    CHECK(calendar.error().code == core::ErrorCode::InvalidInput);
    return calendar.error().message;
}

// A calendar file good up to the point each test breaks it.
constexpr std::string_view kCalendarHead = R"(utc_offset = "+08:00"
make_up_hours = ["09:00-18:00"]
[weekly]
mon = ["09:00-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-18:00"]
sat = []
sun = []
)";

}  // namespace

TEST_CASE("The default SLA targets cover every ticket type and tier", "[sla-config]") {
    auto policy = config::LoadSlaPolicyFile(KIOSK_TEST_ASSET_DIR "/sla.toml");
    REQUIRE(policy);
    CHECK(policy->atRiskFraction == Approx(0.25));
    REQUIRE(core::ValidateSlaPolicy(*policy));

    const core::SlaTarget* complaint = policy->Find(core::TicketType::Complaint, core::Tier::New);
    REQUIRE(complaint != nullptr);
    CHECK(complaint->firstResponse == 30min);
    CHECK(complaint->firstResponseBasis == core::SlaBasis::Business);

    const core::SlaTarget* repair = policy->Find(core::TicketType::Repair, core::Tier::New);
    REQUIRE(repair != nullptr);
    CHECK(repair->resolution == 15 * 24h);
    CHECK(repair->resolutionBasis == core::SlaBasis::Calendar);

    for (core::TicketType type : {core::TicketType::Return, core::TicketType::Exchange, core::TicketType::Repair,
                                  core::TicketType::Complaint, core::TicketType::Inquiry}) {
        INFO(core::ToString(type));
        const core::SlaTarget* regular = policy->Find(type, core::Tier::New);
        const core::SlaTarget* returning = policy->Find(type, core::Tier::Returning);
        const core::SlaTarget* vip = policy->Find(type, core::Tier::Vip);
        REQUIRE(regular != nullptr);
        REQUIRE(returning != nullptr);
        REQUIRE(vip != nullptr);
        CHECK(returning->firstResponse == regular->firstResponse);
        CHECK(returning->resolution == regular->resolution);
        CHECK(vip->firstResponse * 2 == regular->firstResponse);
        CHECK(vip->resolution * 2 == regular->resolution);
    }
}

TEST_CASE("The default calendar knows the 2026 holidays and make-up days", "[sla-config]") {
    auto calendar = config::LoadCalendarFile(KIOSK_TEST_ASSET_DIR "/calendar.toml");
    REQUIRE(calendar);
    CHECK(calendar->utcOffset == 8h);
    const std::vector<core::OpeningInterval> officeHours{{9h, 18h}};
    CHECK(calendar->HoursOn(Day("2026-03-07")) == officeHours);  // an ordinary Saturday
    CHECK(calendar->HoursOn(Day("2026-03-08")).empty());         // an ordinary Sunday
    CHECK(calendar->HoursOn(Day("2026-02-16")).empty());         // 春节, a Monday
    CHECK(calendar->HoursOn(Day("2026-10-01")).empty());         // 国庆
    CHECK(calendar->HoursOn(Day("2026-01-04")) == officeHours);  // a Sunday worked after 元旦
    CHECK(calendar->HoursOn(Day("2026-09-20")) == officeHours);  // a Sunday worked before 国庆
    CHECK(calendar->holidays.size() == 33);
    CHECK(calendar->makeUpWorkdays.size() == 6);

    auto policy = config::LoadSlaPolicyFile(KIOSK_TEST_ASSET_DIR "/sla.toml");
    REQUIRE(policy);
    // The lifecycle plays no part while a ticket has only been created.
    const core::Lifecycle lifecycle;
    core::TicketEvent created;
    created.kind = core::EventKind::Created;
    created.toStatus = "submitted";

    // Friday 17:50: the desk opens on Saturday, so the complaint is due at 09:20 then.
    created.at = At("2026-03-06T17:50:00+08:00");
    auto status = core::EvaluateSla(*policy, *calendar, lifecycle, core::TicketType::Complaint, core::Tier::New,
                                    std::span(&created, 1), At("2026-03-06T17:55:00+08:00"));
    REQUIRE(status);
    CHECK(status->firstResponse.due == At("2026-03-07T09:20:00+08:00"));

    // Saturday Jan 3 is still 元旦; Sunday Jan 4 is worked.
    created.at = At("2026-01-03T12:00:00+08:00");
    status = core::EvaluateSla(*policy, *calendar, lifecycle, core::TicketType::Complaint, core::Tier::New,
                               std::span(&created, 1), At("2026-01-03T12:00:00+08:00"));
    REQUIRE(status);
    CHECK(status->firstResponse.due == At("2026-01-04T09:30:00+08:00"));

    // A return half an hour before closing on the eve of the National Day week: the rest of its hour
    // comes after the week off.
    created.at = At("2026-09-30T17:30:00+08:00");
    status = core::EvaluateSla(*policy, *calendar, lifecycle, core::TicketType::Return, core::Tier::New,
                               std::span(&created, 1), At("2026-09-30T17:30:00+08:00"));
    REQUIRE(status);
    CHECK(status->firstResponse.due == At("2026-10-08T09:30:00+08:00"));
}

TEST_CASE("SLA files with mistakes are rejected with the line and key", "[sla-config]") {
    CHECK_THAT(SlaError("[return]\n"
                        "first_response = { basis = \"business\", new = \"1h\", returning = \"1h\", vip = \"15x\" }\n"),
               Catch::Contains("sla.toml:2:") && Catch::Contains("return.first_response.vip") &&
                   Catch::Contains("\"15x\" is not a duration"));
    CHECK_THAT(SlaError("[return]\n"
                        "first_response = { basis = \"business\", new = \"1.5h\", returning = \"1h\", vip = \"1h\" }"),
               Catch::Contains("sla.toml:2:") && Catch::Contains("return.first_response.new"));
    CHECK_THAT(SlaError("[return]\n"
                        "first_response = { basis = \"business\", new = \"0m\", returning = \"1h\", vip = \"1h\" }\n"),
               Catch::Contains("longer than zero"));
    CHECK_THAT(SlaError("[return]\n"
                        "first_response = { basis = \"business\", new = 60, returning = \"1h\", vip = \"1h\" }\n"),
               Catch::Contains("sla.toml:2:") && Catch::Contains("must be a duration string"));
    CHECK_THAT(SlaError("at_risk_fraction = 0.25\n"
                        "at_risk_fracton = 0.3\n"),
               Catch::Contains("sla.toml:2:") && Catch::Contains("unknown key 'at_risk_fracton'"));
    CHECK_THAT(SlaError("[repair]\n"
                        "first_response = { basis = \"business\", new = \"4h\", returning = \"4h\", vip = \"2h\" }\n"
                        "resolution = { basis = \"calendar\", new = \"15d\", returning = \"15d\" }\n"
                        "[return]\n"
                        "first_response = { basis = \"business\", new = \"1h\", returning = \"1h\", vip = \"30m\" }\n"
                        "resolution = { basis = \"calendar\", new = \"3d\", returning = \"3d\", vip = \"36h\" }\n"
                        "[exchange]\n"
                        "first_response = { basis = \"business\", new = \"1h\", returning = \"1h\", vip = \"30m\" }\n"
                        "resolution = { basis = \"calendar\", new = \"3d\", returning = \"3d\", vip = \"36h\" }\n"),
               Catch::Contains("sla.toml:3:") && Catch::Contains("'repair.resolution' needs a target for tier 'vip'"));
    CHECK_THAT(SlaError("[return]\n"
                        "first_response = { basis = \"office\", new = \"1h\", returning = \"1h\", vip = \"30m\" }\n"),
               Catch::Contains("sla.toml:2:") && Catch::Contains("return.first_response.basis"));
    CHECK_THAT(SlaError("at_risk_fraction = 0.25\n"), Catch::Contains("missing 'return'"));
    CHECK_THAT(SlaError("[return]\nfirst_response = [\n"), Catch::Contains("sla.toml:"));

    auto missingFile = config::LoadSlaPolicyFile(KIOSK_TEST_ASSET_DIR "/no-such-sla.toml");
    REQUIRE_FALSE(missingFile);
    CHECK(missingFile.error().code == core::ErrorCode::NotFound);
}

TEST_CASE("Calendar files with mistakes are rejected with the line and key", "[sla-config]") {
    REQUIRE(config::ParseCalendar(kCalendarHead, "calendar.toml"));

    CHECK_THAT(CalendarError(std::string(kCalendarHead) + "[[holidays]]\nfrom = \"2026-02-30\"\n"),
               Catch::Contains("calendar.toml:12:") && Catch::Contains("'from'") &&
                   Catch::Contains("not a calendar date"));
    CHECK_THAT(CalendarError(std::string(kCalendarHead) + "[[holidays]]\nfrom = \"2026-10-01\"\nto = \"2026-10-07\"\n"
                                                          "make_up_workdays = [\"2026/10/10\"]\n"),
               Catch::Contains("calendar.toml:14:") && Catch::Contains("make_up_workdays"));
    CHECK_THAT(CalendarError(std::string(kCalendarHead) + "[[holidays]]\nfrom = \"2026-10-07\"\nto = \"2026-10-01\"\n"),
               Catch::Contains("calendar.toml:13:") && Catch::Contains("before 'from'"));
    CHECK_THAT(CalendarError(std::string(kCalendarHead) + "[[holidays]]\nfrom = \"2026-10-01\"\nto = \"2026-12-07\"\n"),
               Catch::Contains("calendar.toml:13:") && Catch::Contains("longer than 31 days"));
    CHECK_THAT(CalendarError(std::string(kCalendarHead) +
                             "[[holidays]]\nfrom = \"2026-10-01\"\nuntil = \"2026-10-07\"\n"),
               Catch::Contains("calendar.toml:13:") && Catch::Contains("unknown key 'until'"));
    CHECK_THAT(CalendarError(std::string(kCalendarHead) +
                             "[[holidays]]\nfrom = \"2026-10-01\"\nmake_up_workdays = [\"2026-10-01\"]\n"),
               Catch::Contains("calendar.toml: 2026-10-01 is listed both"));

    CHECK_THAT(CalendarError(R"(utc_offset = "+08:00"
[weekly]
mon = ["09:00-12:00", "11:00-18:00"]
)"),
               Catch::Contains("calendar.toml:3:") && Catch::Contains("'weekly.mon'") &&
                   Catch::Contains("11:00-18:00 overlaps 09:00-12:00"));
    CHECK_THAT(CalendarError(R"(utc_offset = "+08:00"
[weekly]
mon = ["09:00-18:60"]
)"),
               Catch::Contains("calendar.toml:3:") && Catch::Contains("\"18:60\" is not a time of day"));
    CHECK_THAT(CalendarError(R"(utc_offset = "+08:00"
[weekly]
mon = ["18:00-09:00"]
)"),
               Catch::Contains("calendar.toml:3:") && Catch::Contains("opens before it closes"));
    CHECK_THAT(CalendarError(R"(utc_offset = "+08:00"
[weekly]
mon = ["09:00-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-18:00"]
sat = []
sunday = []
)"),
               Catch::Contains("calendar.toml:9:") && Catch::Contains("unknown key 'sunday'"));
    CHECK_THAT(CalendarError(R"(utc_offset = "+08:00"
[weekly]
mon = ["09:00-18:00"]
)"),
               Catch::Contains("missing 'weekly.tue'"));
    CHECK_THAT(CalendarError(R"(utc_offset = "UTC+8"
)"),
               Catch::Contains("calendar.toml:1:") && Catch::Contains("utc_offset"));
}
