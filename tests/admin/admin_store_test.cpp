// The admin port on a real SQLite file: sign-in and lockout across restarts, role checks on every
// action, an audit entry for every change, SLA pause/resume, queue order, approvals, follow-up, CSAT.
#include <catch2/catch.hpp>

#include "admin_test_support.hpp"

using namespace kiosk;
using namespace kiosk::core::admin;
using namespace kiosk::admin_test;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

// 10:00 in the store.
const core::Timestamp kT0 = core::ParseTimestamp("2026-11-22T02:00:00Z").value();

template <class T>
core::ErrorCode CodeOf(const core::Result<T>& result) {
    REQUIRE_FALSE(result);
    return result.error().code;
}

// A repair ticket moved to ready_for_pickup by the technician.
std::string ReadyTicket(AdminFixture& f, core::Timestamp at, core::NewTicket request = RepairRequest()) {
    const std::string number = f.NewRepair(at, std::move(request));
    Ok(f.Admin().Transition(kTechnician, number, "received", "", at + minutes{1}));
    Ok(f.Admin().Transition(kTechnician, number, "diagnosing", "", at + minutes{2}));
    Ok(f.Admin().Transition(kTechnician, number, "ready_for_pickup", "fixed", at + minutes{3}));
    return number;
}

}  // namespace

TEST_CASE("staff are identified by badge or number and sign in with their PIN", "[admin]") {
    AdminFixture f;
    auto byBadge = Ok(f.Admin().Identify("BADGE:B-1002", kT0));
    REQUIRE(byBadge);
    CHECK(byBadge->staffNo == "E1002");
    CHECK(byBadge->role == core::Role::Technician);
    CHECK(byBadge->hasPin);
    CHECK(Ok(f.Admin().Identify("E1004", kT0))->name == "Chen Jie");
    CHECK_FALSE(Ok(f.Admin().Identify("BADGE:B-9999", kT0)));

    auto in = Ok(f.Admin().SignIn("E1004", "1004", kT0));
    CHECK(in.outcome == SignInOutcome::SignedIn);
    REQUIRE(in.session);
    CHECK(in.session->actor.id == "E1004");
    CHECK(in.session->actor.role == core::Role::Clerk);
    CHECK(in.session->Can(action::kQueueView));
    CHECK_FALSE(in.session->Can(action::kApprovalDecide));
    CHECK(f.LastAuditAction() == "staff.signin");

    CHECK(Ok(f.Admin().SignIn("E9999", "1234", kT0)).outcome == SignInOutcome::UnknownStaff);
}

TEST_CASE("repeated wrong PINs lock the badge with growing delays, across a restart", "[admin]") {
    AdminFixture f;
    for (int i = 1; i <= 3; ++i) {
        auto wrong = Ok(f.Admin().SignIn("E1002", "0000", kT0 + seconds{i}));
        CHECK(wrong.outcome == SignInOutcome::WrongPin);
        CHECK(wrong.consecutiveFailures == i);
        CHECK(wrong.failuresBeforeLockout == 3 - i);
        CHECK_FALSE(wrong.lockedUntil);
    }
    auto fourth = Ok(f.Admin().SignIn("E1002", "0000", kT0 + seconds{4}));
    CHECK(fourth.outcome == SignInOutcome::WrongPin);
    REQUIRE(fourth.lockedUntil);
    CHECK(*fourth.lockedUntil == kT0 + seconds{4} + seconds{30});

    f.Reopen();  // the kiosk restarts: the lockout is still there
    auto locked = Ok(f.Admin().SignIn("E1002", "1002", kT0 + seconds{10}));
    CHECK(locked.outcome == SignInOutcome::Locked);
    CHECK(locked.lockedUntil == kT0 + seconds{34});
    CHECK(Ok(f.Admin().Identify("B-1002", kT0 + seconds{10}))->lockedUntil == kT0 + seconds{34});

    // The next failure after the lockout earns twice the delay.
    auto fifth = Ok(f.Admin().SignIn("E1002", "0000", kT0 + seconds{40}));
    CHECK(fifth.lockedUntil == kT0 + seconds{40} + seconds{60});

    SECTION("a supervisor unlocks; a clerk may not") {
        CHECK(CodeOf(f.Admin().Unlock(kClerk, "E1002", kT0 + seconds{50})) == core::ErrorCode::Forbidden);
        Ok(f.Admin().Unlock(kSupervisor, "E1002", kT0 + seconds{50}));
        CHECK(f.LastAuditAction() == "staff.unlock");
        CHECK(Ok(f.Admin().SignIn("E1002", "1002", kT0 + seconds{51})).outcome == SignInOutcome::SignedIn);
    }
    SECTION("the right PIN after the lockout ends signs in and clears the count") {
        auto in = Ok(f.Admin().SignIn("E1002", "1002", kT0 + seconds{101}));
        CHECK(in.outcome == SignInOutcome::SignedIn);
        auto wrong = Ok(f.Admin().SignIn("E1002", "0000", kT0 + seconds{102}));
        CHECK(wrong.consecutiveFailures == 1);
    }
}

