// Business calendar: opening hours, holidays and make-up days, in several UTC offsets.
#include <catch2/catch.hpp>

#include "kiosk/core/business_calendar.hpp"
#include "support/timestamps.hpp"

using namespace kiosk::core;
using namespace std::chrono_literals;

namespace {

using kiosk::testing::At;

Date Day(std::string_view text) {
    auto d = ParseDate(text);
    REQUIRE(d);
    return *d;
}

std::string ErrorOf(const Result<void>& result) {
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::InvalidInput);
    return result.error().message;
}

OpeningInterval Hours(int openHour, int closeHour) {
    return {std::chrono::hours{openHour}, std::chrono::hours{closeHour}};
}

// Office hours Monday to Friday in Beijing time, with the 2026 National Day week: Oct 1-7 off,
// Sunday Sep 20 and Saturday Oct 10 worked. Make-up days close an hour early so their hours show.
BusinessCalendar OfficeCalendar() {
    BusinessCalendar calendar;
    calendar.utcOffset = 8h;
    for (unsigned day = 1; day <= 5; ++day) calendar.weekly[day] = {Hours(9, 18)};
    for (int d = 0; d < 7; ++d) calendar.holidays.push_back(AddDays(Day("2026-10-01"), d));
    calendar.makeUpWorkdays = {Day("2026-09-20"), Day("2026-10-10")};
    calendar.makeUpHours = {Hours(9, 17)};
    return calendar;
}

BusinessCalendar AroundTheClock() {
    BusinessCalendar calendar;
    calendar.utcOffset = 8h;
    for (auto& day : calendar.weekly) day = {Hours(0, 24)};
    return calendar;
}

}  // namespace

TEST_CASE("Holidays close, make-up days open with their own hours", "[calendar]") {
    const BusinessCalendar calendar = OfficeCalendar();
    CHECK(calendar.HoursOn(Day("2026-10-09")) == std::vector{Hours(9, 18)});  // Friday
    CHECK(calendar.HoursOn(Day("2026-10-05")).empty());                      // Monday, National Day
    CHECK(calendar.HoursOn(Day("2026-10-10")) == std::vector{Hours(9, 17)});  // Saturday, worked
    CHECK(calendar.HoursOn(Day("2026-09-20")) == std::vector{Hours(9, 17)});  // Sunday, worked
    CHECK(calendar.HoursOn(Day("2026-10-11")).empty());                      // an ordinary Sunday
    CHECK(calendar.IsOpen(At("2026-09-20T10:00:00+08:00")));
    CHECK_FALSE(calendar.IsOpen(At("2026-10-05T10:00:00+08:00")));
}

TEST_CASE("Opening is inclusive, closing exclusive", "[calendar]") {
    const BusinessCalendar calendar = OfficeCalendar();
    CHECK_FALSE(calendar.IsOpen(At("2026-03-09T08:59:59+08:00")));
    CHECK(calendar.IsOpen(At("2026-03-09T09:00:00+08:00")));
    CHECK(calendar.IsOpen(At("2026-03-09T17:59:59+08:00")));
    CHECK_FALSE(calendar.IsOpen(At("2026-03-09T18:00:00+08:00")));

    CHECK(calendar.NextOpenInstant(At("2026-03-09T08:00:00+08:00")) == At("2026-03-09T09:00:00+08:00"));
    CHECK(calendar.NextOpenInstant(At("2026-03-09T09:00:00+08:00")) == At("2026-03-09T09:00:00+08:00"));
    CHECK(calendar.NextOpenInstant(At("2026-03-09T12:34:56+08:00")) == At("2026-03-09T12:34:56+08:00"));
    CHECK(calendar.NextOpenInstant(At("2026-03-09T18:00:00+08:00")) == At("2026-03-10T09:00:00+08:00"));

    // Used up exactly at closing: the deadline is the closing instant, not the next morning.
    CHECK(calendar.AddOpenTime(At("2026-03-09T17:00:00+08:00"), 1h) == At("2026-03-09T18:00:00+08:00"));
    CHECK(calendar.AddOpenTime(At("2026-03-09T08:00:00+08:00"), 1h) == At("2026-03-09T10:00:00+08:00"));
    CHECK(calendar.AddOpenTime(At("2026-03-09T18:00:00+08:00"), 1s) == At("2026-03-10T09:00:01+08:00"));

    CHECK(calendar.OpenTimeBetween(At("2026-03-09T08:00:00+08:00"), At("2026-03-09T09:00:00+08:00")) == 0s);
    CHECK(calendar.OpenTimeBetween(At("2026-03-09T18:00:00+08:00"), At("2026-03-10T09:00:00+08:00")) == 0s);
    CHECK(calendar.OpenTimeBetween(At("2026-03-09T17:30:00+08:00"), At("2026-03-10T09:30:00+08:00")) == 1h);
}

