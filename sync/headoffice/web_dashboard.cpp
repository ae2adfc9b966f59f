// Dashboard pages as plain HTML built on the server: every value printed goes through EscapeHtml,
// every POST form carries the session's CSRF token, and pages allow no script at all (CSP).
#include "sync/headoffice/web_dashboard.hpp"

#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <tuple>

#include "kiosk/core/date.hpp"
#include "sync/codec.hpp"
#include "sync/headoffice/audit_log.hpp"
#include "sync/headoffice/blobs.hpp"
#include "sync/headoffice/notifications.hpp"
#include "sync/headoffice/reports.hpp"
#include "sync/headoffice/service_reports.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/headoffice/ticket_sla.hpp"
#include "sync/headoffice/web_strings.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

constexpr std::string_view kSessionCookie = "ho_session";
constexpr std::string_view kLangCookie = "ho_lang";
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kDefaultPeriodDays = 30;
constexpr std::size_t kMaxUploadBytes = 16 * 1024 * 1024;

std::int64_t SystemNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Cookie(const httplib::Request& req, std::string_view name) {
    const std::string header = req.get_header_value("Cookie");
    std::size_t at = 0;
    while (at < header.size()) {
        std::size_t end = header.find(';', at);
        if (end == std::string::npos) end = header.size();
        std::string_view part(header.data() + at, end - at);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.starts_with(name) && part.size() > name.size() && part[name.size()] == '=') {
            return std::string(part.substr(name.size() + 1));
        }
        at = end + 1;
    }
    return {};
}

// A form field from a url-encoded or multipart body, or a query parameter.
std::string Field(const httplib::Request& req, const std::string& name) {
    if (req.has_file(name)) return req.get_file_value(name).content;
    return req.get_param_value(name);
}

// Why an enrolled kiosk's printer cannot print a receipt now, in the protocol's words (paper_out,
// offline, cover_open); empty when it can, or when the kiosk never said.
std::string PrinterTrouble(const FleetRow& k) {
    if (!k.enrolled || k.revoked) return {};
    if (k.printer == "offline" || k.printer == "paper_out" || k.printer == "cover_open") return k.printer;
    if (k.paper == "out") return "paper_out";
    return {};
}

// What is wrong with an enrolled kiosk's scanners, as the fleet page's state: "scanner missing" (a
// configured USB scanner is not connected) or "no scanner" (no scan source works at all); empty when
// they work, or when the kiosk never said.
std::string ScannerTrouble(const FleetRow& k) {
    if (!k.enrolled || k.revoked) return {};
    if (k.scanner == "missing") return "scanner missing";
    if (k.scanner == "none") return "no scanner";
    return {};
}

std::string Time(std::int64_t ms) {
    if (ms <= 0) return "—";
    std::string text = core::FormatTimestamp(std::chrono::sys_seconds{std::chrono::seconds{ms / 1000}});
    std::replace(text.begin(), text.end(), 'T', ' ');
    return text;
}

// A message's state as the dashboard names it.
std::string_view MessageState(std::string_view state) {
    if (state == "sent") return "Sent";
    if (state == "queued") return "Waiting to send";
    if (state == "failed") return "Failed";
    return "Not sent";
}

std::string Fixed(double value, int decimals = 1) {
    if (value < 0) return "—";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string Percent(double share) { return share < 0 ? "—" : Fixed(share * 100.0) + "%"; }

std::string Day(std::int64_t ms) {
    return core::FormatDate(std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{ms / 1000}}));
}

// "YYYY-MM-DD" to the UTC midnight in ms; nullopt for anything else.
std::optional<std::int64_t> DayStartMs(const std::string& text) {
    if (text.empty()) return std::nullopt;
    auto date = core::ParseDate(text);
    if (!date) return std::nullopt;
    return std::int64_t{std::chrono::sys_days{*date}.time_since_epoch().count()} * kDayMs;
}

std::string Url(std::string_view path, std::initializer_list<std::pair<std::string_view, std::string>> params) {
    std::string out(path);
    char sep = '?';
    for (const auto& [name, value] : params) {
        if (value.empty()) continue;
        out += sep;
        out += name;
        out += '=';
        out += httplib::detail::encode_query_param(value);
        sep = '&';
    }
    return out;
}

// Horizontal bars, one per (label, value), scaled to the largest value; drawn as inline SVG.
std::string BarChart(const std::vector<std::pair<std::string, double>>& bars, std::string_view title, int decimals = 0) {
    constexpr int kRow = 22;
    constexpr int kLabel = 170;
    constexpr int kWidth = 560;
    double top = 0;
    for (const auto& bar : bars) top = std::max(top, bar.second);
    const int height = static_cast<int>(bars.size()) * kRow + 8;
    std::string svg = "<svg class=\"chart\" role=\"img\" width=\"" + std::to_string(kWidth) + "\" height=\"" + std::to_string(height) +
                      "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " + std::to_string(height) + "\"><title>" +
                      EscapeHtml(title) + "</title>";
    int y = 4;
    for (const auto& [label, value] : bars) {
        const int length = top > 0 ? static_cast<int>(std::lround(value / top * (kWidth - kLabel - 60))) : 0;
        svg += "<text x=\"0\" y=\"" + std::to_string(y + 15) + "\">" + EscapeHtml(label.size() > 24 ? label.substr(0, 24) : label) +
               "</text><rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
               std::to_string(std::max(length, 1)) + "\" height=\"15\" fill=\"#3a6ea5\"></rect><text x=\"" +
               std::to_string(kLabel + length + 6) + "\" y=\"" + std::to_string(y + 15) + "\">" + Fixed(value, decimals) + "</text>";
        y += kRow;
    }
    return svg + "</svg>";
}

void SecurityHeaders(httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on form posts.
    res.set_header("Referrer-Policy", "same-origin");
    res.set_header("Cache-Control", "no-store");
}

void Redirect(httplib::Response& res, const std::string& to) {
    res.status = 303;
    res.set_header("Location", to);
}

// A cross-site POST carries another site's Origin; same-site forms carry ours or none.
bool SameOrigin(const httplib::Request& req) {
    const std::string origin = req.get_header_value("Origin");
    if (origin.empty() || origin == "null") return origin.empty();
    const std::string host = req.get_header_value("Host");
    return origin == "http://" + host || origin == "https://" + host;
}