TEST_CASE("PINs: set by their owner or a supervisor, hashed, 4 to 8 digits", "[admin]") {
    AdminFixture f;
    CHECK(CodeOf(f.Admin().SetPin(kClerk, "E1002", "5555", kT0)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(f.Admin().SetPin(kClerk, "E1004", "12a4", kT0)) == core::ErrorCode::InvalidInput);
    Ok(f.Admin().SetPin(kClerk, "E1004", "246810", kT0));
    CHECK(Ok(f.Admin().SignIn("E1004", "1004", kT0)).outcome == SignInOutcome::WrongPin);
    CHECK(Ok(f.Admin().SignIn("E1004", "246810", kT0)).outcome == SignInOutcome::SignedIn);
    Ok(f.Admin().SetPin(kSupervisor, "E1002", "97531", kT0));
    CHECK(Ok(f.Admin().SignIn("E1002", "97531", kT0)).outcome == SignInOutcome::SignedIn);

    Database db = Ok(Database::Open(f.File()));
    const std::string stored = Ok(db.QueryText("SELECT pin_hash FROM staff_credentials WHERE staff_no = 'E1002'"));
    CHECK_THAT(stored, Catch::StartsWith("$argon2id$"));
    CHECK(stored.find("97531") == std::string::npos);
    // The audit log says a PIN was set, never what it is.
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM audit_log WHERE after LIKE '%97531%' OR after LIKE '%argon2%'")) == 0);
}

TEST_CASE("every action checks the role; refused calls write nothing", "[admin]") {
    AdminFixture f;
    const std::string number = f.NewRepair(kT0);
    Ok(f.Admin().Transition(kTechnician, number, "received", "", kT0 + minutes{1}));
    Ok(f.Admin().Transition(kTechnician, number, "diagnosing", "", kT0 + minutes{2}));
    auto approval = Ok(f.Admin().RequestApproval(
        kTechnician, ApprovalRequest{number, ApprovalKind::PolicyException, 0, "liquid damage, goodwill"}, kT0));
    const auto before = CountTicketRows(f.File());
    const auto t = kT0 + minutes{5};
    auto& a = f.Admin();

    const core::Actor customer{core::Role::Customer, "customer"};
    CHECK(CodeOf(a.Queue(customer, {}, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.Detail(customer, number, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.Decide(kClerk, approval.id, ApprovalDecision{true, "ok", ""}, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.Decide(kTechnician, approval.id, ApprovalDecision{true, "ok", ""}, t)) ==
          core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.Assign(kClerk, number, "E1002", t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.SetChannel(kClerk, number, core::ServiceChannel::ThirdParty, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.BuildReport(kClerk, ReportPeriod::Today, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.ExportReportCsv(kTechnician, ReportPeriod::Today, t)) == core::ErrorCode::Forbidden);
    Settings settings = Ok(a.LoadSettings(kClerk));
    CHECK(CodeOf(a.SaveSettings(kClerk, settings, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.StaffList(kTechnician, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.Unlock(kTechnician, "E1004", t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.SetPin(kTechnician, "E1004", "1234", t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.AuthorizeExit(kClerk, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.AuthorizeExit(kTechnician, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.Transition(customer, number, "cancelled", "", t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.AddNote(customer, number, "hello", t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.Reprint(customer, number, core::ReceiptKind::CustomerReceipt, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.HandBack(customer, number, "", t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.FollowUps(customer, t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.RecordCall(customer, number, CallOutcome::Reached, "", t)) == core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.RequestApproval(customer, ApprovalRequest{number, ApprovalKind::PolicyException, 0, "x"}, t)) ==
          core::ErrorCode::Forbidden);
    CHECK(CodeOf(a.RequestApproval(kClerk, ApprovalRequest{number, ApprovalKind::PolicyException, 0, "x"}, t)) ==
          core::ErrorCode::Forbidden);
    // The lifecycle's own role rules still apply: a clerk may not start a diagnosis.
    const std::string other = f.NewRepair(kT0);
    Ok(a.Transition(kClerk, other, "received", "", t));
    CHECK(CodeOf(a.Transition(kClerk, other, "diagnosing", "", t)) == core::ErrorCode::Forbidden);

    auto after = CountTicketRows(f.File());
    after.events -= 2;  // `other`: created and received
    after.outbox -= 2;
    after.audit -= 2;
    after.tickets -= 1;
    CHECK(after == before);
}

TEST_CASE("every admin change writes its audit entry with it", "[admin]") {
    AdminFixture f;
    auto& a = f.Admin();
    const std::string number = f.NewRepair(kT0);
    auto expect = [&](std::string_view name) {
        INFO(name);
        CHECK(f.LastAuditAction() == name);
    };
    auto t = kT0 + minutes{1};
    std::int64_t audits = f.AuditCount();
    auto step = [&](std::string_view name) {
        expect(name);
        CHECK(f.AuditCount() > audits);
        audits = f.AuditCount();
    };

    Ok(a.Transition(kTechnician, number, "received", "at the counter", t));
    step("ticket.transition");
    Ok(a.Assign(kSupervisor, number, "E1002", t));
    step("ticket.assign");
    Ok(a.SetChannel(kTechnician, number, core::ServiceChannel::AuthorisedCentre, t));
    step("ticket.channel");
    Ok(a.AddNote(kClerk, number, "customer called", t));
    step("ticket.note");
    Ok(a.Reprint(kClerk, number, core::ReceiptKind::IntakeSlip, t));
    step("ticket.reprint");
    Ok(a.Transition(kTechnician, number, "diagnosing", "", t));
    step("ticket.transition");
    auto approval =
        Ok(a.RequestApproval(kTechnician, ApprovalRequest{number, ApprovalKind::Refund, 250000, "screen and board"},
                             t));
    step("approval.request");
    Ok(a.Decide(kSupervisor, approval.id, ApprovalDecision{true, "within policy", "ready_for_pickup"}, t));
    step("ticket.transition");  // the decision, then the ticket's move, in one transaction
    Ok(a.HandBack(kClerk, number, "picked up", t));
    step("ticket.handback");
    Ok(a.RecordCall(kClerk, number, CallOutcome::NoAnswer, "", t));
    step("followup.record");
    Settings settings = Ok(a.LoadSettings(kSupervisor));
    settings.storeName = "S012 Xujiahui";
    CHECK(Ok(a.SaveSettings(kSupervisor, settings, t)).saved);
    step("settings.edit");
    Ok(a.SetPin(kSupervisor, "E1004", "4321", t));
    step("staff.pin");
    Ok(a.Unlock(kSupervisor, "E1004", t));
    step("staff.unlock");
    Ok(a.ExportReportCsv(kSupervisor, ReportPeriod::Today, t));
    step("report.export");
    Ok(a.AuthorizeExit(kSupervisor, t));
    step("app.exit");

    Database db = Ok(Database::Open(f.File()));
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM audit_log WHERE action = 'approval.decide' AND before LIKE "
                         "'%\"state\":\"pending\"%' AND after LIKE '%\"state\":\"approved\"%'")) == 1);
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM audit_log WHERE action = 'ticket.assign' AND actor_id = 'E1001' AND "
                         "after LIKE '%\"assignee\":\"E1002\"%'")) == 1);
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM audit_log WHERE action = 'settings.edit' AND "
                         "after LIKE '%S012 Xujiahui%'")) == 1);

    // The admin store's events extend the same hash chain and projection the kiosk store keeps.
    const VerifyReport report = Ok(f.Kiosk().Verify());
    CHECK(report.ok);
    CHECK(report.mismatches.empty());
    const core::Ticket ticket = *Ok(f.Kiosk().FindTicket(number));
    CHECK(ticket.status == "closed");
    CHECK(ticket.assignee == "E1002");
    CHECK(ticket.channel == core::ServiceChannel::AuthorisedCentre);
    // Head office gets every event, the approval as requested and as decided, and the follow-up call.
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM outbox WHERE record_type = 'ticket_event'")) == ticket.eventCount);
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM outbox WHERE record_type = 'approval'")) == 2);
    CHECK(Ok(db.QueryText("SELECT json_extract(payload, '$.state') FROM outbox WHERE record_type = 'approval' "
                          "ORDER BY seq DESC LIMIT 1")) == "approved");
    CHECK(Ok(db.QueryText("SELECT json_extract(payload, '$.outcome') || ' ' || json_extract(payload, '$.staffNo') "
                          "FROM outbox WHERE record_type = 'followup_call'")) == "no_answer " + kClerk.id);
    CHECK(Ok(f.Kiosk().OutboxBacklog()) == ticket.eventCount + 3);
}

TEST_CASE("waiting for parts pauses the SLA clock and leaving it resumes it", "[admin]") {
    AdminFixture f;
    auto& a = f.Admin();
    const std::string number = f.NewRepair(kT0);
    Ok(a.Transition(kTechnician, number, "received", "", kT0 + minutes{10}));
    Ok(a.Transition(kTechnician, number, "diagnosing", "", kT0 + minutes{20}));
    Ok(a.Transition(kTechnician, number, "awaiting_parts", "board ordered", kT0 + hours{2}));

    auto paused = Ok(a.Queue(kClerk, {}, kT0 + hours{30}));
    REQUIRE(paused.size() == 1);
    CHECK(paused[0].urgency == Urgency::Paused);
    CHECK(paused[0].paused);
    CHECK_FALSE(paused[0].breached);  // 30 hours passed, but only 2 counted against the 24-hour target

    Ok(a.Transition(kTechnician, number, "in_repair", "parts in", kT0 + hours{30}));
    auto resumed = Ok(a.Queue(kClerk, {}, kT0 + hours{30}));
    REQUIRE(resumed.size() == 1);
    CHECK(resumed[0].urgency == Urgency::Green);
    // 2 hours used before the pause: 22 left from the resumption.
    CHECK(resumed[0].resolutionDue == kT0 + hours{30} + hours{22});
    CHECK(resumed[0].remaining == hours{22});

    auto late = Ok(a.Queue(kClerk, {}, kT0 + hours{53}));
    CHECK(late[0].urgency == Urgency::Red);
    CHECK(late[0].breached);
    CHECK(late[0].remaining == hours{-1});
}

TEST_CASE("the queue is ordered by SLA urgency and can be filtered and searched", "[admin]") {
    AdminFixture f;
    auto& a = f.Admin();
    core::NewTicket second = RepairRequest();
    second.customerPhone = "13900001111";
    second.serial = "IMEI-356938035643809";
    const std::string oldest = f.NewRepair(kT0);
    const std::string middle = f.NewRepair(kT0 + minutes{20}, second);
    const std::string newest = f.NewRepair(kT0 + minutes{40});
    Ok(a.Transition(kTechnician, newest, "received", "", kT0 + minutes{41}));
    Ok(a.Assign(kSupervisor, newest, "E1003", kT0 + minutes{42}));

    const auto now = kT0 + minutes{70};  // oldest: first response 10 minutes late
    auto queue = Ok(a.Queue(kClerk, {}, now));
    REQUIRE(queue.size() == 3);
    CHECK(queue[0].number == oldest);
    CHECK(queue[0].urgency == Urgency::Red);
    CHECK(queue[0].remaining == minutes{-10});
    CHECK(queue[1].number == middle);
    CHECK(queue[1].urgency == Urgency::Amber);  // 10 of 60 minutes left
    CHECK(queue[2].number == newest);           // first response met: the 24-hour clock leads
    CHECK(queue[2].urgency == Urgency::Green);
    CHECK(queue[2].assigneeName == "Zhao Min");
    CHECK(queue[0].maskedPhone == "138****5678");

    QueueFilter breached;
    breached.breachedOnly = true;
    auto onlyBreached = Ok(a.Queue(kClerk, breached, now));
    REQUIRE(onlyBreached.size() == 1);
    CHECK(onlyBreached[0].number == oldest);

    QueueFilter assigned;
    assigned.assignee = "E1003";
    CHECK(Ok(a.Queue(kClerk, assigned, now)).size() == 1);
    QueueFilter unassigned;
    unassigned.assignee = "";
    CHECK(Ok(a.Queue(kClerk, unassigned, now)).size() == 2);
    QueueFilter received;
    received.status = "received";
    CHECK(Ok(a.Queue(kClerk, received, now)).size() == 1);

    for (std::string search : {middle, std::string("1111"), std::string("139 0000 1111"), std::string("5643809")}) {
        QueueFilter filter;
        filter.search = search;
        auto found = Ok(a.Queue(kClerk, filter, now));
        INFO(search);
        REQUIRE(found.size() == 1);
        CHECK(found[0].number == middle);
    }
    QueueFilter nothing;
    nothing.search = "S999-K9-000000-0000";
    CHECK(Ok(a.Queue(kClerk, nothing, now)).empty());
}

TEST_CASE("approvals wait for a supervisor with a countdown", "[admin]") {
    AdminFixture f;
    auto& a = f.Admin();
    const std::string number = f.NewRepair(kT0);
    Ok(a.Transition(kTechnician, number, "received", "", kT0));
    Ok(a.Transition(kTechnician, number, "diagnosing", "", kT0));

    auto small = a.RequestApproval(kTechnician, ApprovalRequest{number, ApprovalKind::Refund, 50000, "refund"}, kT0);
    CHECK(CodeOf(small) == core::ErrorCode::InvalidInput);  // 500 yuan is within the default 1000 yuan

    auto approval =
        Ok(a.RequestApproval(kTechnician, ApprovalRequest{number, ApprovalKind::Refund, 150000, "refund over 1000"},
                             kT0));
    CHECK(approval.state == ApprovalState::Pending);
    CHECK(approval.deadline == kT0 + minutes{30});
    CHECK(Ok(f.Kiosk().FindTicket(number))->status == "awaiting_approval");
    CHECK(CodeOf(a.RequestApproval(kTechnician, ApprovalRequest{number, ApprovalKind::PolicyException, 0, "again"},
                                   kT0)) ==
          core::ErrorCode::Conflict);

    auto pending = Ok(a.Approvals(kClerk, true, kT0 + minutes{31}));
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].overdue);
    CHECK(pending[0].remaining == minutes{-1});
    auto detail = Ok(a.Detail(kSupervisor, number, kT0 + minutes{31}));
    REQUIRE(detail.approvals.size() == 1);
    CHECK(Ok(a.Queue(kClerk, {}, kT0 + minutes{31}))[0].pendingApproval);

    CHECK(CodeOf(a.Decide(kSupervisor, approval.id, ApprovalDecision{false, "", ""}, kT0)) ==
          core::ErrorCode::InvalidInput);
    auto refused =
        Ok(a.Decide(kSupervisor, approval.id, ApprovalDecision{false, "not covered", ""}, kT0 + minutes{32}));
    CHECK(refused.state == ApprovalState::Refused);
    CHECK(refused.decidedBy == "E1001");
    CHECK(Ok(f.Kiosk().FindTicket(number))->status == "diagnosing");
    CHECK(CodeOf(a.Decide(kSupervisor, approval.id, ApprovalDecision{true, "changed my mind", ""}, kT0)) ==
          core::ErrorCode::Conflict);
    CHECK(Ok(a.Approvals(kClerk, true, kT0 + minutes{33})).empty());
    CHECK(CodeOf(a.Decide(kSupervisor, "no-such-id", ApprovalDecision{true, "x", ""}, kT0)) ==
          core::ErrorCode::NotFound);
}

TEST_CASE("hand-back closes the ticket and offers it for a CSAT answer", "[admin]") {
    AdminFixture f;
    auto& a = f.Admin();
    const std::string number = ReadyTicket(f, kT0);
    const std::string notReady = f.NewRepair(kT0);
    CHECK(CodeOf(a.HandBack(kClerk, notReady, "", kT0 + minutes{5})) == core::ErrorCode::Conflict);

    auto closed = Ok(a.HandBack(kClerk, number, "", kT0 + minutes{5}));
    CHECK(closed.number == number);
    CHECK(closed.language == core::Language::ZhHans);
    auto last = Ok(a.LastClosed(kT0 + minutes{6}, minutes{5}));
    REQUIRE(last);
    CHECK(last->number == number);
    CHECK_FALSE(Ok(a.LastClosed(kT0 + minutes{11}, minutes{5})));

    CHECK(CodeOf(a.RecordCsat(number, 6, "", kT0 + minutes{6})) == core::ErrorCode::InvalidInput);
    CHECK(CodeOf(a.RecordCsat("S012-K1-261122-9999", 5, "", kT0)) == core::ErrorCode::NotFound);
    Ok(a.RecordCsat(number, 4, "quick, thanks", kT0 + minutes{6}));
    CHECK(CodeOf(a.RecordCsat(number, 5, "", kT0 + minutes{7})) == core::ErrorCode::Conflict);
    CHECK_FALSE(Ok(a.LastClosed(kT0 + minutes{7}, minutes{5})));
    CHECK(Ok(a.Detail(kClerk, number, kT0 + minutes{7})).csat->score == 4);
}

TEST_CASE("follow-up lists tickets closed in the last 24 hours without feedback", "[admin]") {
    AdminFixture f;
    auto& a = f.Admin();
    const std::string rated = ReadyTicket(f, kT0);
    const std::string called = ReadyTicket(f, kT0);
    core::NewTicket english = RepairRequest();
    english.language = core::Language::En;
    const std::string waiting = ReadyTicket(f, kT0, english);
    for (const auto& n : {rated, called, waiting}) Ok(a.HandBack(kClerk, n, "", kT0 + hours{1}));
    // A default-constructed string_view (no data pointer) is an empty comment, not a NULL.
    Ok(a.RecordCsat(rated, 5, std::string_view{}, kT0 + hours{1}));
    Ok(a.RecordCall(kClerk, called, CallOutcome::Reached, "happy", kT0 + hours{2}));
    Ok(a.RecordCall(kClerk, waiting, CallOutcome::NoAnswer, std::string_view{}, kT0 + hours{2}));

    auto list = Ok(a.FollowUps(kClerk, kT0 + hours{3}));
    REQUIRE(list.size() == 1);
    CHECK(list[0].ticketNumber == waiting);
    CHECK(list[0].phone == "13812345678");
    CHECK(list[0].callBy == kT0 + hours{25});
    CHECK(list[0].language == core::Language::En);  // the call script is read in the customer's language
    CHECK(list[0].product.en.empty());              // this kiosk has no catalog: the script leaves a blank
    REQUIRE(list[0].calls.size() == 1);
    CHECK(list[0].calls[0].outcome == CallOutcome::NoAnswer);

    CHECK(Ok(a.FollowUps(kClerk, kT0 + hours{26})).empty());  // more than 24 hours since closing
}

TEST_CASE("settings are validated, saved, audited and survive a restart", "[admin]") {
    AdminFixture f;
    Settings settings = Ok(f.Admin().LoadSettings(kSupervisor));
    CHECK(settings.approvalWindow == minutes{30});
    const auto audits = f.AuditCount();

    Settings bad = settings;
    bad.storeName = "S012";
    bad.printerUri = "bluetooth://x";
    bad.adminIdleTimeout = seconds{1};
    auto refused = Ok(f.Admin().SaveSettings(kSupervisor, bad, kT0));
    CHECK_FALSE(refused.saved);
    REQUIRE(refused.errors.size() == 2);
    CHECK(refused.errors[0].field == "adminIdleTimeout");
    CHECK(refused.errors[1].field == "printerUri");
    CHECK(refused.settings == settings);
    CHECK(f.AuditCount() == audits);

    Settings good = settings;
    good.storeName = "上海徐家汇店";
    good.printerUri = "tcp://192.168.1.50:9100";
    good.escalationThreshold = 50000;
    good.approvalWindow = minutes{15};
    good.defaultLanguage = core::Language::En;
    CHECK(Ok(f.Admin().SaveSettings(kSupervisor, good, kT0)).saved);
    f.Reopen();
    CHECK(Ok(f.Admin().LoadSettings(kClerk)) == good);

    // The new threshold and window apply to the next request.
    const std::string number = f.NewRepair(kT0);
    Ok(f.Admin().Transition(kTechnician, number, "received", "", kT0));
    Ok(f.Admin().Transition(kTechnician, number, "diagnosing", "", kT0));
    auto approval =
        Ok(f.Admin().RequestApproval(kTechnician, ApprovalRequest{number, ApprovalKind::Refund, 60000, "refund"}, kT0));
    CHECK(approval.deadline == kT0 + minutes{15});
}

TEST_CASE("the store's report counts what the database holds", "[admin]") {
    AdminFixture f;
    auto& a = f.Admin();
    const std::string closed = ReadyTicket(f, kT0);
    Ok(a.Assign(kSupervisor, closed, "E1002", kT0 + minutes{4}));
    Ok(a.HandBack(kClerk, closed, "", kT0 + hours{1}));
    Ok(a.RecordCsat(closed, 4, "", kT0 + hours{1}));
    f.NewRepair(kT0 + hours{2});
    Ok(a.RecordSelfHelp("battery", true, kT0));
    Ok(a.RecordSelfHelp("battery", false, kT0));
    Ok(a.RecordSelfHelp("screen", false, kT0));

    auto report = Ok(a.BuildReport(kSupervisor, ReportPeriod::Today, kT0 + hours{3}));
    CHECK(report.ticketsCreated == 2);
    CHECK(report.slaMeasured == 1);  // the closed one, resolved in 3 minutes
    CHECK(report.slaMet == 1);
    CHECK(report.firstResponse.count == 1);
    CHECK(report.firstResponse.average == minutes{1});
    CHECK(report.csatCount == 1);
    CHECK(report.csatDistribution[3] == 1);
    CHECK(report.selfHelpShown == 3);
    CHECK(report.selfHelpSolved == 1);
    REQUIRE(report.staff.size() == 1);
    CHECK(report.staff[0].staffNo == "E1002");
    CHECK(report.staff[0].closed == 1);
    REQUIRE(report.daily.size() == 1);
    CHECK(report.daily[0].closed == 1);
    CHECK_THAT(Ok(a.ExportReportCsv(kSupervisor, ReportPeriod::Today, kT0 + hours{3})),
               Catch::Contains("summary,tickets_created,2\r\n"));
}
