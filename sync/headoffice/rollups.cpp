// Ticket rollups kept at ingest, rebuilt and checked from the tickets, in the SQL that SQLite and
// PostgreSQL both accept.
#include "sync/headoffice/rollups.hpp"

#include <algorithm>

#include "sync/headoffice/partitions.hpp"
#include "sync/headoffice/service_rollups.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/headoffice/ticket_sla.hpp"

namespace kiosk::sync::headoffice {
namespace {

constexpr std::string_view kRollupSchema = R"sql(
CREATE TABLE IF NOT EXISTS ticket_rollups (
    day               BIGINT NOT NULL,  -- UTC day of created_at: created_at / 86400000
    store             TEXT NOT NULL,
    type              TEXT NOT NULL,
    gtin              TEXT NOT NULL,
    category          TEXT NOT NULL,
    channel           TEXT NOT NULL,
    staff             TEXT NOT NULL,
    -- UTC day the resolution clock of these open tickets falls due; -1: not open (met, stopped, not measured)
    due_day           BIGINT NOT NULL,
    tickets           BIGINT NOT NULL,
    sla_settled       BIGINT NOT NULL,  -- resolution clock met, on time or late
    sla_met           BIGINT NOT NULL,  -- met on time
    first_responses   BIGINT NOT NULL,
    first_response_ms BIGINT NOT NULL,
    resolved          BIGINT NOT NULL,
    resolution_ms     BIGINT NOT NULL,
    csat_count        BIGINT NOT NULL,
    csat_sum          BIGINT NOT NULL,
    csat_1            BIGINT NOT NULL,
    csat_2            BIGINT NOT NULL,
    csat_3            BIGINT NOT NULL,
    csat_4            BIGINT NOT NULL,
    csat_5            BIGINT NOT NULL,
    complaints        BIGINT NOT NULL,
    repeat_repairs    BIGINT NOT NULL,  -- repairs of a serial repaired before (RepeatRepairSql)
    PRIMARY KEY (day, store, type, gtin, category, channel, staff, due_day)
);
-- What the rollups cannot add up ahead: open clocks falling due on the report's own day (counted once
-- due by its now); and the repairs of a serial, to find which came first.
CREATE INDEX IF NOT EXISTS tickets_open_sla ON tickets (sla_resolution_due, created_at)
    WHERE sla_resolution_state IN ('on_track', 'at_risk', 'breached', 'paused');
CREATE INDEX IF NOT EXISTS tickets_repairs ON tickets (serial, created_at, number) WHERE type = 'repair' AND serial <> '';
)sql";

constexpr std::string_view kRollupKeyColumns = "day, store, type, gtin, category, channel, staff, due_day";
constexpr std::string_view kRollupFigureColumns =
    "tickets, sla_settled, sla_met, first_responses, first_response_ms, resolved, resolution_ms, csat_count, csat_sum, "
    "csat_1, csat_2, csat_3, csat_4, csat_5, complaints, repeat_repairs";
constexpr std::size_t kRollupFigureCount = 16;

constexpr std::string_view kSettledStates = "('met_on_time', 'met_late')";
constexpr std::string_view kOpenStates = "('on_track', 'at_risk', 'breached', 'paused')";

// 1 when ticket `t` is a repair of a serial with an earlier repair (by creation, then number), else 0.
constexpr std::string_view kRepeatRepairSql =
    "CASE WHEN t.type = 'repair' AND t.serial <> '' AND EXISTS (SELECT 1 FROM tickets o WHERE o.type = 'repair' AND o.serial <> '' AND "
    "o.serial = t.serial AND (o.created_at < t.created_at OR (o.created_at = t.created_at AND o.number < t.number))) "
    "THEN 1 ELSE 0 END";

