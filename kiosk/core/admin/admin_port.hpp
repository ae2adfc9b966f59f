// The admin port: everything the admin-mode screens ask of the kiosk (sign-in, queue, tickets,
// approvals, follow-up, reports, settings, staff), as value types and one call per action.
//
// Every call that acts for a person takes the signed-in `Actor` (Session::actor) and `now`. The
// implementation checks the action against the roles table (Forbidden when the role may not), and
// writes the change and its audit entry (who, what, when, before/after) in one transaction: either
// both land or neither does. Failures: NotFound for an unknown ticket/staff/approval, InvalidInput
// for malformed arguments, Conflict when the current state does not allow it, Storage/Busy when the
// database fails. Device health and sync status are not here (see kiosk/core/admin_flow/).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/admin/actions.hpp"
#include "kiosk/core/catalog.hpp"
#include "kiosk/core/queue_numbers.hpp"
#include "kiosk/core/customer.hpp"
#include "kiosk/core/date.hpp"
#include "kiosk/core/devices.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"
#include "kiosk/core/remedy.hpp"
#include "kiosk/core/sla.hpp"
#include "kiosk/core/staff.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core::admin {

// ---------------------------------------------------------------------------------------------
// Sign-in

// A signed-in staff member. The screens keep it for the session and pass `actor` to every call.
struct Session {
    Actor actor;                               // role + staff number
    std::string name;
    Timestamp signedInAt;
    std::vector<std::string> allowedActions;   // from the roles table, for greying out buttons

    bool Can(std::string_view action) const;
};

// Who is at the keypad, before the PIN: found by badge (the text after "BADGE:") or staff number.
struct StaffIdentity {
    std::string staffNo;
    std::string name;
    Role role = Role::Clerk;
    bool hasPin = false;
    std::optional<Timestamp> lockedUntil;      // set while locked out at `now`: show "try again at ..."
};

enum class SignInOutcome {
    SignedIn,
    WrongPin,      // counted as a failure; `lockedUntil` is set when this failure started a lockout
    Locked,        // still locked out: the PIN was not even checked, nothing counted
    UnknownStaff,  // no active staff with this badge / number
    NoPin,         // the staff member has no PIN yet: a supervisor sets one
};
std::string_view ToString(SignInOutcome outcome);

struct SignInResult {
    SignInOutcome outcome = SignInOutcome::UnknownStaff;
    std::optional<Session> session;            // SignedIn only
    std::optional<Timestamp> lockedUntil;      // Locked, or WrongPin that started a lockout
    int consecutiveFailures = 0;               // after this attempt
    int failuresBeforeLockout = 0;             // how many more wrong PINs before the next lockout (0: locked)
};

// ---------------------------------------------------------------------------------------------
// Queue

// The countdown colour: green on track, amber at risk, red breached; grey when the clock is paused,
// none when no clock runs (closed, cancelled, or no SLA target).
enum class Urgency { Green, Amber, Red, Paused, None };
std::string_view ToString(Urgency urgency);

struct QueueFilter {
    std::optional<TicketType> type;
    std::optional<std::string> status;
    std::optional<std::string> assignee;       // staff number; "" (empty string) means unassigned
    bool breachedOnly = false;
    bool includeClosed = false;                // terminal tickets are left out unless asked for
    std::string search;                        // a ticket number, phone number or serial (exact or suffix)
    int limit = 200;
};

struct QueueItem {
    std::string number;
    TicketType type = TicketType::Repair;
    std::string status;                        // lifecycle status id
    LocalizedText statusLabel;
    Tier tier = Tier::New;
    std::string assignee;                      // staff number, empty when unassigned
    std::string assigneeName;
    std::optional<ServiceChannel> channel;
    std::string maskedPhone;                   // 138****5678
    std::string productName;                   // in the session's language if known, else the GTIN
    Timestamp createdAt;
    SlaState firstResponseState = SlaState::OnTrack;
    SlaState resolutionState = SlaState::OnTrack;
    std::optional<Timestamp> firstResponseDue;
    std::optional<Timestamp> resolutionDue;
    // The deadline the countdown shows: the running clock's due time that comes first (first response
    // until it is met, then resolution). `remaining` is negative once breached, zero when unknown.
    std::optional<Timestamp> nextDue;
    std::chrono::seconds remaining{0};
    Urgency urgency = Urgency::None;
    bool breached = false;                     // either clock breached or met late
    bool paused = false;
    bool pendingApproval = false;
};

