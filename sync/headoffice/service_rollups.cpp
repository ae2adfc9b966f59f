// Service-record rollups kept at ingest, rebuilt and checked from the raw rows. Each summary is one SQL
// row source of what the raw rows contribute (one row per answer, ticket, ticket and scene, or queue number), summed by
// key: the same SQL feeds the ingest deltas, the rebuild, the check and the period's partial days, in the
// dialect SQLite and PostgreSQL both accept.
#include "sync/headoffice/service_rollups.hpp"

#include <algorithm>
#include <string_view>

#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

constexpr std::string_view kServiceRollupSchema = R"sql(
CREATE TABLE IF NOT EXISTS csat_rollups (
    day       BIGINT NOT NULL,  -- UTC day of answered_at
    store     TEXT NOT NULL,
    staff     TEXT NOT NULL,    -- who handed the ticket back
    answers   BIGINT NOT NULL,
    score_sum BIGINT NOT NULL,
    score_1   BIGINT NOT NULL,
    score_2   BIGINT NOT NULL,
    score_3   BIGINT NOT NULL,
    score_4   BIGINT NOT NULL,
    score_5   BIGINT NOT NULL,
    PRIMARY KEY (day, store, staff)
);
CREATE TABLE IF NOT EXISTS followup_rollups (
    day          BIGINT NOT NULL,  -- UTC day of closed_at
    store        TEXT NOT NULL,
    due          BIGINT NOT NULL,  -- closed with a phone number and no CSAT
    done_in_time BIGINT NOT NULL,  -- with a concluding call within kFollowUpWindowMs of closing
    calls        BIGINT NOT NULL,
    PRIMARY KEY (day, store)
);
CREATE TABLE IF NOT EXISTS script_rollups (
    day        BIGINT NOT NULL,  -- UTC day of created_at
    store      TEXT NOT NULL,    -- not shown by store, but kiosks of other stores then never wait on one row
    scene      TEXT NOT NULL,
    part       TEXT NOT NULL,    -- see ScriptPeriodSql
    tickets    BIGINT NOT NULL,
    csat_count BIGINT NOT NULL,
    csat_sum   BIGINT NOT NULL,
    resolved   BIGINT NOT NULL,
    PRIMARY KEY (day, store, scene, part)
);
CREATE TABLE IF NOT EXISTS queue_rollups (
    day        BIGINT NOT NULL,  -- UTC day of taken_at
    store      TEXT NOT NULL,
    service    TEXT NOT NULL,
    hour       BIGINT NOT NULL,  -- the store's local hour the numbers were taken in
    taken      BIGINT NOT NULL,
    called     BIGINT NOT NULL,
    served     BIGINT NOT NULL,
    no_shows   BIGINT NOT NULL,
    wait_ms    BIGINT NOT NULL,  -- taken -> first call, over the called ones
    service_ms BIGINT NOT NULL,  -- first call -> served, over the served ones
    PRIMARY KEY (day, store, service, hour)
);
)sql";

constexpr std::string_view kProductTypes = "('return', 'exchange', 'repair')";

// Each summary's row source takes the condition on its raw rows and the relation its tickets come from:
// "tickets", or for the ingest's deltas the touched tickets alone (TouchedTickets).
std::string CsatContributions(std::string_view cond, std::string_view /*tickets*/) {
    std::string sql = "SELECT a.answered_at / 86400000 AS day, a.store AS store, a.staff AS staff, 1 AS answers, a.score AS score_sum";
    for (int score = 1; score <= 5; ++score) {
        const std::string n = std::to_string(score);
        sql += ", CASE WHEN a.score = " + n + " THEN 1 ELSE 0 END AS score_" + n;
    }
    return sql + " FROM csat_answers a WHERE " + std::string(cond);
}

// A ticket is due a call when it was closed with a phone number and the customer left no rating; the
// call counts when it concluded (reached, wrong number, declined) within the window after closing.
std::string FollowUpContributions(std::string_view cond, std::string_view tickets) {
    return "SELECT t.closed_at / 86400000 AS day, t.store AS store, 1 AS due, "
           "CASE WHEN (SELECT min(c.at) FROM followup_calls c WHERE c.ticket = t.number AND "
           "c.outcome IN ('reached', 'wrong_number', 'declined')) <= t.closed_at + " + std::to_string(kFollowUpWindowMs) +
           " THEN 1 ELSE 0 END AS done_in_time, (SELECT count(*) FROM followup_calls c WHERE c.ticket = t.number) AS calls "
           "FROM " + std::string(tickets) + " t WHERE t.status = 'closed' AND t.phone <> '' AND t.csat IS NULL AND t.closed_at IS NOT NULL AND " +
           std::string(cond);
}

