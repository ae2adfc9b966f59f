// The admin-mode state machine against an in-memory admin port: sign-in, lockout, timeouts on an
// injected clock, who may leave the application, and scans that jump to a ticket.
#include <catch2/catch.hpp>

#include <map>

#include "kiosk/core/admin_flow/admin_flow.hpp"

namespace {

using namespace kiosk::core;
using namespace kiosk::core::admin_flow;
using namespace std::chrono_literals;

const Timestamp kStart = *ParseTimestamp("2026-11-22T06:00:00Z");

// The port's edge, in memory: two staff with PINs, one ticket, a lockout after three wrong PINs.
class FakePort final : public admin::AdminPort {
public:
    int signOuts = 0;
    int failures = 0;
    std::optional<Timestamp> lockedUntil;
    std::vector<std::string> searches;
    std::vector<Attachment> attached;  // the files of the last Attach
    std::string attachedNote;

    Result<std::optional<admin::StaffIdentity>> Identify(std::string_view who, Timestamp now) override {
        for (const auto& [staffNo, staff] : m_staff) {
            if (who == staffNo || who == staff.badge) {
                admin::StaffIdentity identity{staffNo, staff.name, staff.role, true, std::nullopt};
                if (lockedUntil && *lockedUntil > now) identity.lockedUntil = lockedUntil;
                return identity;
            }
        }
        return std::nullopt;
    }
    Result<admin::SignInResult> SignIn(std::string_view staffNo, std::string_view pin, Timestamp now) override {
        admin::SignInResult result;
        if (lockedUntil && *lockedUntil > now) {
            result.outcome = admin::SignInOutcome::Locked;
            result.lockedUntil = lockedUntil;
            return result;
        }
        const auto it = m_staff.find(std::string(staffNo));
        if (it == m_staff.end()) return result;
        if (pin != it->second.pin) {
            result.outcome = admin::SignInOutcome::WrongPin;
            if (++failures >= 3) lockedUntil = now + 5min;
            result.lockedUntil = lockedUntil;
            result.failuresBeforeLockout = std::max(0, 3 - failures);
            return result;
        }
        failures = 0;
        result.outcome = admin::SignInOutcome::SignedIn;
        admin::Session session;
        session.actor = Actor{it->second.role, it->first};
        session.name = it->second.name;
        session.signedInAt = now;
        session.allowedActions = {std::string(admin::action::kQueueView), std::string(admin::action::kTicketNote)};
        if (it->second.role == Role::Supervisor) session.allowedActions.emplace_back(admin::action::kAppExit);
        result.session = session;
        return result;
    }
    Result<void> SignOut(const Actor&, Timestamp) override {
        ++signOuts;
        return {};
    }
    Result<void> AuthorizeExit(const Actor& actor, Timestamp) override {
        if (actor.role != Role::Supervisor) return Fail(ErrorCode::Forbidden, "only a supervisor may leave the application");
        return {};
    }
    Result<std::vector<admin::QueueItem>> Queue(const Actor&, const admin::QueueFilter& filter, Timestamp) override {
        searches.push_back(filter.search);
        admin::QueueItem item;
        item.number = kTicket;
        return std::vector<admin::QueueItem>{item};
    }
    Result<admin::TicketDetail> Detail(const Actor&, std::string_view number, Timestamp) override {
        if (number != kTicket) return Fail(ErrorCode::NotFound, "no ticket " + std::string(number));
        admin::TicketDetail detail;
        detail.ticket.number = kTicket;
        detail.ticket.status = m_status;
        detail.allowedTransitions = {"closed"};
        return detail;
    }
    Result<admin::TicketDetail> Transition(const Actor& a, std::string_view n, std::string_view to, std::string_view,
                                           Timestamp now) override {
        m_status = std::string(to);
        return Detail(a, n, now);
    }
    Result<std::vector<admin::StaffSummary>> Assignees(const Actor&, Timestamp) override { return std::vector<admin::StaffSummary>{}; }
    Result<admin::TicketDetail> Assign(const Actor& a, std::string_view n, std::string_view, Timestamp now) override { return Detail(a, n, now); }
    Result<admin::TicketDetail> SetChannel(const Actor& a, std::string_view n, ServiceChannel, Timestamp now) override { return Detail(a, n, now); }
    Result<admin::TicketDetail> AddNote(const Actor& a, std::string_view n, std::string_view, Timestamp now) override { return Detail(a, n, now); }
    Result<admin::TicketDetail> MarkScriptUsed(const Actor& a, std::string_view n, std::string_view, std::string_view, Timestamp now) override {
        return Detail(a, n, now);
    }
    Result<admin::TicketDetail> Attach(const Actor& a, std::string_view n, const std::vector<Attachment>& files,
                                       std::string_view note, Timestamp now) override {
        attached = files;
        attachedNote = std::string(note);
        return Detail(a, n, now);
    }
    Result<admin::ClosedTicket> HandBack(const Actor&, std::string_view number, std::string_view, Timestamp now) override {
        m_status = "closed";
        return admin::ClosedTicket{std::string(number), TicketType::Repair, Language::En, now};
    }
    Result<std::optional<admin::ClosedTicket>> LastClosed(Timestamp, std::chrono::minutes) override { return std::nullopt; }
    Result<admin::CsatAnswer> RecordCsat(std::string_view, int, std::string_view, Timestamp) override { return Unsupported<admin::CsatAnswer>(); }
    Result<std::int64_t> Reprint(const Actor&, std::string_view, ReceiptKind, Timestamp) override { return 1; }
    Result<admin::Approval> RequestApproval(const Actor&, const admin::ApprovalRequest&, Timestamp) override { return Unsupported<admin::Approval>(); }
    Result<std::vector<admin::Approval>> Approvals(const Actor&, bool, Timestamp) override { return std::vector<admin::Approval>{}; }
    Result<admin::Approval> Decide(const Actor&, std::string_view, const admin::ApprovalDecision&, Timestamp) override { return Unsupported<admin::Approval>(); }
    Result<std::vector<admin::FollowUp>> FollowUps(const Actor&, Timestamp) override { return std::vector<admin::FollowUp>{}; }
    Result<admin::FollowUpCall> RecordCall(const Actor&, std::string_view, admin::CallOutcome, std::string_view, Timestamp) override { return Unsupported<admin::FollowUpCall>(); }
    Result<admin::Report> BuildReport(const Actor&, admin::ReportPeriod period, Timestamp) override {
        admin::Report report;
        report.period = period;
        return report;
    }
    Result<std::string> ExportReportCsv(const Actor&, admin::ReportPeriod, Timestamp) override { return std::string("section,key,value\n"); }
    Result<admin::Settings> LoadSettings(const Actor&) override { return admin::Settings{}; }
    Result<admin::SettingsSave> SaveSettings(const Actor&, const admin::Settings& settings, Timestamp) override {
        return admin::SettingsSave{true, {}, settings};
    }
    Result<std::vector<admin::StaffSummary>> StaffList(const Actor&, Timestamp) override { return std::vector<admin::StaffSummary>{}; }
    Result<void> SetPin(const Actor&, std::string_view, std::string_view, Timestamp) override { return {}; }
    Result<void> Unlock(const Actor&, std::string_view, Timestamp) override { return {}; }

