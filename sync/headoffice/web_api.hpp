// Head office's read API for integrations: /api/v1/ JSON over the same data as the dashboard
// (ticket search, a ticket with its timeline, the reports, the fleet), behind per-integration bearer
// tokens (api_tokens.hpp), paged, and rate-limited per token. docs/openapi.json describes it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "sync/headoffice/ingest_service.hpp"

namespace httplib {
class Server;
}

namespace kiosk::sync::headoffice {

struct ApiOptions {
    std::int64_t silentAfterMs = 60 * 60'000;  // as the dashboard's fleet page
    int requestsPerMinute = 120;               // per token; a burst of as many is allowed
    int maxLimit = 200;                        // the largest `limit` a page may ask for
    std::size_t maxParameterBytes = 200;       // a longer query parameter is refused
};

class WebApi {
public:
    WebApi(IngestService& service, ApiOptions options, ClockMs clock = {});

    // Adds GET /api/v1/tickets, /api/v1/tickets/{number}, /api/v1/reports/{name} and /api/v1/fleet.
    void Route(httplib::Server& server);

    // The reports /api/v1/reports/{name} answers.
    static constexpr std::string_view kReports[] = {"quality", "service", "totals"};

private:
    // Takes one request from the token's bucket; returns 0 when allowed, else the seconds to wait.
    std::int64_t Throttle(const std::string& token, std::int64_t nowMs);

    IngestService& m_service;
    ApiOptions m_options;
    ClockMs m_clock;
    struct Bucket {
        double tokens = 0;
        std::int64_t atMs = 0;
    };
    std::mutex m_mutex;
    std::map<std::string, Bucket> m_buckets;
};

}  // namespace kiosk::sync::headoffice