// The ticket classes a scene's script is for (service_reports.cpp, SceneTickets), as conditions on t.
struct SceneClass {
    std::string_view part, condition;
};
const SceneClass kSceneClasses[] = {
    {"all", "1 = 1"},
    {"complaint", "t.type = 'complaint'"},
    {"product", "t.type IN ('return', 'exchange', 'repair')"},
    {"product_resolved", "t.type IN ('return', 'exchange', 'repair') AND t.resolved_at IS NOT NULL"},
    {"closed", "t.closed_at IS NOT NULL"},
};

// Per ticket: a row for each class it is in, one when any script served it; per scene whose script
// served it (the first use of each): "used", and "used_for" when the scene is for the ticket.
std::string ScriptContributions(std::string_view cond, std::string_view tickets) {
    const std::string figures =
        "1 AS tickets, CASE WHEN t.csat IS NULL THEN 0 ELSE 1 END AS csat_count, coalesce(t.csat, 0) AS csat_sum, "
        "CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END AS resolved";
    const std::string day = "SELECT t.created_at / 86400000 AS day, t.store AS store, ";
    const std::string where = " WHERE (" + std::string(cond) + ")";
    const std::string from = " FROM " + std::string(tickets) + " t";
    std::string sql;
    for (const SceneClass& c : kSceneClasses) {
        sql += (sql.empty() ? "" : " UNION ALL ") + day + "'' AS scene, '" + std::string(c.part) + "' AS part, " + figures +
               from + where + " AND " + std::string(c.condition);
    }
    sql += " UNION ALL " + day + "'', 'any_used', " + figures + from + where +
           " AND EXISTS (SELECT 1 FROM script_uses u WHERE u.ticket = t.number)";
    const std::string firstUse = from + " JOIN script_uses u ON u.ticket = t.number" + where +
                                 " AND NOT EXISTS (SELECT 1 FROM script_uses v WHERE v.ticket = u.ticket AND v.scene = u.scene AND "
                                 "v.record_id < u.record_id)";
    const std::string product = std::string(kProductTypes);
    sql += " UNION ALL " + day + "u.scene, 'used', " + figures + firstUse;
    sql += " UNION ALL " + day + "u.scene, 'used_for', " + figures + firstUse +
           " AND ((u.scene = 'complaint' AND t.type = 'complaint') OR (u.scene = 'ready_for_pickup' AND t.type IN " + product +
           " AND t.resolved_at IS NOT NULL) OR (u.scene = 'follow_up' AND t.closed_at IS NOT NULL) OR u.scene = 'greeting' OR "
           "(u.scene NOT IN ('complaint', 'ready_for_pickup', 'follow_up', 'greeting') AND t.type IN " + product + "))";
    return sql;
}

// Queue numbers as LoadQueueFigures counts them.
std::string QueueContributions(std::string_view cond, std::string_view /*tickets*/) {
    return "SELECT q.taken_at / 86400000 AS day, q.store AS store, q.service AS service, q.hour AS hour, 1 AS taken, "
           "CASE WHEN q.called_at IS NULL THEN 0 ELSE 1 END AS called, CASE WHEN q.state = 'served' THEN 1 ELSE 0 END AS served, "
           "CASE WHEN q.state = 'no_show' THEN 1 ELSE 0 END AS no_shows, coalesce(q.called_at - q.taken_at, 0) AS wait_ms, "
           "CASE WHEN q.state = 'served' THEN coalesce(q.finished_at - q.called_at, 0) ELSE 0 END AS service_ms "
           "FROM queue_numbers q WHERE " + std::string(cond);
}