    static constexpr const char* kTicket = "S012-K1-261122-0001";

private:
    template <class T> static Result<T> Unsupported() { return Fail(ErrorCode::Unavailable, "not in this test"); }
    struct Person {
        std::string name;
        Role role;
        std::string badge;
        std::string pin;
    };
    std::map<std::string, Person> m_staff{{"E1001", {"Wang Fang", Role::Supervisor, "B-1001", "1001"}},
                                          {"E1004", {"Chen Jing", Role::Clerk, "B-1004", "1004"}}};
    std::string m_status = "ready_for_pickup";
};

class FakeDevices final : public DevicePort {
public:
    DeviceHealth Devices() override { return {}; }
    SyncHealth Sync() override { return {}; }
    Result<void> TestPrint() override { return {}; }
    Result<void> SyncNow() override { return {}; }
    Result<ReceiptPreview> Preview(std::string_view, bool, Language) override { return ReceiptPreview{}; }
    void JobQueued(std::int64_t job) override { queued.push_back(job); }

    std::vector<std::int64_t> queued;  // jobs the printer's owner was told about
};

// Photos named by their take number ("1111...", "2222..."), the signature as two files.
class FakeIntake final : public IntakePort {
public:
    int taken = 0;
    bool stillScene = false;  // every take the same picture
    std::vector<std::string> discarded;