// The rollup rows recomputed from the tickets (those matching `where`, when given), keys first, in key order.
std::string RecomputedRollupsSql(const std::string& where = {}) {
    std::string sql = "SELECT created_at / 86400000, store, type, gtin, category, channel, staff, CASE WHEN sla_resolution_state IN " +
                      std::string(kOpenStates) + " AND sla_resolution_due IS NOT NULL THEN sla_resolution_due / 86400000 ELSE -1 END, "
                      "count(*), "
                      "sum(CASE WHEN sla_resolution_state IN " + std::string(kSettledStates) + " THEN 1 ELSE 0 END), "
                      "sum(CASE WHEN sla_resolution_state = 'met_on_time' THEN 1 ELSE 0 END), "
                      "count(first_response_at), coalesce(sum(first_response_at - created_at), 0), "
                      "count(resolved_at), coalesce(sum(resolved_at - created_at), 0), count(csat), coalesce(sum(csat), 0)";
    for (int score = 1; score <= 5; ++score) sql += ", sum(CASE WHEN csat = " + std::to_string(score) + " THEN 1 ELSE 0 END)";
    return sql + ", sum(CASE WHEN type = 'complaint' THEN 1 ELSE 0 END), sum(" + std::string(kRepeatRepairSql) +
           ") FROM tickets t" + (where.empty() ? "" : " WHERE " + where) + " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8";
}

// What one ticket row (columns of RollupTicketColumns) contributes.
std::string RollupTicketColumns() {
    return "t.created_at, t.store, t.type, t.gtin, t.category, t.channel, t.staff, t.first_response_at, t.resolved_at, t.csat, "
           "t.sla_resolution_state, t.sla_resolution_due, " + std::string(kRepeatRepairSql);
}

void AddTicketToRollup(std::map<RollupDelta::Key, RollupDelta::Figures>& changes, const SqlRow& r, int sign) {
    const std::int64_t created = ToInt(r[0]);
    const std::string& state = r[10];
    const bool open = (state == "on_track" || state == "at_risk" || state == "breached" || state == "paused") && !r[11].empty();
    RollupDelta::Key key{std::to_string(created / kRollupDayMs), r[1], r[2], r[3], r[4], r[5], r[6],
                         open ? std::to_string(ToInt(r[11]) / kRollupDayMs) : "-1"};
    RollupDelta::Figures& f = changes.try_emplace(std::move(key), RollupDelta::Figures{}).first->second;
    const std::int64_t csat = ToInt(r[9]);
    f[0] += sign;
    f[1] += sign * (state == "met_on_time" || state == "met_late" ? 1 : 0);
    f[2] += sign * (state == "met_on_time" ? 1 : 0);
    if (!r[7].empty()) {
        f[3] += sign;
        f[4] += sign * (ToInt(r[7]) - created);
    }
    if (!r[8].empty()) {
        f[5] += sign;
        f[6] += sign * (ToInt(r[8]) - created);
    }
    if (!r[9].empty()) {
        f[7] += sign;
        f[8] += sign * csat;
        if (csat >= 1 && csat <= 5) f[8 + static_cast<std::size_t>(csat)] += sign;
    }
    f[14] += sign * (r[2] == "complaint" ? 1 : 0);
    f[15] += sign * ToInt(r[12]);
}

Result<std::map<RollupDelta::Key, RollupDelta::Figures>> ReadRollupRows(SqlSession& db, const std::string& sql) {
    auto rows = db.Query(sql);
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::map<RollupDelta::Key, RollupDelta::Figures> out;
    for (const SqlRow& r : *rows) {
        RollupDelta::Figures f{};
        for (std::size_t i = 0; i < kRollupFigureCount; ++i) f[i] = ToInt(r[8 + i]);
        if (std::all_of(f.begin(), f.end(), [](std::int64_t n) { return n == 0; })) continue;
        out[{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]}] = f;
    }
    return out;
}

// Conditions leaving out the archived months (partitions.hpp), whose rollup rows stay when their tickets
// are gone: on ticket_rollups.day, and on the tickets' created_at. Empty when nothing is archived.
struct OutsideArchive {
    std::string days;
    std::string created;
};

Result<OutsideArchive> OutsideArchiveOf(SqlSession& db) {
    auto archived = ArchivedDays(db);
    if (!archived) return std::unexpected(std::move(archived.error()));
    OutsideArchive out;
    for (const auto& [first, end] : *archived) {
        const std::string separator = out.days.empty() ? "" : " OR ";
        out.days += separator + "(day >= " + std::to_string(first) + " AND day < " + std::to_string(end) + ")";
        out.created += separator + "(created_at >= " + std::to_string(first * kRollupDayMs) + " AND created_at < " +
                       std::to_string(end * kRollupDayMs) + ")";
    }
    if (!out.days.empty()) {
        out.days = "NOT (" + out.days + ")";
        out.created = "NOT (" + out.created + ")";
    }
    return out;
}