// The client's address for sign-in throttling: from a trusted balancer, the last X-Forwarded-For
// entry (earlier ones are whatever the client sent); otherwise the connection's peer.
std::string ClientAddress(const httplib::Request& req, const std::vector<std::string>& trustedProxies) {
    if (std::find(trustedProxies.begin(), trustedProxies.end(), req.remote_addr) == trustedProxies.end()) return req.remote_addr;
    const std::string forwarded = req.get_header_value("X-Forwarded-For");
    const auto comma = forwarded.rfind(',');
    std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
    last.erase(0, last.find_first_not_of(' '));
    last.erase(last.find_last_not_of(' ') + 1);
    return last.empty() ? req.remote_addr : last;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

struct WebDashboard::Context {
    Context(const httplib::Request& request, httplib::Response& response) : req(request), res(response) {}

    const httplib::Request& req;
    httplib::Response& res;
    WebLang lang = WebLang::Zh;
    std::optional<WebSession> session;
    SqlSession* db = nullptr;
    std::int64_t now = 0;
    int status = 200;
    bool streamed = false;  // the page set a content provider instead of a body

    std::string_view T(std::string_view key) const { return Tr(lang, key); }
    std::string E(std::string_view key) const { return EscapeHtml(Tr(lang, key)); }
    std::string Csrf() const {
        return session ? "<input type=\"hidden\" name=\"csrf\" value=\"" + EscapeHtml(session->csrf) + "\">" : std::string();
    }
    std::string Page(std::string_view titleKey, const std::string& body) const {
        std::string nav;
        if (session) {
            nav = "<nav><a href=\"/\">" + E("Dashboard") + "</a><a href=\"/fleet\">" + E("Fleet") + "</a><a href=\"/tickets\">" +
                  E("Tickets") + "</a><a href=\"/reports\">" + E("Service quality") + "</a><a href=\"/publish\">" + E("Publishing") + "</a>" +
                  "<a href=\"/messages\">" + E("Messages") + "</a>" +
                  (session->role == WebRole::Admin ? "<a href=\"/audit\">" + E("Audit log") + "</a>" : std::string()) +
                  "<span class=\"who\">" + EscapeHtml(session->user) + " (" + E(ToString(session->role)) +
                  ")</span><form method=\"post\" action=\"/logout\" class=\"inline\">" + Csrf() + "<button type=\"submit\">" +
                  E("Sign out") + "</button></form></nav>";
        }
        const std::string self = EscapeHtml(req.path);
        return "<!DOCTYPE html><html lang=\"" + std::string(lang == WebLang::Zh ? "zh-Hans" : "en") +
               "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>" + E(titleKey) +
               " · " + E("Head office") + "</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><header><strong>" +
               E("Head office") + "</strong>" + nav + "<span class=\"lang\"><a href=\"" + self + "?lang=zh\">中文</a> · <a href=\"" +
               self + "?lang=en\" id=\"lang-en\">English</a></span></header><main><h1>" + E(titleKey) + "</h1>" + body +
               "</main></body></html>";
    }
};

WebDashboard::WebDashboard(IngestService& service, WebAuth auth, DashboardOptions options, ClockMs clock)
    : m_service(service), m_auth(std::move(auth)), m_options(std::move(options)), m_clock(clock ? std::move(clock) : SystemNowMs) {}

void WebDashboard::Route(httplib::Server& server) {
    using Page = std::string (WebDashboard::*)(Context&);
    // Resolves language and session, leases a database session, and renders; a visitor who is not
    // signed in is sent to the sign-in page.
    const auto serve = [this](const httplib::Request& req, httplib::Response& res, const std::function<std::string(Context&)>& page,
                              bool post) {
        SecurityHeaders(res);
        Context c{req, res};
        c.now = m_clock();
        std::string lang = req.get_param_value("lang");
        if (lang == "en" || lang == "zh") {
            res.set_header("Set-Cookie", std::string(kLangCookie) + "=" + lang + "; Path=/; SameSite=Strict");
        } else {
            lang = Cookie(req, kLangCookie);
        }
        c.lang = lang == "en" ? WebLang::En : WebLang::Zh;
        auto session = m_auth.Resume(Cookie(req, kSessionCookie));
        if (!session) {
            if (post) {
                res.status = 403;
                res.set_content(c.Page("Forbidden", "<p class=\"error\">" + c.E("Your session has ended. Sign in again.") + "</p>"),
                                "text/html; charset=utf-8");
            } else {
                Redirect(res, "/login");
            }
            return;
        }
        c.session = std::move(*session);
        if (post && (!SameOrigin(req) || !ConstantTimeEqual(Field(req, "csrf"), c.session->csrf))) {
            res.status = 403;
            res.set_content(c.Page("Forbidden", "<p class=\"error\">" + c.E("The form is stale or came from another site.") + "</p>"),
                            "text/html; charset=utf-8");
            return;
        }
        auto lease = m_service.Pool().Acquire();
        if (!lease) {
            res.status = 503;
            res.set_content(c.Page("Error", "<p class=\"error\">" + EscapeHtml(lease.error().message) + "</p>"), "text/html; charset=utf-8");
            return;
        }
        c.db = &**lease;
        std::string html = page(c);
        if (res.get_header_value("Location").empty()) {
            res.status = c.status;
            if (res.body.empty() && !c.streamed) res.set_content(html, "text/html; charset=utf-8");
        }
    };
    const auto get = [this, serve](Page page) {
        return [this, serve, page](const httplib::Request& req, httplib::Response& res) {
            serve(req, res, [this, page](Context& c) { return (this->*page)(c); }, false);
        };
    };

    server.Get("/style.css", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("Cache-Control", "max-age=3600");
        res.set_content(std::string(DashboardCss()), "text/css; charset=utf-8");
    });
    server.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
    server.Get("/", get(&WebDashboard::Home));
    server.Get("/fleet", get(&WebDashboard::Fleet));
    server.Get("/tickets", get(&WebDashboard::Tickets));
    server.Get("/reports", get(&WebDashboard::Reports));
    server.Get(R"(/tickets/([A-Za-z0-9-]{1,40}))", [this, serve](const httplib::Request& req, httplib::Response& res) {
        const std::string number = req.matches[1];
        serve(req, res, [this, &number](Context& c) { return Ticket(c, number); }, false);
    });
    // A file attached to the ticket, to signed-in users only, and only under the ticket that names it.
    server.Get(R"(/tickets/([A-Za-z0-9-]{1,40})/attachments/([0-9a-f]{64}))", [serve](const httplib::Request& req, httplib::Response& res) {
        const std::string number = req.matches[1];
        const std::string sha256 = req.matches[2];
        serve(req, res,
              [&number, &sha256](Context& c) {
                  auto named = c.db->Query("SELECT count(*) FROM ticket_attachments WHERE ticket = $1 AND sha256 = $2", {number, sha256});
                  auto blob = named && ToInt(named->front()[0]) > 0 ? ReadStoredBlob(*c.db, sha256) : Result<std::optional<StoredBlob>>();
                  if (!named || !blob) {
                      c.status = 503;
                      return c.Page("Error", "<p class=\"error\">" + EscapeHtml((!named ? named.error() : blob.error()).message) + "</p>");
                  }
                  if (!*blob) {
                      c.status = 404;
                      return c.Page("Ticket", "<p class=\"error\">" + c.E("not yet received") + "</p>");
                  }
                  c.res.set_header("Cache-Control", "private, max-age=86400");
                  c.res.set_content((*blob)->data, (*blob)->mediaType);
                  c.streamed = true;
                  return std::string();
              },
              false);
    });
    server.Post(R"(/tickets/([A-Za-z0-9-]{1,40})/reveal)", [this, serve](const httplib::Request& req, httplib::Response& res) {
        const std::string number = req.matches[1];
        serve(req, res,
              [this, &number](Context& c) {
                  if (c.session->role != WebRole::Admin) {
                      c.status = 403;
                      return Ticket(c, number, false, "<p class=\"error\">" + c.E("Only an admin may reveal a phone number.") + "</p>");
                  }
                  std::string reason = Field(c.req, "reason");
                  while (!reason.empty() && reason.back() == ' ') reason.pop_back();
                  if (reason.empty() || reason.size() > 500) {
                      c.status = 422;
                      return Ticket(c, number, false, "<p class=\"error\" id=\"reveal-error\">" +
                                                          c.E("Give a reason (up to 500 characters) to reveal the phone number.") + "</p>");
                  }
                  if (auto ok = WriteAudit(*c.db, {c.now, "web:" + c.session->user, "phone_reveal", number, reason}); !ok) {
                      c.status = 503;
                      return Ticket(c, number, false, "<p class=\"error\">" + EscapeHtml(ok.error().message) + "</p>");
                  }
                  return Ticket(c, number, true);
              },
              true);
    });
    server.Get("/audit", get(&WebDashboard::Audit));
    server.Get("/messages", [this, serve](const httplib::Request& req, httplib::Response& res) {
        serve(req, res, [this](Context& c) { return Messages(c); }, false);
    });
    // A failed message queued again (after the gateway or the number was fixed): admins only, audited.
    server.Post("/messages/resend", [this, serve](const httplib::Request& req, httplib::Response& res) {
        serve(req, res,
              [this](Context& c) {
                  if (c.session->role != WebRole::Admin) {
                      c.status = 403;
                      return Messages(c, "<p class=\"error\">" + c.E("Only an admin may send a message again.") + "</p>");
                  }
                  const std::string id = Field(c.req, "id");
                  auto requeued = RequeueFailed(*c.db, id, c.now);
                  if (!requeued || !*requeued) {
                      c.status = requeued ? 404 : 503;
                      return Messages(c, "<p class=\"error\">" +
                                             (requeued ? c.E("No failed message has this id.") : EscapeHtml(requeued.error().message)) + "</p>");
                  }
                  if (auto ok = WriteAudit(*c.db, {c.now, "web:" + c.session->user, "message_resend", id, ""}); !ok) {
                      c.status = 503;
                      return Messages(c, "<p class=\"error\">" + EscapeHtml(ok.error().message) + "</p>");
                  }
                  return Messages(c, "<p class=\"ok\" id=\"resend-ok\">" + c.E("The message is queued again.") + "</p>");
              },
              true);
    });
    server.Get("/reports.csv", [this, serve](const httplib::Request& req, httplib::Response& res) {
        serve(req, res,
              [this](Context& c) {
                  const std::int64_t to = DayStartMs(Field(c.req, "to")).value_or(c.now / kDayMs * kDayMs) + kDayMs;
                  const std::int64_t from = DayStartMs(Field(c.req, "from")).value_or(to - kDefaultPeriodDays * kDayMs);
                  const Dimension by = ParseDimension(Field(c.req, "by")).value_or(Dimension::Store);
                  auto report = LoadQualityReport(*c.db, by, from, to, c.now);
                  if (!report) {
                      c.status = 500;
                      c.res.set_content(report.error().message, "text/plain; charset=utf-8");
                      return std::string();
                  }
                  c.res.set_header("Content-Disposition", "attachment; filename=\"service-quality-" + std::string(ToString(by)) + ".csv\"");
                  // Written a line at a time as the connection takes it, not built as one string.
                  auto shared = std::make_shared<QualityReport>(std::move(*report));
                  c.streamed = true;
                  c.res.set_chunked_content_provider("text/csv; charset=utf-8", [shared, line = std::size_t{0}](std::size_t, httplib::DataSink& sink) mutable {
                      const std::vector<QualityRow>& rows = shared->rows;
                      std::string text;
                      if (line == 0) text = QualityCsvHeader(shared->by);
                      for (std::size_t n = 0; n < 64 && line < rows.size() + 1; ++n, ++line) {
                          text += QualityCsvLine(line < rows.size() ? rows[line] : shared->total);
                      }
                      if (!text.empty() && !sink.write(text.data(), text.size())) return false;
                      if (line >= rows.size() + 1) sink.done();
                      return true;
                  });
                  return std::string();
              },
              false);
    });
    server.Get("/publish", [this, serve](const httplib::Request& req, httplib::Response& res) {
        serve(req, res, [this](Context& c) { return Publish(c, {}); }, false);
    });
    server.Post("/publish", [this, serve](const httplib::Request& req, httplib::Response& res) {
        serve(req, res,
              [this](Context& c) {
                  if (c.session->role != WebRole::Admin) {
                      c.status = 403;
                      return Publish(c, "<p class=\"error\">" + c.E("Only an admin may publish.") + "</p>");
                  }
                  const std::string dataset = Field(c.req, "dataset");
                  if (!c.req.has_file("file") || c.req.get_file_value("file").content.empty()) {
                      c.status = 422;
                      return Publish(c, "<p class=\"error\">" + c.E("Choose a file to publish.") + "</p>");
                  }
                  const auto file = c.req.get_file_value("file");
                  if (!m_options.checkUpload || !wire::IsDataset(dataset)) {
                      c.status = 422;
                      return Publish(c, "<p class=\"error\">" + c.E("Unknown data set.") + "</p>");
                  }
                  const std::string name = file.filename.empty() ? dataset : file.filename;
                  auto checked = m_options.checkUpload(dataset, file.content, name);
                  if (!checked) {
                      c.status = 422;
                      return Publish(c, "<div class=\"error\" id=\"publish-error\"><p>" + c.E("Nothing was published:") + "</p><pre>" +
                                            EscapeHtml(checked.error().message) + "</pre></div>");
                  }
                  auto version = m_service.Publish(dataset, checked->content, "web " + c.session->user + ": " + name);
                  if (!version) {
                      c.status = 409;
                      return Publish(c, "<p class=\"error\">" + EscapeHtml(version.error().message) + "</p>");
                  }
                  if (auto ok = WriteAudit(*c.db, {c.now, "web:" + c.session->user, "publish", dataset,
                                                   "version " + std::to_string(*version) + " from " + name});
                      !ok) {
                      c.status = 503;
                      return Publish(c, "<p class=\"error\">" + EscapeHtml(ok.error().message) + "</p>");
                  }
                  return Publish(c, "<p class=\"ok\" id=\"publish-ok\">" + EscapeHtml(dataset) + " " + c.E("version") + " " +
                                        std::to_string(*version) + " " + c.E("published") + " (" + std::to_string(checked->count) +
                                        ")</p>");
              },
              true);
    });
    server.Post("/logout", [this, serve](const httplib::Request& req, httplib::Response& res) {
        serve(req, res,
              [this](Context& c) {
                  (void)m_auth.Logout(Cookie(c.req, kSessionCookie));
                  c.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
                  Redirect(c.res, "/login");
                  return std::string();
              },
              true);
    });

    const auto loginPage = [](WebLang lang, const std::string& error) {
        const auto e = [lang](std::string_view key) { return EscapeHtml(Tr(lang, key)); };
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + e("Sign in") + " · " + e("Head office") +
               "</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><header><strong>" + e("Head office") +
               "</strong><span class=\"lang\"><a href=\"/login?lang=zh\">中文</a> · <a href=\"/login?lang=en\" id=\"lang-en\">English</a>"
               "</span></header><main class=\"login\"><h1>" + e("Sign in") + "</h1>" + error +
               "<form method=\"post\" action=\"/login\"><label>" + e("User") +
               " <input name=\"user\" autocomplete=\"username\" required></label><label>" + e("Password") +
               " <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label><button type=\"submit\">" +
               e("Sign in") + "</button></form></main></body></html>";
    };
    server.Get("/login", [loginPage](const httplib::Request& req, httplib::Response& res) {
        SecurityHeaders(res);
        std::string lang = req.get_param_value("lang");
        if (lang == "en" || lang == "zh") {
            res.set_header("Set-Cookie", std::string(kLangCookie) + "=" + lang + "; Path=/; SameSite=Strict");
        } else {
            lang = Cookie(req, kLangCookie);
        }
        res.set_content(loginPage(lang == "en" ? WebLang::En : WebLang::Zh, ""), "text/html; charset=utf-8");
    });
    server.Post("/login", [this, loginPage](const httplib::Request& req, httplib::Response& res) {
        SecurityHeaders(res);
        const WebLang lang = Cookie(req, kLangCookie) == "en" ? WebLang::En : WebLang::Zh;
        if (!SameOrigin(req)) {
            res.status = 403;
            res.set_content(loginPage(lang, "<p class=\"error\">" + EscapeHtml(Tr(lang, "The form is stale or came from another site.")) + "</p>"),
                            "text/html; charset=utf-8");
            return;
        }
        const std::string user = req.get_param_value("user");
        const std::string address = ClientAddress(req, m_options.trustedProxies);
        auto token = m_auth.Login(user, req.get_param_value("password"), address);
        if (!token && token.error().code == ErrorCode::Busy) {
            const std::int64_t wait = std::max<std::int64_t>(m_auth.ThrottledFor(user, address).value_or(1), 1);
            res.status = 429;
            res.set_header("Retry-After", std::to_string(wait));
            res.set_content(loginPage(lang, "<p class=\"error\" id=\"login-error\">" +
                                                EscapeHtml(std::string(Tr(lang, "Too many wrong passwords. Try again in")) + " " +
                                                           std::to_string(wait) + " s.") +
                                                "</p>"),
                            "text/html; charset=utf-8");
            return;
        }
        if (!token) {
            res.status = token.error().code == ErrorCode::Forbidden ? 401 : 503;
            const std::string message = token.error().code == ErrorCode::Forbidden ? std::string(Tr(lang, "Wrong user name or password."))
                                                                                  : token.error().message;
            res.set_content(loginPage(lang, "<p class=\"error\" id=\"login-error\">" + EscapeHtml(message) + "</p>"),
                            "text/html; charset=utf-8");
            return;
        }
        res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + *token + "; Path=/; HttpOnly; SameSite=Strict" +
                                         (m_options.secureCookies ? "; Secure" : ""));
        Redirect(res, "/");
    });
}

