// Service-record figures, in the SQL that SQLite and PostgreSQL both accept: one aggregate query per
// table (the CSAT, follow-up, script and queue tables over the summaries kept at ingest, or scanned from
// the raw rows), totals added up here.
#include "sync/headoffice/service_reports.hpp"

#include <chrono>
#include <map>

#include "kiosk/core/date.hpp"
#include "sync/headoffice/service_rollups.hpp"
#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

double Share(std::int64_t part, std::int64_t whole, double scale = 1.0) {
    return whole == 0 ? -1.0 : static_cast<double>(part) / static_cast<double>(whole) / scale;
}

Result<void> LoadCsat(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, ServiceSource source, ServiceReport& report) {
    std::string columns = "store, staff, count(*), sum(score)";
    for (int score = 1; score <= 5; ++score) columns += ", sum(CASE WHEN score = " + std::to_string(score) + " THEN 1 ELSE 0 END)";
    auto rows = source == ServiceSource::Summaries
                    ? db.Query(CsatPeriodSql(), ServicePeriodParams(fromMs, toMs))
                    : db.Query("SELECT " + columns +
                                   " FROM csat_answers WHERE answered_at >= $1 AND answered_at < $2 GROUP BY store, staff ORDER BY store, staff",
                               {fromMs, toMs});
    if (!rows) return std::unexpected(std::move(rows.error()));
    for (const SqlRow& r : *rows) {
        CsatByStaff row{r[0], r[1], ToInt(r[2]), ToInt(r[3]), {}};
        for (std::size_t i = 0; i < 5; ++i) row.distribution[i] = ToInt(r[4 + i]);
        report.csat.push_back(std::move(row));
    }
    auto comments = db.Query(
        "SELECT ticket, store, staff, comment, score, answered_at FROM csat_answers "
        "WHERE answered_at >= $1 AND answered_at < $2 AND comment <> '' ORDER BY answered_at DESC, ticket LIMIT 50",
        {fromMs, toMs});
    if (!comments) return std::unexpected(std::move(comments.error()));
    for (const SqlRow& r : *comments) report.comments.push_back({r[0], r[1], r[2], r[3], ToInt(r[4]), ToInt(r[5])});
    return {};
}

Result<void> LoadApprovals(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs, ServiceReport& report) {
    auto rows = db.Query(
        "SELECT store, count(*), count(decided_at), "
        "sum(CASE WHEN decided_at IS NOT NULL AND decided_at <= deadline THEN 1 ELSE 0 END), "
        "sum(CASE WHEN state = 'refused' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN state = 'pending' AND deadline < $3 THEN 1 ELSE 0 END), "
        "coalesce(sum(decided_at - requested_at), 0) "
        "FROM approvals WHERE requested_at >= $1 AND requested_at < $2 GROUP BY store ORDER BY store",
        {fromMs, toMs, nowMs});
    if (!rows) return std::unexpected(std::move(rows.error()));
    ApprovalFigures total;
    for (const SqlRow& r : *rows) {
        const ApprovalFigures row{r[0], ToInt(r[1]), ToInt(r[2]), ToInt(r[3]), ToInt(r[4]), ToInt(r[5]), ToInt(r[6])};
        total.requested += row.requested;
        total.decided += row.decided;
        total.withinLimit += row.withinLimit;
        total.refused += row.refused;
        total.overdue += row.overdue;
        total.decisionMsSum += row.decisionMsSum;
        report.approvals.push_back(row);
    }
    report.approvals.push_back(total);
    return {};
}

Result<void> LoadFollowUps(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, ServiceSource source, ServiceReport& report) {
    // A ticket is due a call when it was closed with a phone number and the customer left no rating;
    // the call counts when it concluded (reached, wrong number, declined) within 24 h of closing.
    // Scanned: one pass over the calls (earliest concluding call and count per ticket), joined to the tickets due.
    auto rows = source == ServiceSource::Summaries ? db.Query(FollowUpPeriodSql(), ServicePeriodParams(fromMs, toMs)) : db.Query(
        "SELECT t.store, count(*), "
        "sum(CASE WHEN c.concluded_at IS NOT NULL AND c.concluded_at <= t.closed_at + $3 THEN 1 ELSE 0 END), "
        "coalesce(sum(c.calls), 0) FROM tickets t LEFT JOIN (SELECT ticket, count(*) AS calls, "
        "min(CASE WHEN outcome IN ('reached', 'wrong_number', 'declined') THEN at END) AS concluded_at "
        "FROM followup_calls GROUP BY ticket) c ON c.ticket = t.number "
        "WHERE t.closed_at >= $1 AND t.closed_at < $2 AND t.status = 'closed' AND t.phone <> '' AND t.csat IS NULL "
        "GROUP BY t.store ORDER BY t.store",
        {fromMs, toMs, kFollowUpWindowMs});
    if (!rows) return std::unexpected(std::move(rows.error()));
    FollowUpFigures total;
    for (const SqlRow& r : *rows) {
        const FollowUpFigures row{r[0], ToInt(r[1]), ToInt(r[2]), ToInt(r[3])};
        total.due += row.due;
        total.doneInTime += row.doneInTime;
        total.calls += row.calls;
        report.followUps.push_back(row);
    }
    report.followUps.push_back(total);
    return {};
}

