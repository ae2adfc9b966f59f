// Report figures: counts, SLA compliance, response and resolution times, CSAT, deflection, workload.
#include "kiosk/core/admin/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace kiosk::core::admin {

namespace {

using std::chrono::seconds;

Timestamp LocalMidnight(Date day, std::chrono::minutes utcOffset) {
    return Timestamp{std::chrono::sys_days{day} - utcOffset};
}

bool InRange(Timestamp t, const ReportRange& range) { return t >= range.from && t < range.to; }

DurationFigures Durations(std::vector<seconds> values) {
    DurationFigures figures;
    figures.count = static_cast<int>(values.size());
    if (values.empty()) return figures;
    std::ranges::sort(values);
    seconds total{0};
    for (seconds v : values) total += v;
    figures.average = total / static_cast<std::int64_t>(values.size());
    const std::size_t mid = values.size() / 2;
    figures.median = values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    return figures;
}

std::vector<CountRow> Rows(const std::map<std::string, CountRow>& counts, std::size_t limit) {
    std::vector<CountRow> rows;
    for (const auto& [key, row] : counts) rows.push_back(row);
    std::ranges::stable_sort(rows, [](const CountRow& a, const CountRow& b) { return a.count > b.count; });
    if (rows.size() > limit) rows.resize(limit);
    return rows;
}

void Count(std::map<std::string, CountRow>& counts, const std::string& key, const std::string& label) {
    auto [it, inserted] = counts.try_emplace(key, CountRow{key, label, 0});
    it->second.count += 1;
}

std::optional<double> Percent(int part, int whole) {
    if (whole <= 0) return std::nullopt;
    return 100.0 * part / whole;
}

bool IsTerminal(const Lifecycle* lifecycle, const std::string& status) {
    if (lifecycle == nullptr) return status == "closed" || status == "rejected" || status == "cancelled";
    const StatusInfo* info = lifecycle->FindStatus(status);
    return info != nullptr && info->terminal;
}

std::string StatusLabel(const Lifecycle* lifecycle, const std::string& status, Language language) {
    if (lifecycle == nullptr) return status;
    const StatusInfo* info = lifecycle->FindStatus(status);
    return info != nullptr ? info->label.In(language) : status;
}

}  // namespace

ReportRange PeriodRange(ReportPeriod period, Timestamp now, std::chrono::minutes utcOffset) {
    const Date today = LocalDate(now, utcOffset);
    Date first = today;
    switch (period) {
        case ReportPeriod::Today: break;
        case ReportPeriod::Week: {
            const std::chrono::weekday weekday{std::chrono::sys_days{today}};
            first = AddDays(today, -static_cast<int>(weekday.iso_encoding() - 1));
            break;
        }
        case ReportPeriod::Month: first = Date{today.year(), today.month(), std::chrono::day{1}}; break;
    }
    return {LocalMidnight(first, utcOffset), now};
}

