// The /api/v1/ routes: each answer is JSON, each failure a JSON {"error", "message"} with a 4xx/5xx
// status that says what to change; customers' phone numbers are masked unless the token may see them.
#include "sync/headoffice/web_api.hpp"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "kiosk/core/date.hpp"
#include "sync/headoffice/api_tokens.hpp"
#include "sync/headoffice/reports.hpp"
#include "sync/headoffice/service_reports.hpp"
#include "sync/headoffice/ticket_sla.hpp"

namespace kiosk::sync::headoffice {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::int64_t kApiDayMs = 86'400'000;
constexpr std::int64_t kApiPeriodDays = 30;
constexpr int kDefaultLimit = 50;
constexpr std::int64_t kMaxOffset = 1'000'000;

std::int64_t ApiNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A failure the caller can act on: its HTTP status, a short code and a sentence.
struct ApiError {
    int status;
    std::string code;
    std::string message;
};

void SendJson(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(body.dump(), "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, const ApiError& e) { SendJson(res, e.status, Json{{"error", e.code}, {"message", e.message}}); }

ApiError BadParameter(std::string_view name, std::string message) {
    return {400, "bad_parameter", "parameter '" + std::string(name) + "': " + std::move(message)};
}

// A share or average, null when there was nothing to measure (the reports' -1).
Json Measure(double value) { return value < 0 ? Json(nullptr) : Json(std::round(value * 10'000.0) / 10'000.0); }

Json ApiTime(const std::optional<core::Timestamp>& t) { return t ? Json(core::FormatTimestamp(*t)) : Json(nullptr); }

// One SLA clock as `kioskctl --json ticket show` gives it, so the two can be compared field by field.
Json ClockJson(const core::SlaClock& clock) {
    return Json{{"state", core::ToString(clock.state)},
                {"target_minutes", clock.target.count() / 60},
                {"consumed_minutes", clock.consumed.count() / 60},
                {"due", ApiTime(clock.due)},
                {"met_at", ApiTime(clock.metAt)}};
}

std::string ApiDay(std::int64_t ms) {
    return core::FormatDate(std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{ms / 1000}}));
}

// An integer query parameter within [low, high]; `fallback` when absent.
std::expected<std::int64_t, ApiError> IntParam(const httplib::Request& req, std::string_view name, std::int64_t fallback,
                                               std::int64_t low, std::int64_t high) {
    if (!req.has_param(std::string(name))) return fallback;
    const std::string text = req.get_param_value(std::string(name));
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
        return std::unexpected(BadParameter(name, "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
                                                      ", got '" + text + "'"));
    }
    return value;
}

// The report period: `from` and `to` as YYYY-MM-DD (both days included); the last 30 days by default.
std::expected<std::pair<std::int64_t, std::int64_t>, ApiError> Period(const httplib::Request& req, std::int64_t nowMs) {
    const auto day = [&req](std::string_view name) -> std::expected<std::optional<std::int64_t>, ApiError> {
        if (!req.has_param(std::string(name))) return std::optional<std::int64_t>{};
        const std::string text = req.get_param_value(std::string(name));
        auto date = core::ParseDate(text);
        if (!date) return std::unexpected(BadParameter(name, "must be a date as YYYY-MM-DD, got '" + text + "'"));
        return std::optional<std::int64_t>{std::int64_t{std::chrono::sys_days{*date}.time_since_epoch().count()} * kApiDayMs};
    };
    auto to = day("to");
    if (!to) return std::unexpected(to.error());
    auto from = day("from");
    if (!from) return std::unexpected(from.error());
    const std::int64_t end = to->value_or(nowMs / kApiDayMs * kApiDayMs) + kApiDayMs;
    const std::int64_t start = from->value_or(end - kApiPeriodDays * kApiDayMs);
    if (start >= end) return std::unexpected(BadParameter("from", "must not be after 'to'"));
    return std::pair{start, end};
}

Json TicketJson(const TicketRow& t, bool revealPhone) {
    return Json{{"number", t.number},
                {"kiosk", t.kiosk},
                {"store", t.store},
                {"type", t.type},
                {"status", t.status},
                {"gtin", t.gtin},
                {"product", t.product},
                {"serial", t.serial},
                {"phone", revealPhone ? t.phone : MaskPhone(t.phone)},
                {"phone_masked", !revealPhone},
                {"tier", t.tier},
                {"category", t.category},
                {"channel", t.channel},
                {"staff", t.staff},
                {"created_ms", t.createdAtMs},
                {"updated_ms", t.updatedAtMs},
                {"first_response_ms", t.firstResponseAtMs > 0 ? Json(t.firstResponseAtMs) : Json(nullptr)},
                {"resolved_ms", t.resolvedAtMs > 0 ? Json(t.resolvedAtMs) : Json(nullptr)},
                {"csat", t.csat > 0 ? Json(t.csat) : Json(nullptr)},
                {"events", t.events}};
}

Json FiguresJson(const QualityRow& r) {
    return Json{{"key", r.key},
                {"label", r.label},
                {"tickets", r.tickets},
                {"sla_counted", r.slaCounted},
                {"sla_met", r.slaMet},
                {"sla_compliance", Measure(r.SlaCompliance())},
                {"first_response_avg_min", Measure(r.FirstResponseMinutes())},
                {"resolution_avg_h", Measure(r.ResolutionHours())},
                {"csat_count", r.csatCount},
                {"csat_avg", Measure(r.CsatAverage())},
                {"csat_distribution", r.csatDistribution},
                {"complaints", r.complaints},
                {"complaint_rate", Measure(r.ComplaintRate())},
                {"repeat_repairs", r.repeatRepairs}};
}

Json KioskJson(const FleetRow& k) {
    Json datasets = Json::object();
    for (const auto& [name, version] : k.datasets) datasets[name] = version;
    return Json{{"code", k.code},
                {"store", k.store},
                {"enrolled", k.enrolled},
                {"revoked", k.revoked},
                {"silent", k.silent},
                {"last_seen_ms", k.lastSeenMs > 0 ? Json(k.lastSeenMs) : Json(nullptr)},
                {"backlog", k.backlog},
                {"last_seq", k.lastSeq},
                {"software", k.software},
                {"printer", k.printer},
                {"paper", k.paper},
                {"scanner", k.scanner},
                {"scanner_seen_ms", k.scannerSeenMs > 0 ? Json(k.scannerSeenMs) : Json(nullptr)},
                {"camera", k.camera},
                {"started_ms", k.startedAtMs > 0 ? Json(k.startedAtMs) : Json(nullptr)},
                {"frame_failures", k.frameFailures},
                {"refused", k.refused},
                {"datasets", datasets}};
}

Json ServiceJson(const ServiceReport& r) {
    Json csat = Json::array();
    for (const CsatByStaff& s : r.csat) {
        csat.push_back({{"store", s.store}, {"staff", s.staff}, {"answers", s.answers}, {"average", Measure(s.Average())},
                        {"distribution", s.distribution}});
    }
    Json comments = Json::array();
    for (const CsatComment& m : r.comments) {
        comments.push_back({{"ticket", m.ticket}, {"store", m.store}, {"staff", m.staff}, {"score", m.score}, {"comment", m.comment},
                            {"answered_ms", m.answeredAtMs}});
    }
    Json approvals = Json::array();
    for (const ApprovalFigures& a : r.approvals) {
        approvals.push_back({{"store", a.store}, {"requested", a.requested}, {"decided", a.decided}, {"within_limit", a.withinLimit},
                             {"refused", a.refused}, {"overdue", a.overdue}, {"within_limit_share", Measure(a.WithinLimitShare())},
                             {"average_decision_min", Measure(a.AverageMinutes())}});
    }
    Json followUps = Json::array();
    for (const FollowUpFigures& f : r.followUps) {
        followUps.push_back({{"store", f.store}, {"due", f.due}, {"done_in_time", f.doneInTime}, {"calls", f.calls},
                             {"completion", Measure(f.Completion())}});
    }
    Json deflection = Json::array();
    for (const DeflectionFigures& d : r.deflection) {
        deflection.push_back({{"category", d.category}, {"offered", d.offered}, {"solved", d.solved}, {"deflection", Measure(d.Deflection())}});
    }
    Json queue = Json::array();
    for (const QueueFigures& q : r.queue) {
        queue.push_back({{"store", q.store}, {"service", q.service}, {"hour", q.hour}, {"taken", q.taken}, {"called", q.called},
                         {"served", q.served}, {"no_shows", q.noShows}, {"average_wait_min", Measure(q.AverageWaitMinutes())},
                         {"average_service_min", Measure(q.AverageServiceMinutes())}});
    }
    return Json{{"csat", csat},         {"comments", comments},     {"approvals", approvals},
                {"follow_ups", followUps}, {"deflection", deflection}, {"queue", queue}};
}

const std::set<std::string> kTicketParams{"number", "phone", "serial", "product", "store", "status", "from", "to", "limit", "offset"};

}  // namespace

