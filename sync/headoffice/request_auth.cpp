// Authenticating a kiosk's request: the rate limit, the clock window, the HMAC signature, the one-time
// enrolment token spent by the first signed request, and the nonce that makes each request count once.
#include "sync/headoffice/ingest_service.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "sync/codec.hpp"
#include "sync/headoffice/ingest_support.hpp"
#include "sync/headoffice/stored_values.hpp"

namespace kiosk::sync::headoffice {

bool IngestService::TakeToken(const std::string& kiosk, std::int64_t nowMs) {
    std::lock_guard lock(m_mutex);
    auto [it, fresh] = m_buckets.try_emplace(kiosk, Bucket{m_limits.burst, nowMs});
    Bucket& b = it->second;
    if (!fresh) {
        const double elapsed = static_cast<double>(std::max<std::int64_t>(nowMs - b.updatedMs, 0)) / 1000.0;
        b.tokens = std::min(m_limits.burst, b.tokens + elapsed * m_limits.requestsPerSecond);
        b.updatedMs = nowMs;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

std::expected<IngestService::Authenticated, Reply> IngestService::Authenticate(const Request& request, std::int64_t now) {
    const std::string kiosk = request.header(kHeaderKiosk);
    const std::string timeText = request.header(kHeaderTime);
    const std::string nonce = request.header(kHeaderNonce);
    const std::string signature = request.header(kHeaderSignature);
    if (kiosk.empty() || timeText.empty() || nonce.empty() || signature.empty()) {
        return std::unexpected(Refuse(401, "missing authentication headers (X-Kiosk, X-Kiosk-Time, X-Kiosk-Nonce, X-Kiosk-Signature)",
                                      "unauthenticated"));
    }
    if (!TakeToken(kiosk, now)) {
        Reply reply = Refuse(429, "too many requests from kiosk " + kiosk, "rate_limited");
        reply.headers.emplace_back("Retry-After", "1");
        return std::unexpected(std::move(reply));
    }
    const std::int64_t sentAt = ToInt(timeText);
    const std::int64_t windowMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.clockWindow).count();
    if (sentAt <= 0 || std::abs(now - sentAt) > windowMs) {
        Count("kiosk_ingest_refused_total{reason=\"stale_timestamp\"}");
        return std::unexpected(ErrorJson(401, {"stale timestamp: X-Kiosk-Time " + timeText + " is more than " +
                                                   std::to_string(m_limits.clockWindow.count()) + " s from head office time",
                                               std::nullopt, now}));
    }
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(Refuse(503, "head-office database unavailable: " + lease.error().message, "database"));
    // The token column is returned only while it is the one this epoch was enrolled with: the first
    // signed request under it proves the kiosk has its answer, and spends it.
    auto found = (*lease)->Query("SELECT k.secret, k.revoked, k.epoch, coalesce(e.token_sha, '') FROM kiosks k "
                                 "LEFT JOIN enrolments e ON e.token_sha = k.token_sha AND e.epoch = k.epoch WHERE k.code = $1",
                                 {kiosk});
    if (!found) return std::unexpected(DatabaseDown(found.error(), *lease));
    if (found->empty()) return std::unexpected(Refuse(401, "unknown kiosk " + kiosk, "unknown_kiosk"));
    const SqlRow row = found->front();
    if (row[1] != "0") return std::unexpected(Refuse(403, "kiosk " + kiosk + " is revoked", "revoked"));
    if (row[0].empty()) return std::unexpected(Refuse(401, "kiosk " + kiosk + " is not enrolled", "not_enrolled"));
    const std::string expected =
        HmacSha256Hex(row[0], CanonicalRequest(request.method, request.target, kiosk, sentAt, nonce, request.body));
    if (!ConstantTimeEqual(expected, Lower(signature))) return std::unexpected(Refuse(401, "bad signature", "bad_signature"));
    return Authenticated{std::move(*lease), kiosk, nonce, ToInt(row[2]), row[3]};
}

// Called inside the request's transaction, so the nonce becomes durable with what the request did
// (one commit per request), and with it the spent enrolment token: no write of its own outside the
// transaction, which on SQLite would wait for the write lock a second time. Replays racing each other
// serialise on the nonce's primary key.
std::optional<Reply> IngestService::ClaimNonce(SqlSession& db, const std::string& kiosk, const std::string& nonce,
                                               const std::string& token, std::int64_t now) {
    if (!token.empty()) {
        auto spent = db.Query("UPDATE kiosks SET token_sha = NULL, token_until = NULL WHERE code = $1 AND token_sha = $2",
                              {kiosk, token});
        if (!spent) return Refuse(503, "head-office database unavailable: " + spent.error().message, "database");
    }
    auto fresh = db.Query("INSERT INTO nonces (kiosk, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING nonce",
                          {kiosk, nonce, now});
    if (!fresh) return Refuse(503, "head-office database unavailable: " + fresh.error().message, "database");
    if (fresh->empty()) return Refuse(401, "replayed request (nonce already used)", "replayed");
    if (nonce.back() == '0') {
        // Now and then: nonces older than twice the window can no longer be replayed (the timestamp check refuses them).
        const std::int64_t windowMs = std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.clockWindow).count();
        if (auto pruned = db.Query("DELETE FROM nonces WHERE seen_at < $1", {now - 2 * windowMs}); !pruned) {
            return Refuse(503, "head-office database unavailable: " + pruned.error().message, "database");
        }
    }
    return std::nullopt;
}

}  // namespace kiosk::sync::headoffice
