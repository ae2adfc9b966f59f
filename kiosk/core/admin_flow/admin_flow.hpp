// Admin mode as a state machine: signing in (a badge scan, or a long press in a corner and the staff
// number, then the PIN), the tabs staff work in, and signing out on inactivity. It calls the admin and
// device ports itself and keeps what the screens show, so the screens only draw and emit events.
//
// - Stages: Closed (the customer flow has the screen), StaffNumber, Pin, Working.
// - Inactivity: after the configured timeout in any stage but Closed the session ends (audited) and
//   the customer flow comes back. Every staff event counts as activity; ticks and scans of no use do not.
// - A scanned ticket receipt opens its ticket; a scanned sales receipt or serial searches the queue.
// - Only a role allowed "app.exit" (a supervisor) can leave the application: ExitRequested().
// - HandBack closes a ticket and offers it to the customer flow for the rating (TakeClosedTicket()).
// - Intake: moving a ticket to "received" (or opening intake on a received ticket) starts the intake
//   panel: photos (up to kMaxIntakePhotos) taken, retaken or dropped, the condition noted, the customer
//   signs, and finishing attaches everything as one event. Files not attached in the end are taken
//   out of the blob store again.
// - Generation() changes whenever something shown changed, so the loop knows to draw.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kiosk/core/admin/admin_port.hpp"
#include "kiosk/core/admin_flow/device_port.hpp"
#include "kiosk/core/admin_flow/intake_port.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/scan.hpp"

namespace kiosk::core::admin_flow {

enum class Stage { Closed, StaffNumber, Pin, Working };

enum class Tab { Queue, Ticket, Numbers, Approvals, FollowUp, Devices, Sync, Reports, Settings };
inline constexpr std::array kTabs{Tab::Queue,   Tab::Ticket, Tab::Numbers, Tab::Approvals, Tab::FollowUp,
                                  Tab::Devices, Tab::Sync,   Tab::Reports, Tab::Settings};
// "queue", "ticket", "numbers", "approvals", "follow-up", "devices", "sync", "reports", "settings"
std::string_view ToString(Tab tab);
// The screen name scripts expect: "admin-staff-number", "admin-pin", "admin-queue", ...; empty when Closed.
std::string ScreenName(Stage stage, Tab tab);

// Why the sign-in keypad shows a message.
enum class SignInProblem { None, UnknownStaff, WrongPin, Locked, NoPin, Unavailable };

struct AdminFlowSettings {
    std::chrono::seconds idleTimeout{300};  // signed in: back to the customer flow
    std::chrono::seconds keypadTimeout{60};  // staff number or PIN left half typed
};

// The outcome of the last staff action, shown in a status line until the next one.
struct ActionMessage {
    bool ok = true;
    std::string text;  // ok: a msgid to translate; failure: the port's error message (staff see details)
};

// ---- Events: staff intents from the screens, scans and time

struct BadgeScanned { std::string badge; };
struct LongPress {};                                  // the hidden corner was held down
struct SubmitStaffNumber { std::string digits; };
struct SubmitPin { std::string digits; };
struct CancelSignIn {};
struct ShowTab { Tab tab; };
struct OpenTicket { std::string number; };
struct ApplyFilter { admin::QueueFilter filter; };
struct Scanned { ScanMeaning meaning; std::string text; };
struct MoveTicket { std::string toStatus; std::string note; };
struct AddTicketNote { std::string text; };
struct MarkScriptUsed { std::string scriptId; std::string scene; };  // a service script read to the customer
struct AssignTo { std::string staffNo; };
struct RouteTo { ServiceChannel channel; };
struct HandBack { std::string note; };
struct Reprint { ReceiptKind kind = ReceiptKind::CustomerReceipt; };
struct PreviewReceipt { ReceiptKind kind = ReceiptKind::CustomerReceipt; };
struct AskApproval { admin::ApprovalKind kind = admin::ApprovalKind::Refund; Money amount = 0; std::string reason; };
struct Decide { std::string approvalId; bool approve = false; std::string reason; };
struct RecordCall { std::string ticketNumber; admin::CallOutcome outcome = admin::CallOutcome::Reached; };
struct ShowPeriod { admin::ReportPeriod period = admin::ReportPeriod::Today; };
struct ExportCsv {};
struct ExportWritten { Result<std::string> path; };   // the application's answer to TakeExport()
struct SaveSettings { admin::Settings settings; };
struct TestPrint {};
struct TestScan {};                                   // the next scan is shown, not acted on
struct SyncNow {};
struct OpenIntake {};                                 // on the open ticket, while it is received
struct TakePhoto {};
struct RetakePhoto { std::size_t index = 0; };
struct DropPhoto { std::size_t index = 0; };
struct StartSigning {};
struct BackToPhotos {};
struct FinishIntake { std::string condition; std::vector<PadStroke> strokes; };
struct CancelIntake {};
struct Refresh {};
struct SignOut {};
struct ExitApplication {};
struct Tick {};
struct CallNextNumber { std::string service; };                  // queue numbers (取号)
struct FinishNumber { std::string label; bool served = true; };  // false: no-show
struct LinkNumber { std::string label; std::string ticketNumber; };

using AdminEvent = std::variant<BadgeScanned, LongPress, SubmitStaffNumber, SubmitPin, CancelSignIn, ShowTab,
                                OpenTicket, ApplyFilter, Scanned, MoveTicket, AddTicketNote, MarkScriptUsed, AssignTo, RouteTo,
                                HandBack, Reprint, PreviewReceipt, AskApproval, Decide, RecordCall, ShowPeriod,
                                ExportCsv, ExportWritten, SaveSettings, TestPrint, TestScan, SyncNow, OpenIntake,
                                TakePhoto, RetakePhoto, DropPhoto, StartSigning, BackToPhotos, FinishIntake,
                                CancelIntake, Refresh, SignOut, ExitApplication, Tick, CallNextNumber, FinishNumber,
                                LinkNumber>;

// A CSV export for the application to write: the file name (no directory) and its text.
struct PendingExport {
    std::string fileName;
    std::string text;
};

// The intake under way on the open ticket.
struct IntakeView {
    std::string ticketNumber;
    std::vector<IntakePhoto> photos;
    bool signing = false;  // the customer has the signature pad
};

// What the screens read. Loaded from the ports when a tab opens, after each action and on Refresh.
struct AdminView {
    std::optional<admin::StaffIdentity> identity;  // at the PIN keypad
    SignInProblem problem = SignInProblem::None;
    std::optional<Timestamp> lockedUntil;
    int failuresBeforeLockout = 0;
    std::optional<admin::Session> session;
    Tab tab = Tab::Queue;
    admin::QueueFilter filter;
    std::vector<admin::QueueItem> queue;
    std::optional<admin::TicketDetail> ticket;
    std::vector<admin::StaffSummary> assignees;
    std::optional<ReceiptPreview> preview;
    std::vector<admin::Approval> approvals;
    std::vector<admin::FollowUp> followUps;
    admin::ReportPeriod period = admin::ReportPeriod::Today;
    std::optional<admin::Report> report;
    std::optional<admin::Settings> settings;
    admin::NumberDesk numbers;
    std::vector<admin::FieldError> settingsErrors;
    std::optional<DeviceHealth> devices;
    std::optional<SyncHealth> sync;
    bool testScanArmed = false;
    std::optional<std::string> testScanResult;  // what the test scan read, as classified
    std::int64_t scansSeen = 0;
    std::optional<Timestamp> lastScanAt;
    std::optional<IntakeView> intake;
    bool intakeAvailable = false;  // the application offers intake (a camera or recorded frames, a blob store)
    ActionMessage message;
};

class AdminFlow {
public:
    AdminFlow(admin::AdminPort& port, DevicePort& devices, const Clock& clock, AdminFlowSettings settings);