// ---------------------------------------------------------------------------------------------
// Approvals

enum class ApprovalKind { Refund, PolicyException };
std::string_view ToString(ApprovalKind kind);
std::optional<ApprovalKind> ParseApprovalKind(std::string_view text);

enum class ApprovalState { Pending, Approved, Refused };
std::string_view ToString(ApprovalState state);

struct ApprovalRequest {
    std::string ticketNumber;
    ApprovalKind kind = ApprovalKind::Refund;
    Money amount = 0;                          // refund amount in fen (0 for an exception without money)
    std::string reason;                        // required: why the exception / refund is asked for
};

struct Approval {
    std::string id;                            // UUID
    std::string ticketNumber;
    ApprovalKind kind = ApprovalKind::Refund;
    Money amount = 0;
    std::string reason;
    std::string requestedBy;                   // staff number
    Timestamp requestedAt;
    Timestamp deadline;                        // requestedAt + the approval window (default 30 min)
    ApprovalState state = ApprovalState::Pending;
    std::string decidedBy;
    std::optional<Timestamp> decidedAt;
    std::string decisionReason;
    // Computed at the `now` of the query: time left (negative when past) and whether a pending
    // request has run out, which the screens flag in red. It stays decidable after the deadline.
    std::chrono::seconds remaining{0};
    bool overdue = false;
};

struct ApprovalDecision {
    bool approve = false;
    std::string reason;                        // required for both outcomes
    // Where the ticket goes from awaiting_approval; empty: "in_repair" when approved, "diagnosing"
    // when refused. Must be a transition the lifecycle allows the supervisor.
    std::string nextStatus;
};

// ---------------------------------------------------------------------------------------------
// Ticket detail

struct Decision {
    std::optional<Remedy> remedy;
    std::string clauseId;
    LocalizedText clauseText;                  // empty when the clause is not in the loaded policy
    bool proofToVerify = false;
};

struct CsatAnswer {
    std::string ticketNumber;
    int score = 0;                             // 1..5
    std::string comment;
    Timestamp answeredAt;
};

struct TicketDetail {
    Ticket ticket;
    std::string maskedPhone;
    std::string productName;
    Decision decision;
    SlaStatus sla;
    Urgency urgency = Urgency::None;
    std::vector<TicketEvent> events;           // oldest first: the timeline
    std::vector<std::string> allowedTransitions;  // statuses the session's role may move it to now
    std::vector<Approval> approvals;           // every approval asked for this ticket, newest first
    std::optional<CsatAnswer> csat;
};

struct StaffSummary {
    std::string staffNo;
    std::string name;
    Role role = Role::Clerk;
    bool active = true;
    bool hasPin = false;
    int openAssigned = 0;                      // open tickets assigned to them
    std::optional<Timestamp> lockedUntil;      // while locked out at `now`
    int consecutiveFailures = 0;
};

// The ticket the last hand-back closed, for the customer flow to ask the CSAT question.
struct ClosedTicket {
    std::string number;
    TicketType type = TicketType::Repair;
    Language language = Language::ZhHans;      // the language the customer filed in
    Timestamp closedAt;
};

// ---------------------------------------------------------------------------------------------
// Follow-up

enum class CallOutcome { Reached, NoAnswer, CallBack, WrongNumber, Declined };
std::string_view ToString(CallOutcome outcome);
std::optional<CallOutcome> ParseCallOutcome(std::string_view text);
// Reached, WrongNumber, Declined end the follow-up; NoAnswer and CallBack keep it in the list.
bool EndsFollowUp(CallOutcome outcome);

struct FollowUpCall {
    std::string staffNo;
    CallOutcome outcome = CallOutcome::Reached;
    std::string note;
    Timestamp at;
};