// A kiosk's queue numbers of one local day: "kiosk\nday" as ServiceRollupDelta::Touched holds it.
std::string QueueDayCondition(const std::string& kioskDay, std::vector<SqlValue>& params) {
    const std::size_t newline = kioskDay.find('\n');
    params.emplace_back(std::in_place_type<std::string>, kioskDay.substr(0, newline));
    params.emplace_back(std::in_place_type<std::string>, newline == std::string::npos ? "" : kioskDay.substr(newline + 1));
    return "(q.kiosk = $" + std::to_string(params.size() - 1) + " AND q.day = $" + std::to_string(params.size()) + ")";
}

struct Summary {
    std::string_view table;
    std::vector<std::string_view> keys;  // day first
    std::vector<std::string_view> figures;
    std::string_view ticketColumn;  // the ticket a raw row belongs to, in the contributions' aliases
    std::string_view timeColumn;    // the time its day is of
    std::string (*contributions)(std::string_view cond, std::string_view tickets);
    // The raw rows of one element of the summary's touched set, when that is not a ticket number.
    std::string (*touchedCondition)(const std::string& element, std::vector<SqlValue>& params) = nullptr;
    std::size_t reportFrom = 1;  // the first key a period's report groups by (the keys before it are summed over)
};

// Key columns stored as numbers; the others are text.
bool IsNumericKey(std::string_view column) { return column == "day" || column == "hour"; }

const std::vector<Summary>& Summaries() {
    static const std::vector<Summary> summaries{
        {"csat_rollups", {"day", "store", "staff"}, {"answers", "score_sum", "score_1", "score_2", "score_3", "score_4", "score_5"},
         "a.ticket", "a.answered_at", CsatContributions},
        {"followup_rollups", {"day", "store"}, {"due", "done_in_time", "calls"}, "t.number", "t.closed_at", FollowUpContributions},
        {"script_rollups", {"day", "store", "scene", "part"}, {"tickets", "csat_count", "csat_sum", "resolved"}, "t.number", "t.created_at",
         ScriptContributions, nullptr, 2},
        {"queue_rollups", {"day", "store", "service", "hour"}, {"taken", "called", "served", "no_shows", "wait_ms", "service_ms"}, "",
         "q.taken_at", QueueContributions, QueueDayCondition},
    };
    return summaries;
}

// Summaries whose raw rows are tickets: the ones an archived month (partitions.hpp) takes rows from.
bool FromTickets(const Summary& s) { return s.ticketColumn == "t.number"; }

// What an archived month's tickets contributed to summary `s`, kept when they left the database, so that
// a rebuild or a check adds them back instead of losing those figures.
std::string ArchivedTable(const Summary& s) { return std::string(s.table) + "_archived"; }

std::string JoinColumns(const std::vector<std::string_view>& columns, std::string_view wrapBefore = "",
                        std::string_view wrapAfter = "", std::size_t from = 0) {
    std::string out;
    for (std::size_t i = from; i < columns.size(); ++i) {
        out += (out.empty() ? "" : ", ") + std::string(wrapBefore) + std::string(columns[i]) + std::string(wrapAfter);
    }
    return out;
}

// The summary's rows recomputed from the raw rows that satisfy `cond`: keys, then figures.
// `withArchived`: and what archived tickets contributed (a rebuild's or a check's whole recomputation).
// `tickets`: the relation the summary's tickets come from.
std::string SummedContributionsSql(const Summary& s, std::string_view cond, bool withArchived = false,
                                   std::string_view tickets = "tickets") {
    std::string sums;
    for (const std::string_view figure : s.figures) {
        sums += (sums.empty() ? "sum(" : ", sum(") + std::string(figure) + ") AS " + std::string(figure);
    }
    std::string source = s.contributions(cond, tickets);
    if (withArchived && FromTickets(s)) {
        source += " UNION ALL SELECT " + JoinColumns(s.keys) + ", " + JoinColumns(s.figures) + " FROM " + ArchivedTable(s);
    }
    return "SELECT " + JoinColumns(s.keys) + ", " + sums + " FROM (" + source + ") c GROUP BY " + JoinColumns(s.keys);
}

using SummaryRows = std::map<std::vector<std::string>, std::vector<std::int64_t>>;