Result<void> LoadDeflection(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, ServiceReport& report) {
    const auto day = [](std::int64_t ms) {
        return core::FormatDate(std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{ms / 1000}}));
    };
    auto rows = db.Query("SELECT category, sum(offered), sum(solved) FROM self_help WHERE day >= $1 AND day < $2 "
                         "GROUP BY category ORDER BY 2 DESC, 1",
                         {day(fromMs), day(toMs)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    for (const SqlRow& r : *rows) report.deflection.push_back({r[0], ToInt(r[1]), ToInt(r[2])});
    return {};
}

// The tickets a scene's script is for, as a condition on tickets t: those it could have been read to.
// Head office keeps a ticket's type and milestones, not its every status, so the waiting and approval
// scenes take every product ticket.
std::string SceneTickets(std::string_view scene) {
    if (scene == "complaint") return "t.type = 'complaint'";
    if (scene == "ready_for_pickup") return "t.type IN ('return', 'exchange', 'repair') AND t.resolved_at IS NOT NULL";
    if (scene == "follow_up") return "t.closed_at IS NOT NULL";
    if (scene == "greeting") return "1 = 1";
    return "t.type IN ('return', 'exchange', 'repair')";  // warranty_decision, refusal, delay, approval_pending
}

ScriptGroup ScriptGroupAt(const SqlRow& r, std::size_t at) {
    return ScriptGroup{ToInt(r[at]), ToInt(r[at + 1]), ToInt(r[at + 2]), ToInt(r[at + 3])};
}

ScriptGroup WithoutGroup(const ScriptGroup& all, const ScriptGroup& part) {
    return {all.tickets - part.tickets, all.csatAnswers - part.csatAnswers, all.csatSum - part.csatSum, all.resolved - part.resolved};
}

// Tickets created in the period: with a script of any scene against those with none; and per scene,
// the tickets served with that scene's script against the others the scene is for. From the summaries:
// the others are the tickets of the scene's class less those it served (ScriptPeriodSql).
Result<void> LoadScriptUse(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, ServiceReport& report) {
    auto rows = db.Query(ScriptPeriodSql(), ServicePeriodParams(fromMs, toMs));
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::map<std::string, ScriptGroup> totals, usedFor;
    std::vector<std::pair<std::string, ScriptGroup>> used;  // by scene
    for (const SqlRow& r : *rows) {
        if (r[1] == "used") {
            used.emplace_back(r[0], ScriptGroupAt(r, 2));
        } else if (r[1] == "used_for") {
            usedFor[r[0]] = ScriptGroupAt(r, 2);
        } else if (r[0].empty()) {
            totals[r[1]] = ScriptGroupAt(r, 2);
        }
    }
    report.scripts.push_back({"", totals["any_used"], WithoutGroup(totals["all"], totals["any_used"])});
    for (const auto& [scene, group] : used) {
        report.scripts.push_back({scene, group, WithoutGroup(totals[ScriptSceneClass(scene)], usedFor[scene])});
    }
    return {};
}

// The same table scanned from the tickets and the scripts used.
Result<void> ScanScriptUse(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, ServiceReport& report) {
    const std::string figures = "count(*), count(t.csat), coalesce(sum(t.csat), 0), count(t.resolved_at)";
    const std::string period = "t.created_at >= $1 AND t.created_at < $2";
    const auto group = [](const SqlRow& r, std::size_t at) {
        return ScriptGroup{ToInt(r[at]), ToInt(r[at + 1]), ToInt(r[at + 2]), ToInt(r[at + 3])};
    };
    auto any = db.Query("SELECT " + figures + " FROM tickets t WHERE " + period +
                            " AND EXISTS (SELECT 1 FROM script_uses u WHERE u.ticket = t.number)",
                        {fromMs, toMs});
    if (!any) return std::unexpected(std::move(any.error()));
    auto none = db.Query("SELECT " + figures + " FROM tickets t WHERE " + period +
                             " AND NOT EXISTS (SELECT 1 FROM script_uses u WHERE u.ticket = t.number)",
                         {fromMs, toMs});
    if (!none) return std::unexpected(std::move(none.error()));
    const ScriptGroup notUsed = group(none->front(), 0);
    report.scripts.push_back({"", group(any->front(), 0), notUsed});
    auto scenes = db.Query("SELECT u.scene, " + figures + " FROM tickets t JOIN (SELECT DISTINCT ticket, scene FROM script_uses) u "
                               "ON u.ticket = t.number WHERE " + period + " GROUP BY u.scene ORDER BY u.scene",
                           {fromMs, toMs});
    if (!scenes) return std::unexpected(std::move(scenes.error()));
    for (const SqlRow& r : *scenes) {
        auto without = db.Query("SELECT " + figures + " FROM tickets t WHERE " + period + " AND " + SceneTickets(r[0]) +
                                    " AND NOT EXISTS (SELECT 1 FROM script_uses u WHERE u.ticket = t.number AND u.scene = $3)",
                                {fromMs, toMs, r[0]});
        if (!without) return std::unexpected(std::move(without.error()));
        report.scripts.push_back({r[0], group(r, 1), group(without->front(), 0)});
    }
    return {};
}

Result<void> LoadQueueFigures(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, ServiceSource source, ServiceReport& report) {
    auto rows = source == ServiceSource::Summaries ? db.Query(QueuePeriodSql(), ServicePeriodParams(fromMs, toMs)) : db.Query(
        "SELECT store, service, hour, count(*), count(called_at), sum(CASE WHEN state = 'served' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN state = 'no_show' THEN 1 ELSE 0 END), coalesce(sum(called_at - taken_at), 0), "
        "coalesce(sum(CASE WHEN state = 'served' THEN finished_at - called_at END), 0) "
        "FROM queue_numbers WHERE taken_at >= $1 AND taken_at < $2 GROUP BY store, service, hour ORDER BY store, service, hour",
        {fromMs, toMs});
    if (!rows) return std::unexpected(std::move(rows.error()));
    for (const SqlRow& r : *rows) {
        report.queue.push_back({r[0], r[1], ToInt(r[2]), ToInt(r[3]), ToInt(r[4]), ToInt(r[5]), ToInt(r[6]), ToInt(r[7]),
                                ToInt(r[8])});
    }
    return {};
}

}  // namespace