// A ticket closed in the last 24 hours with no CSAT answer and no call that ended the follow-up.
struct FollowUp {
    std::string ticketNumber;
    TicketType type = TicketType::Repair;
    std::string phone;                         // full number: staff call it
    std::string maskedPhone;
    std::string assignee;
    Language language = Language::ZhHans;      // the customer's, for the call script
    LocalizedText product;                     // the product's name, empty when the ticket names none
    Timestamp closedAt;
    Timestamp callBy;                          // closedAt + 24 h
    std::vector<FollowUpCall> calls;           // earlier attempts, oldest first
};

// ---------------------------------------------------------------------------------------------
// Reports

enum class ReportPeriod { Today, Week, Month };
std::string_view ToString(ReportPeriod period);
std::optional<ReportPeriod> ParseReportPeriod(std::string_view text);

struct CountRow {
    std::string key;                           // a type, status, category, GTIN ...
    std::string label;                         // for display (product name, status label); may equal key
    int count = 0;
};

struct DurationFigures {
    int count = 0;                             // tickets measured
    std::optional<std::chrono::seconds> average;
    std::optional<std::chrono::seconds> median;
};

struct StaffFigures {
    std::string staffNo;
    std::string name;
    int assigned = 0;                          // tickets assigned to them created in the period
    int open = 0;                              // of those, still open
    int closed = 0;                            // closed in the period while assigned to them
    int csatCount = 0;
    std::optional<double> csatAverage;
};

// One point per local day of the period, for charts.
struct DailyPoint {
    Date day;
    int created = 0;
    int closed = 0;
    int breached = 0;                          // SLA breaches among tickets created that day
};

struct Report {
    ReportPeriod period = ReportPeriod::Today;
    Timestamp from;                            // start of the first local day (inclusive)
    Timestamp to;                              // `now` (exclusive)
    int ticketsCreated = 0;
    std::vector<CountRow> byType;              // tickets created in the period
    std::vector<CountRow> byStatus;            // their current status
    // SLA compliance over resolution clocks that ended (met or breached) or are breached now, of
    // tickets created in the period; percent is absent when nothing was measured.
    int slaMeasured = 0;
    int slaMet = 0;
    std::optional<double> slaCompliancePercent;
    DurationFigures firstResponse;             // created -> first response, wall-clock
    DurationFigures resolution;                // created -> resolution, wall-clock
    int csatCount = 0;                         // answers given in the period
    std::optional<double> csatAverage;
    std::array<int, 5> csatDistribution{};     // [0] = score 1 ... [4] = score 5
    std::vector<CountRow> topProducts;         // by GTIN, most tickets first, at most 10
    std::vector<CountRow> topCategories;       // by problem category, at most 10
    int selfHelpShown = 0;                     // FAQ suggestions shown
    int selfHelpSolved = 0;                    // ... that the customer said solved it (no ticket)
    std::optional<double> deflectionPercent;   // solved / shown
    std::vector<StaffFigures> staff;
    std::vector<DailyPoint> daily;
};

// ---------------------------------------------------------------------------------------------
// Settings

struct Settings {
    std::string storeName;
    std::string storeAddress;
    std::string storePhone;
    Language defaultLanguage = Language::ZhHans;
    std::chrono::seconds customerIdleTimeout{90};   // customer mode back to start
    std::chrono::seconds adminIdleTimeout{300};     // admin mode signs out
    std::string printerUri = "usb://auto";
    std::string printerProfile = "generic-80mm";
    Money escalationThreshold = 100000;             // refunds above this (fen) need a supervisor
    std::chrono::minutes approvalWindow{30};        // time a supervisor has to decide
    friend bool operator==(const Settings&, const Settings&) = default;
};

struct FieldError {
    std::string field;                         // the Settings member name: "storeName", "printerUri" ...
    std::string message;
};

// Checks every field; empty when the settings are valid. Pure: usable by the screen while typing.
std::vector<FieldError> ValidateSettings(const Settings& settings);

