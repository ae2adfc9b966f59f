// Head office's read API, its tokens and the personal-data and sign-in guards: a real server on
// loopback over HTTP, a real SQLite file, tokens added by the real `headoffice token` command, and
// every API answer checked against the schemas of docs/openapi.json.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sync/dashboard_fixture.hpp"
#include "sync/headoffice/audit_log.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/headoffice/web_api.hpp"
#include "sync/headoffice/web_auth.hpp"
#include "sync/headoffice/web_dashboard.hpp"
#include "support/temp_dir.hpp"

namespace kiosk::sync::test {
namespace {

using headoffice::WebAuth;
using headoffice::WebRole;
using Json = nlohmann::json;

// The OpenAPI document and a small check of a value against one of its schemas: $ref, oneOf,
// nullable, type, required and declared properties (an undeclared property is an error too), items.
struct OpenApi {
    Json doc;

    OpenApi() {
        std::ifstream in(KIOSK_SOURCE_DIR "/docs/openapi.json");
        REQUIRE(in.good());
        doc = Json::parse(in);
        REQUIRE(doc.at("openapi").get<std::string>().starts_with("3."));
    }

    const Json& Resolve(const Json& schema) const {
        if (!schema.contains("$ref")) return schema;
        const std::string ref = schema.at("$ref");
        REQUIRE(ref.starts_with("#/components/schemas/"));
        return doc.at("components").at("schemas").at(ref.substr(std::string("#/components/schemas/").size()));
    }

    void Check(const Json& schemaIn, const Json& value, const std::string& at, std::vector<std::string>& errors) const {
        const Json& schema = Resolve(schemaIn);
        if (schema.contains("oneOf")) {
            int matches = 0;
            for (const Json& option : schema.at("oneOf")) {
                std::vector<std::string> own;
                Check(option, value, at, own);
                if (own.empty()) ++matches;
            }
            if (matches != 1) errors.push_back(at + ": matches " + std::to_string(matches) + " of oneOf");
            return;
        }
        if (value.is_null()) {
            if (!schema.value("nullable", false)) errors.push_back(at + ": null where not nullable");
            return;
        }
        const std::string type = schema.value("type", "");
        if (type == "object") {
            if (!value.is_object()) return errors.push_back(at + ": not an object");
            for (const Json& name : schema.value("required", Json::array())) {
                if (!value.contains(name.get<std::string>())) errors.push_back(at + ": missing " + name.get<std::string>());
            }
            const Json properties = schema.value("properties", Json::object());
            for (const auto& [name, item] : value.items()) {
                if (properties.contains(name)) {
                    Check(properties.at(name), item, at + "." + name, errors);
                } else if (schema.contains("additionalProperties")) {
                    Check(schema.at("additionalProperties"), item, at + "." + name, errors);
                } else {
                    errors.push_back(at + ": undeclared property " + name);
                }
            }
        } else if (type == "array") {
            if (!value.is_array()) return errors.push_back(at + ": not an array");
            if (schema.contains("minItems") && value.size() < schema.at("minItems").get<std::size_t>()) errors.push_back(at + ": too few items");
            if (schema.contains("maxItems") && value.size() > schema.at("maxItems").get<std::size_t>()) errors.push_back(at + ": too many items");
            for (std::size_t i = 0; i < value.size(); ++i) Check(schema.at("items"), value[i], at + "[" + std::to_string(i) + "]", errors);
        } else if (type == "string") {
            if (!value.is_string()) return errors.push_back(at + ": not a string");
            if (schema.contains("enum") && std::find(schema.at("enum").begin(), schema.at("enum").end(), value) == schema.at("enum").end()) {
                errors.push_back(at + ": not one of the enum");
            }
        } else if (type == "integer") {
            if (!value.is_number_integer()) errors.push_back(at + ": not an integer");
        } else if (type == "number") {
            if (!value.is_number()) errors.push_back(at + ": not a number");
        } else if (type == "boolean") {
            if (!value.is_boolean()) errors.push_back(at + ": not a boolean");
        } else {
            errors.push_back(at + ": schema without a type");
        }
    }