void AddSummaryRows(SummaryRows& into, const Summary& s, const std::vector<SqlRow>& rows, int sign, bool skipZeros) {
    for (const SqlRow& r : rows) {
        std::vector<std::int64_t> figures(s.figures.size());
        for (std::size_t i = 0; i < figures.size(); ++i) figures[i] = sign * ToInt(r[s.keys.size() + i]);
        if (skipZeros && std::all_of(figures.begin(), figures.end(), [](std::int64_t n) { return n == 0; })) continue;
        auto [at, added] = into.try_emplace(std::vector<std::string>(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(s.keys.size())),
                                            figures);
        if (!added) {
            for (std::size_t i = 0; i < figures.size(); ++i) at->second[i] += figures[i];
        }
    }
}

std::string DescribeSummaryFigures(const std::vector<std::int64_t>* f) {
    if (!f) return "none";
    std::string out;
    for (const std::int64_t n : *f) out += (out.empty() ? "" : " ") + std::to_string(n);
    return out;
}

// Whole days from the summary and the raw rows of the partial days, summed by the keys after the day.
std::string PeriodSql(const Summary& s) {
    const std::string groups = JoinColumns(s.keys, "", "", s.reportFrom);
    const std::string columns = groups + ", " + JoinColumns(s.figures);
    const std::string time(s.timeColumn);
    return "SELECT " + groups + ", " + JoinColumns(s.figures, "sum(", ")") + " FROM (SELECT " + columns + " FROM " +
           std::string(s.table) + " WHERE day >= $5 AND day < $6 UNION ALL SELECT " + columns + " FROM (" +
           s.contributions(time + " >= $1 AND " + time + " < $3", "tickets") + ") p1 UNION ALL SELECT " + columns + " FROM (" +
           s.contributions(time + " >= $4 AND " + time + " < $2", "tickets") + ") p2) x GROUP BY " + groups + " HAVING sum(" +
           std::string(s.figures.front()) + ") <> 0 ORDER BY " + groups;
}

}  // namespace

