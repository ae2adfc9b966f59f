// Where head office hands a customer message for delivery. The gateway interface is what an SMS or
// messaging provider's adapter implements; the webhook gateway posts the message as signed JSON to a
// URL (a provider's own webhook, or a small adapter in front of one).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kiosk::sync::headoffice {

struct OutgoingMessage {
    std::string deliveryId;  // the same on every attempt: the receiver's idempotency key
    std::string ticket;
    std::string message;     // the message id ("ready_for_pickup")
    std::string phone;
    std::string language;    // zh-Hans, zh-Hant, en
    std::string text;
    std::string status;      // the ticket's new status
    std::int64_t eventAtMs = 0;
};

struct DeliveryResult {
    enum class Outcome {
        Delivered,  // the receiver took it
        Retry,      // not taken this time: unreachable, cut off, slow, 5xx, 408, 429
        Refused,    // the receiver said no for good (any other 4xx): retrying would not help
    };
    Outcome outcome = Outcome::Retry;
    std::string detail;  // what happened, for the timeline and the failed list
};

class NotificationGateway {
public:
    virtual ~NotificationGateway() = default;
    virtual DeliveryResult Deliver(const OutgoingMessage& message) = 0;
};

// The JSON body the webhook receives (keys: delivery_id, ticket, message, to, language, text, status,
// event_at).
std::string WebhookBody(const OutgoingMessage& message);
// The signature header's value: "sha256=" and the hex HMAC-SHA256 of "TIMESTAMP.BODY" under the
// shared secret, so the receiver can check the sender and refuse an old request replayed.
std::string WebhookSignature(std::string_view secret, std::int64_t timestampSeconds, std::string_view body);

class WebhookGateway final : public NotificationGateway {
public:
    using ClockSeconds = std::function<std::int64_t()>;
    // POSTs to `url` with headers Idempotency-Key and X-Delivery-Id (the delivery id), X-Timestamp
    // (Unix seconds) and X-Signature.
    WebhookGateway(std::string url, std::string secret, std::chrono::milliseconds timeout, ClockSeconds clock);
    DeliveryResult Deliver(const OutgoingMessage& message) override;

private:
    std::string m_url;
    std::string m_secret;
    std::chrono::milliseconds m_timeout;
    ClockSeconds m_clock;
};

}  // namespace kiosk::sync::headoffice
