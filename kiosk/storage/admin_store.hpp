// The admin port on the kiosk's SQLite file: staff PINs and lockouts, admin ticket changes, approvals,
// settings, CSAT answers, follow-up calls, self-help counts and the reports over them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/admin/admin_port.hpp"
#include "kiosk/core/admin/lockout.hpp"
#include "kiosk/core/admin/permissions.hpp"
#include "kiosk/core/admin/report.hpp"
#include "kiosk/core/business_calendar.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/sla.hpp"
#include "kiosk/core/warranty.hpp"
#include "kiosk/storage/database.hpp"
#include "kiosk/storage/kiosk_store.hpp"
#include "kiosk/storage/pin_hash.hpp"

namespace kiosk::storage {

struct AdminStoreOptions {
    core::admin::LockoutPolicy lockout;
    PinHashParams pinHash;
    std::chrono::minutes utcOffset{8 * 60};
    const core::PolicyTable* policy = nullptr;  // clause texts for the ticket detail; may be null
    core::admin::Settings defaults;                // in force until a supervisor saves settings
    const core::QueueServices* queue = nullptr;    // queue numbers (取号); null or empty: none handed out
};

// Not thread-safe: one AdminStore per thread. It has its own connection to the database file that
// `tickets` uses, and writes every admin change — the ticket event (hash-chained, with its outbox
// record and projection), the admin tables and the audit entry — in one transaction on it. Calls
// fail as core::admin::AdminPort says.
class AdminStore final : public core::admin::AdminPort {
public:
    // `db`: a second connection to the file `tickets` was opened on. `tickets`, `lifecycle`, `sla`,
    // `calendar` and options.policy must outlive the store. Brings the schema up to date (Migrate).
    static Result<AdminStore> Open(Database db, KioskStore& tickets, const core::Lifecycle& lifecycle,
                                   const core::SlaPolicy& sla, const core::BusinessCalendar& calendar,
                                   core::admin::RoleTable roles, AdminStoreOptions options = {});

    AdminStore(AdminStore&&) noexcept = default;
    AdminStore& operator=(AdminStore&&) = delete;
    AdminStore(const AdminStore&) = delete;
    AdminStore& operator=(const AdminStore&) = delete;
    ~AdminStore() override = default;

    // --- queue numbers (admin_numbers.cpp), on the queue book
    Result<core::admin::NumberDesk> Numbers(const core::Actor& actor, core::Timestamp now) override;
    Result<core::QueueTicket> CallNextNumber(const core::Actor& actor, std::string_view service, core::Timestamp now) override;
    Result<core::QueueTicket> FinishNumber(const core::Actor& actor, std::string_view label, core::QueueState outcome,
                                           core::Timestamp now) override;
    Result<core::QueueTicket> LinkNumber(const core::Actor& actor, std::string_view label, std::string_view ticketNumber,
                                         core::Timestamp now) override;

    // --- core::admin::AdminPort
    Result<std::optional<core::admin::StaffIdentity>> Identify(std::string_view badgeOrStaffNo,
                                                               core::Timestamp now) override;
    Result<core::admin::SignInResult> SignIn(std::string_view staffNo, std::string_view pin,
                                             core::Timestamp now) override;
    Result<void> SignOut(const core::Actor& actor, core::Timestamp now) override;
    Result<void> AuthorizeExit(const core::Actor& actor, core::Timestamp now) override;

    Result<std::vector<core::admin::QueueItem>> Queue(const core::Actor& actor, const core::admin::QueueFilter& filter,
                                                      core::Timestamp now) override;
    Result<core::admin::TicketDetail> Detail(const core::Actor& actor, std::string_view number,
                                             core::Timestamp now) override;
    Result<core::admin::TicketDetail> Transition(const core::Actor& actor, std::string_view number,
                                                 std::string_view toStatus, std::string_view note,
                                                 core::Timestamp now) override;
    Result<std::vector<core::admin::StaffSummary>> Assignees(const core::Actor& actor, core::Timestamp now) override;
    Result<core::admin::TicketDetail> Assign(const core::Actor& actor, std::string_view number,
                                             std::string_view staffNo, core::Timestamp now) override;
    Result<core::admin::TicketDetail> SetChannel(const core::Actor& actor, std::string_view number,
                                                 core::ServiceChannel channel, core::Timestamp now) override;
    Result<core::admin::TicketDetail> AddNote(const core::Actor& actor, std::string_view number,
                                              std::string_view note, core::Timestamp now) override;
    Result<core::admin::TicketDetail> MarkScriptUsed(const core::Actor& actor, std::string_view number,
                                                     std::string_view scriptId, std::string_view scene,
                                                     core::Timestamp now) override;
    Result<core::admin::TicketDetail> Attach(const core::Actor& actor, std::string_view number,
                                             const std::vector<core::Attachment>& attachments, std::string_view note,
                                             core::Timestamp now) override;
    Result<core::admin::ClosedTicket> HandBack(const core::Actor& actor, std::string_view number,
                                               std::string_view note, core::Timestamp now) override;
    Result<std::optional<core::admin::ClosedTicket>> LastClosed(core::Timestamp now,
                                                                std::chrono::minutes maxAge) override;
    Result<core::admin::CsatAnswer> RecordCsat(std::string_view number, int score, std::string_view comment,
                                               core::Timestamp now) override;
    Result<std::int64_t> Reprint(const core::Actor& actor, std::string_view number, core::ReceiptKind kind,
                                 core::Timestamp now) override;

