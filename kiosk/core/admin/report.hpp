// Store reports as pure functions over tickets, their SLA status, CSAT answers and self-help counts.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kiosk/core/admin/admin_port.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/sla.hpp"
#include "kiosk/core/staff.hpp"

namespace kiosk::core::admin {

// The half-open range [from, to) a period covers at `now`: today from local midnight, the week from
// local Monday, the month from the 1st; `to` is `now`.
struct ReportRange {
    Timestamp from;
    Timestamp to;
};
ReportRange PeriodRange(ReportPeriod period, Timestamp now, std::chrono::minutes utcOffset);

struct ReportTicket {
    Ticket ticket;
    std::optional<SlaStatus> sla;   // at the report's `to`; absent when the policy has no target
    std::optional<Timestamp> closedAt;
    std::string productName;        // empty when unknown: the GTIN is shown instead
};

// Self-help counts per local day and problem category.
struct DeflectionRow {
    Date day;
    std::string category;
    int shown = 0;
    int solved = 0;
};

struct ReportInput {
    ReportPeriod period = ReportPeriod::Today;
    ReportRange range;
    std::chrono::minutes utcOffset{8 * 60};
    const Lifecycle* lifecycle = nullptr;      // for status labels and which statuses are terminal
    Language language = Language::En;          // labels
    std::span<const ReportTicket> tickets;     // every ticket created, closed or rated in the range (more is fine)
    std::span<const CsatAnswer> csat;          // answers (those outside the range are ignored)
    std::span<const DeflectionRow> deflection;
    std::span<const Staff> staff;              // names for the per-staff table
};

Report ComputeReport(const ReportInput& input);

// The report as CSV (RFC 4180: CRLF line ends, quotes doubled): a summary section, then one section per
// table, each headed by its name and separated by a blank line.
std::string ReportToCsv(const Report& report);
// One CSV field, quoted when it holds a comma, quote, CR or LF.
std::string CsvField(std::string_view text);

}  // namespace kiosk::core::admin
