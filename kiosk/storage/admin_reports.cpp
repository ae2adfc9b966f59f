// AdminStore: the report source — the store's figures over a period, CSV export, self-help counts.
#include "kiosk/storage/admin_store_parts.hpp"

namespace kiosk::storage {

using namespace admin_detail;

// ---------------------------------------------------------------------------------------------------
// Reports

Result<admin::Report> AdminStore::ComputeReport(admin::ReportPeriod period, core::Timestamp now) {
    const admin::ReportRange range = admin::PeriodRange(period, now, m_options.utcOffset);
    const std::string from = core::FormatTimestamp(range.from);
    // One snapshot for every read, so the figures agree with each other.
    auto tx = Transaction::Begin(m_db, Transaction::Mode::Deferred);
    if (!tx) return Forward(tx);

    auto stmt = m_db.Prepare(
        "SELECT " + std::string(kTicketEventColumns) + " FROM ticket_events WHERE ticket_number IN "
        "(SELECT number FROM tickets WHERE created_at >= ?1 OR updated_at >= ?1 "
        "UNION SELECT ticket_number FROM csat_answers WHERE answered_at >= ?1) ORDER BY seq");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, from);
    auto groups = ReadEventGroups(*stmt);
    if (!groups) return Forward(groups);

    std::vector<admin::ReportTicket> tickets;
    tickets.reserve(groups->size());
    std::map<std::string, std::string> productNames;
    for (auto& [number, events] : *groups) {
        auto ticket = core::ProjectTicket(events, *m_lifecycle);
        if (!ticket) return Forward(ticket);
        admin::ReportTicket row;
        if (ticket->createdAt >= range.from) {
            auto sla = core::EvaluateSla(*m_sla, *m_calendar, *m_lifecycle, ticket->filed.type,
                                         ticket->filed.customerTier, events, range.to);
            if (sla) row.sla = *sla;
        }
        for (const core::TicketEvent& e : events) {
            if (e.kind == core::EventKind::StatusChanged && e.toStatus == "closed") row.closedAt = e.at;
        }
        auto [name, inserted] = productNames.try_emplace(ticket->filed.gtin);
        if (inserted) name->second = ProductName(ticket->filed.gtin, core::Language::En);
        row.productName = name->second;
        row.ticket = std::move(*ticket);
        tickets.push_back(std::move(row));
    }

    std::vector<admin::CsatAnswer> csat;
    {
        auto answers = m_db.Prepare(
            "SELECT ticket_number, score, comment, answered_at FROM csat_answers WHERE answered_at >= ?1");
        if (!answers) return Forward(answers);
        answers->Bind(1, from);
        for (;;) {
            auto row = answers->Step();
            if (!row) return Forward(row);
            if (!*row) break;
            auto at = ReadTime(answers->Text(3), "CSAT time");
            if (!at) return Forward(at);
            csat.push_back(
                admin::CsatAnswer{answers->Text(0), static_cast<int>(answers->Int(1)), answers->Text(2), *at});
        }
    }
    std::vector<admin::DeflectionRow> deflection;
    {
        auto counts = m_db.Prepare("SELECT day, category, shown, solved FROM self_help_counts WHERE day >= ?1");
        if (!counts) return Forward(counts);
        counts->Bind(1, core::FormatDate(core::LocalDate(range.from, m_options.utcOffset)));
        for (;;) {
            auto row = counts->Step();
            if (!row) return Forward(row);
            if (!*row) break;
            auto day = core::ParseDate(counts->Text(0));
            if (!day) return core::Fail(ErrorCode::Corrupt, "self-help count day \"" + counts->Text(0) + "\"");
            deflection.push_back(admin::DeflectionRow{*day, counts->Text(1), static_cast<int>(counts->Int(2)),
                                                      static_cast<int>(counts->Int(3))});
        }
    }
    auto staffRows = ReadStaff(std::nullopt);
    if (!staffRows) return Forward(staffRows);
    std::vector<core::Staff> staff;
    for (StaffRow& r : *staffRows) staff.push_back(std::move(r.staff));

    admin::ReportInput input;
    input.period = period;
    input.range = range;
    input.utcOffset = m_options.utcOffset;
    input.lifecycle = m_lifecycle;
    input.language = core::Language::En;
    input.tickets = tickets;
    input.csat = csat;
    input.deflection = deflection;
    input.staff = staff;
    return admin::ComputeReport(input);
}

Result<admin::Report> AdminStore::BuildReport(const core::Actor& actor, admin::ReportPeriod period,
                                              core::Timestamp now) {
    if (auto ok = Require(actor, action::kReportView); !ok) return Forward(ok);
    return ComputeReport(period, now);
}

Result<std::string> AdminStore::ExportReportCsv(const core::Actor& actor, admin::ReportPeriod period,
                                                core::Timestamp now) {
    if (auto ok = Require(actor, action::kReportExport); !ok) return Forward(ok);
    auto report = ComputeReport(period, now);
    if (!report) return Forward(report);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    const Json after = {{"period", admin::ToString(period)}, {"tickets", report->ticketsCreated}};
    if (auto ok = WriteAudit(m_db, {actor, now, action::kReportExport, "report", admin::ToString(period), std::nullopt,
                             JsonText(after)});
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return admin::ReportToCsv(*report);
}

Result<void> AdminStore::RecordSelfHelp(std::string_view category, bool solved, core::Timestamp now) {
    if (category.empty()) return core::Fail(ErrorCode::InvalidInput, "a self-help count names no problem category");
    const std::string day = core::FormatDate(core::LocalDate(now, m_options.utcOffset));
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto stmt = m_db.Cached(
        "INSERT INTO self_help_counts (day, category, shown, solved) VALUES (?1, ?2, 1, ?3) "
        "ON CONFLICT (day, category) DO UPDATE SET shown = shown + 1, solved = solved + ?3");
    if (!stmt) return Forward(stmt);
    stmt->Bind(1, day).Bind(2, category).Bind(3, std::int64_t{solved ? 1 : 0});
    if (auto ok = stmt->Run(); !ok) return ok;
    // One suggestion shown, solved or not: head office adds the counts up by kiosk, day and category.
    const Json record = {{"day", day}, {"category", std::string(category)}, {"offered", 1}, {"solved", solved ? 1 : 0},
                         {"at", core::FormatTimestamp(now)}};
    if (auto ok = QueueRecord(m_db, "self_help", record, now); !ok) return ok;
    return tx->Commit();
}

}  // namespace kiosk::storage