struct SettingsSave {
    bool saved = false;
    std::vector<FieldError> errors;            // why not saved; nothing is written when not empty
    Settings settings;                         // what is now in force
};

// Queue numbers (取号) at the counter: per service "now serving" and how many wait, and today's numbers.
struct NumberDesk {
    std::vector<QueueBoardRow> board;  // empty: the kiosk hands out no numbers
    std::vector<QueueTicket> today;
};

// ---------------------------------------------------------------------------------------------
// The port

class AdminPort {
public:
    virtual ~AdminPort() = default;

    // --- sign-in ------------------------------------------------------------------------------
    // Looks up who a badge ("BADGE:E1001" or just "E1001") or staff number belongs to; std::nullopt
    // when no active staff member matches. Writes nothing.
    virtual Result<std::optional<StaffIdentity>> Identify(std::string_view badgeOrStaffNo, Timestamp now) = 0;
    // Checks the PIN for an identified staff number. Counts failures and locks with growing delays;
    // the lockout is stored, so it survives a restart. Every attempt is audited.
    virtual Result<SignInResult> SignIn(std::string_view staffNo, std::string_view pin, Timestamp now) = 0;
    virtual Result<void> SignOut(const Actor& actor, Timestamp now) = 0;
    // Ok only for a role allowed "app.exit" (supervisor); audited. Forbidden otherwise.
    virtual Result<void> AuthorizeExit(const Actor& actor, Timestamp now) = 0;

    // --- queue and tickets --------------------------------------------------------------------
    // Ordered by urgency: breached first (most overdue first), then least time remaining, paused
    // and clock-less tickets last (oldest first).
    virtual Result<std::vector<QueueItem>> Queue(const Actor& actor, const QueueFilter& filter, Timestamp now) = 0;
    virtual Result<TicketDetail> Detail(const Actor& actor, std::string_view number, Timestamp now) = 0;
    // Moves a ticket; awaiting_parts / awaiting_customer pause its SLA, leaving them resumes it.
    virtual Result<TicketDetail> Transition(const Actor& actor, std::string_view number, std::string_view toStatus,
                                            std::string_view note, Timestamp now) = 0;
    // Technicians and supervisors who can be assigned, with their open workload.
    virtual Result<std::vector<StaffSummary>> Assignees(const Actor& actor, Timestamp now) = 0;
    // An empty staff number unassigns.
    virtual Result<TicketDetail> Assign(const Actor& actor, std::string_view number, std::string_view staffNo,
                                        Timestamp now) = 0;
    virtual Result<TicketDetail> SetChannel(const Actor& actor, std::string_view number, ServiceChannel channel,
                                            Timestamp now) = 0;
    virtual Result<TicketDetail> AddNote(const Actor& actor, std::string_view number, std::string_view note,
                                         Timestamp now) = 0;
    // Records that the script `scriptId` of `scene` was read to the customer (a script_used event that
    // travels upstream like every ticket event). Needs "ticket.note"; InvalidInput for an empty id.
    virtual Result<TicketDetail> MarkScriptUsed(const Actor& actor, std::string_view number, std::string_view scriptId,
                                                std::string_view scene, Timestamp now) = 0;
    // Records files kept with the ticket (photos at intake, the customer's signature) as one attached
    // event carrying their hashes, with an optional note (the product's condition). The files must
    // already be in the kiosk's blob store. Needs "ticket.note"; InvalidInput for no files, more than
    // kMaxAttachmentsPerEvent or an attachment that does not validate.
    virtual Result<TicketDetail> Attach(const Actor& actor, std::string_view number,
                                        const std::vector<Attachment>& attachments, std::string_view note,
                                        Timestamp now) = 0;
    // Hands the item back and closes the ticket (ready_for_pickup or resolved -> closed) and remembers
    // it as the last closed ticket for the CSAT question.
    virtual Result<ClosedTicket> HandBack(const Actor& actor, std::string_view number, std::string_view note,
                                          Timestamp now) = 0;
    // The ticket the last HandBack closed, if it has no CSAT answer yet and closed within `maxAge`.
    virtual Result<std::optional<ClosedTicket>> LastClosed(Timestamp now, std::chrono::minutes maxAge) = 0;
    // Records the customer's answer (actor: the customer). Conflict when the ticket already has one,
    // InvalidInput for a score outside 1..5, NotFound for an unknown ticket.
    virtual Result<CsatAnswer> RecordCsat(std::string_view number, int score, std::string_view comment,
                                          Timestamp now) = 0;
    // Audits the reprint and queues the job (marked as a reprint); returns the print job id.
    virtual Result<std::int64_t> Reprint(const Actor& actor, std::string_view number, ReceiptKind kind,
                                         Timestamp now) = 0;