Report ComputeReport(const ReportInput& input) {
    Report report;
    report.period = input.period;
    report.from = input.range.from;
    report.to = input.range.to;

    const Date firstDay = LocalDate(input.range.from, input.utcOffset);
    const Date lastDay = LocalDate(input.range.to - seconds{1}, input.utcOffset);
    for (Date day = firstDay; input.range.to > input.range.from && DaysBetween(day, lastDay) >= 0;
         day = AddDays(day, 1)) {
        report.daily.push_back(DailyPoint{day, 0, 0, 0});
    }
    auto dailyAt = [&](Timestamp t) -> DailyPoint* {
        const int index = DaysBetween(firstDay, LocalDate(t, input.utcOffset));
        if (index < 0 || index >= static_cast<int>(report.daily.size())) return nullptr;
        return &report.daily[static_cast<std::size_t>(index)];
    };

    std::map<std::string, StaffFigures> staff;
    for (const Staff& person : input.staff) {
        staff.emplace(person.staffNo, StaffFigures{person.staffNo, person.name, 0, 0, 0, 0, std::nullopt});
    }
    auto staffFor = [&](const std::string& staffNo) -> StaffFigures& {
        auto [it, inserted] = staff.try_emplace(staffNo, StaffFigures{staffNo, staffNo, 0, 0, 0, 0, std::nullopt});
        return it->second;
    };

    std::map<std::string, CountRow> byType;
    std::map<std::string, CountRow> byStatus;
    std::map<std::string, CountRow> products;
    std::map<std::string, CountRow> categories;
    std::map<std::string, const Ticket*> ticketByNumber;
    std::vector<seconds> firstResponse;
    std::vector<seconds> resolution;

    for (const ReportTicket& row : input.tickets) {
        const Ticket& t = row.ticket;
        ticketByNumber.emplace(t.number, &t);
        if (row.closedAt && InRange(*row.closedAt, input.range)) {
            if (DailyPoint* point = dailyAt(*row.closedAt)) point->closed += 1;
            if (!t.assignee.empty()) staffFor(t.assignee).closed += 1;
        }
        if (!InRange(t.createdAt, input.range)) continue;

        report.ticketsCreated += 1;
        const std::string type(ToString(t.filed.type));
        Count(byType, type, type);
        Count(byStatus, t.status, StatusLabel(input.lifecycle, t.status, input.language));
        if (!t.filed.gtin.empty()) {
            Count(products, t.filed.gtin, row.productName.empty() ? t.filed.gtin : row.productName);
        }
        if (!t.filed.problemCategory.empty()) Count(categories, t.filed.problemCategory, t.filed.problemCategory);
        if (t.firstResponseAt) firstResponse.push_back(*t.firstResponseAt - t.createdAt);
        if (t.resolvedAt) resolution.push_back(*t.resolvedAt - t.createdAt);

        bool breached = false;
        if (row.sla) {
            const SlaState state = row.sla->resolution.state;
            if (state == SlaState::MetOnTime || state == SlaState::MetLate || state == SlaState::Breached) {
                report.slaMeasured += 1;
                if (state == SlaState::MetOnTime) report.slaMet += 1;
            }
            for (const SlaClock* clock : {&row.sla->firstResponse, &row.sla->resolution}) {
                if (clock->state == SlaState::Breached || clock->state == SlaState::MetLate) breached = true;
            }
        }
        if (DailyPoint* point = dailyAt(t.createdAt)) {
            point->created += 1;
            if (breached) point->breached += 1;
        }
        if (!t.assignee.empty()) {
            StaffFigures& figures = staffFor(t.assignee);
            figures.assigned += 1;
            if (!IsTerminal(input.lifecycle, t.status)) figures.open += 1;
        }
    }

    std::map<std::string, std::pair<int, int>> staffCsat;  // staff -> (count, sum)
    int csatSum = 0;
    for (const CsatAnswer& answer : input.csat) {
        if (!InRange(answer.answeredAt, input.range) || answer.score < 1 || answer.score > 5) continue;
        report.csatCount += 1;
        csatSum += answer.score;
        report.csatDistribution[static_cast<std::size_t>(answer.score - 1)] += 1;
        auto it = ticketByNumber.find(answer.ticketNumber);
        if (it != ticketByNumber.end() && !it->second->assignee.empty()) {
            auto& [count, sum] = staffCsat[it->second->assignee];
            count += 1;
            sum += answer.score;
        }
    }
    if (report.csatCount > 0) report.csatAverage = static_cast<double>(csatSum) / report.csatCount;
    for (const auto& [staffNo, countSum] : staffCsat) {
        StaffFigures& figures = staffFor(staffNo);
        figures.csatCount = countSum.first;
        figures.csatAverage = static_cast<double>(countSum.second) / countSum.first;
    }

    for (const DeflectionRow& row : input.deflection) {
        if (DaysBetween(firstDay, row.day) < 0 || DaysBetween(row.day, lastDay) < 0) continue;
        report.selfHelpShown += row.shown;
        report.selfHelpSolved += row.solved;
    }
    report.deflectionPercent = Percent(report.selfHelpSolved, report.selfHelpShown);

    report.byType = Rows(byType, byType.size());
    report.byStatus = Rows(byStatus, byStatus.size());
    report.topProducts = Rows(products, 10);
    report.topCategories = Rows(categories, 10);
    report.slaCompliancePercent = Percent(report.slaMet, report.slaMeasured);
    report.firstResponse = Durations(std::move(firstResponse));
    report.resolution = Durations(std::move(resolution));
    for (auto& [staffNo, figures] : staff) {
        if (figures.assigned > 0 || figures.closed > 0 || figures.csatCount > 0) report.staff.push_back(figures);
    }
    return report;
}

