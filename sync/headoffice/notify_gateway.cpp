// The webhook gateway: one signed POST per attempt, its answer sorted into delivered, retry or refused.
#include "sync/headoffice/notify_gateway.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "kiosk/core/date.hpp"
#include "sync/codec.hpp"
#include "sync/http_client.hpp"

namespace kiosk::sync::headoffice {

std::string WebhookBody(const OutgoingMessage& m) {
    const core::Timestamp at{std::chrono::seconds{m.eventAtMs / 1000}};
    nlohmann::ordered_json body{{"delivery_id", m.deliveryId}, {"ticket", m.ticket},     {"message", m.message},
                                {"to", m.phone},               {"language", m.language}, {"text", m.text},
                                {"status", m.status},          {"event_at", core::FormatTimestamp(at)}};
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string WebhookSignature(std::string_view secret, std::int64_t timestampSeconds, std::string_view body) {
    return "sha256=" + HmacSha256Hex(secret, std::to_string(timestampSeconds) + "." + std::string(body));
}

WebhookGateway::WebhookGateway(std::string url, std::string secret, std::chrono::milliseconds timeout, ClockSeconds clock)
    : m_url(std::move(url)), m_secret(std::move(secret)), m_timeout(timeout), m_clock(std::move(clock)) {}

DeliveryResult WebhookGateway::Deliver(const OutgoingMessage& message) {
    using Outcome = DeliveryResult::Outcome;
    const std::string body = WebhookBody(message);
    const std::int64_t now = m_clock();
    const Headers headers{{"Content-Type", "application/json"},
                          {"Idempotency-Key", message.deliveryId},
                          {"X-Delivery-Id", message.deliveryId},
                          {"X-Timestamp", std::to_string(now)},
                          {"X-Signature", WebhookSignature(m_secret, now, body)}};
    HttpTimeouts timeouts;
    timeouts.connect = std::min(m_timeout, timeouts.connect);
    timeouts.total = m_timeout;
    auto response = SendHttp("POST", m_url, headers, body, timeouts);
    if (!response) return {Outcome::Retry, response.error().message};
    const int status = response->status;
    // The receiver's words, as plain ASCII (they go into the database and the dashboard as they are).
    std::string answer;
    for (char c : response->body) {
        if (answer.size() >= 200) break;
        answer.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    }
    const std::string detail = "HTTP " + std::to_string(status) + (answer.empty() ? "" : ": " + answer);
    if (status >= 200 && status < 300) return {Outcome::Delivered, detail};
    if (status >= 400 && status < 500 && status != 408 && status != 429) return {Outcome::Refused, detail};
    return {Outcome::Retry, detail};
}

}  // namespace kiosk::sync::headoffice