    // Parses `body` and checks it against the document's answer for GET `path` with `status`.
    Json Validate(const std::string& path, int status, const std::string& body) const {
        INFO(path << " " << status << ": " << body.substr(0, 400));
        const Json& operation = doc.at("paths").at(path).at("get");
        const std::string code = std::to_string(status);
        REQUIRE(operation.at("responses").contains(code));
        const Json& schema = operation.at("responses").at(code).at("content").at("application/json").at("schema");
        const Json value = Json::parse(body);
        std::vector<std::string> errors;
        Check(schema, value, "$", errors);
        CHECK(errors.empty());
        for (const std::string& e : errors) UNSCOPED_INFO(e);
        return value;
    }
};

// Runs the real headoffice program; returns its exit status and standard output.
std::pair<int, std::string> RunHeadOffice(const std::string& args) {
    const std::string command = std::string(HEADOFFICE_PATH) + " " + args + " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Head office with the fixed tickets synced up by a real kiosk, its dashboard and API on loopback,
// a viewer and an admin signed in. `clock` drives the API's rate limit and the sign-in throttle.
struct ApiHeadOffice {
    kiosk::testing::TempDir dir{"hoapi"};
    std::string url = "sqlite:" + dir.File("ho.db").string();
    LocalHeadOffice ho{url};
    QualityTickets tickets;
    std::shared_ptr<std::atomic<std::int64_t>> now = std::make_shared<std::atomic<std::int64_t>>(Ms("2026-11-30T00:00:00Z"));
    std::unique_ptr<headoffice::WebDashboard> dashboard;
    std::unique_ptr<headoffice::WebApi> api;
    std::unique_ptr<headoffice::HttpServer> server;
    int port = 0;
    std::string viewer, admin, adminCsrf, viewerCsrf;

    explicit ApiHeadOffice(int requestsPerMinute = 1000, headoffice::AuthOptions authOptions = {},
                           std::vector<std::string> trustedProxies = {}) {
        tickets = SyncQualityTickets(ho, dir.File("kiosk.db"));
        auto& service = *ho.service;
        auto clock = [now = now] { return now->load(); };
        WebAuth auth = Ok(WebAuth::Open(service.Pool(), clock, authOptions));
        Ok(auth.AddUser("viewer", "viewer password", WebRole::Viewer));
        Ok(auth.AddUser("admin", "admin password", WebRole::Admin));
        viewer = Ok(auth.Login("viewer", "viewer password"));
        admin = Ok(auth.Login("admin", "admin password"));
        viewerCsrf = Ok(auth.Resume(viewer)).csrf;
        adminCsrf = Ok(auth.Resume(admin)).csrf;
        dashboard = std::make_unique<headoffice::WebDashboard>(service, std::move(auth),
                                                               headoffice::DashboardOptions{60 * 60'000, false, {}, std::move(trustedProxies)}, clock);
        headoffice::ApiOptions options;
        options.requestsPerMinute = requestsPerMinute;
        api = std::make_unique<headoffice::WebApi>(service, options, clock);
        server = std::make_unique<headoffice::HttpServer>(service, dashboard.get(), api.get());
        port = Ok(server->Start("127.0.0.1", 0));
    }
    std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
    // A token added with the real command; its secret is the one line it prints.
    std::string AddToken(const std::string& name, bool revealPhone = false) {
        auto [status, out] = RunHeadOffice("--db " + url + " token add " + name + (revealPhone ? " --reveal-phone" : ""));
        REQUIRE(status == 0);
        while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
        REQUIRE(out.starts_with("hoapi_"));
        return out;
    }
    HttpResponse Api(const std::string& path, const std::string& token) const {
        return Ok(SendHttp("GET", Url(path), token.empty() ? Headers{} : Headers{{"Authorization", "Bearer " + token}}, ""));
    }
    HttpResponse Page(const std::string& path, const std::string& session) const {
        return Ok(SendHttp("GET", Url(path), {{"Cookie", "ho_session=" + session + "; ho_lang=en"}}, ""));
    }
    HttpResponse Form(const std::string& path, const std::string& session, const std::string& body) const {
        return Ok(SendHttp("POST", Url(path),
                           {{"Cookie", "ho_session=" + session + "; ho_lang=en"}, {"Content-Type", "application/x-www-form-urlencoded"}}, body));
    }
    HttpResponse SignIn(const std::string& user, const std::string& password, const std::string& forwardedFor = "") const {
        Headers headers{{"Cookie", "ho_lang=en"}, {"Content-Type", "application/x-www-form-urlencoded"}};
        if (!forwardedFor.empty()) headers.emplace_back("X-Forwarded-For", forwardedFor);
        return Ok(SendHttp("POST", Url("/login"), headers, "user=" + user + "&password=" + httplib_encode(password)));
    }
    static std::string httplib_encode(const std::string& text) {
        std::string out;
        for (char ch : text) out += ch == ' ' ? std::string("+") : std::string(1, ch);
        return out;
    }
};

}  // namespace

TEST_CASE("the read API answers ticket search, a ticket, every report and the fleet with a token, as docs/openapi.json says", "[dashboard][api]") {
    const OpenApi openapi;
    ApiHeadOffice h;
    const std::string token = h.AddToken("crm");

    const auto tickets = h.Api("/api/v1/tickets", token);
    REQUIRE(tickets.status == 200);
    Json page = openapi.Validate("/tickets", 200, tickets.body);
    REQUIRE(page["tickets"].size() == 4);
    CHECK(page["next_offset"].is_null());
    for (const Json& t : page["tickets"]) {
        CHECK(t["phone_masked"] == true);
        CHECK(t["phone"].get<std::string>().find("****") != std::string::npos);
    }

    // Paging: two pages of two, the second the last.
    page = openapi.Validate("/tickets", 200, h.Api("/api/v1/tickets?limit=2", token).body);
    CHECK(page["tickets"].size() == 2);
    CHECK(page["next_offset"] == 2);
    const Json second = openapi.Validate("/tickets", 200, h.Api("/api/v1/tickets?limit=2&offset=2", token).body);
    CHECK(second["tickets"].size() == 2);
    CHECK(second["next_offset"].is_null());
    CHECK(second["tickets"][0]["number"] != page["tickets"][0]["number"]);

    // By number, phone and serial, with filters.
    const Json byPhone = openapi.Validate("/tickets", 200, h.Api("/api/v1/tickets?phone=13900001111", token).body);
    REQUIRE(byPhone["tickets"].size() == 1);
    CHECK(byPhone["tickets"][0]["number"] == h.tickets.b);
    CHECK(byPhone["tickets"][0]["phone"] == "139****1111");
    CHECK(openapi.Validate("/tickets", 200, h.Api("/api/v1/tickets?serial=SN-REPEAT-0001&store=S012", token).body)["tickets"].size() == 2);
    CHECK(openapi.Validate("/tickets", 200, h.Api("/api/v1/tickets?number=" + h.tickets.c, token).body)["tickets"].size() == 1);
    CHECK(openapi.Validate("/tickets", 200, h.Api("/api/v1/tickets?status=submitted&from=2026-11-04&to=2026-11-04", token).body)["tickets"].size() == 1);

    const auto one = h.Api("/api/v1/tickets/" + h.tickets.b, token);
    REQUIRE(one.status == 200);
    const Json detail = openapi.Validate("/tickets/{number}", 200, one.body);
    CHECK(detail["timeline"].size() == 5);
    CHECK(detail["chain_intact"] == true);
    CHECK(detail["ticket"]["phone"] == "139****1111");
    CHECK(one.body.find("13900001111") == std::string::npos);
    CHECK(openapi.Validate("/tickets/{number}", 404, h.Api("/api/v1/tickets/S999-K9-261122-0001", token).body)["error"] == "not_found");

    const Json quality = openapi.Validate("/reports/{name}", 200, h.Api("/api/v1/reports/quality?from=2026-11-01&to=2026-11-30", token).body);
    CHECK(quality["total"]["tickets"] == 4);
    CHECK(quality["total"]["sla_compliance"].get<double>() == Approx(0.5));
    CHECK(quality["rows"][0]["key"] == "S012");
    for (const std::string by : {"region", "product", "category", "channel", "staff"}) {
        const Json r = openapi.Validate("/reports/{name}", 200, h.Api("/api/v1/reports/quality?by=" + by + "&from=2026-11-01&to=2026-11-30", token).body);
        CHECK(r["by"] == by);
        CHECK(r["total"]["tickets"] == 4);
    }
    const Json totals = openapi.Validate("/reports/{name}", 200, h.Api("/api/v1/reports/totals?from=2026-11-01&to=2026-11-30", token).body);
    CHECK(totals["total"]["csat_count"] == 3);
    const Json service = openapi.Validate("/reports/{name}", 200, h.Api("/api/v1/reports/service?from=2026-11-01&to=2026-11-30", token).body);
    CHECK(service["comments"].size() == 1);  // "fast and friendly"

    const Json fleet = openapi.Validate("/fleet", 200, h.Api("/api/v1/fleet", token).body);
    REQUIRE(fleet["kiosks"].size() == 1);
    CHECK(fleet["kiosks"][0]["code"] == "S012-K1");
    CHECK(fleet["kiosks"][0]["paper"] == "low");

    // A token added with --reveal-phone sees whole numbers.
    const std::string reveal = h.AddToken("callcentre", true);
    const Json whole = openapi.Validate("/tickets", 200, h.Api("/api/v1/tickets?phone=13900001111", reveal).body);
    CHECK(whole["tickets"][0]["phone"] == "13900001111");
    CHECK(whole["tickets"][0]["phone_masked"] == false);

    // `token list` names them, never their secrets; the audit log has both additions.
    const auto [listed, list] = RunHeadOffice("--db " + h.url + " token list --json");
    CHECK(listed == 0);
    const Json tokens = Json::parse(list);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0]["name"] == "callcentre");
    CHECK(tokens[0]["reveal_phone"] == true);
    CHECK(list.find(token) == std::string::npos);
    CHECK(HeadOfficeCount(h.dir.File("ho.db"), "SELECT count(*) FROM api_tokens WHERE token_sha <> '' AND token_sha NOT LIKE 'hoapi%'") == 2);
    CHECK(HeadOfficeCount(h.dir.File("ho.db"), "SELECT count(*) FROM audit_log WHERE action = 'token_add'") == 2);
}

TEST_CASE("the read API refuses: 401 without a valid token, a clear 4xx for bad input, 429 past the rate", "[dashboard][api]") {
    const OpenApi openapi;
    ApiHeadOffice h(5);
    const std::string token = h.AddToken("bi");

    const auto none = h.Api("/api/v1/tickets", "");
    CHECK(none.status == 401);
    CHECK(openapi.Validate("/tickets", 401, none.body)["error"] == "unauthorized");
    CHECK(h.Api("/api/v1/fleet", "hoapi_" + std::string(64, '0')).status == 401);
    CHECK(h.Api("/api/v1/fleet", "not a token").status == 401);
    // A dashboard session is not an API token.
    CHECK(Ok(SendHttp("GET", h.Url("/api/v1/fleet"), {{"Cookie", "ho_session=" + h.admin}}, "")).status == 401);

    const auto refused = [&](const std::string& path, int status, const std::string& named) {
        INFO(path);
        const auto r = h.Api(path, token);
        CHECK(r.status == status);
        const Json e = Json::parse(r.body);
        CHECK(e["message"].get<std::string>().find(named) != std::string::npos);
        *h.now += 60'000;  // past the rate limit: these refusals are about the input
        return e;
    };
    for (const std::string bad : {"limit=0", "limit=abc", "limit=201", "limit=", "limit=5x"}) {
        openapi.Validate("/tickets", 400, h.Api("/api/v1/tickets?" + bad, token).body);
        refused("/api/v1/tickets?" + bad, 400, "'limit'");
    }
    refused("/api/v1/tickets?offset=-1", 400, "'offset'");
    refused("/api/v1/tickets?from=2026-13-40", 400, "'from'");
    refused("/api/v1/tickets?colour=red", 400, "'colour'");
    refused("/api/v1/tickets?serial=" + std::string(5000, 'x'), 400, "'serial'");
    refused("/api/v1/reports/quality?by=weather", 400, "'by'");
    refused("/api/v1/reports/quality?from=2026-11-30&to=2026-11-01", 400, "'from'");
    CHECK(openapi.Validate("/reports/{name}", 404, h.Api("/api/v1/reports/salaries", token).body)["message"].get<std::string>().find(
              "salaries") != std::string::npos);
    *h.now += 60'000;
    refused("/api/v1/fleet?silent_after=0", 400, "'silent_after'");
    refused("/api/v1/nothing/here", 404, "/api/v1/nothing/here");
    const auto huge = Ok(SendHttp("GET", h.Url("/api/v1/tickets?number=" + std::string(20'000, 'x')), {{"Authorization", "Bearer " + token}}, ""));
    CHECK(huge.status >= 400);
    CHECK(huge.status < 500);

    // Five a minute: the sixth within the minute waits, and a request 12 s later is allowed again.
    *h.now += 120'000;
    for (int i = 0; i < 5; ++i) CHECK(h.Api("/api/v1/fleet", token).status == 200);
    const auto limited = h.Api("/api/v1/fleet", token);
    CHECK(limited.status == 429);
    CHECK(limited.retryAfter == "12");
    CHECK(openapi.Validate("/fleet", 429, limited.body)["error"] == "rate_limited");
    // Another token has its own allowance.
    const std::string other = h.AddToken("other");
    CHECK(h.Api("/api/v1/fleet", other).status == 200);
    *h.now += 12'000;
    CHECK(h.Api("/api/v1/fleet", token).status == 200);

    // Revoked, it is refused; revoking twice or an unknown name fails with a message.
    CHECK(RunHeadOffice("--db " + h.url + " token revoke bi").first == 0);
    CHECK(h.Api("/api/v1/fleet", token).status == 401);
    CHECK(RunHeadOffice("--db " + h.url + " token revoke bi").first != 0);
    CHECK(RunHeadOffice("--db " + h.url + " token revoke nobody").first != 0);
    CHECK(RunHeadOffice("--db " + h.url + " token add 'bad name'").first != 0);
    CHECK(HeadOfficeCount(h.dir.File("ho.db"), "SELECT count(*) FROM audit_log WHERE action = 'token_revoke' AND subject = 'bi'") == 1);
}

TEST_CASE("the ticket page masks the customer's phone, and an admin reveals it with a reason, which the audit page lists", "[dashboard][api]") {
    ApiHeadOffice h;
    const std::string path = "/tickets/" + h.tickets.b;
    const auto viewed = h.Page(path, h.viewer);
    REQUIRE(viewed.status == 200);
    CHECK(viewed.body.find("<dd>139****1111</dd>") != std::string::npos);
    CHECK(viewed.body.find("13900001111") == std::string::npos);
    CHECK(viewed.body.find("reveal-form") == std::string::npos);
    const auto adminView = h.Page(path, h.admin);
    CHECK(adminView.body.find("13900001111") == std::string::npos);
    CHECK(adminView.body.find("id=\"reveal-form\"") != std::string::npos);

    CHECK(h.Form(path + "/reveal", h.viewer, "csrf=" + h.viewerCsrf + "&reason=curious").status == 403);
    CHECK(h.Form(path + "/reveal", h.admin, "reason=no+csrf").status == 403);
    const auto noReason = h.Form(path + "/reveal", h.admin, "csrf=" + h.adminCsrf + "&reason=+");
    CHECK(noReason.status == 422);
    CHECK(noReason.body.find("13900001111") == std::string::npos);
    const auto revealed = h.Form(path + "/reveal", h.admin, "csrf=" + h.adminCsrf + "&reason=customer+called+back+about+pickup");
    REQUIRE(revealed.status == 200);
    CHECK(revealed.body.find("<dd>13900001111</dd>") != std::string::npos);
    // Revealing is for that answer only.
    CHECK(h.Page(path, h.admin).body.find("13900001111") == std::string::npos);

    // A kiosk added on the command line is audited as well.
    CHECK(RunHeadOffice("--db " + h.url + " kiosk add S050 K5 --qr " + h.dir.File("k5.png").string()).first == 0);
    CHECK(h.Page("/audit", h.viewer).status == 403);
    const auto audit = h.Page("/audit", h.admin);
    REQUIRE(audit.status == 200);
    CHECK(audit.body.find("<td>web:admin</td><td class=\"action\">phone_reveal</td><td class=\"subject\">" + h.tickets.b +
                          "</td><td class=\"detail\">customer called back about pickup</td>") != std::string::npos);
    CHECK(audit.body.find("<td class=\"action\">kiosk_add</td><td class=\"subject\">S050-K5</td>") != std::string::npos);
    CHECK(h.Page("/", h.admin).body.find("href=\"/audit\"") != std::string::npos);
    CHECK(h.Page("/", h.viewer).body.find("href=\"/audit\"") == std::string::npos);
}

TEST_CASE("sign-in is refused for a while after too many wrong passwords, per user and per client address", "[dashboard][api]") {
    headoffice::AuthOptions options;
    options.maxFailures = 3;
    options.failureWindow = std::chrono::seconds{60};
    ApiHeadOffice h(1000, options);

    for (int i = 0; i < 3; ++i) CHECK(h.SignIn("viewer", "wrong password").status == 401);
    // Now even the right password waits, with the time to wait said plainly.
    const auto throttled = h.SignIn("viewer", "viewer password");
    CHECK(throttled.status == 429);
    CHECK(throttled.retryAfter == "60");
    CHECK(throttled.body.find("Too many wrong passwords. Try again in 60 s.") != std::string::npos);
    // The same client address is throttled for another user too.
    CHECK(h.SignIn("admin", "admin password").status == 429);
    *h.now += 30'000;
    CHECK(h.SignIn("viewer", "viewer password").retryAfter == "30");
    *h.now += 30'001;
    CHECK(h.SignIn("viewer", "viewer password").status == 303);

    // Per user, whatever address the attempts come from.
    WebAuth auth = Ok(WebAuth::Open(h.ho.service->Pool(), [now = h.now] { return now->load(); }, options));
    for (const std::string address : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
        CHECK(auth.Login("admin", "not it", address).error().code == core::ErrorCode::Forbidden);
    }
    const auto busy = auth.Login("admin", "admin password", "10.0.0.4");
    REQUIRE_FALSE(busy);
    CHECK(busy.error().code == core::ErrorCode::Busy);
    CHECK(busy.error().message == "too many wrong passwords; try again in 60 s");
    CHECK(auth.Login("viewer", "viewer password", "10.0.0.4").has_value());
    *h.now += 60'000;
    CHECK(auth.Login("admin", "admin password", "10.0.0.4").has_value());
}

// Behind a balancer every request comes from its address; with that address trusted, the client is the
// last X-Forwarded-For entry (the one the balancer appended), so one client's wrong passwords do not
// throttle every other client. Without the trust the header is ignored.
TEST_CASE("sign-in throttling behind a trusted balancer counts the forwarded client address", "[dashboard][api]") {
    headoffice::AuthOptions options;
    options.maxFailures = 3;
    options.failureWindow = std::chrono::seconds{60};
    ApiHeadOffice h(1000, options, {"127.0.0.1"});

    for (const std::string user : {"guess1", "guess2", "guess3"}) CHECK(h.SignIn(user, "wrong password", "10.0.0.1").status == 401);
    CHECK(h.SignIn("viewer", "viewer password", "10.0.0.1").status == 429);
    CHECK(h.SignIn("viewer", "viewer password", "10.0.0.2").status == 303);
    // An entry the client wrote itself comes before the balancer's, and does not count.
    CHECK(h.SignIn("admin", "admin password", "10.0.0.2, 10.0.0.1").status == 429);
    CHECK(h.SignIn("admin", "admin password", "10.0.0.1, 10.0.0.3").status == 303);
    CHECK(HeadOfficeCount(h.dir.File("ho.db"), "SELECT count(*) FROM web_login_failures WHERE key = 'addr:10.0.0.1'") == 3);
    CHECK(HeadOfficeCount(h.dir.File("ho.db"), "SELECT count(*) FROM web_login_failures WHERE key = 'addr:127.0.0.1'") == 0);

    ApiHeadOffice untrusting(1000, options);
    for (const std::string user : {"guess1", "guess2", "guess3"}) CHECK(untrusting.SignIn(user, "wrong password", "10.0.0.1").status == 401);
    CHECK(untrusting.SignIn("viewer", "viewer password", "10.0.0.2").status == 429);
}

}  // namespace kiosk::sync::test