std::string WebDashboard::Home(Context& c) {
    const std::int64_t to = c.now / kDayMs * kDayMs + kDayMs;
    const std::int64_t from = to - kDefaultPeriodDays * kDayMs;
    auto totals = LoadTotals(*c.db, from, to, c.now);
    auto fleet = LoadFleet(*c.db, c.now, m_options.silentAfterMs);
    if (!totals || !fleet) {
        c.status = 500;
        return c.Page("Dashboard", "<p class=\"error\">" + EscapeHtml((!totals ? totals.error() : fleet.error()).message) + "</p>");
    }
    const auto silent = std::count_if(fleet->begin(), fleet->end(), [](const FleetRow& k) { return k.silent; });
    const auto paperLow = std::count_if(fleet->begin(), fleet->end(), [](const FleetRow& k) { return k.paper == "low" || k.paper == "out"; });
    const auto printerDown = std::count_if(fleet->begin(), fleet->end(), [](const FleetRow& k) { return !PrinterTrouble(k).empty(); });
    const auto scannerMissing = std::count_if(fleet->begin(), fleet->end(), [](const FleetRow& k) { return !ScannerTrouble(k).empty(); });
    std::string body = "<p>" + c.E("Last 30 days") + ": " + Day(from) + " – " + Day(to - kDayMs) + "</p><div class=\"cards\">";
    const auto card = [&](std::string_view key, const std::string& value, std::string_view id, bool alert = false) {
        body += "<div class=\"card" + std::string(alert ? " alert" : "") + "\" id=\"" + std::string(id) + "\"><span>" + c.E(key) +
                "</span><b>" + EscapeHtml(value) + "</b></div>";
    };
    card("Kiosks", std::to_string(fleet->size()), "card-kiosks");
    card("Silent kiosks", std::to_string(silent), "card-silent", silent > 0);
    card("Printers low on paper", std::to_string(paperLow), "card-paper", paperLow > 0);
    card("Printers that cannot print", std::to_string(printerDown), "card-printer", printerDown > 0);
    card("Scanners missing", std::to_string(scannerMissing), "card-scanner", scannerMissing > 0);
    card("Tickets", std::to_string(totals->tickets), "card-tickets");
    card("SLA compliance", Percent(totals->SlaCompliance()), "card-sla");
    card("First response (min)", Fixed(totals->FirstResponseMinutes()), "card-first-response");
    card("Resolution (h)", Fixed(totals->ResolutionHours()), "card-resolution");
    card("CSAT average", Fixed(totals->CsatAverage(), 2), "card-csat");
    card("Complaint rate", Percent(totals->ComplaintRate()), "card-complaints");
    body += "</div>";
    return c.Page("Dashboard", body);
}