std::string DescribeRollupKey(const RollupDelta::Key& k) {
    return "day " + k[0] + " " + k[1] + "/" + k[2] + "/" + k[3] + "/" + k[4] + "/" + k[5] + "/" + k[6] + " due day " + k[7];
}

std::string DescribeRollupFigures(const RollupDelta::Figures* f) {
    if (!f) return "none";
    std::string out;
    for (std::size_t i = 0; i < kRollupFigureCount; ++i) out += (i ? " " : "") + std::to_string((*f)[i]);
    return out;
}

}  // namespace

Result<void> EnsureRollups(SqlSession& db) {
    auto existed = db.Query("SELECT 1 FROM ticket_rollups WHERE 1 = 0");
    if (auto ok = db.EnsureSchema(kRollupSchema); !ok) return ok;
    auto serviceNew = EnsureServiceRollups(db);
    if (!serviceNew) return std::unexpected(std::move(serviceNew.error()));
    if (existed && !*serviceNew) return {};
    auto rows = db.Query("SELECT 1 FROM tickets UNION ALL SELECT 1 FROM csat_answers LIMIT 1");
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return {};
    auto rebuilt = RebuildRollups(db);
    if (!rebuilt) return std::unexpected(std::move(rebuilt.error()));
    return {};
}

Result<void> RollupDelta::Count(SqlSession& db, const std::set<std::string>& numbers, int sign) {
    return ForKeysInChunks(db, numbers, "SELECT " + RollupTicketColumns() + " FROM tickets t WHERE ", "t.number",
                           [this, sign](const SqlRow& r) { AddTicketToRollup(m_changes, r, sign); });
}

