// The head-office web dashboard: server-rendered pages (fleet, tickets, service quality, publishing)
// on the ingest server's port, behind the head-office users' sign-in.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/web_auth.hpp"

namespace httplib {
class Server;
}

namespace kiosk::sync::headoffice {

struct ServiceReport;

// An uploaded data file as it will be published, after the kiosk's own parsers accepted it.
struct CheckedUpload {
    std::string content;    // items JSON, or the document text
    std::size_t count = 0;  // items; 1 for a document
};
// Checks `text` (the file `fileName`) as data set `dataset`; fails with InvalidInput carrying the
// parser's "FILE:LINE: what" lines.
using UploadCheck = std::function<Result<CheckedUpload>(std::string_view dataset, std::string_view text, std::string_view fileName)>;

struct DashboardOptions {
    std::int64_t silentAfterMs = 60 * 60'000;  // a kiosk not heard from for this long is flagged
    bool secureCookies = true;                 // browsers send these over HTTPS (and to localhost) only
    UploadCheck checkUpload;                   // without one, the publish page refuses uploads
    // Balancers' addresses: a request from one of them is counted, for sign-in throttling, under the
    // address its last X-Forwarded-For entry names (the one the balancer added), not the balancer's.
    std::vector<std::string> trustedProxies;
};

class WebDashboard {
public:
    WebDashboard(IngestService& service, WebAuth auth, DashboardOptions options, ClockMs clock = {});

    // Adds the dashboard's routes (/, /login, /logout, /fleet, /tickets, /reports, /publish, /audit, /style.css).
    void Route(httplib::Server& server);

private:
    struct Context;
    std::string Home(Context& c);
    std::string Fleet(Context& c);
    std::string Tickets(Context& c);
    // The customer's phone is masked unless `revealed` (an admin gave a reason, written to the audit log).
    std::string Ticket(Context& c, const std::string& number, bool revealed = false, const std::string& feedback = {});
    std::string SlaSection(Context& c, const std::string& number);
    std::string Audit(Context& c);
    std::string Messages(Context& c, const std::string& feedback = {});
    std::string Reports(Context& c);
    std::string ServiceSections(Context& c, const ServiceReport& report);
    std::string Publish(Context& c, const std::string& feedback);

    IngestService& m_service;
    WebAuth m_auth;
    DashboardOptions m_options;
    ClockMs m_clock;
};

// The stylesheet (web/style.css), built into the program.
std::string_view DashboardCss();

// Text made safe to place in HTML text and in quoted attribute values.
std::string EscapeHtml(std::string_view text);

}  // namespace kiosk::sync::headoffice