    Result<IntakePhoto> TakePhoto() override {
        if (!stillScene) ++taken;
        return IntakePhoto{Attachment{std::string(64, static_cast<char>('0' + taken)), "photo", "image/jpeg", 1000}, {}};
    }
    Result<void> Discard(const Attachment& file) override {
        discarded.push_back(file.sha256);
        return {};
    }
    Result<std::vector<Attachment>> StoreSignature(const std::vector<PadStroke>& strokes) override {
        if (strokes.empty()) return Fail(ErrorCode::InvalidInput, "the customer has not signed");
        return std::vector<Attachment>{{std::string(64, 'a'), "signature", "image/png", 500},
                                       {std::string(64, 'b'), "signature_strokes", "application/json", 80}};
    }
};

std::vector<std::string> Hashes(const std::vector<IntakePhoto>& photos) {
    std::vector<std::string> out;
    for (const IntakePhoto& p : photos) out.push_back(p.file.sha256.substr(0, 1));
    return out;
}

struct Rig {
    FakePort port;
    FakeDevices devices;
    ManualClock clock{kStart};
    AdminFlow flow{port, devices, clock, AdminFlowSettings{300s, 60s}};

    void SignIn(const std::string& badge, const std::string& pin) {
        flow.Handle(BadgeScanned{badge});
        flow.Handle(SubmitPin{pin});
    }
};

ScanMeaning Classified(const std::string& text) { return ClassifyScan(ScanInput{text, ""}); }

}  // namespace

TEST_CASE("a badge and the right PIN sign in and open the queue", "[admin]") {
    Rig rig;
    REQUIRE_FALSE(rig.flow.Active());
    rig.flow.Handle(BadgeScanned{"B-1004"});
    REQUIRE(rig.flow.CurrentStage() == Stage::Pin);
    REQUIRE(rig.flow.View().identity->name == "Chen Jing");
    CHECK(rig.flow.ScreenName() == "admin-pin");
    rig.flow.Handle(SubmitPin{"1004"});
    REQUIRE(rig.flow.CurrentStage() == Stage::Working);
    CHECK(rig.flow.View().session->actor.id == "E1004");
    CHECK(rig.flow.View().tab == Tab::Queue);
    CHECK(rig.flow.View().queue.size() == 1);
    CHECK(rig.flow.ScreenName() == "admin-queue");
}

TEST_CASE("a long press asks for the staff number and digits get the E prefix", "[admin]") {
    Rig rig;
    rig.flow.Handle(LongPress{});
    REQUIRE(rig.flow.CurrentStage() == Stage::StaffNumber);
    rig.flow.Handle(SubmitStaffNumber{"9999"});
    CHECK(rig.flow.CurrentStage() == Stage::StaffNumber);
    CHECK(rig.flow.View().problem == SignInProblem::UnknownStaff);
    rig.flow.Handle(SubmitStaffNumber{"1001"});
    REQUIRE(rig.flow.CurrentStage() == Stage::Pin);
    CHECK(rig.flow.View().identity->staffNo == "E1001");
}

