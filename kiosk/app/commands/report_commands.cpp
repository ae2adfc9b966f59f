// `report --period today|week|month`: the store report as text, JSON or a CSV file.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/app/commands/commands.hpp"
#include "kiosk/core/admin/report.hpp"
#include "kiosk/storage/admin_store.hpp"

namespace kiosk::app {
namespace {

using Json = nlohmann::ordered_json;

struct ReportOptions {
    std::string period = "today";
    std::string csvFile;
};

Json Optional(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }
Json Optional(const std::optional<std::chrono::seconds>& value) { return value ? Json(value->count()) : Json(nullptr); }

Json Rows(const std::vector<core::admin::CountRow>& rows) {
    Json out = Json::array();
    for (const auto& row : rows) out.push_back({{"key", row.key}, {"label", row.label}, {"count", row.count}});
    return out;
}

Json ToJson(const core::admin::Report& r) {
    Json staff = Json::array();
    for (const auto& s : r.staff) {
        staff.push_back({{"staff", s.staffNo},
                         {"name", s.name},
                         {"assigned", s.assigned},
                         {"open", s.open},
                         {"closed", s.closed},
                         {"csatCount", s.csatCount},
                         {"csatAverage", Optional(s.csatAverage)}});
    }
    Json daily = Json::array();
    for (const auto& p : r.daily) {
        daily.push_back(
            {{"day", core::FormatDate(p.day)}, {"created", p.created}, {"closed", p.closed}, {"breached", p.breached}});
    }
    return Json{{"period", core::admin::ToString(r.period)},
                {"from", core::FormatTimestamp(r.from)},
                {"to", core::FormatTimestamp(r.to)},
                {"ticketsCreated", r.ticketsCreated},
                {"byType", Rows(r.byType)},
                {"byStatus", Rows(r.byStatus)},
                {"sla",
                 {{"measured", r.slaMeasured},
                  {"met", r.slaMet},
                  {"compliancePercent", Optional(r.slaCompliancePercent)}}},
                {"firstResponseSeconds",
                 {{"count", r.firstResponse.count},
                  {"average", Optional(r.firstResponse.average)},
                  {"median", Optional(r.firstResponse.median)}}},
                {"resolutionSeconds",
                 {{"count", r.resolution.count},
                  {"average", Optional(r.resolution.average)},
                  {"median", Optional(r.resolution.median)}}},
                {"csat",
                 {{"count", r.csatCount},
                  {"average", Optional(r.csatAverage)},
                  {"distribution", r.csatDistribution}}},
                {"topProducts", Rows(r.topProducts)},
                {"topCategories", Rows(r.topCategories)},
                {"selfHelp",
                 {{"shown", r.selfHelpShown},
                  {"solved", r.selfHelpSolved},
                  {"deflectionPercent", Optional(r.deflectionPercent)}}},
                {"staff", staff},
                {"daily", daily}};
}

std::string Percent(const std::optional<double>& value) {
    if (!value) return "-";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f %%", *value);
    return buffer;
}

std::string Minutes(const std::optional<std::chrono::seconds>& value) {
    if (!value) return "-";
    return std::to_string(value->count() / 60) + " min";
}

void PrintText(const core::admin::Report& r) {
    std::printf("Report      %s, %s to %s\n", std::string(core::admin::ToString(r.period)).c_str(),
                core::FormatTimestamp(r.from).c_str(), core::FormatTimestamp(r.to).c_str());
    std::printf("Tickets     %d created\n", r.ticketsCreated);
    for (const auto& row : r.byType) std::printf("  %-22s %d\n", row.key.c_str(), row.count);
    std::printf("By status\n");
    for (const auto& row : r.byStatus) std::printf("  %-22s %d\n", row.label.c_str(), row.count);
    std::printf("SLA         %s (%d of %d resolved on time)\n", Percent(r.slaCompliancePercent).c_str(), r.slaMet,
                r.slaMeasured);
    std::printf("1st resp.   average %s, median %s (%d tickets)\n", Minutes(r.firstResponse.average).c_str(),
                Minutes(r.firstResponse.median).c_str(), r.firstResponse.count);
    std::printf("Resolution  average %s, median %s (%d tickets)\n", Minutes(r.resolution.average).c_str(),
                Minutes(r.resolution.median).c_str(), r.resolution.count);
    char average[32] = "-";
    if (r.csatAverage) std::snprintf(average, sizeof average, "%.2f", *r.csatAverage);
    std::printf("CSAT        %s from %d answers; 1-5: %d %d %d %d %d\n", average, r.csatCount, r.csatDistribution[0],
                r.csatDistribution[1], r.csatDistribution[2], r.csatDistribution[3], r.csatDistribution[4]);
    std::printf("Self-help   %d of %d suggestions solved it (%s)\n", r.selfHelpSolved, r.selfHelpShown,
                Percent(r.deflectionPercent).c_str());
    std::printf("Top products\n");
    for (const auto& row : r.topProducts) std::printf("  %-40s %d\n", row.label.c_str(), row.count);
    std::printf("Top categories\n");
    for (const auto& row : r.topCategories) std::printf("  %-22s %d\n", row.label.c_str(), row.count);
    std::printf("Staff       assigned  open  closed  CSAT\n");
    for (const auto& s : r.staff) {
        char csat[32] = "-";
        if (s.csatAverage) std::snprintf(csat, sizeof csat, "%.2f (%d)", *s.csatAverage, s.csatCount);
        std::printf("  %-9s %8d %5d %7d  %s\n", s.staffNo.c_str(), s.assigned, s.open, s.closed, csat);
    }
}

Outcome RunReport(AppContext& ctx, const GlobalOptions& global, const ReportOptions& o, core::Timestamp now) {
    const auto period = core::admin::ParseReportPeriod(o.period);
    if (!period) {
        return core::Fail(core::ErrorCode::InvalidInput, "--period '" + o.period + "' is not today, week or month");
    }
    auto admin = OpenAdminStore(ctx, global);
    if (!admin) return std::unexpected(admin.error());
    auto report = admin->ComputeReport(*period, now);
    if (!report) return std::unexpected(report.error());
    if (!o.csvFile.empty()) {
        std::ofstream out(o.csvFile, std::ios::binary | std::ios::trunc);
        out << core::admin::ReportToCsv(*report);
        out.close();
        if (!out) return core::Fail(core::ErrorCode::Storage, "cannot write the CSV report to " + o.csvFile);
    }
    if (global.json) {
        std::cout << ToJson(*report).dump() << "\n";
    } else if (o.csvFile.empty()) {
        PrintText(*report);
    }
    return {};
}

}  // namespace

void AddReportCommands(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<ReportOptions>();
    CLI::App* report = cli.add_subcommand("report", "Store report: tickets, SLA, response times, CSAT, workload");
    report->add_option("--period", options->period, "today, week (from Monday) or month (from the 1st)");
    report->add_option("--csv", options->csvFile, "Also write the report to this CSV file");
    report->add_flag("--json", env.global.json, "Machine-readable output");
    OnRun(report, env, [&env, options](AppContext& ctx, core::Timestamp now) {
        return RunReport(ctx, env.global, *options, now);
    });
}

}  // namespace kiosk::app