Result<std::set<std::string>> RollupDelta::WithSameSerialRepairs(SqlSession& db, const std::set<std::string>& numbers,
                                                                std::set<std::string> serials,
                                                                std::map<std::string, std::int64_t>* createdAt) {
    // Only the first repair of a serial that is not itself among `numbers` can change: a later one keeps
    // its earlier one either way. Of each serial, the stored repairs are read in order until one that
    // is not among `numbers` (there are at most `stored[serial]` of those first), so a serial shared by
    // thousands of tickets (a placeholder typed for a missing one) costs no more than a unique one.
    std::map<std::string, std::int64_t> stored;  // serial -> how many of `numbers` are stored as its repairs
    if (auto ok = ForKeysInChunks(db, numbers, "SELECT type, serial, number, created_at FROM tickets WHERE ", "number",
                                  [&stored, createdAt](const SqlRow& r) {
                                      if (r[0] == "repair" && !r[1].empty()) ++stored[r[1]];
                                      if (createdAt) (*createdAt)[r[2]] = ToInt(r[3]);
                                  });
        !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    for (const auto& [serial, count] : stored) serials.insert(serial);
    serials.erase("");
    std::set<std::string> out = numbers;
    const auto take = [&out](const SqlRow& r) { out.insert(r[0]); };
    if (!db.ForUpdate().empty()) {
        // PostgreSQL: every serial in one statement, prepared once.
        constexpr std::size_t kChunk = 500;
        std::vector<std::string> chunk;
        std::string limits;
        for (auto serial = serials.begin(); serial != serials.end();) {
            chunk.push_back(*serial);
            const auto found = stored.find(*serial);
            limits += (limits.empty() ? "" : ",") + std::to_string((found == stored.end() ? 0 : found->second) + 1);
            if (++serial != serials.end() && chunk.size() < kChunk) continue;
            auto rows = db.QueryPrepared("SELECT r.number FROM unnest($1::text[], $2::bigint[]) AS s(serial, k) CROSS JOIN LATERAL "
                                         "(SELECT number FROM tickets WHERE type = 'repair' AND serial <> '' AND serial = s.serial "
                                         "ORDER BY created_at, number LIMIT s.k) r",
                                         {TextArrayLiteral(chunk), "{" + limits + "}"});
            if (!rows) return std::unexpected(std::move(rows.error()));
            for (const SqlRow& r : *rows) take(r);
            chunk.clear();
            limits.clear();
        }
        return out;
    }
    for (const std::string& serial : serials) {
        const auto found = stored.find(serial);
        auto rows = db.Query("SELECT number FROM tickets WHERE type = 'repair' AND serial <> '' AND serial = $1 "
                             "ORDER BY created_at, number LIMIT $2",
                             {serial, (found == stored.end() ? 0 : found->second) + 1});
        if (!rows) return std::unexpected(std::move(rows.error()));
        for (const SqlRow& r : *rows) take(r);
    }
    return out;
}

Result<void> RollupDelta::Write(SqlSession& db) {
    std::string sql = "INSERT INTO ticket_rollups (" + std::string(kRollupKeyColumns) + ", " + std::string(kRollupFigureColumns) +
                      ") VALUES (";
    for (std::size_t i = 1; i <= 8 + kRollupFigureCount; ++i) sql += (i > 1 ? ", $" : "$") + std::to_string(i);
    sql += ") ON CONFLICT (" + std::string(kRollupKeyColumns) + ") DO UPDATE SET ";
    std::string_view columns = kRollupFigureColumns;
    for (bool first = true; !columns.empty(); first = false) {
        const std::size_t comma = columns.find(", ");
        const std::string column(columns.substr(0, comma));
        sql += (first ? "" : ", ") + column + " = ticket_rollups." + column + " + excluded." + column;
        columns = comma == std::string_view::npos ? std::string_view() : columns.substr(comma + 2);
    }
    for (const auto& [key, figures] : m_changes) {
        if (std::all_of(figures.begin(), figures.end(), [](std::int64_t n) { return n == 0; })) continue;
        std::vector<SqlValue> params;
        params.reserve(key.size() + kRollupFigureCount);
        for (std::size_t i = 0; i < key.size(); ++i) {
            if (i == 0 || i == 7) {
                params.emplace_back(std::in_place_type<std::int64_t>, ToInt(key[i]));  // day, due day
            } else {
                params.emplace_back(std::in_place_type<std::string>, key[i]);
            }
        }
        for (const std::int64_t n : figures) params.emplace_back(std::in_place_type<std::int64_t>, n);
        if (auto ok = db.Exec(sql, params); !ok) return ok;
    }
    m_changes.clear();
    return {};
}

Result<std::int64_t> RebuildRollups(SqlSession& db) {
    auto outside = OutsideArchiveOf(db);
    if (!outside) return std::unexpected(std::move(outside.error()));
    if (auto ok = db.Begin(); !ok) return std::unexpected(std::move(ok.error()));
    const auto fail = [&db](core::Error error) -> Result<std::int64_t> {
        db.Rollback();
        return std::unexpected(std::move(error));
    };
    // PostgreSQL: batches committing meanwhile wait, so each is either in the recomputation or added after it.
    if (!db.ForUpdate().empty()) {
        if (auto ok = db.Query("LOCK TABLE ticket_rollups IN EXCLUSIVE MODE"); !ok) return fail(std::move(ok.error()));
    }
    const std::string where = outside->days.empty() ? "" : " WHERE " + outside->days;
    if (auto ok = db.Query("DELETE FROM ticket_rollups" + where); !ok) return fail(std::move(ok.error()));
    if (auto ok = db.Query("INSERT INTO ticket_rollups (" + std::string(kRollupKeyColumns) + ", " +
                           std::string(kRollupFigureColumns) + ") " + RecomputedRollupsSql(outside->created));
        !ok) {
        return fail(std::move(ok.error()));
    }
    auto count = db.Query("SELECT count(*) FROM ticket_rollups");
    if (!count) return fail(std::move(count.error()));
    auto serviceRows = RebuildServiceRollups(db);
    if (!serviceRows) return fail(std::move(serviceRows.error()));
    if (auto ok = db.Commit(); !ok) return fail(std::move(ok.error()));
    return ToInt(count->front()[0]) + *serviceRows;
}

Result<std::vector<std::string>> CheckRollups(SqlSession& db) {
    auto outside = OutsideArchiveOf(db);
    if (!outside) return std::unexpected(std::move(outside.error()));
    auto stored = ReadRollupRows(db, "SELECT " + std::string(kRollupKeyColumns) + ", " + std::string(kRollupFigureColumns) +
                                         " FROM ticket_rollups" + (outside->days.empty() ? "" : " WHERE " + outside->days));
    if (!stored) return std::unexpected(std::move(stored.error()));
    auto recomputed = ReadRollupRows(db, RecomputedRollupsSql(outside->created));
    if (!recomputed) return std::unexpected(std::move(recomputed.error()));
    std::vector<std::string> differences;
    const auto report = [&](const RollupDelta::Key& key, const RollupDelta::Figures* was, const RollupDelta::Figures* is) {
        differences.push_back(DescribeRollupKey(key) + ": stored " + DescribeRollupFigures(was) + ", recomputed " +
                              DescribeRollupFigures(is));
    };
    for (const auto& [key, figures] : *stored) {
        const auto other = recomputed->find(key);
        if (other == recomputed->end()) {
            report(key, &figures, nullptr);
        } else if (other->second != figures) {
            report(key, &figures, &other->second);
        }
    }
    for (const auto& [key, figures] : *recomputed) {
        if (!stored->contains(key)) report(key, nullptr, &figures);
    }
    auto service = CheckServiceRollups(db);
    if (!service) return std::unexpected(std::move(service.error()));
    differences.insert(differences.end(), service->begin(), service->end());
    return differences;
}

std::string RollupPeriodSql() {
    // One ticket's figures, as the rollups add them up, for the period's partial days.
    std::string ticketFigures = "1, CASE WHEN " + SlaMeasuredSql("$3") + " THEN 1 ELSE 0 END, CASE WHEN " + SlaMetSql() +
                                " THEN 1 ELSE 0 END, "
                                "CASE WHEN t.first_response_at IS NULL THEN 0 ELSE 1 END, coalesce(t.first_response_at - t.created_at, 0), "
                                "CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END, coalesce(t.resolved_at - t.created_at, 0), "
                                "CASE WHEN t.csat IS NULL THEN 0 ELSE 1 END, coalesce(t.csat, 0)";
    for (int score = 1; score <= 5; ++score) ticketFigures += ", CASE WHEN t.csat = " + std::to_string(score) + " THEN 1 ELSE 0 END";
    ticketFigures += ", CASE WHEN t.type = 'complaint' THEN 1 ELSE 0 END, " + std::string(kRepeatRepairSql);
    const std::string ticketColumns = "t.store, t.type, t.gtin, t.channel, t.staff, ";
    // Whole days: met clocks, and open ones whose due day is before now's day ($9); those due today
    // from the tickets, counted once due by now.
    return "(SELECT store, type, gtin, channel, staff, tickets, "
           "sla_settled + CASE WHEN due_day >= 0 AND due_day < $9 THEN tickets ELSE 0 END AS sla_counted, sla_met, first_responses, "
           "first_response_ms, resolved, resolution_ms, csat_count, csat_sum, csat_1, csat_2, csat_3, csat_4, csat_5, complaints, "
           "repeat_repairs FROM ticket_rollups WHERE day >= $6 AND day < $7"
           " UNION ALL SELECT " + ticketColumns + ticketFigures + " FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $4"
           " UNION ALL SELECT " + ticketColumns + ticketFigures + " FROM tickets t WHERE t.created_at >= $5 AND t.created_at < $2"
           " UNION ALL SELECT " + ticketColumns + "0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM tickets t "
           "WHERE t.sla_resolution_state IN " + std::string(kOpenStates) + " AND t.sla_resolution_due >= $8 AND "
           "t.sla_resolution_due <= $3 AND t.created_at >= $4 AND t.created_at < $5)";
}

std::vector<SqlValue> RollupPeriodParams(std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs) {
    const std::int64_t firstDay = fromMs <= 0 ? 0 : (fromMs + kRollupDayMs - 1) / kRollupDayMs;
    const std::int64_t endDay = std::max<std::int64_t>(toMs, 0) / kRollupDayMs;
    const std::int64_t nowDay = std::max<std::int64_t>(nowMs, 0) / kRollupDayMs;
    if (firstDay >= endDay) return {fromMs, toMs, nowMs, toMs, toMs, std::int64_t{0}, std::int64_t{0}, nowDay * kRollupDayMs, nowDay};
    return {fromMs, toMs, nowMs, firstDay * kRollupDayMs, endDay * kRollupDayMs, firstDay, endDay, nowDay * kRollupDayMs, nowDay};
}

}  // namespace kiosk::sync::headoffice