    // --- approvals ----------------------------------------------------------------------------
    // Moves the ticket to awaiting_approval and opens a request with a deadline. InvalidInput for a
    // refund within the escalation threshold (no approval needed), Conflict while one is pending.
    virtual Result<Approval> RequestApproval(const Actor& actor, const ApprovalRequest& request, Timestamp now) = 0;
    // Pending requests (oldest deadline first), or all requests when `pendingOnly` is false (newest first).
    virtual Result<std::vector<Approval>> Approvals(const Actor& actor, bool pendingOnly, Timestamp now) = 0;
    // Conflict when already decided; Forbidden for anyone but a supervisor (by the roles table).
    virtual Result<Approval> Decide(const Actor& actor, std::string_view approvalId, const ApprovalDecision& decision,
                                    Timestamp now) = 0;

    // --- follow-up ----------------------------------------------------------------------------
    virtual Result<std::vector<FollowUp>> FollowUps(const Actor& actor, Timestamp now) = 0;
    virtual Result<FollowUpCall> RecordCall(const Actor& actor, std::string_view number, CallOutcome outcome,
                                            std::string_view note, Timestamp now) = 0;

    // --- reports ------------------------------------------------------------------------------
    virtual Result<Report> BuildReport(const Actor& actor, ReportPeriod period, Timestamp now) = 0;
    // The report as CSV text (sections separated by a blank line); audited as an export.
    virtual Result<std::string> ExportReportCsv(const Actor& actor, ReportPeriod period, Timestamp now) = 0;

    // --- settings -----------------------------------------------------------------------------
    // Any signed-in staff member may read the settings (the admin screens need the timeouts);
    // "settings.view" only decides whether the settings screen is offered.
    virtual Result<Settings> LoadSettings(const Actor& actor) = 0;
    // Validates, then saves and audits (before/after) in one transaction; nothing written on errors.
    virtual Result<SettingsSave> SaveSettings(const Actor& actor, const Settings& settings, Timestamp now) = 0;

    // --- staff --------------------------------------------------------------------------------
    virtual Result<std::vector<StaffSummary>> StaffList(const Actor& actor, Timestamp now) = 0;
    // PINs are 4-8 digits. A person may always change their own PIN; another's needs "staff.pin".
    virtual Result<void> SetPin(const Actor& actor, std::string_view staffNo, std::string_view pin, Timestamp now) = 0;
    virtual Result<void> Unlock(const Actor& actor, std::string_view staffNo, Timestamp now) = 0;

    // --- queue numbers (取号) ------------------------------------------------------------------
    // Seeing them needs "queue.view"; calling, finishing and linking "queue.call" (each audited).
    // Unless overridden: an empty desk, and Unavailable for the rest (a kiosk without numbers).
    virtual Result<NumberDesk> Numbers(const Actor& actor, Timestamp now);
    // Calls the lowest waiting number of the service; NotFound when nobody waits.
    virtual Result<QueueTicket> CallNextNumber(const Actor& actor, std::string_view service, Timestamp now);
    // Marks a called number served or no-show; Conflict unless it is called.
    virtual Result<QueueTicket> FinishNumber(const Actor& actor, std::string_view label, QueueState outcome, Timestamp now);
    // Links a called or served number to the ticket its customer was served under.
    virtual Result<QueueTicket> LinkNumber(const Actor& actor, std::string_view label, std::string_view ticketNumber,
                                           Timestamp now);
};

}  // namespace kiosk::core::admin