TEST_CASE("wrong PINs count down to a lockout, shown with the time left", "[admin]") {
    Rig rig;
    rig.flow.Handle(BadgeScanned{"B-1004"});
    rig.flow.Handle(SubmitPin{"0000"});
    CHECK(rig.flow.View().problem == SignInProblem::WrongPin);
    CHECK(rig.flow.View().failuresBeforeLockout == 2);
    CHECK_FALSE(rig.flow.CountdownVisible());
    rig.flow.Handle(SubmitPin{"0000"});
    rig.flow.Handle(SubmitPin{"0000"});
    CHECK(rig.flow.View().problem == SignInProblem::Locked);
    REQUIRE(rig.flow.View().lockedUntil == kStart + 5min);
    CHECK(rig.flow.CountdownVisible());
    // Even the right PIN is refused while locked, and a fresh badge scan shows the lockout at once.
    rig.flow.Handle(SubmitPin{"1004"});
    CHECK(rig.flow.CurrentStage() == Stage::Pin);
    rig.flow.Handle(CancelSignIn{});
    rig.flow.Handle(BadgeScanned{"B-1004"});
    CHECK(rig.flow.View().problem == SignInProblem::Locked);
    rig.clock.Advance(5min);
    rig.flow.Handle(SubmitPin{"1004"});
    CHECK(rig.flow.CurrentStage() == Stage::Working);
}

TEST_CASE("inactivity signs staff out after the configured timeout", "[admin]") {
    Rig rig;
    rig.SignIn("B-1004", "1004");
    REQUIRE(rig.flow.NextDeadline() == kStart + 300s);
    rig.clock.Advance(200s);
    rig.flow.Handle(ShowTab{Tab::Reports});  // activity restarts the timeout
    rig.clock.Advance(299s);
    rig.flow.Handle(Tick{});
    CHECK(rig.flow.Active());
    rig.clock.Advance(1s);
    rig.flow.Handle(Tick{});
    CHECK_FALSE(rig.flow.Active());
    CHECK(rig.port.signOuts == 1);
    CHECK_FALSE(rig.flow.View().session.has_value());
    CHECK_FALSE(rig.flow.NextDeadline().has_value());
}

TEST_CASE("a half-typed sign-in times out on the keypad timeout", "[admin]") {
    Rig rig;
    rig.flow.Handle(BadgeScanned{"B-1001"});
    rig.clock.Advance(59s);
    rig.flow.Handle(Tick{});
    CHECK(rig.flow.CurrentStage() == Stage::Pin);
    rig.clock.Advance(1s);
    rig.flow.Handle(Tick{});
    CHECK(rig.flow.CurrentStage() == Stage::Closed);
}

TEST_CASE("invalid settings show their errors and a saved admin timeout applies at once", "[admin]") {
    Rig rig;
    rig.SignIn("B-1001", "1001");
    admin::Settings settings;
    settings.adminIdleTimeout = 120s;
    rig.flow.Handle(SaveSettings{settings});  // no store name
    REQUIRE(rig.flow.View().settingsErrors.size() == 1);
    CHECK(rig.flow.View().settingsErrors.front().field == "storeName");
    CHECK(rig.flow.NextDeadline() == kStart + 300s);
    settings.storeName = "S012";
    rig.flow.Handle(SaveSettings{settings});
    CHECK(rig.flow.View().settingsErrors.empty());
    CHECK(rig.flow.View().message.text == "Saved.");
    CHECK(rig.flow.NextDeadline() == kStart + 120s);
}

TEST_CASE("only a supervisor can leave the application", "[admin]") {
    Rig clerk;
    clerk.SignIn("B-1004", "1004");
    clerk.flow.Handle(ExitApplication{});
    CHECK_FALSE(clerk.flow.ExitRequested());
    CHECK_FALSE(clerk.flow.View().message.ok);
    CHECK(clerk.flow.View().message.text == "only a supervisor may leave the application");

    Rig supervisor;
    supervisor.SignIn("B-1001", "1001");
    supervisor.flow.Handle(ExitApplication{});
    CHECK(supervisor.flow.ExitRequested());

    Rig nobody;
    nobody.flow.Handle(ExitApplication{});
    CHECK_FALSE(nobody.flow.ExitRequested());
}

