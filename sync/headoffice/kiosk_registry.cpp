// The kiosk register: adding and revoking kiosks with their one-time enrolment tokens, enrolment
// itself, and the list of kiosks with their progress.
#include "sync/headoffice/ingest_service.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "sync/codec.hpp"
#include "sync/headoffice/ingest_support.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/wire/batch.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

bool ValidCode(std::string_view code) {
    return !code.empty() && code.size() <= 16 &&
           std::all_of(code.begin(), code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

Reply IngestService::HandleEnrol(const Request& request) {
    const std::int64_t now = m_clock();
    auto parsed = ParseEnrolRequest(request.body);
    if (!parsed) return Refuse(400, parsed.error().message, "bad_json");
    if (!wire::IsUuid(parsed->kioskUuid) || parsed->resumeAfterSeq < 0) {
        return Refuse(400, "kiosk_uuid must be a UUID and resume_after_seq not negative", "bad_json");
    }
    auto secret = RandomHex(32);
    if (!secret) return Refuse(503, secret.error().message, "database");
    auto lease = m_pool->Acquire();
    if (!lease) return Refuse(503, "head-office database unavailable: " + lease.error().message, "database");
    SqlSession& db = **lease;
    if (auto ok = db.Begin(); !ok) return Refuse(503, ok.error().message, "database");
    // An answered token stays on the kiosk's row until the kiosk's first signed request (Authenticate):
    // an answer lost on the way is given again to the same kiosk key, never to another one.
    const std::string tokenSha = Sha256Hex(parsed->token);
    auto found = db.Query("SELECT code, revoked, epoch, token_until, secret FROM kiosks WHERE token_sha = $1" + std::string(db.ForUpdate()),
                          {tokenSha});
    if (!found) return Refuse(503, found.error().message, "database");
    if (found->empty()) return Refuse(401, "unknown or already used enrolment token", "bad_token");
    const SqlRow row = found->front();
    if (ToInt(row[3]) < now) return Refuse(401, "the enrolment token has expired: issue a new one with `headoffice kiosk add`", "bad_token");
    auto answered = db.Query("SELECT kiosk_uuid, epoch FROM enrolments WHERE token_sha = $1", {tokenSha});
    if (!answered) return Refuse(503, answered.error().message, "database");
    if (!answered->empty()) {
        const SqlRow& earlier = answered->front();
        if (earlier[0] != parsed->kioskUuid) {
            return Refuse(401, "this enrolment token was used by another kiosk: issue a new one with `headoffice kiosk add`", "bad_token");
        }
        if (ToInt(earlier[1]) != ToInt(row[2])) return Refuse(401, "unknown or already used enrolment token", "bad_token");
        if (auto ok = db.Commit(); !ok) return Refuse(503, ok.error().message, "database");
        Count("kiosk_ingest_enrolments_replayed_total");
        return JsonReply(200, EncodeEnrolReply({row[0], row[4], ToInt(row[2]), now}));
    }
    const std::int64_t epoch = ToInt(row[2]) + 1;
    for (auto [sql, params] :
         {std::pair{std::string("UPDATE kiosks SET secret = $2, epoch = $3, kiosk_uuid = $4, revoked = 0, "
                                "enrolled_at = $5, last_seen = $5 WHERE code = $1"),
                    std::vector<SqlValue>{row[0], *secret, epoch, parsed->kioskUuid, now}},
          std::pair{std::string("INSERT INTO cursors (kiosk, epoch, last_seq) VALUES ($1, $2, $3)"),
                    std::vector<SqlValue>{row[0], epoch, parsed->resumeAfterSeq}},
          std::pair{std::string("INSERT INTO enrolments (token_sha, kiosk, kiosk_uuid, epoch, answered_at) VALUES ($1, $2, $3, $4, $5)"),
                    std::vector<SqlValue>{tokenSha, row[0], parsed->kioskUuid, epoch, now}}}) {
        if (auto ok = db.Query(sql, params); !ok) return Refuse(503, ok.error().message, "database");
    }
    if (auto ok = db.Commit(); !ok) return Refuse(503, ok.error().message, "database");
    Count("kiosk_ingest_enrolments_total");
    return JsonReply(200, EncodeEnrolReply({row[0], *secret, epoch, now}));
}

Result<std::string> IngestService::AddKiosk(std::string_view store, std::string_view kiosk) {
    if (!ValidCode(store) || !ValidCode(kiosk)) {
        return core::Fail(ErrorCode::InvalidInput, "store and kiosk codes are 1-16 letters or digits: got '" + std::string(store) +
                                                       "' and '" + std::string(kiosk) + "'");
    }
    auto token = RandomHex(24);
    if (!token) return std::unexpected(std::move(token.error()));
    const std::int64_t now = m_clock();
    const std::int64_t until = now + std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.enrolTokenLifetime).count();
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    const std::string code = std::string(store) + "-" + std::string(kiosk);
    auto ok = (*lease)->Query("INSERT INTO kiosks (code, store_code, kiosk_code, token_sha, token_until, created_at) "
                              "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO UPDATE SET token_sha = $4, token_until = $5",
                              {code, std::string(store), std::string(kiosk), Sha256Hex(*token), until, now});
    if (!ok) return std::unexpected(std::move(ok.error()));
    return *token;
}

Result<void> IngestService::RevokeKiosk(std::string_view code) {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto rows = (*lease)->Query("UPDATE kiosks SET revoked = 1, token_sha = NULL WHERE code = $1 RETURNING code", {std::string(code)});
    if (!rows) return std::unexpected(std::move(rows.error()));
    if (rows->empty()) return core::Fail(ErrorCode::NotFound, "no kiosk " + std::string(code) + " at head office");
    return {};
}

Result<std::vector<KioskInfo>> IngestService::ListKiosks() {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto rows = (*lease)->Query(
        "SELECT k.code, CASE WHEN k.secret <> '' THEN 1 ELSE 0 END, k.revoked, k.epoch, coalesce(c.last_seq, 0), "
        "coalesce(k.last_seen, 0), k.backlog, (SELECT count(*) FROM records r WHERE r.kiosk = k.code), "
        "(SELECT count(*) FROM dead_letters d WHERE d.kiosk = k.code) "
        "FROM kiosks k LEFT JOIN cursors c ON c.kiosk = k.code AND c.epoch = k.epoch ORDER BY k.code");
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::vector<KioskInfo> out;
    for (const SqlRow& r : *rows) {
        out.push_back({r[0], r[1] == "1", r[2] != "0", ToInt(r[3]), ToInt(r[4]), ToInt(r[5]), ToInt(r[6]), ToInt(r[7]), ToInt(r[8]), {}});
    }
    auto applied = (*lease)->Query("SELECT kiosk, dataset, version FROM kiosk_datasets");
    if (!applied) return std::unexpected(std::move(applied.error()));
    for (const SqlRow& r : *applied) {
        for (KioskInfo& k : out) {
            if (k.code == r[0]) k.datasets[r[1]] = ToInt(r[2]);
        }
    }
    return out;
}

}  // namespace kiosk::sync::headoffice