TEST_CASE("Open time across a weekend", "[calendar]") {
    const BusinessCalendar calendar = OfficeCalendar();
    // Friday 17:50 plus 30 minutes: 10 on Friday, 20 on Monday.
    CHECK(calendar.AddOpenTime(At("2026-03-06T17:50:00+08:00"), 30min) == At("2026-03-09T09:20:00+08:00"));
    CHECK(calendar.OpenTimeBetween(At("2026-03-06T17:00:00+08:00"), At("2026-03-09T10:00:00+08:00")) == 2h);
    CHECK(calendar.NextOpenInstant(At("2026-03-07T12:00:00+08:00")) == At("2026-03-09T09:00:00+08:00"));
    CHECK_FALSE(calendar.IsOpen(At("2026-03-08T10:00:00+08:00")));
}

TEST_CASE("Open time across a holiday week with a make-up Saturday", "[calendar]") {
    const BusinessCalendar calendar = OfficeCalendar();
    // Wednesday Sep 30 17:00 + 3h: 1h that day, then nothing until Thursday Oct 8.
    CHECK(calendar.AddOpenTime(At("2026-09-30T17:00:00+08:00"), 3h) == At("2026-10-08T11:00:00+08:00"));
    // Friday Oct 9 17:00 + 2h: 1h on Friday, 1h on the worked Saturday.
    CHECK(calendar.AddOpenTime(At("2026-10-09T17:00:00+08:00"), 2h) == At("2026-10-10T10:00:00+08:00"));
    // The make-up Saturday closes at 17:00; the rest waits for Monday.
    CHECK(calendar.AddOpenTime(At("2026-10-10T16:30:00+08:00"), 1h) == At("2026-10-12T09:30:00+08:00"));
    // Oct 1-11: Thursday and Friday (9h each) and the make-up Saturday (8h).
    CHECK(calendar.OpenTimeBetween(At("2026-10-01T00:00:00+08:00"), At("2026-10-12T00:00:00+08:00")) == 26h);
    CHECK(calendar.NextOpenInstant(At("2026-10-01T10:00:00+08:00")) == At("2026-10-08T09:00:00+08:00"));
}

TEST_CASE("A zero amount of open time is no time at all", "[calendar]") {
    const BusinessCalendar calendar = OfficeCalendar();
    const Timestamp saturday = At("2026-03-07T12:00:00+08:00");
    const Timestamp monday = At("2026-03-09T10:00:00+08:00");
    CHECK(calendar.AddOpenTime(saturday, 0s) == saturday);
    CHECK(calendar.AddOpenTime(monday, 0s) == monday);
    CHECK(calendar.OpenTimeBetween(monday, monday) == 0s);
    CHECK(calendar.OpenTimeBetween(monday, saturday) == 0s);
}

TEST_CASE("A calendar open around the clock counts wall time", "[calendar]") {
    BusinessCalendar calendar = AroundTheClock();
    const Timestamp start = At("2026-03-06T17:50:00+08:00");
    CHECK(calendar.AddOpenTime(start, 72h) == start + 72h);
    CHECK(calendar.OpenTimeBetween(start, start + 100h) == 100h);
    CHECK(calendar.IsOpen(At("2026-03-07T00:00:00+08:00")));
    CHECK(calendar.NextOpenInstant(start) == start);
    // A holiday takes out exactly one day.
    calendar.holidays = {Day("2026-03-07")};
    CHECK(calendar.AddOpenTime(start, 72h) == start + 96h);
    CHECK(calendar.NextOpenInstant(At("2026-03-07T12:00:00+08:00")) == At("2026-03-08T00:00:00+08:00"));
}