Result<bool> EnsureServiceRollups(SqlSession& db) {
    auto existed = db.Query("SELECT 1 FROM csat_rollups WHERE 1 = 0");
    if (auto ok = db.EnsureSchema(kServiceRollupSchema); !ok) return std::unexpected(std::move(ok.error()));
    for (const Summary& s : Summaries()) {
        if (!FromTickets(s)) continue;
        std::string columns;
        for (const std::string_view key : s.keys) columns += std::string(key) + (IsNumericKey(key) ? " BIGINT NOT NULL, " : " TEXT NOT NULL, ");
        for (const std::string_view figure : s.figures) columns += std::string(figure) + " BIGINT NOT NULL, ";
        columns.resize(columns.size() - 2);
        if (auto ok = db.EnsureSchema("CREATE TABLE IF NOT EXISTS " + ArchivedTable(s) + " (" + columns + ");"); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
    }
    return !existed.has_value();
}

Result<void> KeepArchivedContributions(SqlSession& db, std::int64_t fromMs, std::int64_t toMs) {
    const std::string cond = "t.created_at >= " + std::to_string(fromMs) + " AND t.created_at < " + std::to_string(toMs);
    for (const Summary& s : Summaries()) {
        if (!FromTickets(s)) continue;
        if (auto ok = db.Query("INSERT INTO " + ArchivedTable(s) + " (" + JoinColumns(s.keys) + ", " + JoinColumns(s.figures) + ") " +
                               SummedContributionsSql(s, cond));
            !ok) {
            return std::unexpected(std::move(ok.error()));
        }
    }
    return {};
}

Result<void> ServiceRollupDelta::Count(SqlSession& db, const Touched& touched, int sign) {
    // Every summary in one statement (a round trip counts on PostgreSQL): each one's rows tagged with its
    // index, keys as text and figures padded to those of the widest summary.
    constexpr std::size_t kKeys = 4, kFigures = 7;
    constexpr std::size_t kChunk = 500;  // keys a statement, under every engine's parameter limit
    // PostgreSQL: the keys of a summary are one array parameter, so the statement's text stays the same
    // and it is planned once per connection; and its tickets are read by number once, into a CTE that
    // each of its row sources reads, whatever the planner's statistics say (of a partition just filled
    // it has none, and then took a scan of the index on csat for the rows with no rating as cheaper).
    const bool asArray = !db.ForUpdate().empty();
    const std::set<std::string>* sets[] = {&touched.csat, &touched.followUps, &touched.scripts, &touched.queueDays};
    std::vector<SqlValue> params;
    std::string with;  // PostgreSQL: the touched tickets, read once
    std::string sql;
    const auto flush = [&]() -> Result<void> {
        if (sql.empty()) return {};
        auto rows = asArray ? db.QueryPrepared(with + sql, params) : db.Query(sql, params);
        if (!rows) return std::unexpected(std::move(rows.error()));
        for (const SqlRow& r : *rows) {
            const auto index = static_cast<std::size_t>(ToInt(r[0]));
            const Summary& s = Summaries()[index];
            std::vector<std::int64_t>& figures =
                m_changes
                    .try_emplace({index, std::vector<std::string>(r.begin() + 1, r.begin() + 1 + static_cast<std::ptrdiff_t>(s.keys.size()))},
                                 std::vector<std::int64_t>(s.figures.size()))
                    .first->second;
            for (std::size_t i = 0; i < figures.size(); ++i) figures[i] += sign * ToInt(r[1 + kKeys + i]);
        }
        params.clear();
        with.clear();
        sql.clear();
        return {};
    };
    for (std::size_t index = 0; index < Summaries().size(); ++index) {
        const Summary& s = Summaries()[index];
        std::string list;
        std::vector<std::string> chunk;
        std::size_t keys = 0;
        for (auto element = sets[index]->begin(); element != sets[index]->end();) {
            if (s.touchedCondition) {
                list += (list.empty() ? "" : " OR ") + s.touchedCondition(*element, params);
            } else if (asArray) {
                chunk.push_back(*element);
            } else {
                params.emplace_back(std::in_place_type<std::string>, *element);
                list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
            }
            if (++element != sets[index]->end() && ++keys < kChunk && params.size() < kChunk) continue;
            std::string cond = "(" + list + ")";
            std::string tickets = "tickets";
            if (!s.touchedCondition) {
                if (asArray) {
                    params.emplace_back(std::in_place_type<std::string>, TextArrayLiteral(chunk));
                    list = "$" + std::to_string(params.size()) + "::text[]";
                    cond = std::string(s.ticketColumn) + " = ANY(" + list + ")";
                    if (FromTickets(s)) {
                        tickets = "touched" + std::to_string(params.size());
                        with += (with.empty() ? "WITH " : ", ") + tickets + " AS MATERIALIZED (SELECT * FROM tickets WHERE number = ANY(" +
                                list + ")) ";
                    }
                } else {
                    cond = std::string(s.ticketColumn) + " IN (" + list + ")";
                }
            }
            sql += (sql.empty() ? "SELECT " : " UNION ALL SELECT ") + std::to_string(index);
            for (std::size_t k = 0; k < kKeys; ++k) {
                sql += k < s.keys.size() ? ", CAST(" + std::string(s.keys[k]) + " AS TEXT)" : ", ''";
            }
            for (std::size_t f = 0; f < kFigures; ++f) sql += f < s.figures.size() ? ", " + std::string(s.figures[f]) : ", 0";
            sql += " FROM (" + SummedContributionsSql(s, cond, false, tickets) + ") s" + std::to_string(index);
            list.clear();
            chunk.clear();
            keys = 0;
            if (params.size() >= kChunk) {
                if (auto ok = flush(); !ok) return ok;
            }
        }
    }
    return flush();
}

Result<void> ServiceRollupDelta::Write(SqlSession& db) {
    for (const auto& [at, figures] : m_changes) {
        if (std::all_of(figures.begin(), figures.end(), [](std::int64_t n) { return n == 0; })) continue;
        const Summary& s = Summaries()[at.first];
        std::string sql = "INSERT INTO " + std::string(s.table) + " (" + JoinColumns(s.keys) + ", " + JoinColumns(s.figures) + ") VALUES (";
        for (std::size_t i = 1; i <= s.keys.size() + s.figures.size(); ++i) sql += (i > 1 ? ", $" : "$") + std::to_string(i);
        sql += ") ON CONFLICT (" + JoinColumns(s.keys) + ") DO UPDATE SET ";
        for (std::size_t i = 0; i < s.figures.size(); ++i) {
            const std::string column(s.figures[i]);
            sql += (i ? ", " : "") + column + " = " + std::string(s.table) + "." + column + " + excluded." + column;
        }
        std::vector<SqlValue> params;
        for (std::size_t i = 0; i < at.second.size(); ++i) {
            if (IsNumericKey(s.keys[i])) {
                params.emplace_back(std::in_place_type<std::int64_t>, ToInt(at.second[i]));
            } else {
                params.emplace_back(std::in_place_type<std::string>, at.second[i]);
            }
        }
        for (const std::int64_t n : figures) params.emplace_back(std::in_place_type<std::int64_t>, n);
        if (auto ok = db.Exec(sql, params); !ok) return ok;
    }
    m_changes.clear();
    return {};
}

Result<std::int64_t> RebuildServiceRollups(SqlSession& db) {
    std::int64_t written = 0;
    for (const Summary& s : Summaries()) {
        const std::string table(s.table);
        if (!db.ForUpdate().empty()) {
            if (auto ok = db.Query("LOCK TABLE " + table + " IN EXCLUSIVE MODE"); !ok) return std::unexpected(std::move(ok.error()));
        }
        if (auto ok = db.Query("DELETE FROM " + table); !ok) return std::unexpected(std::move(ok.error()));
        if (auto ok = db.Query("INSERT INTO " + table + " (" + JoinColumns(s.keys) + ", " + JoinColumns(s.figures) + ") " +
                               SummedContributionsSql(s, "1 = 1", true));
            !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        auto count = db.Query("SELECT count(*) FROM " + table);
        if (!count) return std::unexpected(std::move(count.error()));
        written += ToInt(count->front()[0]);
    }
    return written;
}

Result<std::vector<std::string>> CheckServiceRollups(SqlSession& db) {
    std::vector<std::string> differences;
    for (const Summary& s : Summaries()) {
        auto storedRows = db.Query("SELECT " + JoinColumns(s.keys) + ", " + JoinColumns(s.figures) + " FROM " + std::string(s.table));
        if (!storedRows) return std::unexpected(std::move(storedRows.error()));
        auto recomputedRows = db.Query(SummedContributionsSql(s, "1 = 1", true));
        if (!recomputedRows) return std::unexpected(std::move(recomputedRows.error()));
        SummaryRows stored, recomputed;
        AddSummaryRows(stored, s, *storedRows, 1, true);
        AddSummaryRows(recomputed, s, *recomputedRows, 1, true);
        const auto report = [&](const std::vector<std::string>& key, const std::vector<std::int64_t>* was,
                                const std::vector<std::int64_t>* is) {
            std::string line(s.table);
            for (std::size_t i = 0; i < key.size(); ++i) line += (i ? "/" : " ") + key[i];
            differences.push_back(line + ": stored " + DescribeSummaryFigures(was) + ", recomputed " + DescribeSummaryFigures(is));
        };
        for (const auto& [key, figures] : stored) {
            const auto other = recomputed.find(key);
            if (other == recomputed.end()) {
                report(key, &figures, nullptr);
            } else if (other->second != figures) {
                report(key, &figures, &other->second);
            }
        }
        for (const auto& [key, figures] : recomputed) {
            if (!stored.contains(key)) report(key, nullptr, &figures);
        }
    }
    return differences;
}

std::string CsatPeriodSql() { return PeriodSql(Summaries()[0]); }
std::string FollowUpPeriodSql() { return PeriodSql(Summaries()[1]); }
std::string ScriptPeriodSql() { return PeriodSql(Summaries()[2]); }
std::string QueuePeriodSql() { return PeriodSql(Summaries()[3]); }

std::vector<SqlValue> ServicePeriodParams(std::int64_t fromMs, std::int64_t toMs) {
    constexpr std::int64_t kDayMs = 86'400'000;
    const std::int64_t firstDay = fromMs <= 0 ? 0 : (fromMs + kDayMs - 1) / kDayMs;
    const std::int64_t endDay = std::max<std::int64_t>(toMs, 0) / kDayMs;
    if (firstDay >= endDay) return {fromMs, toMs, toMs, toMs, std::int64_t{0}, std::int64_t{0}};
    return {fromMs, toMs, firstDay * kDayMs, endDay * kDayMs, firstDay, endDay};
}

std::string ScriptSceneClass(const std::string& scene) {
    if (scene == "complaint") return "complaint";
    if (scene == "ready_for_pickup") return "product_resolved";
    if (scene == "follow_up") return "closed";
    if (scene == "greeting") return "all";
    return "product";
}

}  // namespace kiosk::sync::headoffice