TEST_CASE("scanning a ticket receipt jumps to its ticket and a serial searches the queue", "[admin]") {
    Rig rig;
    rig.SignIn("B-1004", "1004");
    rig.flow.Handle(Scanned{Classified(FakePort::kTicket), FakePort::kTicket});
    REQUIRE(rig.flow.View().ticket.has_value());
    CHECK(rig.flow.View().ticket->ticket.number == FakePort::kTicket);
    CHECK(rig.flow.View().tab == Tab::Ticket);
    CHECK(rig.flow.ScreenName() == "admin-ticket");

    rig.flow.Handle(Scanned{Classified("356938035643809"), "356938035643809"});
    CHECK(rig.flow.View().tab == Tab::Queue);
    CHECK(rig.port.searches.back() == "356938035643809");
}

TEST_CASE("a test scan shows what was read instead of acting on it", "[admin]") {
    Rig rig;
    rig.SignIn("B-1004", "1004");
    rig.flow.Handle(ShowTab{Tab::Devices});
    rig.flow.Handle(TestScan{});
    rig.flow.Handle(Scanned{Classified(FakePort::kTicket), FakePort::kTicket});
    CHECK(rig.flow.View().tab == Tab::Devices);
    REQUIRE(rig.flow.View().testScanResult.has_value());
    CHECK(*rig.flow.View().testScanResult == std::string("ticket_receipt: ") + FakePort::kTicket);
}

TEST_CASE("handing a ticket back offers it to the customer flow for a rating", "[admin]") {
    Rig rig;
    rig.SignIn("B-1004", "1004");
    rig.flow.Handle(OpenTicket{FakePort::kTicket});
    rig.flow.Handle(HandBack{""});
    const auto closed = rig.flow.TakeClosedTicket();
    REQUIRE(closed.has_value());
    CHECK(closed->number == FakePort::kTicket);
    CHECK(closed->language == Language::En);
    CHECK_FALSE(rig.flow.TakeClosedTicket().has_value());
    CHECK(rig.flow.View().ticket->ticket.status == "closed");
}

TEST_CASE("a reprint is queued through the admin port and the printer's owner is told at once", "[admin]") {
    Rig rig;
    rig.SignIn("B-1004", "1004");
    rig.flow.Handle(OpenTicket{FakePort::kTicket});
    CHECK(rig.devices.queued.empty());
    rig.flow.Handle(Reprint{ReceiptKind::CustomerReceipt});
    CHECK(rig.devices.queued == std::vector<std::int64_t>{1});
}

TEST_CASE("a CSV export is handed to the application with a file name", "[admin]") {
    Rig rig;
    rig.SignIn("B-1001", "1001");
    rig.flow.Handle(ShowPeriod{admin::ReportPeriod::Week});
    rig.flow.Handle(ExportCsv{});
    const auto pending = rig.flow.TakeExport();
    REQUIRE(pending.has_value());
    CHECK(pending->fileName == "report-week-2026-11-22T06-00-00Z.csv");
    CHECK(pending->text == "section,key,value\n");
    rig.flow.Handle(ExportWritten{std::string("/exports/x.csv")});
    CHECK(rig.flow.View().message.text == "/exports/x.csv");
}

TEST_CASE("another badge at a signed-in kiosk signs the first person out", "[admin]") {
    Rig rig;
    rig.SignIn("B-1004", "1004");
    rig.flow.Handle(Scanned{Classified("BADGE:B-1001"), "BADGE:B-1001"});
    CHECK(rig.flow.CurrentStage() == Stage::Pin);
    CHECK(rig.flow.View().identity->staffNo == "E1001");
    CHECK(rig.port.signOuts == 1);
}

