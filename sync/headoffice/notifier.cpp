// The notifier's rounds: claim, match, hold through quiet hours, deliver, record.
#include "sync/headoffice/notifier.hpp"

#include <algorithm>
#include <cstdio>

#include "sync/headoffice/notifications.hpp"
#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {
namespace {

using Outcome = DeliveryResult::Outcome;

// The wait before attempt n + 1: firstRetry doubled per attempt made, up to maxRetry.
std::int64_t BackoffMs(const NotifierOptions& options, std::int64_t attemptsMade) {
    std::int64_t wait = options.firstRetry.count();
    for (std::int64_t i = 1; i < attemptsMade && wait < options.maxRetry.count(); ++i) wait *= 2;
    return std::min(wait, std::int64_t{options.maxRetry.count()});
}

}  // namespace

Notifier::Notifier(SessionPool& pool, NotificationGateway& gateway, NotificationTexts texts, NotifierOptions options,
                   ClockMs clock)
    : m_pool(pool), m_gateway(gateway), m_texts(std::move(texts)), m_options(std::move(options)), m_clock(std::move(clock)) {}

Notifier::~Notifier() { Stop(); }

void Notifier::Start() {
    if (m_thread.joinable()) return;
    m_thread = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_stop) {
            lock.unlock();
            if (auto round = RunOnce(); !round) {
                std::fprintf(stderr, "headoffice: notifications: %s; trying again shortly\n", round.error().message.c_str());
            }
            lock.lock();
            m_wake.wait_for(lock, m_options.poll, [this] { return m_stop; });
        }
    });
}

void Notifier::Stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

Result<const core::NotificationPolicy*> Notifier::Policy(SqlSession& db) {
    auto rows = db.Query("SELECT version, document FROM dataset_versions WHERE dataset = 'notifications' ORDER BY version DESC LIMIT 1");
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return &m_texts.fallback;
    const std::int64_t version = ToInt(rows->front()[0]);
    if (version != m_policyVersion) {
        // Published versions were checked with the same parser before they were stored.
        auto parsed = m_texts.parse ? m_texts.parse(rows->front()[1], "published notifications v" + std::to_string(version))
                                    : Result<core::NotificationPolicy>(m_texts.fallback);
        if (!parsed) return std::unexpected(std::move(parsed.error()));
        m_published = std::move(*parsed);
        m_policyVersion = version;
    }
    return &m_published;
}

std::string Notifier::Render(SqlSession& db, const core::NotificationPolicy& policy, const core::NotificationMessage& message,
                             const QueuedNotification& row) {
    const core::Language language = core::ParseLanguage(row.language).value_or(core::Language::ZhHans);
    core::ScriptFields fields{{"ticket_number", row.ticket}, {"note", row.note}, {"store", row.ticket.substr(0, row.ticket.find('-'))}};
    if (auto label = m_texts.statusLabels.find(row.toStatus); label != m_texts.statusLabels.end()) {
        fields["status"] = label->second.In(language);
    } else {
        fields["status"] = row.toStatus;
    }
    if (!policy.rateLink.empty()) fields["rate_link"] = core::RenderScriptText(policy.rateLink, {{"ticket_number", row.ticket}}, "");
    if (!row.gtin.empty()) {
        // A name the catalog does not have leaves {product} out rather than failing the message.
        if (auto product = db.Query("SELECT name_en, name_zh FROM products WHERE gtin = $1", {row.gtin}); product && !product->empty()) {
            fields["product"] = language == core::Language::En ? product->front()[0] : product->front()[1];
        }
    }
    return core::RenderNotification(message, language, fields);
}

Result<NotifierRound> Notifier::RunOnce() {
    auto lease = m_pool.Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    SqlSession& db = **lease;
    const std::int64_t now = m_clock();
    auto claimed = ClaimDue(db, m_options.owner, now, now + m_options.lease.count(), m_options.batch);
    if (!claimed) {
        if (claimed.error().code == core::ErrorCode::Unavailable) lease->Discard();
        return std::unexpected(std::move(claimed.error()));
    }
    NotifierRound round;
    if (claimed->empty()) return round;
    auto policy = Policy(db);
    if (!policy) return std::unexpected(std::move(policy.error()));
    const core::NotificationPolicy& p = **policy;
    for (const QueuedNotification& row : *claimed) {
        const core::NotificationMessage* message = p.For(row.fromStatus, row.toStatus);
        Result<bool> recorded;
        if (message == nullptr) {
            recorded = MarkNotSent(db, row.id, m_options.owner, p.enabled ? "no message for this move" : "notifications are off");
            ++round.notSent;
        } else if (const core::Timestamp t{std::chrono::seconds{m_clock() / 1000}}; p.InQuietHours(t)) {
            const std::int64_t next = std::int64_t{p.NextAllowed(t).time_since_epoch().count()} * 1000;
            recorded = Postpone(db, row.id, m_options.owner, next);
            ++round.postponed;
        } else {
            OutgoingMessage out{row.id, row.ticket, message->id, row.phone, row.language, Render(db, p, *message, row),
                                row.toStatus, row.eventAtMs};
            const DeliveryResult result = m_gateway.Deliver(out);
            const std::int64_t after = m_clock();
            if (result.outcome == Outcome::Delivered) {
                recorded = MarkSent(db, row.id, m_options.owner, message->id, after);
                ++round.delivered;
            } else if (result.outcome == Outcome::Refused || row.attempts + 1 >= m_options.maxAttempts) {
                recorded = MarkFailed(db, row.id, m_options.owner, message->id, result.detail);
                ++round.failed;
            } else {
                recorded = MarkRetry(db, row.id, m_options.owner, message->id, result.detail, after + BackoffMs(m_options, row.attempts + 1));
                ++round.retried;
            }
        }
        if (!recorded) return std::unexpected(std::move(recorded.error()));
    }
    return round;
}

}  // namespace kiosk::sync::headoffice