    void Handle(const AdminEvent& event);
    // Every scan the kiosk reads, in either mode, for the scanner's health on the Devices tab.
    void NoteScan(Timestamp at);

    Stage CurrentStage() const { return m_stage; }
    bool Active() const { return m_stage != Stage::Closed; }
    const AdminView& View() const { return m_view; }
    std::string ScreenName() const { return admin_flow::ScreenName(m_stage, m_view.tab); }
    std::uint64_t Generation() const { return m_generation; }
    Timestamp Now() const { return m_clock.Now(); }
    // When the flow next needs a Tick (the inactivity timeout), nullopt while Closed.
    std::optional<Timestamp> NextDeadline() const;
    // Whether a countdown is on screen, so the loop redraws once a second.
    bool CountdownVisible() const;

    bool ExitRequested() const { return m_exitRequested; }
    std::optional<admin::ClosedTicket> TakeClosedTicket() { return std::exchange(m_closed, std::nullopt); }
    std::optional<PendingExport> TakeExport() { return std::exchange(m_export, std::nullopt); }

    void SetIdleTimeout(std::chrono::seconds timeout) { m_settings.idleTimeout = timeout; }
    // Where intake photos and signatures go; null (the default): no intake panel.
    void SetIntake(IntakePort* intake) {
        m_intake = intake;
        m_view.intakeAvailable = intake != nullptr;
    }

private:
    template <class E> void On(const E& event);
    void Identify(std::string_view badgeOrStaffNo);
    void Close();
    void ResetView();
    void StartIntake();
    void EndIntake(bool discardPhotos);
    void Load(Tab tab);
    void LoadTicket(const std::string& number);
    void Fail(const Error& error);
    void Done(std::string msgid);
    const Actor& Me() const { return m_view.session->actor; }
    bool SignedIn() const { return m_stage == Stage::Working && m_view.session.has_value(); }

    admin::AdminPort& m_port;
    DevicePort& m_devices;
    IntakePort* m_intake = nullptr;
    const Clock& m_clock;
    AdminFlowSettings m_settings;
    Stage m_stage = Stage::Closed;
    AdminView m_view;
    Timestamp m_lastActivity;
    std::uint64_t m_generation = 0;
    bool m_exitRequested = false;
    std::optional<admin::ClosedTicket> m_closed;
    std::optional<PendingExport> m_export;
};

}  // namespace kiosk::core::admin_flow