std::string CsvField(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

namespace {

std::string Fixed(std::optional<double> value) {
    if (!value) return "";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", *value);
    return buffer;
}

std::string Seconds(std::optional<seconds> value) { return value ? std::to_string(value->count()) : ""; }

class CsvWriter {
public:
    void Row(std::initializer_list<std::string> fields) {
        bool first = true;
        for (const std::string& field : fields) {
            if (!first) m_out += ',';
            m_out += CsvField(field);
            first = false;
        }
        m_out += "\r\n";
    }
    void Blank() { m_out += "\r\n"; }
    std::string Take() { return std::move(m_out); }

private:
    std::string m_out;
};

}  // namespace

std::string ReportToCsv(const Report& r) {
    CsvWriter csv;
    csv.Row({"section", "figure", "value"});
    csv.Row({"summary", "period", std::string(ToString(r.period))});
    csv.Row({"summary", "from", FormatTimestamp(r.from)});
    csv.Row({"summary", "to", FormatTimestamp(r.to)});
    csv.Row({"summary", "tickets_created", std::to_string(r.ticketsCreated)});
    csv.Row({"summary", "sla_measured", std::to_string(r.slaMeasured)});
    csv.Row({"summary", "sla_met", std::to_string(r.slaMet)});
    csv.Row({"summary", "sla_compliance_percent", Fixed(r.slaCompliancePercent)});
    csv.Row({"summary", "first_response_count", std::to_string(r.firstResponse.count)});
    csv.Row({"summary", "first_response_avg_seconds", Seconds(r.firstResponse.average)});
    csv.Row({"summary", "first_response_median_seconds", Seconds(r.firstResponse.median)});
    csv.Row({"summary", "resolution_count", std::to_string(r.resolution.count)});
    csv.Row({"summary", "resolution_avg_seconds", Seconds(r.resolution.average)});
    csv.Row({"summary", "resolution_median_seconds", Seconds(r.resolution.median)});
    csv.Row({"summary", "csat_count", std::to_string(r.csatCount)});
    csv.Row({"summary", "csat_average", r.csatAverage ? Fixed(*r.csatAverage) : ""});
    for (std::size_t i = 0; i < r.csatDistribution.size(); ++i) {
        csv.Row({"summary", "csat_score_" + std::to_string(i + 1), std::to_string(r.csatDistribution[i])});
    }
    csv.Row({"summary", "self_help_shown", std::to_string(r.selfHelpShown)});
    csv.Row({"summary", "self_help_solved", std::to_string(r.selfHelpSolved)});
    csv.Row({"summary", "deflection_percent", Fixed(r.deflectionPercent)});

    auto table = [&](const std::string& name, const std::vector<CountRow>& rows) {
        csv.Blank();
        csv.Row({name, "label", "count"});
        for (const CountRow& row : rows) csv.Row({row.key, row.label, std::to_string(row.count)});
    };
    table("by_type", r.byType);
    table("by_status", r.byStatus);
    table("top_products", r.topProducts);
    table("top_categories", r.topCategories);

    csv.Blank();
    csv.Row({"staff", "name", "assigned", "open", "closed", "csat_count", "csat_average"});
    for (const StaffFigures& s : r.staff) {
        csv.Row({s.staffNo, s.name, std::to_string(s.assigned), std::to_string(s.open), std::to_string(s.closed),
                 std::to_string(s.csatCount), s.csatAverage ? Fixed(*s.csatAverage) : ""});
    }
    csv.Blank();
    csv.Row({"day", "created", "closed", "breached"});
    for (const DailyPoint& p : r.daily) {
        csv.Row({FormatDate(p.day), std::to_string(p.created), std::to_string(p.closed), std::to_string(p.breached)});
    }
    return csv.Take();
}

}  // namespace kiosk::core::admin