double QueueFigures::AverageWaitMinutes() const { return Share(waitMsSum, called, 60'000.0); }
double QueueFigures::AverageServiceMinutes() const { return Share(serviceMsSum, served, 60'000.0); }
double ScriptGroup::CsatAverage() const { return Share(csatSum, csatAnswers); }
double ScriptGroup::ResolutionRate() const { return Share(resolved, tickets); }
double CsatByStaff::Average() const { return Share(scoreSum, answers); }
double ApprovalFigures::WithinLimitShare() const { return Share(withinLimit, decided); }
double ApprovalFigures::AverageMinutes() const { return Share(decisionMsSum, decided, 60'000.0); }
double FollowUpFigures::Completion() const { return Share(doneInTime, due); }
double DeflectionFigures::Deflection() const { return Share(solved, offered); }

std::string_view ToString(ServiceSection section) {
    switch (section) {
        case ServiceSection::Csat: return "csat";
        case ServiceSection::Approvals: return "approvals";
        case ServiceSection::FollowUps: return "follow_ups";
        case ServiceSection::Deflection: return "deflection";
        case ServiceSection::Scripts: return "scripts";
        case ServiceSection::Queue: return "queue";
    }
    return "";
}

Result<void> LoadServiceSection(SqlSession& db, ServiceSection section, std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs,
                                ServiceReport& report, ServiceSource source) {
    switch (section) {
        case ServiceSection::Csat: return LoadCsat(db, fromMs, toMs, source, report);
        case ServiceSection::Approvals: return LoadApprovals(db, fromMs, toMs, nowMs, report);
        case ServiceSection::FollowUps: return LoadFollowUps(db, fromMs, toMs, source, report);
        case ServiceSection::Deflection: return LoadDeflection(db, fromMs, toMs, report);
        case ServiceSection::Scripts:
            return source == ServiceSource::Summaries ? LoadScriptUse(db, fromMs, toMs, report) : ScanScriptUse(db, fromMs, toMs, report);
        case ServiceSection::Queue: return LoadQueueFigures(db, fromMs, toMs, source, report);
    }
    return {};
}

Result<ServiceReport> LoadServiceReport(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs,
                                        ServiceSource source) {
    ServiceReport report;
    for (const ServiceSection section : kServiceSections) {
        if (auto ok = LoadServiceSection(db, section, fromMs, toMs, nowMs, report, source); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
    }
    return report;
}

}  // namespace kiosk::sync::headoffice
