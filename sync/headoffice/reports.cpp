// Dashboard queries over the projection, in the SQL that SQLite and PostgreSQL both accept.
#include "sync/headoffice/reports.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "sync/wire/record_json.hpp"
#include "sync/headoffice/partitions.hpp"
#include "sync/headoffice/rollups.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/headoffice/ticket_sla.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;
using Json = nlohmann::json;

constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// The aggregate columns every quality row has, in QualityRow's order (after key and label), over the
// rollups' row source `t` (rollups.hpp).
std::string Figures() {
    std::string out;
    for (const char* column : {"tickets", "sla_counted", "sla_met", "first_responses", "first_response_ms", "resolved",
                               "resolution_ms", "csat_count", "csat_sum", "csat_1", "csat_2", "csat_3", "csat_4", "csat_5",
                               "complaints", "repeat_repairs"}) {
        out += std::string(out.empty() ? "" : ", ") + "sum(t." + column + ")";
    }
    return out;
}

QualityRow ReadFigures(const SqlRow& r, std::size_t at) {
    QualityRow row;
    std::int64_t* fields[] = {&row.tickets,    &row.slaCounted,      &row.slaMet,   &row.firstResponses,
                              &row.firstResponseMsSum, &row.resolved, &row.resolutionMsSum, &row.csatCount,
                              &row.csatSum};
    for (std::int64_t* field : fields) *field = ToInt(r[at++]);
    for (std::int64_t& count : row.csatDistribution) count = ToInt(r[at++]);
    row.complaints = ToInt(r[at++]);
    row.repeatRepairs = ToInt(r[at]);
    return row;
}

struct Grouping {
    std::string key;    // SQL expression
    std::string label;  // SQL expression
    std::string joins;
};

Grouping GroupingFor(Dimension by) {
    switch (by) {
        case Dimension::Store: return {"t.store", "t.store", ""};
        case Dimension::Region: return {"coalesce(s.region, '')", "coalesce(s.region, '')", " LEFT JOIN stores s ON s.code = t.store"};
        case Dimension::Product:
            return {"t.gtin", "coalesce(max(p.name_en), '')", " LEFT JOIN products p ON p.gtin = t.gtin"};
        case Dimension::Category:
            return {"coalesce(p.category, '')", "coalesce(p.category, '')", " LEFT JOIN products p ON p.gtin = t.gtin"};
        case Dimension::Channel: return {"t.channel", "t.channel", ""};
        case Dimension::Staff: return {"t.staff", "t.staff", ""};
    }
    return {"t.store", "t.store", ""};
}

Result<std::vector<QualityRow>> Grouped(SqlSession& db, Dimension by, std::int64_t fromMs, std::int64_t toMs,
                                        std::int64_t nowMs) {
    const Grouping g = GroupingFor(by);
    auto rows = db.Query("SELECT " + g.key + ", " + g.label + ", " + Figures() + " FROM " + RollupPeriodSql() + " t" + g.joins +
                             " GROUP BY " + g.key + " HAVING sum(t.tickets) > 0 ORDER BY sum(t.tickets) DESC, " + g.key,
                         RollupPeriodParams(fromMs, toMs, nowMs));
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<QualityRow> out;
    for (const SqlRow& r : *rows) {
        QualityRow row = ReadFigures(r, 2);
        row.key = r[0];
        row.label = r[1];
        out.push_back(std::move(row));
    }
    return out;
}

double Ratio(std::int64_t part, std::int64_t whole, double scale = 1.0) {
    return whole == 0 ? -1.0 : static_cast<double>(part) / static_cast<double>(whole) / scale;
}

std::string Csv(std::string_view text) {
    std::string out = "\"";
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) out += '\'';
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string Number(double value) {
    if (value < 0) return "";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

}  // namespace