TEST_CASE("receiving a ticket opens intake: photos taken, dropped, retaken, then one attach with the signature", "[admin]") {
    Rig rig;
    FakeIntake intake;
    rig.flow.SetIntake(&intake);
    rig.SignIn("B-1004", "1004");
    rig.flow.Handle(OpenTicket{FakePort::kTicket});
    CHECK_FALSE(rig.flow.View().intake.has_value());
    rig.flow.Handle(MoveTicket{"received", ""});
    REQUIRE(rig.flow.View().intake.has_value());
    CHECK(rig.flow.View().intake->ticketNumber == FakePort::kTicket);

    rig.flow.Handle(TakePhoto{});
    rig.flow.Handle(TakePhoto{});
    CHECK(Hashes(rig.flow.View().intake->photos) == std::vector<std::string>{"1", "2"});
    rig.flow.Handle(DropPhoto{0});
    CHECK(Hashes(rig.flow.View().intake->photos) == std::vector<std::string>{"2"});
    rig.flow.Handle(RetakePhoto{0});
    CHECK(Hashes(rig.flow.View().intake->photos) == std::vector<std::string>{"3"});
    CHECK(intake.discarded == std::vector<std::string>{std::string(64, '1'), std::string(64, '2')});
    for (int i = 0; i < 8; ++i) rig.flow.Handle(TakePhoto{});
    CHECK(rig.flow.View().intake->photos.size() == kMaxIntakePhotos);

    rig.flow.Handle(StartSigning{});
    CHECK(rig.flow.View().intake->signing);
    rig.flow.Handle(FinishIntake{"scratched lid", {}});
    CHECK_FALSE(rig.flow.View().message.ok);
    REQUIRE(rig.flow.View().intake.has_value());
    CHECK(rig.port.attached.empty());

    rig.flow.Handle(FinishIntake{"scratched lid", {{{0.1f, 0.5f, 0}, {0.9f, 0.5f, 300}}}});
    CHECK(rig.flow.View().message.ok);
    CHECK_FALSE(rig.flow.View().intake.has_value());
    REQUIRE(rig.port.attached.size() == kMaxIntakePhotos + 2);
    CHECK(rig.port.attached[0].sha256 == std::string(64, '3'));
    CHECK(rig.port.attached[kMaxIntakePhotos].kind == "signature");
    CHECK(rig.port.attached[kMaxIntakePhotos + 1].kind == "signature_strokes");
    CHECK(rig.port.attachedNote == "scratched lid");
    CHECK(intake.discarded.size() == 2);  // nothing attached was taken out
}

TEST_CASE("an intake left unfinished takes its photos out again", "[admin]") {
    Rig rig;
    FakeIntake intake;
    rig.flow.SetIntake(&intake);
    rig.SignIn("B-1004", "1004");
    rig.flow.Handle(OpenTicket{FakePort::kTicket});
    rig.flow.Handle(MoveTicket{"received", ""});
    rig.flow.Handle(TakePhoto{});
    rig.flow.Handle(CancelIntake{});
    CHECK_FALSE(rig.flow.View().intake.has_value());
    CHECK(intake.discarded == std::vector<std::string>{std::string(64, '1')});

    // Opened again from the received ticket; signing out drops what was taken.
    rig.flow.Handle(OpenIntake{});
    REQUIRE(rig.flow.View().intake.has_value());
    rig.flow.Handle(TakePhoto{});
    rig.flow.Handle(SignOut{});
    CHECK(intake.discarded.size() == 2);
    CHECK(rig.port.attached.empty());
}

TEST_CASE("dropping one of two takes of a still scene keeps the file the other shows", "[admin]") {
    Rig rig;
    FakeIntake intake;
    intake.stillScene = true;
    rig.flow.SetIntake(&intake);
    rig.SignIn("B-1004", "1004");
    rig.flow.Handle(OpenTicket{FakePort::kTicket});
    rig.flow.Handle(MoveTicket{"received", ""});
    rig.flow.Handle(TakePhoto{});
    rig.flow.Handle(TakePhoto{});
    rig.flow.Handle(DropPhoto{1});
    CHECK(intake.discarded.empty());
    rig.flow.Handle(DropPhoto{0});
    CHECK(intake.discarded.size() == 1);
}