TEST_CASE("Local days follow the store's offset, not UTC", "[calendar]") {
    BusinessCalendar calendar;
    calendar.utcOffset = -3h;  // 09:00-18:00 local is 12:00-21:00 UTC
    for (unsigned day = 1; day <= 5; ++day) calendar.weekly[day] = {Hours(9, 18)};
    CHECK(calendar.IsOpen(At("2026-03-06T20:59:59Z")));
    CHECK_FALSE(calendar.IsOpen(At("2026-03-06T21:00:00Z")));
    // Saturday 02:00 UTC is still Friday 23:00 in the store.
    CHECK(LocalDate(At("2026-03-07T02:00:00Z"), calendar.utcOffset) == Day("2026-03-06"));
    CHECK(calendar.NextOpenInstant(At("2026-03-07T02:00:00Z")) == At("2026-03-09T12:00:00Z"));
    CHECK(calendar.AddOpenTime(At("2026-03-06T20:30:00Z"), 1h) == At("2026-03-09T12:30:00Z"));
    // A holiday is a local date: Monday Mar 9 closes 12:00-21:00 UTC.
    calendar.holidays = {Day("2026-03-09")};
    CHECK(calendar.NextOpenInstant(At("2026-03-07T02:00:00Z")) == At("2026-03-10T12:00:00Z"));

    calendar.utcOffset = 5h + 45min;  // Nepal: a quarter-hour offset
    CHECK(calendar.NextOpenInstant(At("2026-03-10T00:00:00Z")) == At("2026-03-10T03:15:00Z"));
}

TEST_CASE("A calendar that never opens gives no deadline, quickly", "[calendar]") {
    BusinessCalendar closed;
    const Timestamp t = At("2026-03-06T10:00:00+08:00");
    CHECK_FALSE(closed.AddOpenTime(t, 1min).has_value());
    CHECK_FALSE(closed.NextOpenInstant(t).has_value());
    CHECK(closed.OpenTimeBetween(t, t + 24h * 365) == 0s);
    // A lone make-up day is used up; after it there is nothing.
    closed.makeUpWorkdays = {Day("2026-03-07")};
    closed.makeUpHours = {Hours(9, 17)};
    CHECK(closed.AddOpenTime(t, 8h) == At("2026-03-07T17:00:00+08:00"));
    CHECK_FALSE(closed.AddOpenTime(t, 8h + 1s).has_value());
}

TEST_CASE("Long amounts agree with the open time they span", "[calendar]") {
    const BusinessCalendar calendar = OfficeCalendar();
    const Timestamp start = At("2026-03-06T17:50:00+08:00");
    const auto due = calendar.AddOpenTime(start, 2000h);  // about 222 working days
    REQUIRE(due);
    CHECK(calendar.OpenTimeBetween(start, *due) == 2000h);
    CHECK(calendar.IsOpen(*due - 1s));
}

TEST_CASE("ValidateCalendar rejects hours and days that cannot be meant", "[calendar]") {
    CHECK(ValidateCalendar(OfficeCalendar()));
    CHECK(ValidateCalendar(AroundTheClock()));

    BusinessCalendar overlapping = OfficeCalendar();
    overlapping.weekly[1] = {Hours(9, 12), {11h, 18h}};
    CHECK_THAT(ErrorOf(ValidateCalendar(overlapping)),
               Catch::Contains("Monday") && Catch::Contains("11:00-18:00 overlaps 09:00-12:00"));

    BusinessCalendar unsorted = OfficeCalendar();
    unsorted.weekly[2] = {Hours(13, 18), Hours(9, 12)};
    CHECK_THAT(ErrorOf(ValidateCalendar(unsorted)), Catch::Contains("Tuesday") && Catch::Contains("in order"));

    BusinessCalendar touching = OfficeCalendar();
    touching.weekly[3] = {Hours(9, 12), Hours(12, 18)};
    CHECK(ValidateCalendar(touching));

    BusinessCalendar pastMidnight = OfficeCalendar();
    pastMidnight.weekly[5] = {Hours(18, 25)};
    CHECK_THAT(ErrorOf(ValidateCalendar(pastMidnight)), Catch::Contains("Friday") && Catch::Contains("18:00-25:00"));

    BusinessCalendar never = OfficeCalendar();
    never.weekly = {};
    CHECK_THAT(ErrorOf(ValidateCalendar(never)), Catch::Contains("never open"));

    BusinessCalendar both = OfficeCalendar();
    both.makeUpWorkdays.push_back(Day("2026-10-03"));
    CHECK_THAT(ErrorOf(ValidateCalendar(both)), Catch::Contains("2026-10-03"));

    BusinessCalendar noMakeUpHours = OfficeCalendar();
    noMakeUpHours.makeUpHours.clear();
    CHECK_THAT(ErrorOf(ValidateCalendar(noMakeUpHours)), Catch::Contains("make-up"));

    BusinessCalendar farAway = OfficeCalendar();
    farAway.utcOffset = 15h;
    CHECK_FALSE(ValidateCalendar(farAway));
}
