// A small blocking HTTP client over libcurl: the kiosk's requests to head office, and head office's
// webhook deliveries.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "kiosk/core/error.hpp"
#include "sync/protocol.hpp"

namespace kiosk::sync {

struct HttpResponse {
    int status = 0;
    std::string body;  // as received; decoded by the caller according to contentEncoding
    std::string contentEncoding;
    std::string retryAfter;
};

struct HttpTimeouts {
    std::chrono::milliseconds connect{10'000};
    std::chrono::milliseconds total{60'000};
};

// Sends one request. Any HTTP status is a successful call; fails with Unavailable when head office
// cannot be reached or the connection breaks (the message says which, from libcurl).
core::Result<HttpResponse> SendHttp(std::string_view method, std::string_view url, const Headers& headers,
                                    std::string_view body, const HttpTimeouts& timeouts = {});

}  // namespace kiosk::sync