    Result<core::admin::Approval> RequestApproval(const core::Actor& actor, const core::admin::ApprovalRequest& request,
                                                  core::Timestamp now) override;
    Result<std::vector<core::admin::Approval>> Approvals(const core::Actor& actor, bool pendingOnly,
                                                         core::Timestamp now) override;
    Result<core::admin::Approval> Decide(const core::Actor& actor, std::string_view approvalId,
                                         const core::admin::ApprovalDecision& decision, core::Timestamp now) override;

    Result<std::vector<core::admin::FollowUp>> FollowUps(const core::Actor& actor, core::Timestamp now) override;
    Result<core::admin::FollowUpCall> RecordCall(const core::Actor& actor, std::string_view number,
                                                 core::admin::CallOutcome outcome, std::string_view note,
                                                 core::Timestamp now) override;

    Result<core::admin::Report> BuildReport(const core::Actor& actor, core::admin::ReportPeriod period,
                                            core::Timestamp now) override;
    Result<std::string> ExportReportCsv(const core::Actor& actor, core::admin::ReportPeriod period,
                                        core::Timestamp now) override;

    Result<core::admin::Settings> LoadSettings(const core::Actor& actor) override;
    Result<core::admin::SettingsSave> SaveSettings(const core::Actor& actor, const core::admin::Settings& settings,
                                                   core::Timestamp now) override;

    Result<std::vector<core::admin::StaffSummary>> StaffList(const core::Actor& actor, core::Timestamp now) override;
    Result<void> SetPin(const core::Actor& actor, std::string_view staffNo, std::string_view pin,
                        core::Timestamp now) override;
    Result<void> Unlock(const core::Actor& actor, std::string_view staffNo, core::Timestamp now) override;

    // --- Beyond the port
    // Counts self-help suggestions shown for a problem category, and whether they solved it (the
    // customer left without filing). For the customer flow; feeds the deflection figure.
    Result<void> RecordSelfHelp(std::string_view category, bool solved, core::Timestamp now);
    // Demo data: every active staff member without a PIN gets the last four digits of their staff
    // number (E1001 -> 1001). Audited as `actor`. Returns how many PINs were set.
    Result<int> SeedDemoPins(const core::Actor& actor, core::Timestamp now);
    // The report with no role check, for `kioskctl report` (run by whoever may read the file).
    Result<core::admin::Report> ComputeReport(core::admin::ReportPeriod period, core::Timestamp now);
    // The store's offset from UTC (report periods, self-help days), from a newly published calendar.
    void SetUtcOffset(std::chrono::minutes offset) { m_options.utcOffset = offset; }
    // The settings in force, with no role check (the kiosk reads its own timeouts and printer).
    Result<core::admin::Settings> CurrentSettings();

private:
    AdminStore(Database db, KioskStore& tickets, const core::Lifecycle& lifecycle, const core::SlaPolicy& sla,
               const core::BusinessCalendar& calendar, core::admin::RoleTable roles, AdminStoreOptions options)
        : m_db(std::move(db)),
          m_tickets(&tickets),
          m_lifecycle(&lifecycle),
          m_sla(&sla),
          m_calendar(&calendar),
          m_roles(std::move(roles)),
          m_options(std::move(options)) {}

    struct Credentials {
        std::string pinHash;  // empty: no PIN set
        core::admin::LockoutState lockout;
    };
    struct StaffRow {
        core::Staff staff;
        Credentials credentials;
    };

    Result<void> Require(const core::Actor& actor, std::string_view action);
    Result<std::vector<StaffRow>> ReadStaff(std::optional<std::string_view> staffNo);
    Result<std::vector<core::TicketEvent>> ReadEvents(std::string_view number);
    Result<core::Ticket> LoadTicket(std::string_view number);
    // Appends one event to a ticket inside the caller's transaction: checks it against the lifecycle,
    // chains it, queues it for head office, updates the projection and audits it as `action`.
    Result<core::Ticket> AppendEvent(std::string_view number, core::TicketEvent event, std::string_view action);
    Result<void> WriteCredentials(std::string_view staffNo, const Credentials& credentials, core::Timestamp now,
                                  bool pinChanged);
    Result<std::vector<core::admin::Approval>> ReadApprovals(std::string_view where, std::string_view bind,
                                                             core::Timestamp now);
    Result<core::admin::TicketDetail> MakeDetail(const core::Actor& actor, const core::Ticket& ticket,
                                                 std::vector<core::TicketEvent> events, core::Timestamp now);
    Result<core::admin::TicketDetail> ChangeTicket(const core::Actor& actor, std::string_view number,
                                                   core::TicketEvent event, std::string_view action,
                                                   core::Timestamp now);
    Result<core::admin::Settings> ReadSettings();
    Result<std::vector<core::admin::StaffSummary>> StaffSummaries(core::Timestamp now);
    std::string ProductName(const std::string& gtin, core::Language language);

    Database m_db;
    KioskStore* m_tickets;
    const core::Lifecycle* m_lifecycle;
    const core::SlaPolicy* m_sla;
    const core::BusinessCalendar* m_calendar;
    core::admin::RoleTable m_roles;
    AdminStoreOptions m_options;
    std::optional<core::admin::ClosedTicket> m_lastClosed;
};

}  // namespace kiosk::storage