WebApi::WebApi(IngestService& service, ApiOptions options, ClockMs clock)
    : m_service(service), m_options(std::move(options)), m_clock(clock ? std::move(clock) : ApiNowMs) {}

std::int64_t WebApi::Throttle(const std::string& token, std::int64_t nowMs) {
    const double rate = static_cast<double>(std::max(m_options.requestsPerMinute, 1));
    std::lock_guard lock(m_mutex);
    auto [it, added] = m_buckets.try_emplace(token, Bucket{rate, nowMs});
    Bucket& b = it->second;
    b.tokens = std::min(rate, b.tokens + static_cast<double>(std::max<std::int64_t>(nowMs - b.atMs, 0)) * rate / 60'000.0);
    b.atMs = nowMs;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) * 60.0 / rate)));
}

void WebApi::Route(httplib::Server& server) {
    struct Call {
        const httplib::Request& req;
        SqlSession& db;
        ApiToken token;
        std::int64_t now;
    };
    using Handler = std::function<std::expected<Json, ApiError>(Call&)>;
    // Checks the bearer token and its rate, refuses oversized parameters, leases a database session
    // and answers with the handler's JSON or error.
    const auto serve = [this](const httplib::Request& req, httplib::Response& res, const Handler& handler) {
        const std::string header = req.get_header_value("Authorization");
        constexpr std::string_view kBearer = "Bearer ";
        if (!header.starts_with(kBearer)) {
            res.set_header("WWW-Authenticate", "Bearer");
            SendError(res, {401, "unauthorized", "send an API token as 'Authorization: Bearer TOKEN' (headoffice token add)"});
            return;
        }
        auto lease = m_service.Pool().Acquire();
        if (!lease) {
            SendError(res, {503, "unavailable", "head-office database: " + lease.error().message});
            return;
        }
        auto token = FindApiToken(**lease, std::string_view(header).substr(kBearer.size()));
        if (!token) {
            SendError(res, {503, "unavailable", "head-office database: " + token.error().message});
            return;
        }
        if (!*token) {
            res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            SendError(res, {401, "unauthorized", "the API token is unknown or was revoked"});
            return;
        }
        const std::int64_t now = m_clock();
        if (const std::int64_t wait = Throttle((*token)->name, now); wait > 0) {
            res.set_header("Retry-After", std::to_string(wait));
            SendError(res, {429, "rate_limited",
                            "more than " + std::to_string(m_options.requestsPerMinute) + " requests a minute; try again in " +
                                std::to_string(wait) + " s"});
            return;
        }
        for (const auto& [name, value] : req.params) {
            if (value.size() > m_options.maxParameterBytes) {
                SendError(res, BadParameter(name, "longer than " + std::to_string(m_options.maxParameterBytes) + " bytes"));
                return;
            }
        }
        Call call{req, **lease, **token, now};
        auto answer = handler(call);
        if (!answer) {
            SendError(res, answer.error());
            return;
        }
        SendJson(res, 200, *answer);
    };
    const auto route = [&server, serve](const std::string& pattern, Handler handler) {
        server.Get(pattern, [serve, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
            serve(req, res, handler);
        });
    };
    const auto failed = [](const core::Error& e) {
        return ApiError{e.code == core::ErrorCode::NotFound ? 404 : 503, e.code == core::ErrorCode::NotFound ? "not_found" : "unavailable",
                        e.message};
    };

    route("/api/v1/tickets", [this, failed](Call& c) -> std::expected<Json, ApiError> {
        for (const auto& [name, value] : c.req.params) {
            if (!kTicketParams.contains(name)) return std::unexpected(BadParameter(name, "is not a ticket search parameter"));
        }
        auto limit = IntParam(c.req, "limit", std::min(kDefaultLimit, m_options.maxLimit), 1, m_options.maxLimit);
        if (!limit) return std::unexpected(limit.error());
        auto offset = IntParam(c.req, "offset", 0, 0, kMaxOffset);
        if (!offset) return std::unexpected(offset.error());
        TicketFilter filter;
        filter.number = c.req.get_param_value("number");
        filter.phone = c.req.get_param_value("phone");
        filter.serial = c.req.get_param_value("serial");
        filter.product = c.req.get_param_value("product");
        filter.store = c.req.get_param_value("store");
        filter.status = c.req.get_param_value("status");
        if (c.req.has_param("from") || c.req.has_param("to")) {
            auto period = Period(c.req, c.now);
            if (!period) return std::unexpected(period.error());
            if (c.req.has_param("from")) filter.fromMs = period->first;
            if (c.req.has_param("to")) filter.toMs = period->second;
        }
        filter.limit = static_cast<int>(*limit) + 1;  // one more tells whether there is a next page
        filter.offset = *offset;
        auto rows = SearchTickets(c.db, filter);
        if (!rows) return std::unexpected(failed(rows.error()));
        const bool more = rows->size() > static_cast<std::size_t>(*limit);
        if (more) rows->pop_back();
        Json tickets = Json::array();
        for (const TicketRow& t : *rows) tickets.push_back(TicketJson(t, c.token.revealPhone));
        return Json{{"tickets", tickets},
                    {"limit", *limit},
                    {"offset", *offset},
                    {"next_offset", more ? Json(*offset + *limit) : Json(nullptr)}};
    });
    route(R"(/api/v1/tickets/([^/]{1,64}))", [this, failed](Call& c) -> std::expected<Json, ApiError> {
        const std::string number = c.req.matches[1];
        auto detail = LoadTicket(c.db, number);
        if (!detail) return std::unexpected(failed(detail.error()));
        Json timeline = Json::array();
        for (const TimelineEvent& e : detail->events) {
            timeline.push_back({{"record_id", e.recordId},  {"chain_seq", e.chainSeq}, {"kind", e.kind},
                                {"actor_role", e.actorRole}, {"actor_id", e.actorId},  {"at", e.at},
                                {"from_status", e.fromStatus}, {"to_status", e.toStatus}, {"note", e.note},
                                {"value", e.value},          {"kiosk_time_ms", e.kioskTimeMs}, {"received_ms", e.receivedAtMs},
                                {"hash", e.hash},            {"check", e.check}});
        }
        // The kiosk's SLA at this request's now; null when it cannot be measured (no creation event yet,
        // no target for the ticket's type and tier).
        Json sla(nullptr);
        if (SlaRulesSource* source = m_service.SlaSource()) {
            auto measured = LoadTicketSla(c.db, *source, number, c.now);
            if (!measured && (measured.error().code == core::ErrorCode::Unavailable || measured.error().code == core::ErrorCode::Busy ||
                              measured.error().code == core::ErrorCode::Storage)) {
                return std::unexpected(failed(measured.error()));
            }
            if (measured) {
                sla = Json{{"first_response", ClockJson(measured->status.firstResponse)},
                           {"resolution", ClockJson(measured->status.resolution)},
                           {"breached", measured->status.Breached()},
                           {"sla_version", measured->rules->slaVersion},
                           {"calendar_version", measured->rules->calendarVersion}};
            }
        }
        return Json{{"ticket", TicketJson(detail->ticket, c.token.revealPhone)},
                    {"description", detail->description},
                    {"remedy", detail->remedy},
                    {"clause", detail->clauseId},
                    {"policy_version", detail->policyVersion},
                    {"chain_intact", detail->chainIntact},
                    {"sla", sla},
                    {"timeline", timeline}};
    });
    route(R"(/api/v1/reports/([^/]{1,64}))", [this, failed](Call& c) -> std::expected<Json, ApiError> {
        const std::string name = c.req.matches[1];
        if (std::find(std::begin(kReports), std::end(kReports), name) == std::end(kReports)) {
            return std::unexpected(ApiError{404, "not_found", "no report '" + name + "'; the reports are quality, service and totals"});
        }
        auto period = Period(c.req, c.now);
        if (!period) return std::unexpected(period.error());
        const auto [from, to] = *period;
        Json out{{"report", name}, {"from", ApiDay(from)}, {"to", ApiDay(to - kApiDayMs)}};
        if (name == "quality") {
            const std::string byText = c.req.has_param("by") ? c.req.get_param_value("by") : "store";
            const auto by = ParseDimension(byText);
            if (!by) return std::unexpected(BadParameter("by", "must be store, region, product, category, channel or staff, got '" + byText + "'"));
            auto report = LoadQualityReport(c.db, *by, from, to, c.now);
            if (!report) return std::unexpected(failed(report.error()));
            Json rows = Json::array();
            for (const QualityRow& r : report->rows) rows.push_back(FiguresJson(r));
            Json channels = Json::array();
            for (const QualityRow& r : report->channels) channels.push_back(FiguresJson(r));
            out["by"] = std::string(ToString(*by));
            out["rows"] = rows;
            out["total"] = FiguresJson(report->total);
            out["channels"] = channels;
            out["self_help_offered"] = report->selfHelpOffered;
            out["self_help_solved"] = report->selfHelpSolved;
            out["deflection"] = Measure(report->Deflection());
        } else if (name == "totals") {
            auto totals = LoadTotals(c.db, from, to, c.now);
            if (!totals) return std::unexpected(failed(totals.error()));
            out["total"] = FiguresJson(*totals);
        } else {
            auto report = LoadServiceReport(c.db, from, to, c.now);
            if (!report) return std::unexpected(failed(report.error()));
            out.update(ServiceJson(*report));
        }
        return out;
    });
    route("/api/v1/fleet", [this, failed](Call& c) -> std::expected<Json, ApiError> {
        std::int64_t silentAfter = m_options.silentAfterMs;
        if (c.req.has_param("silent_after")) {
            auto minutes = IntParam(c.req, "silent_after", 60, 1, 60 * 24 * 365);
            if (!minutes) return std::unexpected(minutes.error());
            silentAfter = *minutes * 60'000;
        }
        auto fleet = LoadFleet(c.db, c.now, silentAfter);
        if (!fleet) return std::unexpected(failed(fleet.error()));
        Json kiosks = Json::array();
        for (const FleetRow& k : *fleet) kiosks.push_back(KioskJson(k));
        return Json{{"kiosks", kiosks}};
    });
    // Anything else under /api/ is a JSON 404, not the dashboard's sign-in redirect.
    route(R"(/api/.*)", [](Call& c) -> std::expected<Json, ApiError> {
        return std::unexpected(ApiError{404, "not_found", "no such API path: " + c.req.path});
    });
}

}  // namespace kiosk::sync::headoffice
