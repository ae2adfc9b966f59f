// The admin-mode state machine: sign-in stages, tabs and the calls each staff intent makes.
#include "kiosk/core/admin_flow/admin_flow.hpp"

#include <utility>

#include "kiosk/core/admin/actions.hpp"

namespace kiosk::core::admin_flow {

namespace {

template <class... F> struct Overloaded : F... { using F::operator()...; };

// Overwrites typed digits before they are released, as the customer flow does with its session.
void Scrub(std::string& s) {
    volatile char* bytes = s.data();
    for (std::size_t i = 0; i < s.size(); ++i) bytes[i] = '\0';
    s.clear();
}

}  // namespace

std::string_view ToString(Tab tab) {
    switch (tab) {
        case Tab::Queue: return "queue";
        case Tab::Ticket: return "ticket";
        case Tab::Numbers: return "numbers";
        case Tab::Approvals: return "approvals";
        case Tab::FollowUp: return "follow-up";
        case Tab::Devices: return "devices";
        case Tab::Sync: return "sync";
        case Tab::Reports: return "reports";
        case Tab::Settings: return "settings";
    }
    return "queue";
}

std::string ScreenName(Stage stage, Tab tab) {
    switch (stage) {
        case Stage::Closed: return {};
        case Stage::StaffNumber: return "admin-staff-number";
        case Stage::Pin: return "admin-pin";
        case Stage::Working: return "admin-" + std::string(ToString(tab));
    }
    return {};
}

AdminFlow::AdminFlow(admin::AdminPort& port, DevicePort& devices, const Clock& clock, AdminFlowSettings settings)
    : m_port(port), m_devices(devices), m_clock(clock), m_settings(settings), m_lastActivity(clock.Now()) {}

std::optional<Timestamp> AdminFlow::NextDeadline() const {
    switch (m_stage) {
        case Stage::Closed: return std::nullopt;
        case Stage::StaffNumber:
        case Stage::Pin: return m_lastActivity + m_settings.keypadTimeout;
        case Stage::Working: return m_lastActivity + m_settings.idleTimeout;
    }
    return std::nullopt;
}

bool AdminFlow::CountdownVisible() const {
    if (m_stage == Stage::Pin) return m_view.lockedUntil.has_value();
    if (m_stage != Stage::Working) return false;
    switch (m_view.tab) {
        case Tab::Queue: return !m_view.queue.empty();
        case Tab::Ticket: return m_view.ticket.has_value();
        case Tab::Approvals: return !m_view.approvals.empty();
        case Tab::FollowUp: return !m_view.followUps.empty();
        case Tab::Sync: return m_view.sync && m_view.sync->draining;
        default: return false;
    }
}

void AdminFlow::NoteScan(Timestamp at) {
    ++m_view.scansSeen;
    m_view.lastScanAt = at;
    if (m_stage == Stage::Working && m_view.tab == Tab::Devices) ++m_generation;
}

void AdminFlow::Fail(const Error& error) { m_view.message = ActionMessage{false, error.message}; }

void AdminFlow::Done(std::string msgid) { m_view.message = ActionMessage{true, std::move(msgid)}; }

void AdminFlow::Close() {
    if (m_view.session) {
        // The session ends either way; a failed audit write is reported on the kiosk's log by the port.
        (void)m_port.SignOut(m_view.session->actor, m_clock.Now());
    }
    ResetView();
    m_stage = Stage::Closed;
}

void AdminFlow::ResetView() {
    // Photos of an intake left unfinished are not kept.
    EndIntake(true);
    // The scanner's health outlives sessions; everything a session saw does not.
    const std::int64_t scansSeen = m_view.scansSeen;
    const std::optional<Timestamp> lastScanAt = m_view.lastScanAt;
    m_view = AdminView{};
    m_view.scansSeen = scansSeen;
    m_view.lastScanAt = lastScanAt;
    m_view.intakeAvailable = m_intake != nullptr;
}

void AdminFlow::StartIntake() {
    if (m_intake == nullptr || !m_view.ticket || m_view.ticket->ticket.status != "received") return;
    if (!m_view.session || !m_view.session->Can(admin::action::kTicketNote)) return;
    if (m_view.intake && m_view.intake->ticketNumber == m_view.ticket->ticket.number) return;
    EndIntake(true);
    m_view.intake = IntakeView{m_view.ticket->ticket.number, {}, false};
}

void AdminFlow::EndIntake(bool discardPhotos) {
    if (!m_view.intake) return;
    if (discardPhotos && m_intake != nullptr) {
        for (const IntakePhoto& photo : m_view.intake->photos) (void)m_intake->Discard(photo.file);
    }
    m_view.intake.reset();
}

void AdminFlow::Identify(std::string_view badgeOrStaffNo) {
    const Timestamp now = m_clock.Now();
    auto who = m_port.Identify(badgeOrStaffNo, now);
    m_view.identity.reset();
    m_view.lockedUntil.reset();
    if (!who) {
        m_view.problem = SignInProblem::Unavailable;
        m_stage = Stage::StaffNumber;
        return;
    }
    if (!*who) {
        m_view.problem = SignInProblem::UnknownStaff;
        m_stage = Stage::StaffNumber;
        return;
    }
    m_view.identity = **who;
    m_view.lockedUntil = (*who)->lockedUntil;
    m_view.problem = !(*who)->hasPin ? SignInProblem::NoPin
                     : (*who)->lockedUntil ? SignInProblem::Locked
                                           : SignInProblem::None;
    m_stage = Stage::Pin;
}

void AdminFlow::Load(Tab tab) {
    if (!SignedIn()) return;
    const Timestamp now = m_clock.Now();
    m_view.tab = tab;
    switch (tab) {
        case Tab::Queue:
            if (auto queue = m_port.Queue(Me(), m_view.filter, now)) {
                m_view.queue = std::move(*queue);
            } else {
                m_view.queue.clear();
                Fail(queue.error());
            }
            break;
        case Tab::Ticket:
            if (m_view.ticket) LoadTicket(m_view.ticket->ticket.number);
            break;
        case Tab::Numbers:
            if (auto numbers = m_port.Numbers(Me(), now)) {
                m_view.numbers = std::move(*numbers);
            } else {
                m_view.numbers = {};
                Fail(numbers.error());
            }
            break;
        case Tab::Approvals:
            if (auto approvals = m_port.Approvals(Me(), true, now)) {
                m_view.approvals = std::move(*approvals);
            } else {
                m_view.approvals.clear();
                Fail(approvals.error());
            }
            break;
        case Tab::FollowUp:
            if (auto followUps = m_port.FollowUps(Me(), now)) {
                m_view.followUps = std::move(*followUps);
            } else {
                m_view.followUps.clear();
                Fail(followUps.error());
            }
            break;
        case Tab::Devices: m_view.devices = m_devices.Devices(); break;
        case Tab::Sync: m_view.sync = m_devices.Sync(); break;
        case Tab::Reports:
            if (auto report = m_port.BuildReport(Me(), m_view.period, now)) {
                m_view.report = std::move(*report);
            } else {
                m_view.report.reset();
                Fail(report.error());
            }
            break;
        case Tab::Settings:
            if (auto settings = m_port.LoadSettings(Me())) {
                m_view.settings = std::move(*settings);
            } else {
                m_view.settings.reset();
                Fail(settings.error());
            }
            m_view.settingsErrors.clear();
            break;
    }
}

void AdminFlow::LoadTicket(const std::string& number) {
    const Timestamp now = m_clock.Now();
    auto detail = m_port.Detail(Me(), number, now);
    if (!detail) {
        Fail(detail.error());
        return;
    }
    if (!m_view.ticket || m_view.ticket->ticket.number != number) m_view.preview.reset();
    if (m_view.intake && m_view.intake->ticketNumber != number) EndIntake(true);
    m_view.ticket = std::move(*detail);
    m_view.tab = Tab::Ticket;
    if (m_view.assignees.empty()) {
        if (auto assignees = m_port.Assignees(Me(), now)) m_view.assignees = std::move(*assignees);
    }
}

// [SECTION] Signing in and out

template <>
void AdminFlow::On(const BadgeScanned& event) {
    if (SignedIn()) Close();
    Identify(event.badge);
}

template <>
void AdminFlow::On(const LongPress&) {
    if (m_stage != Stage::Closed) return;
    ResetView();
    m_stage = Stage::StaffNumber;
}

template <>
void AdminFlow::On(const SubmitStaffNumber& event) {
    if (m_stage != Stage::StaffNumber) return;
    std::string digits = event.digits;
    // Staff numbers are printed as E1001; the keypad has digits only.
    if (!digits.empty() && digits.front() != 'E') digits.insert(digits.begin(), 'E');
    Identify(digits);
}

template <>
void AdminFlow::On(const SubmitPin& event) {
    if (m_stage != Stage::Pin || !m_view.identity) return;
    const Timestamp now = m_clock.Now();
    std::string pin = event.digits;
    auto result = m_port.SignIn(m_view.identity->staffNo, pin, now);
    Scrub(pin);
    if (!result) {
        m_view.problem = SignInProblem::Unavailable;
        return;
    }
    m_view.lockedUntil = result->lockedUntil;
    m_view.failuresBeforeLockout = result->failuresBeforeLockout;
    switch (result->outcome) {
        case admin::SignInOutcome::SignedIn: {
            ResetView();
            m_view.session = std::move(result->session);
            m_stage = Stage::Working;
            Load(Tab::Queue);
            return;
        }
        case admin::SignInOutcome::WrongPin:
            m_view.problem = result->lockedUntil ? SignInProblem::Locked : SignInProblem::WrongPin;
            return;
        case admin::SignInOutcome::Locked: m_view.problem = SignInProblem::Locked; return;
        case admin::SignInOutcome::NoPin: m_view.problem = SignInProblem::NoPin; return;
        case admin::SignInOutcome::UnknownStaff: m_view.problem = SignInProblem::UnknownStaff; return;
    }
}

template <>
void AdminFlow::On(const CancelSignIn&) {
    if (m_stage == Stage::StaffNumber || m_stage == Stage::Pin) Close();
}

template <>
void AdminFlow::On(const SignOut&) {
    Close();
}

template <>
void AdminFlow::On(const ExitApplication&) {
    if (!SignedIn()) return;
    if (auto ok = m_port.AuthorizeExit(Me(), m_clock.Now()); !ok) {
        Fail(ok.error());
        return;
    }
    m_exitRequested = true;
}

template <>
void AdminFlow::On(const Tick&) {
    const auto deadline = NextDeadline();
    if (deadline && m_clock.Now() >= *deadline) Close();
}

// [SECTION] Tabs, queue and scans

template <>
void AdminFlow::On(const ShowTab& event) {
    Load(event.tab);
}

template <>
void AdminFlow::On(const Refresh&) {
    Load(m_view.tab);
}

template <>
void AdminFlow::On(const OpenTicket& event) {
    if (SignedIn()) LoadTicket(event.number);
}

template <>
void AdminFlow::On(const ApplyFilter& event) {
    m_view.filter = event.filter;
    Load(Tab::Queue);
}

template <>
void AdminFlow::On(const Scanned& event) {
    if (!SignedIn()) {
        if (const auto* badge = std::get_if<StaffBadgeScan>(&event.meaning)) Identify(badge->badge);
        return;
    }
    if (m_view.testScanArmed) {
        m_view.testScanArmed = false;
        m_view.testScanResult = std::string(ScanKindName(event.meaning)) + ": " + event.text;
        return;
    }
    std::visit(Overloaded{
                   [this](const TicketReceiptScan& scan) { LoadTicket(scan.number.Format()); },
                   [this](const StaffBadgeScan& scan) {
                       // Another badge at a signed-in kiosk: that person takes over after their PIN.
                       if (m_view.session && scan.badge != m_view.session->actor.id) {
                           Close();
                           Identify(scan.badge);
                       }
                   },
                   [this](const SerialScan& scan) {
                       m_view.filter.search = scan.serial;
                       Load(Tab::Queue);
                   },
                   [this](const ProductScan& scan) {
                       if (scan.serial.empty()) return;
                       m_view.filter.search = scan.serial;
                       Load(Tab::Queue);
                   },
                   [this, &event](const auto&) { m_view.message = ActionMessage{false, event.text}; },
               },
               event.meaning);
}

// [SECTION] Ticket actions

template <>
void AdminFlow::On(const MoveTicket& event) {
    if (!SignedIn() || !m_view.ticket) return;
    auto moved = m_port.Transition(Me(), m_view.ticket->ticket.number, event.toStatus, event.note, m_clock.Now());
    if (!moved) return Fail(moved.error());
    m_view.ticket = std::move(*moved);
    Done("Saved.");
    if (m_view.ticket->ticket.status == "received") StartIntake();
}

template <>
void AdminFlow::On(const AddTicketNote& event) {
    if (!SignedIn() || !m_view.ticket || event.text.empty()) return;
    auto noted = m_port.AddNote(Me(), m_view.ticket->ticket.number, event.text, m_clock.Now());
    if (!noted) return Fail(noted.error());
    m_view.ticket = std::move(*noted);
    Done("Saved.");
}

template <>
void AdminFlow::On(const MarkScriptUsed& event) {
    if (!SignedIn() || !m_view.ticket || event.scriptId.empty()) return;
    auto marked = m_port.MarkScriptUsed(Me(), m_view.ticket->ticket.number, event.scriptId, event.scene, m_clock.Now());
    if (!marked) return Fail(marked.error());
    m_view.ticket = std::move(*marked);
    Done("Script marked as used.");
}

template <>
void AdminFlow::On(const AssignTo& event) {
    if (!SignedIn() || !m_view.ticket) return;
    auto assigned = m_port.Assign(Me(), m_view.ticket->ticket.number, event.staffNo, m_clock.Now());
    if (!assigned) return Fail(assigned.error());
    m_view.ticket = std::move(*assigned);
    Done("Saved.");
}

template <>
void AdminFlow::On(const RouteTo& event) {
    if (!SignedIn() || !m_view.ticket) return;
    auto routed = m_port.SetChannel(Me(), m_view.ticket->ticket.number, event.channel, m_clock.Now());
    if (!routed) return Fail(routed.error());
    m_view.ticket = std::move(*routed);
    Done("Saved.");
}

template <>
void AdminFlow::On(const HandBack& event) {
    if (!SignedIn() || !m_view.ticket) return;
    const std::string number = m_view.ticket->ticket.number;
    auto closed = m_port.HandBack(Me(), number, event.note, m_clock.Now());
    if (!closed) return Fail(closed.error());
    m_closed = *closed;
    LoadTicket(number);
    Done("Ticket closed. The customer is asked to rate the service.");
}

template <>
void AdminFlow::On(const Reprint& event) {
    if (!SignedIn() || !m_view.ticket) return;
    auto job = m_port.Reprint(Me(), m_view.ticket->ticket.number, event.kind, m_clock.Now());
    if (!job) return Fail(job.error());
    m_devices.JobQueued(*job);
    Done("Sent to the printer.");
}

template <>
void AdminFlow::On(const PreviewReceipt& event) {
    if (!SignedIn() || !m_view.ticket) return;
    auto preview = m_devices.Preview(m_view.ticket->ticket.number, event.kind == ReceiptKind::IntakeSlip,
                                     m_view.ticket->ticket.filed.language);
    if (!preview) return Fail(preview.error());
    m_view.preview = std::move(*preview);
}

// [SECTION] Approvals and follow-up

template <>
void AdminFlow::On(const AskApproval& event) {
    if (!SignedIn() || !m_view.ticket) return;
    admin::ApprovalRequest request{m_view.ticket->ticket.number, event.kind, event.amount, event.reason};
    auto asked = m_port.RequestApproval(Me(), request, m_clock.Now());
    if (!asked) return Fail(asked.error());
    LoadTicket(request.ticketNumber);
    Done("Sent to a supervisor.");
}

template <>
void AdminFlow::On(const Decide& event) {
    if (!SignedIn()) return;
    admin::ApprovalDecision decision;
    decision.approve = event.approve;
    decision.reason = event.reason;
    auto decided = m_port.Decide(Me(), event.approvalId, decision, m_clock.Now());
    if (!decided) return Fail(decided.error());
    Load(Tab::Approvals);
    Done("Saved.");
}

template <>
void AdminFlow::On(const RecordCall& event) {
    if (!SignedIn()) return;
    auto called = m_port.RecordCall(Me(), event.ticketNumber, event.outcome, {}, m_clock.Now());
    if (!called) return Fail(called.error());
    Load(Tab::FollowUp);
    Done("Saved.");
}

// [SECTION] Queue numbers (取号)

template <>
void AdminFlow::On(const CallNextNumber& event) {
    if (!SignedIn()) return;
    auto called = m_port.CallNextNumber(Me(), event.service, m_clock.Now());
    if (!called) return Fail(called.error());
    Load(Tab::Numbers);
    Done("Number called.");
}

template <>
void AdminFlow::On(const FinishNumber& event) {
    if (!SignedIn()) return;
    auto finished = m_port.FinishNumber(Me(), event.label, event.served ? QueueState::Served : QueueState::NoShow, m_clock.Now());
    if (!finished) return Fail(finished.error());
    Load(Tab::Numbers);
    Done("Saved.");
}

template <>
void AdminFlow::On(const LinkNumber& event) {
    if (!SignedIn()) return;
    auto linked = m_port.LinkNumber(Me(), event.label, event.ticketNumber, m_clock.Now());
    if (!linked) return Fail(linked.error());
    Load(Tab::Numbers);
    Done("Saved.");
}

// [SECTION] Reports, settings, devices

template <>
void AdminFlow::On(const ShowPeriod& event) {
    m_view.period = event.period;
    Load(Tab::Reports);
}

template <>
void AdminFlow::On(const ExportCsv&) {
    if (!SignedIn()) return;
    const Timestamp now = m_clock.Now();
    auto csv = m_port.ExportReportCsv(Me(), m_view.period, now);
    if (!csv) return Fail(csv.error());
    std::string stamp = FormatTimestamp(now);
    for (char& c : stamp) {
        if (c == ':') c = '-';
    }
    m_export = PendingExport{"report-" + std::string(admin::ToString(m_view.period)) + "-" + stamp + ".csv",
                             std::move(*csv)};
}

template <>
void AdminFlow::On(const ExportWritten& event) {
    if (!event.path) return Fail(event.path.error());
    m_view.message = ActionMessage{true, *event.path};
}

template <>
void AdminFlow::On(const SaveSettings& event) {
    if (!SignedIn()) return;
    m_view.settingsErrors = admin::ValidateSettings(event.settings);
    if (!m_view.settingsErrors.empty()) return;
    auto saved = m_port.SaveSettings(Me(), event.settings, m_clock.Now());
    if (!saved) return Fail(saved.error());
    m_view.settingsErrors = saved->errors;
    if (!saved->saved) return;
    m_view.settings = saved->settings;
    m_settings.idleTimeout = saved->settings.adminIdleTimeout;
    Done("Saved.");
}

template <>
void AdminFlow::On(const TestPrint&) {
    if (!SignedIn()) return;
    if (auto printed = m_devices.TestPrint(); !printed) return Fail(printed.error());
    m_view.devices = m_devices.Devices();
    Done("Sent to the printer.");
}

template <>
void AdminFlow::On(const TestScan&) {
    if (!SignedIn()) return;
    m_view.testScanArmed = true;
    m_view.testScanResult.reset();
}

template <>
void AdminFlow::On(const SyncNow&) {
    if (!SignedIn()) return;
    if (auto started = m_devices.SyncNow(); !started) return Fail(started.error());
    m_view.sync = m_devices.Sync();
    Done("Sync started.");
}

// [SECTION] Intake: photos, the condition and the customer's signature

template <>
void AdminFlow::On(const OpenIntake&) {
    if (!SignedIn() || !m_view.ticket) return;
    if (m_intake == nullptr) return Fail(Error{ErrorCode::Unavailable, "this kiosk has no camera for intake photos"});
    if (m_view.ticket->ticket.status != "received") {
        return Fail(Error{ErrorCode::Conflict, "intake is recorded while the ticket is received"});
    }
    StartIntake();
}

template <>
void AdminFlow::On(const TakePhoto&) {
    if (!SignedIn() || !m_view.intake || m_intake == nullptr) return;
    if (m_view.intake->photos.size() >= kMaxIntakePhotos) return;
    auto photo = m_intake->TakePhoto();
    if (!photo) return Fail(photo.error());
    m_view.intake->photos.push_back(std::move(*photo));
}

// Two takes of a still scene are the same file: it stays while another photo shows it.
static bool ShownElsewhere(const std::vector<IntakePhoto>& photos, std::size_t index) {
    for (std::size_t i = 0; i < photos.size(); ++i) {
        if (i != index && photos[i].file.sha256 == photos[index].file.sha256) return true;
    }
    return false;
}

template <>
void AdminFlow::On(const RetakePhoto& event) {
    if (!SignedIn() || !m_view.intake || m_intake == nullptr || event.index >= m_view.intake->photos.size()) return;
    auto photo = m_intake->TakePhoto();
    if (!photo) return Fail(photo.error());
    auto& photos = m_view.intake->photos;
    if (photo->file.sha256 != photos[event.index].file.sha256 && !ShownElsewhere(photos, event.index)) {
        (void)m_intake->Discard(photos[event.index].file);
    }
    photos[event.index] = std::move(*photo);
}

template <>
void AdminFlow::On(const DropPhoto& event) {
    if (!SignedIn() || !m_view.intake || m_intake == nullptr || event.index >= m_view.intake->photos.size()) return;
    auto& photos = m_view.intake->photos;
    if (!ShownElsewhere(photos, event.index)) {
        if (auto dropped = m_intake->Discard(photos[event.index].file); !dropped) Fail(dropped.error());
    }
    photos.erase(photos.begin() + static_cast<std::ptrdiff_t>(event.index));
}

template <>
void AdminFlow::On(const StartSigning&) {
    if (SignedIn() && m_view.intake) m_view.intake->signing = true;
}

template <>
void AdminFlow::On(const BackToPhotos&) {
    if (SignedIn() && m_view.intake) m_view.intake->signing = false;
}

template <>
void AdminFlow::On(const FinishIntake& event) {
    if (!SignedIn() || !m_view.intake || m_intake == nullptr || !m_view.ticket) return;
    auto signature = m_intake->StoreSignature(event.strokes);
    if (!signature) return Fail(signature.error());
    std::vector<Attachment> files;
    for (const IntakePhoto& photo : m_view.intake->photos) files.push_back(photo.file);
    files.insert(files.end(), signature->begin(), signature->end());
    auto attached = m_port.Attach(Me(), m_view.intake->ticketNumber, files, event.condition, m_clock.Now());
    if (!attached) {
        // The photos stay for another try; the signature is signed again.
        for (const Attachment& file : *signature) (void)m_intake->Discard(file);
        return Fail(attached.error());
    }
    m_view.ticket = std::move(*attached);
    EndIntake(false);
    Done("Intake recorded.");
}

template <>
void AdminFlow::On(const CancelIntake&) {
    if (SignedIn()) EndIntake(true);
}

// [SECTION] Dispatch (after every On<> specialisation it instantiates)

void AdminFlow::Handle(const AdminEvent& event) {
    const bool tick = std::holds_alternative<Tick>(event);
    const bool result = std::holds_alternative<ExportWritten>(event);
    if (!tick && !result) {
        m_lastActivity = m_clock.Now();
        m_view.message = {};
    }
    if (tick && m_stage == Stage::Working && m_view.tab == Tab::Sync && m_view.sync && m_view.sync->draining) {
        // Progress of a running drain: the worker's thread moves the backlog.
        m_view.sync = m_devices.Sync();
        ++m_generation;
    }
    const Stage before = m_stage;
    std::visit([this](const auto& e) { On(e); }, event);
    if (!tick || m_stage != before) ++m_generation;
}

}  // namespace kiosk::core::admin_flow