std::string WebDashboard::Fleet(Context& c) {
    std::int64_t silentAfter = m_options.silentAfterMs;
    if (const std::string minutes = Field(c.req, "silent"); !minutes.empty()) {
        try {
            silentAfter = std::clamp<std::int64_t>(std::stoll(minutes), 1, 60 * 24 * 365) * 60'000;
        } catch (const std::exception&) {
            c.status = 400;
        }
    }
    auto fleet = LoadFleet(*c.db, c.now, silentAfter);
    if (!fleet) {
        c.status = 500;
        return c.Page("Fleet", "<p class=\"error\">" + EscapeHtml(fleet.error().message) + "</p>");
    }
    std::string body = "<form method=\"get\" action=\"/fleet\" class=\"filters\"><label>" + c.E("Silent after (minutes)") +
                       " <input name=\"silent\" type=\"number\" min=\"1\" value=\"" + std::to_string(silentAfter / 60'000) +
                       "\"></label><button type=\"submit\">" + c.E("Apply") + "</button></form><table id=\"fleet\"><thead><tr><th>" +
                       c.E("Kiosk") + "</th><th>" + c.E("Store") + "</th><th>" + c.E("Last contact") + "</th><th>" + c.E("Backlog") +
                       "</th><th>" + c.E("Sequence") + "</th><th>" + c.E("Software") + "</th><th>" + c.E("Started") + "</th><th>" +
                       c.E("Printer") + "</th><th>" + c.E("Paper") + "</th><th>" + c.E("Scanner") + "</th><th>" + c.E("Scanner seen") +
                       "</th><th>" + c.E("Frame errors") + "</th><th>" + c.E("Refused data") + "</th><th>" + c.E("State") +
                       "</th></tr></thead><tbody>";
    for (const FleetRow& k : *fleet) {
        // A printer that cannot print is named first; the scanner's own column shows its state either way.
        std::string trouble = PrinterTrouble(k);
        if (trouble.empty() && !k.refused.empty()) trouble = "refused published data";
        if (trouble.empty()) trouble = ScannerTrouble(k);
        const std::string state = k.revoked ? "revoked" : !k.enrolled ? "awaiting enrolment" : k.silent ? "silent" : !trouble.empty() ? trouble : "ok";
        const std::string rowClass = k.silent ? "silent" : !trouble.empty() ? "attention" : "";
        body += "<tr class=\"" + rowClass + "\" data-kiosk=\"" + EscapeHtml(k.code) + "\"><td>" +
                EscapeHtml(k.code) + "</td><td>" + EscapeHtml(k.store) + "</td><td>" + Time(k.lastSeenMs) + "</td><td>" +
                std::to_string(k.backlog) + "</td><td>" + std::to_string(k.lastSeq) + "</td><td>" + EscapeHtml(k.software) +
                "</td><td class=\"started\">" + Time(k.startedAtMs) + "</td><td>" + EscapeHtml(k.printer.empty() ? "—" : Tr(c.lang, k.printer)) + "</td><td>" +
                EscapeHtml(k.paper.empty() ? "—" : Tr(c.lang, k.paper)) + "</td><td class=\"scanner\">" +
                EscapeHtml(k.scanner.empty() ? "—" : Tr(c.lang, k.scanner)) + "</td><td>" + Time(k.scannerSeenMs) + "</td><td class=\"frame-failures\">" +
                std::to_string(k.frameFailures) + "</td><td class=\"refused\">" + EscapeHtml(k.refused.empty() ? "—" : k.refused) +
                "</td><td class=\"state\">" +
                c.E(state) + "</td></tr>";
    }
    return c.Page("Fleet", body + "</tbody></table>");
}

std::string WebDashboard::Tickets(Context& c) {
    TicketFilter filter;
    filter.number = Field(c.req, "number");
    filter.phone = Field(c.req, "phone");
    filter.serial = Field(c.req, "serial");
    filter.product = Field(c.req, "product");
    filter.store = Field(c.req, "store");
    filter.status = Field(c.req, "status");
    const std::string fromText = Field(c.req, "from");
    const std::string toText = Field(c.req, "to");
    filter.fromMs = DayStartMs(fromText).value_or(0);
    filter.toMs = DayStartMs(toText).has_value() ? *DayStartMs(toText) + kDayMs : 0;
    std::string body = "<form method=\"get\" action=\"/tickets\" class=\"filters\" id=\"ticket-search\">";
    for (auto [name, key, value] : {std::tuple{"number", "Ticket number", &filter.number}, {"phone", "Phone", &filter.phone},
                                    {"serial", "Serial", &filter.serial}, {"product", "Product", &filter.product},
                                    {"store", "Store", &filter.store}, {"status", "Status", &filter.status}}) {
        body += "<label>" + c.E(key) + " <input name=\"" + std::string(name) + "\" value=\"" + EscapeHtml(*value) + "\"></label>";
    }
    body += "<label>" + c.E("From") + " <input type=\"date\" name=\"from\" value=\"" + EscapeHtml(fromText) + "\"></label><label>" +
            c.E("To") + " <input type=\"date\" name=\"to\" value=\"" + EscapeHtml(toText) + "\"></label><button type=\"submit\">" +
            c.E("Search") + "</button></form>";
    auto rows = SearchTickets(*c.db, filter);
    if (!rows) {
        c.status = 500;
        return c.Page("Tickets", body + "<p class=\"error\">" + EscapeHtml(rows.error().message) + "</p>");
    }
    body += "<table id=\"tickets\"><thead><tr><th>" + c.E("Ticket number") + "</th><th>" + c.E("Store") + "</th><th>" + c.E("Type") +
            "</th><th>" + c.E("Status") + "</th><th>" + c.E("Product") + "</th><th>" + c.E("Serial") + "</th><th>" + c.E("Phone") +
            "</th><th>" + c.E("Created") + "</th><th>CSAT</th></tr></thead><tbody>";
    for (const TicketRow& t : *rows) {
        body += "<tr><td><a href=\"/tickets/" + EscapeHtml(t.number) + "\">" + EscapeHtml(t.number) + "</a></td><td>" + EscapeHtml(t.store) +
                "</td><td>" + EscapeHtml(Tr(c.lang, t.type)) + "</td><td>" + EscapeHtml(Tr(c.lang, t.status)) + "</td><td>" +
                EscapeHtml(t.product.empty() ? t.gtin : t.product) + "</td><td>" + EscapeHtml(t.serial) + "</td><td>" +
                EscapeHtml(MaskPhone(t.phone)) + "</td><td>" + Time(t.createdAtMs) + "</td><td>" +
                (t.csat > 0 ? std::to_string(t.csat) : std::string("—")) + "</td></tr>";
    }
    if (rows->empty()) body += "<tr><td colspan=\"9\">" + c.E("No tickets match.") + "</td></tr>";
    return c.Page("Tickets", body + "</tbody></table>");
}

std::string WebDashboard::Ticket(Context& c, const std::string& number, bool revealed, const std::string& feedback) {
    auto detail = LoadTicket(*c.db, number);
    if (!detail) {
        c.status = detail.error().code == ErrorCode::NotFound ? 404 : 500;
        return c.Page("Ticket", "<p class=\"error\">" + EscapeHtml(detail.error().message) + "</p>");
    }
    const TicketRow& t = detail->ticket;
    std::string body = feedback + "<h2 id=\"ticket-number\">" + EscapeHtml(t.number) + "</h2><dl class=\"facts\">";
    const std::string phone = revealed ? t.phone : MaskPhone(t.phone);
    const auto label = [&c](const std::string& id) { return std::string(Label(c.lang, id)); };
    for (auto [key, value] : {std::pair{"Kiosk", t.kiosk}, {"Type", std::string(Tr(c.lang, t.type))},
                              {"Status", std::string(Tr(c.lang, t.status))}, {"Product", t.product.empty() ? t.gtin : t.product + " (" + t.gtin + ")"},
                              {"Serial", t.serial}, {"Phone", phone}, {"Tier", label(t.tier)}, {"Problem category", label(t.category)},
                              {"Description", detail->description}, {"Remedy", label(detail->remedy)}, {"Clause", detail->clauseId},
                              {"Policy version", detail->policyVersion},
                              {"Channel", label(t.channel)}, {"Staff", t.staff}, {"Created", Time(t.createdAtMs)},
                              {"First response", Time(t.firstResponseAtMs)}, {"Resolved", Time(t.resolvedAtMs)},
                              {"CSAT", t.csat > 0 ? std::to_string(t.csat) + "/5" : std::string("—")}}) {
        body += "<dt>" + c.E(key) + "</dt><dd>" + EscapeHtml(value.empty() ? "—" : value) + "</dd>";
    }
    body += "</dl>";
    if (revealed) {
        body += "<p class=\"ok\" id=\"phone-revealed\">" + c.E("The phone number was revealed; the audit log records it.") + "</p>";
    } else if (c.session->role == WebRole::Admin && !t.phone.empty()) {
        body += "<form method=\"post\" action=\"/tickets/" + EscapeHtml(t.number) + "/reveal\" class=\"filters\" id=\"reveal-form\">" +
                c.Csrf() + "<label>" + c.E("Reason") + " <input name=\"reason\" maxlength=\"500\" required></label><button type=\"submit\">" +
                c.E("Reveal phone number") + "</button></form>";
    }
    body += SlaSection(c, number);
    body += "<p id=\"chain-result\" class=\"" + std::string(detail->chainIntact ? "ok" : "error") + "\">" +
            c.E(detail->chainIntact ? "Hash chain intact" : "Hash chain broken") + "</p><table id=\"timeline\"><thead><tr><th>#</th><th>" +
            c.E("Event") + "</th><th>" + c.E("By") + "</th><th>" + c.E("Change") + "</th><th>" + c.E("Note") + "</th><th>" +
            c.E("Kiosk time") + "</th><th>" + c.E("Received") + "</th><th>" + c.E("Chain") + "</th></tr></thead><tbody>";
    // The files attached events name, shown in the event's row once head office holds them.
    auto attachments = TicketAttachments(*c.db, number);
    if (!attachments) return c.Page("Ticket", body + "</tbody></table><p class=\"error\">" + EscapeHtml(attachments.error().message) + "</p>");
    const auto filesOf = [&](const std::string& recordId) {
        std::string html;
        for (const TicketAttachment& a : *attachments) {
            if (a.recordId != recordId) continue;
            const std::string name = EscapeHtml(std::string(Tr(c.lang, a.kind)));
            if (!a.received) {
                html += "<span class=\"attachment pending\" data-sha256=\"" + a.sha256 + "\">" + name + ": " + c.E("not yet received") + "</span> ";
                continue;
            }
            const std::string href = "/tickets/" + EscapeHtml(number) + "/attachments/" + a.sha256;
            html += "<a class=\"attachment\" data-sha256=\"" + a.sha256 + "\" href=\"" + href + "\">" +
                    (a.mediaType.starts_with("image/") ? "<img src=\"" + href + "\" alt=\"" + name + "\" height=\"96\" loading=\"lazy\">"
                                                      : name) +
                    "</a> ";
        }
        return html;
    };
    for (const TimelineEvent& e : detail->events) {
        const std::string change = e.fromStatus.empty() && e.toStatus.empty() ? e.value
                                                                              : std::string(Tr(c.lang, e.fromStatus)) + " → " +
                                                                                    std::string(Tr(c.lang, e.toStatus));
        body += "<tr class=\"" + std::string(e.check == "ok" ? "" : "broken") + "\"><td>" + std::to_string(e.chainSeq) + "</td><td>" +
                EscapeHtml(Tr(c.lang, e.kind)) + "</td><td>" + EscapeHtml(e.actorRole + " " + e.actorId) + "</td><td>" +
                EscapeHtml(change) + "</td><td>" + EscapeHtml(e.note) + (e.kind == "attached" ? " " + filesOf(e.recordId) : std::string()) +
                "</td><td>" + EscapeHtml(e.at) + "</td><td>" +
                Time(e.receivedAtMs) + "</td><td title=\"" + EscapeHtml(e.hash) + "\">" + c.E(e.check) + "</td></tr>";
    }
    body += "</tbody></table>";
    // What the customer was sent about this ticket (only for customers who agreed at the kiosk).
    auto messages = NotificationsOf(*c.db, t.number);
    if (!messages) return c.Page("Ticket", body + "<p class=\"error\">" + EscapeHtml(messages.error().message) + "</p>");
    body += "<h3>" + c.E("Messages to the customer") + "</h3><table id=\"messages\"><thead><tr><th>" + c.E("Change") + "</th><th>" +
            c.E("Message") + "</th><th>" + c.E("State") + "</th><th>" + c.E("Attempts") + "</th><th>" + c.E("Time") + "</th><th>" +
            c.E("Detail") + "</th></tr></thead><tbody>";
    for (const QueuedNotification& n : *messages) {
        const std::int64_t when = n.state == "sent" ? n.sentAtMs : n.state == "queued" ? n.nextAtMs : n.eventAtMs;
        body += "<tr data-state=\"" + EscapeHtml(n.state) + "\" data-message=\"" + EscapeHtml(n.message) + "\"><td>" +
                EscapeHtml(std::string(Tr(c.lang, n.fromStatus)) + " → " + std::string(Tr(c.lang, n.toStatus))) + "</td><td>" +
                EscapeHtml(n.message.empty() ? "—" : n.message) + "</td><td>" + c.E(MessageState(n.state)) + "</td><td>" +
                std::to_string(n.attempts) + "</td><td>" + Time(when) + "</td><td>" + EscapeHtml(n.lastError) + "</td></tr>";
    }
    if (messages->empty()) body += "<tr><td colspan=\"6\">" + c.E("No messages: the customer did not ask for them.") + "</td></tr>";
    return c.Page("Ticket", body + "</tbody></table>");
}

std::string WebDashboard::Messages(Context& c, const std::string& feedback) {
    auto failed = FailedNotifications(*c.db, 500);
    if (!failed) {
        c.status = 500;
        return c.Page("Messages", feedback + "<p class=\"error\">" + EscapeHtml(failed.error().message) + "</p>");
    }
    std::string body = feedback + "<h2>" + c.E("Messages not delivered") + "</h2><table id=\"failed-messages\"><thead><tr><th>" +
                       c.E("Ticket") + "</th><th>" + c.E("Message") + "</th><th>" + c.E("Attempts") + "</th><th>" + c.E("Time") +
                       "</th><th>" + c.E("Detail") + "</th><th></th></tr></thead><tbody>";
    for (const QueuedNotification& n : *failed) {
        body += "<tr data-id=\"" + EscapeHtml(n.id) + "\"><td><a href=\"/tickets/" + EscapeHtml(n.ticket) + "\">" + EscapeHtml(n.ticket) +
                "</a></td><td>" + EscapeHtml(n.message) + "</td><td>" + std::to_string(n.attempts) + "</td><td>" + Time(n.eventAtMs) +
                "</td><td class=\"detail\">" + EscapeHtml(n.lastError) + "</td><td>";
        if (c.session->role == WebRole::Admin) {
            body += "<form method=\"post\" action=\"/messages/resend\" class=\"inline\">" + c.Csrf() + "<input type=\"hidden\" name=\"id\" value=\"" +
                    EscapeHtml(n.id) + "\"><button type=\"submit\">" + c.E("Send again") + "</button></form>";
        }
        body += "</td></tr>";
    }
    if (failed->empty()) body += "<tr><td colspan=\"6\">" + c.E("Every message was delivered or is still being tried.") + "</td></tr>";
    return c.Page("Messages", body + "</tbody></table>");
}

// The kiosk's two SLA clocks at the page's now, and its verdict: the same as the kiosk shows.
std::string WebDashboard::SlaSection(Context& c, const std::string& number) {
    SlaRulesSource* source = m_service.SlaSource();
    Result<TicketSla> measured = core::Fail(ErrorCode::NotFound, "head office has no SLA rules");
    if (source) measured = LoadTicketSla(*c.db, *source, number, c.now);
    if (!measured) return "<p id=\"sla-verdict\">" + c.E("SLA not evaluated") + "</p>";
    const auto time = [](const std::optional<core::Timestamp>& t) {
        return t ? Time(std::int64_t{t->time_since_epoch().count()} * 1000) : std::string("—");
    };
    const auto iso = [](const std::optional<core::Timestamp>& t) { return t ? core::FormatTimestamp(*t) : std::string(); };
    std::string out = "<table id=\"sla\"><thead><tr><th>" + c.E("SLA clock") + "</th><th>" + c.E("State") + "</th><th>" +
                      c.E("Due at") + "</th><th>" + c.E("Met at") + "</th><th>" + c.E("Counted / target (min)") +
                      "</th></tr></thead><tbody>";
    for (auto [id, name, clock] : {std::tuple{"first-response", "First response", &measured->status.firstResponse},
                                   std::tuple{"resolution", "Resolution", &measured->status.resolution}}) {
        const std::string state(core::ToString(clock->state));
        out += "<tr id=\"sla-" + std::string(id) + "\" data-state=\"" + state + "\" data-due=\"" + iso(clock->due) +
               "\"><td>" + c.E(name) + "</td><td>" + c.E(state) + "</td><td>" + time(clock->due) + "</td><td>" +
               time(clock->metAt) + "</td><td>" + std::to_string(clock->consumed.count() / 60) + " / " +
               std::to_string(clock->target.count() / 60) + "</td></tr>";
    }
    const bool breached = measured->status.Breached();
    return out + "</tbody></table><p id=\"sla-verdict\" class=\"" + std::string(breached ? "error" : "ok") +
           "\" data-breached=\"" + std::string(breached ? "true" : "false") + "\">" +
           c.E(breached ? "SLA breached" : "SLA not breached") + "</p>";
}

std::string WebDashboard::Audit(Context& c) {
    if (c.session->role != WebRole::Admin) {
        c.status = 403;
        return c.Page("Audit log", "<p class=\"error\">" + c.E("Only an admin may read the audit log.") + "</p>");
    }
    auto entries = LoadAudit(*c.db, 500);
    if (!entries) {
        c.status = 500;
        return c.Page("Audit log", "<p class=\"error\">" + EscapeHtml(entries.error().message) + "</p>");
    }
    std::string body = "<table id=\"audit\"><thead><tr><th>" + c.E("Time") + "</th><th>" + c.E("By") + "</th><th>" + c.E("Action") +
                       "</th><th>" + c.E("Subject") + "</th><th>" + c.E("Detail") + "</th></tr></thead><tbody>";
    for (const AuditEntry& e : *entries) {
        body += "<tr data-action=\"" + EscapeHtml(e.action) + "\"><td>" + Time(e.atMs) + "</td><td>" + EscapeHtml(e.actor) +
                "</td><td class=\"action\">" + EscapeHtml(e.action) + "</td><td class=\"subject\">" + EscapeHtml(e.subject) +
                "</td><td class=\"detail\">" + EscapeHtml(e.detail) + "</td></tr>";
    }
    if (entries->empty()) body += "<tr><td colspan=\"5\">—</td></tr>";
    return c.Page("Audit log", body + "</tbody></table>");
}

std::string WebDashboard::Reports(Context& c) {
    const std::int64_t to = DayStartMs(Field(c.req, "to")).value_or(c.now / kDayMs * kDayMs) + kDayMs;
    const std::int64_t from = DayStartMs(Field(c.req, "from")).value_or(to - kDefaultPeriodDays * kDayMs);
    const Dimension by = ParseDimension(Field(c.req, "by")).value_or(Dimension::Store);
    std::string body = "<form method=\"get\" action=\"/reports\" class=\"filters\" id=\"report-form\"><label>" + c.E("By") +
                       " <select name=\"by\">";
    for (Dimension d : {Dimension::Store, Dimension::Region, Dimension::Product, Dimension::Category, Dimension::Channel, Dimension::Staff}) {
        body += "<option value=\"" + std::string(ToString(d)) + "\"" + (d == by ? " selected" : "") + ">" + c.E(ToString(d)) + "</option>";
    }
    body += "</select></label><label>" + c.E("From") + " <input type=\"date\" name=\"from\" value=\"" + Day(from) + "\"></label><label>" +
            c.E("To") + " <input type=\"date\" name=\"to\" value=\"" + Day(to - kDayMs) + "\"></label><button type=\"submit\">" +
            c.E("Apply") + "</button> <a id=\"csv\" href=\"" +
            EscapeHtml(Url("/reports.csv", {{"by", std::string(ToString(by))}, {"from", Day(from)}, {"to", Day(to - kDayMs)}})) + "\">" +
            c.E("CSV export") + "</a></form>";
    auto report = LoadQualityReport(*c.db, by, from, to, c.now);
    if (!report) {
        c.status = 500;
        return c.Page("Service quality", body + "<p class=\"error\">" + EscapeHtml(report.error().message) + "</p>");
    }
    const auto head = [&](std::string_view first) {
        return "<thead><tr><th>" + c.E(first) + "</th><th>" + c.E("Tickets") + "</th><th>" + c.E("SLA compliance") + "</th><th>" +
               c.E("First response (min)") + "</th><th>" + c.E("Resolution (h)") + "</th><th>" + c.E("CSAT average") + "</th><th>" +
               c.E("CSAT answers") + "</th><th>" + c.E("Complaint rate") + "</th><th>" + c.E("Repeat repairs") + "</th></tr></thead>";
    };
    const auto line = [&](const QualityRow& r, bool total) {
        const std::string name = total ? std::string(c.T("Total")) : r.key.empty() ? "—" : r.label.empty() || r.label == r.key ? r.key : r.label + " (" + r.key + ")";
        return "<tr" + std::string(total ? " class=\"total\"" : "") + " data-key=\"" + EscapeHtml(total ? "total" : r.key) + "\"><td>" +
               EscapeHtml(name) + "</td><td class=\"tickets\">" + std::to_string(r.tickets) + "</td><td class=\"sla\">" +
               Percent(r.SlaCompliance()) + "</td><td class=\"first-response\">" + Fixed(r.FirstResponseMinutes()) +
               "</td><td class=\"resolution\">" + Fixed(r.ResolutionHours()) + "</td><td class=\"csat\">" + Fixed(r.CsatAverage(), 2) +
               "</td><td>" + std::to_string(r.csatCount) + "</td><td class=\"complaints\">" + Percent(r.ComplaintRate()) +
               "</td><td class=\"repeats\">" + std::to_string(r.repeatRepairs) + "</td></tr>";
    };
    body += "<table id=\"quality\">" + head(ToString(by)) + "<tbody>";
    for (const QualityRow& r : report->rows) body += line(r, false);
    body += line(report->total, true) + "</tbody></table>";
    body += "<p id=\"deflection\">" + c.E("Self-help deflection") + ": <b>" + Percent(report->Deflection()) + "</b> (" +
            std::to_string(report->selfHelpSolved) + " / " + std::to_string(report->selfHelpOffered) + ")</p>";

    std::vector<std::pair<std::string, double>> volumes;
    for (const QualityRow& r : report->rows) volumes.emplace_back(r.key.empty() ? "—" : r.key, static_cast<double>(r.tickets));
    std::vector<std::pair<std::string, double>> csat;
    for (std::size_t i = 0; i < 5; ++i) csat.emplace_back(std::to_string(i + 1) + " ★", static_cast<double>(report->total.csatDistribution[i]));
    body += "<div class=\"charts\"><figure><figcaption>" + c.E("Ticket volumes") + "</figcaption>" +
            BarChart(volumes, c.T("Ticket volumes")) + "</figure><figure><figcaption>" + c.E("CSAT distribution") + "</figcaption>" +
            BarChart(csat, c.T("CSAT distribution")) + "</figure></div>";

    body += "<h2>" + c.E("Channel evaluation") + "</h2><table id=\"channels\"><thead><tr><th>" + c.E("channel") + "</th><th>" +
            c.E("Tickets") + "</th><th>" + c.E("Quality (SLA met)") + "</th><th>" + c.E("Speed: resolution (h)") + "</th><th>" +
            c.E("Satisfaction (CSAT)") + "</th></tr></thead><tbody>";
    for (const QualityRow& r : report->channels) {
        body += "<tr data-key=\"" + EscapeHtml(r.key) + "\"><td>" + EscapeHtml(r.key.empty() ? "—" : Tr(c.lang, r.key)) + "</td><td>" +
                std::to_string(r.tickets) + "</td><td>" + Percent(r.SlaCompliance()) + "</td><td>" + Fixed(r.ResolutionHours()) +
                "</td><td>" + Fixed(r.CsatAverage(), 2) + "</td></tr>";
    }
    body += "</tbody></table>";
    auto service = LoadServiceReport(*c.db, from, to, c.now);
    if (!service) {
        c.status = 500;
        return c.Page("Service quality", body + "<p class=\"error\">" + EscapeHtml(service.error().message) + "</p>");
    }
    return c.Page("Service quality", body + ServiceSections(c, *service));
}

// The service records' tables: CSAT by store and staff with comments, approvals against the time
// limit, follow-up calls within 24 h, self-help deflection by problem category, service scripts used
// against not used, queue numbers' waiting and service times.
std::string WebDashboard::ServiceSections(Context& c, const ServiceReport& r) {
    const auto th = [&](std::initializer_list<std::string_view> names) {
        std::string out = "<thead><tr>";
        for (std::string_view n : names) out += "<th>" + c.E(n) + "</th>";
        return out + "</tr></thead><tbody>";
    };
    const auto storeName = [&](const std::string& store) { return store.empty() ? std::string(c.T("Total")) : store; };
    std::string body = "<h2>" + c.E("CSAT by store and staff") + "</h2><table id=\"csat-staff\">" +
                       th({"store", "staff", "CSAT answers", "CSAT average", "1", "2", "3", "4", "5"});
    for (const CsatByStaff& s : r.csat) {
        body += "<tr data-key=\"" + EscapeHtml(s.store + "/" + s.staff) + "\"><td>" + EscapeHtml(s.store) + "</td><td>" +
                EscapeHtml(s.staff.empty() ? "—" : s.staff) + "</td><td class=\"answers\">" + std::to_string(s.answers) +
                "</td><td class=\"average\">" + Fixed(s.Average(), 2) + "</td>";
        for (std::int64_t n : s.distribution) body += "<td>" + std::to_string(n) + "</td>";
        body += "</tr>";
    }
    body += "</tbody></table><h3>" + c.E("Customer comments") + "</h3><table id=\"comments\">" +
            th({"Ticket", "store", "staff", "CSAT", "Comment", "Received"});
    for (const CsatComment& m : r.comments) {
        body += "<tr><td><a href=\"/tickets/" + EscapeHtml(m.ticket) + "\">" + EscapeHtml(m.ticket) + "</a></td><td>" +
                EscapeHtml(m.store) + "</td><td>" + EscapeHtml(m.staff.empty() ? "—" : m.staff) + "</td><td>" +
                std::to_string(m.score) + "/5</td><td class=\"comment\">" + EscapeHtml(m.comment) + "</td><td>" +
                Time(m.answeredAtMs) + "</td></tr>";
    }
    body += "</tbody></table><h2>" + c.E("Approvals against the time limit") + "</h2><table id=\"approvals\">" +
            th({"store", "Requested", "Decided", "Within the limit", "Average decision (min)", "Refused", "Overdue"});
    for (const ApprovalFigures& a : r.approvals) {
        body += "<tr data-key=\"" + EscapeHtml(a.store.empty() ? "total" : a.store) + "\"" + (a.store.empty() ? " class=\"total\"" : "") +
                "><td>" + EscapeHtml(storeName(a.store)) + "</td><td class=\"requested\">" + std::to_string(a.requested) +
                "</td><td class=\"decided\">" + std::to_string(a.decided) + "</td><td class=\"within\">" +
                Percent(a.WithinLimitShare()) + " (" + std::to_string(a.withinLimit) + ")</td><td class=\"minutes\">" +
                Fixed(a.AverageMinutes()) + "</td><td>" + std::to_string(a.refused) + "</td><td class=\"overdue\">" +
                std::to_string(a.overdue) + "</td></tr>";
    }
    body += "</tbody></table><h2>" + c.E("Follow-up calls within 24 h of closing") + "</h2><table id=\"followups\">" +
            th({"store", "Due", "Done within 24 h", "Completion", "Calls"});
    for (const FollowUpFigures& f : r.followUps) {
        body += "<tr data-key=\"" + EscapeHtml(f.store.empty() ? "total" : f.store) + "\"" + (f.store.empty() ? " class=\"total\"" : "") +
                "><td>" + EscapeHtml(storeName(f.store)) + "</td><td class=\"due\">" + std::to_string(f.due) +
                "</td><td class=\"done\">" + std::to_string(f.doneInTime) + "</td><td class=\"completion\">" +
                Percent(f.Completion()) + "</td><td>" + std::to_string(f.calls) + "</td></tr>";
    }
    body += "</tbody></table><h2>" + c.E("Self-help deflection by problem category") + "</h2><table id=\"deflection-categories\">" +
            th({"category", "Offered", "Solved without a ticket", "Self-help deflection"});
    for (const DeflectionFigures& d : r.deflection) {
        body += "<tr data-key=\"" + EscapeHtml(d.category) + "\"><td>" + EscapeHtml(Tr(c.lang, d.category)) + "</td><td>" +
                std::to_string(d.offered) + "</td><td>" + std::to_string(d.solved) + "</td><td class=\"deflection\">" +
                Percent(d.Deflection()) + "</td></tr>";
    }
    // Tickets served with a scene's script against tickets served with none (created in the period).
    body += "</tbody></table><h2>" + c.E("Service scripts: used and not used") + "</h2><table id=\"scripts\">" +
            th({"scene", "Tickets with the script", "CSAT average", "Resolution rate", "Tickets without a script", "CSAT average",
                "Resolution rate"});
    for (const ScriptUseFigures& s : r.scripts) {
        const std::string scene = s.scene.empty() ? std::string("any scene") : s.scene;
        body += "<tr data-key=\"" + EscapeHtml(scene) + "\"><td>" + c.E(scene) + "</td><td class=\"used\">" +
                std::to_string(s.used.tickets) + "</td><td class=\"used-csat\">" + Fixed(s.used.CsatAverage(), 2) +
                "</td><td class=\"used-resolution\">" + Percent(s.used.ResolutionRate()) + "</td><td class=\"not-used\">" +
                std::to_string(s.notUsed.tickets) + "</td><td class=\"not-used-csat\">" + Fixed(s.notUsed.CsatAverage(), 2) +
                "</td><td class=\"not-used-resolution\">" + Percent(s.notUsed.ResolutionRate()) + "</td></tr>";
    }
    // Queue numbers (取号) taken in the period, by the store's local hour they were taken in.
    body += "</tbody></table><h2>" + c.E("Queue: waiting and service times") + "</h2><table id=\"queue\">" +
            th({"store", "Service", "Hour", "Taken", "Called", "Served", "No-shows", "Average wait (min)",
                "Average service (min)"});
    for (const QueueFigures& q : r.queue) {
        char hour[8];
        std::snprintf(hour, sizeof hour, "%02d:00", static_cast<int>(q.hour));
        body += "<tr data-key=\"" + EscapeHtml(q.store + "/" + q.service + "/" + std::to_string(q.hour)) + "\"><td>" +
                EscapeHtml(q.store) + "</td><td>" + EscapeHtml(q.service) + "</td><td>" + hour + "</td><td class=\"taken\">" +
                std::to_string(q.taken) + "</td><td class=\"called\">" + std::to_string(q.called) + "</td><td class=\"served\">" +
                std::to_string(q.served) + "</td><td class=\"no-shows\">" + std::to_string(q.noShows) + "</td><td class=\"wait\">" +
                Fixed(q.AverageWaitMinutes()) + "</td><td class=\"service-time\">" + Fixed(q.AverageServiceMinutes()) + "</td></tr>";
    }
    return body + "</tbody></table>";
}

std::string WebDashboard::Publish(Context& c, const std::string& feedback) {
    std::string body = feedback;
    if (c.session->role == WebRole::Admin) {
        body += "<form method=\"post\" action=\"/publish\" enctype=\"multipart/form-data\" id=\"publish-form\">" + c.Csrf() + "<label>" +
                c.E("Data set") + " <select name=\"dataset\">";
        for (std::string_view d : wire::kDatasets) body += "<option value=\"" + std::string(d) + "\">" + std::string(d) + "</option>";
        body += "</select></label><label>" + c.E("File") + " <input type=\"file\" name=\"file\" required></label><button type=\"submit\">" +
                c.E("Check and publish") + "</button></form>";
    } else {
        body += "<p>" + c.E("Only an admin may publish.") + "</p>";
    }
    auto published = m_service.CurrentVersions();
    auto fleet = LoadFleet(*c.db, c.now, m_options.silentAfterMs);
    if (!published || !fleet) {
        c.status = 500;
        return c.Page("Publishing", body + "<p class=\"error\">" + EscapeHtml((!published ? published.error() : fleet.error()).message) + "</p>");
    }
    body += "<h2>" + c.E("Applied versions") + "</h2><table id=\"versions\"><thead><tr><th>" + c.E("Kiosk") + "</th>";
    for (std::string_view d : wire::kDatasets) {
        const auto found = published->find(std::string(d));
        body += "<th>" + std::string(d) + " (" + std::to_string(found == published->end() ? 0 : found->second) + ")</th>";
    }
    body += "</tr></thead><tbody>";
    for (const FleetRow& k : *fleet) {
        body += "<tr><td>" + EscapeHtml(k.code) + "</td>";
        for (std::string_view d : wire::kDatasets) {
            const auto applied = k.datasets.find(std::string(d));
            const std::int64_t have = applied == k.datasets.end() ? 0 : applied->second;
            const auto current = published->find(std::string(d));
            const bool behind = current != published->end() && have < current->second;
            body += "<td class=\"" + std::string(behind ? "behind" : "") + "\">" + std::to_string(have) + "</td>";
        }
        body += "</tr>";
    }
    return c.Page("Publishing", body + "</tbody></table>");
}

}  // namespace kiosk::sync::headoffice