double QualityRow::SlaCompliance() const { return Ratio(slaMet, slaCounted); }
double QualityRow::FirstResponseMinutes() const { return Ratio(firstResponseMsSum, firstResponses, 60'000.0); }
double QualityRow::ResolutionHours() const { return Ratio(resolutionMsSum, resolved, 3'600'000.0); }
double QualityRow::CsatAverage() const { return Ratio(csatSum, csatCount); }
double QualityRow::ComplaintRate() const { return Ratio(complaints, tickets); }
double QualityReport::Deflection() const { return Ratio(selfHelpSolved, selfHelpOffered); }

std::string_view ToString(Dimension dimension) {
    switch (dimension) {
        case Dimension::Store: return "store";
        case Dimension::Region: return "region";
        case Dimension::Product: return "product";
        case Dimension::Category: return "category";
        case Dimension::Channel: return "channel";
        case Dimension::Staff: return "staff";
    }
    return "store";
}

std::optional<Dimension> ParseDimension(std::string_view text) {
    for (Dimension d : {Dimension::Store, Dimension::Region, Dimension::Product, Dimension::Category, Dimension::Channel,
                        Dimension::Staff}) {
        if (ToString(d) == text) return d;
    }
    return std::nullopt;
}

std::string MaskPhone(std::string_view phone) {
    if (phone.empty()) return {};
    if (phone.size() < 8) return std::string(phone.size() > 2 ? phone.size() - 2 : 0, '*') + std::string(phone.substr(phone.size() > 2 ? phone.size() - 2 : 0));
    return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') + std::string(phone.substr(phone.size() - 4));
}

Result<std::vector<FleetRow>> LoadFleet(SqlSession& db, std::int64_t nowMs, std::int64_t silentAfterMs) {
    auto rows = db.Query(
        "SELECT k.code, k.store_code, CASE WHEN k.secret <> '' THEN 1 ELSE 0 END, k.revoked, coalesce(k.last_seen, 0), k.backlog, "
        "coalesce(c.last_seq, 0), coalesce(s.software, ''), coalesce(s.printer, ''), coalesce(s.paper, ''), "
        "coalesce(s.scanner_seen, 0), coalesce(s.scanner, ''), coalesce(s.camera, ''), coalesce(s.started_at, 0), "
        "coalesce(s.frame_failures, 0), coalesce(s.refused, '') "
        "FROM kiosks k LEFT JOIN cursors c ON c.kiosk = k.code AND c.epoch = k.epoch "
        "LEFT JOIN kiosk_status s ON s.kiosk = k.code ORDER BY k.code");
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<FleetRow> out;
    for (const SqlRow& r : *rows) {
        FleetRow row{r[0], r[1], r[2] == "1", r[3] != "0", ToInt(r[4]), ToInt(r[5]), ToInt(r[6]), r[7], r[8], r[9], ToInt(r[10]),
                     false, {}, r[11], r[12], ToInt(r[13]), ToInt(r[14]), r[15]};
        row.silent = row.enrolled && !row.revoked && nowMs - row.lastSeenMs > silentAfterMs;
        out.push_back(std::move(row));
    }
    auto applied = db.Query("SELECT kiosk, dataset, version FROM kiosk_datasets");
    if (!applied) return std::unexpected(std::move(applied.error()));
    for (const SqlRow& r : *applied) {
        for (FleetRow& k : out) {
            if (k.code == r[0]) k.datasets[r[1]] = ToInt(r[2]);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const FleetRow& a, const FleetRow& b) { return a.silent && !b.silent; });
    return out;
}

namespace {

constexpr std::string_view kTicketColumns =
    "t.number, t.kiosk, t.store, t.type, t.status, t.gtin, coalesce(p.name_en, ''), t.serial, t.phone, t.tier, t.category, "
    "t.channel, t.staff, t.created_at, t.updated_at, coalesce(t.first_response_at, 0), coalesce(t.resolved_at, 0), "
    "coalesce(t.csat, 0), t.events";

TicketRow ReadTicket(const SqlRow& r) {
    return TicketRow{r[0],  r[1],  r[2],  r[3],  r[4],  r[5],  r[6],  r[7],  r[8],  r[9], r[10], r[11], r[12],
                     ToInt(r[13]), ToInt(r[14]), ToInt(r[15]), ToInt(r[16]), ToInt(r[17]), ToInt(r[18])};
}

}  // namespace

Result<std::vector<TicketRow>> SearchTickets(SqlSession& db, const TicketFilter& filter) {
    std::string where;
    std::vector<SqlValue> params;
    const auto add = [&](std::string condition, SqlValue value) {
        params.push_back(std::move(value));
        const std::string placeholder = "$" + std::to_string(params.size());
        std::size_t at = 0;
        while ((at = condition.find('?', at)) != std::string::npos) {
            condition.replace(at, 1, placeholder);
            at += placeholder.size();
        }
        where += (where.empty() ? " WHERE " : " AND ") + condition;
    };
    if (!filter.number.empty()) add("t.number >= CAST(? AS TEXT) AND t.number < CAST(? AS TEXT) || '~'", filter.number);
    if (!filter.phone.empty()) add("t.phone = ?", filter.phone);
    if (!filter.serial.empty()) add("t.serial = ?", filter.serial);
    if (!filter.product.empty()) add("(t.gtin = CAST(? AS TEXT) OR lower(p.name_en) LIKE '%' || lower(CAST(? AS TEXT)) || '%' OR "
            "p.name_zh LIKE '%' || CAST(? AS TEXT) || '%')",
            filter.product);
    if (!filter.store.empty()) add("t.store = ?", filter.store);
    if (!filter.status.empty()) add("t.status = ?", filter.status);
    if (filter.fromMs > 0) add("t.created_at >= ?", filter.fromMs);
    if (filter.toMs > 0) add("t.created_at < ?", filter.toMs);
    params.push_back(std::int64_t{std::clamp(filter.limit, 1, 1000)});
    params.push_back(std::max<std::int64_t>(filter.offset, 0));
    auto rows = db.Query("SELECT " + std::string(kTicketColumns) + " FROM tickets t LEFT JOIN products p ON p.gtin = t.gtin" +
                             where + " ORDER BY t.created_at DESC, t.number LIMIT $" + std::to_string(params.size() - 1) +
                             " OFFSET $" + std::to_string(params.size()),
                         params);
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<TicketRow> out;
    for (const SqlRow& r : *rows) out.push_back(ReadTicket(r));
    return out;
}

Result<TicketDetail> LoadTicket(SqlSession& db, std::string_view number) {
    auto rows = db.Query("SELECT " + std::string(kTicketColumns) +
                             " FROM tickets t LEFT JOIN products p ON p.gtin = t.gtin WHERE t.number = $1",
                         {std::string(number)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) {
        // A ticket of an archived month: say where it went.
        auto archived = ArchivedTicketNote(db, number);
        if (!archived) return std::unexpected(std::move(archived.error()));
        return core::Fail(ErrorCode::NotFound, archived->empty() ? "no ticket " + std::string(number) + " at head office" : *archived);
    }
    TicketDetail detail{ReadTicket(rows->front()), {}, true, {}, {}, {}, {}};
    auto events = db.Query("SELECT r.id, r.epoch, r.seq, r.kiosk_time, r.received_at, r.payload, te.chain_seq, te.kiosk "
                           "FROM ticket_events te JOIN records r ON r.id = te.record_id WHERE te.ticket = $1 "
                           "ORDER BY te.chain_seq, r.epoch, r.seq",
                           {std::string(number)});
    if (!events) return std::unexpected(std::move(events.error()));
    for (const SqlRow& r : *events) {
        TimelineEvent e;
        e.recordId = r[0];
        e.epoch = ToInt(r[1]);
        e.seq = ToInt(r[2]);
        e.kioskTimeMs = ToInt(r[3]);
        e.receivedAtMs = ToInt(r[4]);
        e.chainSeq = ToInt(r[6]);
        Json payload;
        try {
            payload = Json::parse(r[5]);
        } catch (const std::exception&) {
            payload = Json::object();
        }
        const wire::EventRow row = EventRowOf(payload);
        e.kind = row.kind;
        e.actorRole = row.actorRole;
        e.actorId = row.actorId;
        e.at = row.at;
        e.fromStatus = row.fromStatus;
        e.toStatus = row.toStatus;
        e.note = row.note;
        e.value = row.value;
        if (payload.contains("created") && !payload["created"].is_null()) {
            const Json& created = payload["created"];
            detail.description = Text(created, "description");
            detail.remedy = Text(created, "remedy");
            detail.clauseId = Text(created, "clauseId");
            detail.policyVersion = Text(created, "policyVersion");
        }
        e.hash = Text(payload, "hash");
        e.prevHash = Text(payload, "prevHash");
        auto recomputed = wire::ChainHash(e.prevHash, row);
        if (!recomputed || *recomputed != e.hash) {
            e.check = "hash mismatch";
        } else if (e.chainSeq <= 1) {
            e.check = e.prevHash == kGenesisHash ? "ok" : "link broken";
        } else {
            auto previous = db.Query("SELECT hash FROM ticket_events WHERE kiosk = $1 AND chain_seq = $2", {r[7], e.chainSeq - 1});
            if (!previous) return std::unexpected(std::move(previous.error()));
            const bool linked = std::any_of(previous->begin(), previous->end(), [&](const SqlRow& p) { return p[0] == e.prevHash; });
            e.check = linked ? "ok" : previous->empty() ? "previous event not received" : "link broken";
        }
        if (e.check != "ok") detail.chainIntact = false;
        detail.events.push_back(std::move(e));
    }
    return detail;
}

Result<QualityRow> LoadTotals(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs) {
    auto rows = db.Query("SELECT " + Figures() + " FROM " + RollupPeriodSql() + " t", RollupPeriodParams(fromMs, toMs, nowMs));
    if (!rows) return std::unexpected(std::move(rows.error()));
    QualityRow total = ReadFigures(rows->front(), 0);
    total.key = total.label = "total";
    return total;
}

Result<QualityReport> LoadQualityReport(SqlSession& db, Dimension by, std::int64_t fromMs, std::int64_t toMs,
                                        std::int64_t nowMs) {
    QualityReport report;
    report.by = by;
    report.fromMs = fromMs;
    report.toMs = toMs;
    auto rows = Grouped(db, by, fromMs, toMs, nowMs);
    if (!rows) return std::unexpected(std::move(rows.error()));
    report.rows = std::move(*rows);
    auto channels = by == Dimension::Channel ? Result<std::vector<QualityRow>>(report.rows)
                                             : Grouped(db, Dimension::Channel, fromMs, toMs, nowMs);
    if (!channels) return std::unexpected(std::move(channels.error()));
    report.channels = std::move(*channels);
    report.total.key = report.total.label = "total";
    for (const QualityRow& r : report.rows) {
        QualityRow& t = report.total;
        for (auto [sum, part] : {std::pair{&t.tickets, r.tickets}, {&t.slaCounted, r.slaCounted}, {&t.slaMet, r.slaMet},
                                 {&t.firstResponses, r.firstResponses}, {&t.firstResponseMsSum, r.firstResponseMsSum},
                                 {&t.resolved, r.resolved}, {&t.resolutionMsSum, r.resolutionMsSum},
                                 {&t.csatCount, r.csatCount}, {&t.csatSum, r.csatSum}, {&t.complaints, r.complaints},
                                 {&t.repeatRepairs, r.repeatRepairs}}) {
            *sum += part;
        }
        for (std::size_t i = 0; i < 5; ++i) t.csatDistribution[i] += r.csatDistribution[i];
    }
    // Self-help days are the kiosks' local dates; the period's UTC dates bound them.
    const auto day = [](std::int64_t ms) {
        return core::FormatDate(std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{ms / 1000}}));
    };
    auto help = db.Query("SELECT coalesce(sum(offered), 0), coalesce(sum(solved), 0) FROM self_help WHERE day >= $1 AND day < $2",
                         {day(fromMs), day(toMs)});
    if (!help) return std::unexpected(std::move(help.error()));
    report.selfHelpOffered = ToInt(help->front()[0]);
    report.selfHelpSolved = ToInt(help->front()[1]);
    return report;
}

std::string QualityCsvHeader(Dimension by) {
    return std::string(ToString(by)) +
           ",label,tickets,sla_counted,sla_met,sla_compliance,first_response_avg_min,resolution_avg_h,csat_count,"
           "csat_avg,csat_1,csat_2,csat_3,csat_4,csat_5,complaints,complaint_rate,repeat_repairs\r\n";
}

std::string QualityCsvLine(const QualityRow& r) {
    std::string out = Csv(r.key) + "," + Csv(r.label) + "," + std::to_string(r.tickets) + "," + std::to_string(r.slaCounted) + "," +
                      std::to_string(r.slaMet) + "," + Number(r.SlaCompliance()) + "," + Number(r.FirstResponseMinutes()) + "," +
                      Number(r.ResolutionHours()) + "," + std::to_string(r.csatCount) + "," + Number(r.CsatAverage());
    for (std::int64_t n : r.csatDistribution) out += "," + std::to_string(n);
    return out + "," + std::to_string(r.complaints) + "," + Number(r.ComplaintRate()) + "," + std::to_string(r.repeatRepairs) + "\r\n";
}

std::string QualityCsv(const QualityReport& report) {
    std::string out = QualityCsvHeader(report.by);
    for (const QualityRow& r : report.rows) out += QualityCsvLine(r);
    return out + QualityCsvLine(report.total);
}

}  // namespace kiosk::sync::headoffice
