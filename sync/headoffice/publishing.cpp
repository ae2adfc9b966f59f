// Publishing downstream data: storing each new version of a data set, and answering a kiosk's pull
// with a snapshot or the merged delta since the version it has.
#include "sync/headoffice/ingest_service.hpp"

#include <nlohmann/json.hpp>

#include <map>

#include "sync/headoffice/ingest_support.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/wire/datasets.hpp"

namespace kiosk::sync::headoffice {
namespace {

using Json = nlohmann::json;
using core::ErrorCode;

// Folds versions (oldest first) into one items array: a later version's item replaces an earlier one
// with the same key, in the position the key first appeared.
Result<std::string> MergeItems(std::string_view dataset, const std::vector<SqlRow>& versions) {
    Json merged = Json::array();
    std::map<std::string, std::size_t> where;
    for (const SqlRow& row : versions) {
        auto items = wire::KeyedItems(dataset, row[0]);
        if (!items) return std::unexpected(std::move(items.error()));
        for (auto& [key, item] : *items) {
            if (auto found = where.find(key); found != where.end()) {
                merged[found->second] = std::move(item);
            } else {
                where.emplace(key, merged.size());
                merged.push_back(std::move(item));
            }
        }
    }
    return merged.dump();
}

}  // namespace

Reply IngestService::HandleDownstream(const Request& request) {
    const std::int64_t now = m_clock();
    Count("kiosk_downstream_requests_total");
    if (request.body.size() > m_limits.maxBodyBytes) return Refuse(413, "body too large", "too_large");
    auto auth = Authenticate(request, now);
    if (!auth) return std::move(auth.error());
    auto& lease = auth->lease;
    SqlSession& db = *lease;
    auto parsed = ParseDownstreamRequest(request.body);
    if (!parsed) return Refuse(400, parsed.error().message, "bad_json");
    if (parsed->kiosk != auth->kiosk) return Refuse(400, "kiosk in the body does not match X-Kiosk", "bad_json");
    for (const auto& [dataset, version] : parsed->have) {
        if (!wire::IsDataset(dataset) || version < 0) {
            return Refuse(400, "have: unknown data set '" + dataset + "' or a negative version", "bad_json");
        }
    }
    const auto databaseDown = [&](const core::Error& error) { return DatabaseDown(error, lease); };
    if (auto ok = db.Begin(); !ok) return databaseDown(ok.error());
    if (auto refused = ClaimNonce(db, auth->kiosk, auth->nonce, auth->token, now)) return std::move(*refused);
    if (parsed->status) {
        if (auto ok = StoreKioskStatus(db, auth->kiosk, *parsed->status, now); !ok) return databaseDown(ok.error());
        auto seen = db.Query("UPDATE kiosks SET last_seen = $2, backlog = $3 WHERE code = $1",
                             {auth->kiosk, now, parsed->status->backlog});
        if (!seen) return databaseDown(seen.error());
    }
    DownstreamReply reply;
    reply.serverTimeMs = now;
    for (std::string_view name : wire::kDatasets) {
        const std::string dataset(name);
        const std::int64_t have = parsed->have.contains(dataset) ? parsed->have.at(dataset) : 0;
        if (have > 0) {
            auto ok = db.Query("INSERT INTO kiosk_datasets (kiosk, dataset, version, reported_at) VALUES ($1, $2, $3, $4) "
                               "ON CONFLICT (kiosk, dataset) DO UPDATE SET version = excluded.version, reported_at = excluded.reported_at",
                               {auth->kiosk, dataset, have, now});
            if (!ok) return databaseDown(ok.error());
        }
        auto latest = db.Query("SELECT coalesce(max(version), 0) FROM dataset_versions WHERE dataset = $1", {dataset});
        if (!latest) return databaseDown(latest.error());
        const std::int64_t current = ToInt(latest->front()[0]);
        if (current == 0 || have == current) continue;
        // Ahead of head office (its database was restored from a backup) or too far behind: the whole
        // data set. Its version is head office's, so the next pull is a plain delta again.
        wire::DatasetUpdate update{dataset, false, have, current, {}, {}};
        update.snapshot = wire::IsDocumentDataset(dataset) || have == 0 || have > current || current - have > kMaxDeltaVersions;
        if (update.snapshot) update.fromVersion = 0;
        if (wire::IsDocumentDataset(dataset)) {
            auto doc = db.Query("SELECT document FROM dataset_versions WHERE dataset = $1 AND version = $2", {dataset, current});
            if (!doc) return databaseDown(doc.error());
            update.document = doc->front()[0];
        } else {
            auto versions = db.Query("SELECT items FROM dataset_versions WHERE dataset = $1 AND version > $2 ORDER BY version",
                                     {dataset, update.fromVersion});
            if (!versions) return databaseDown(versions.error());
            auto merged = MergeItems(dataset, *versions);
            if (!merged) return Refuse(500, merged.error().message, "bad_dataset");
            update.items = std::move(*merged);
        }
        Count("kiosk_downstream_updates_total{mode=\"" + std::string(update.snapshot ? "snapshot" : "delta") + "\"}");
        reply.updates.push_back(std::move(update));
    }
    if (auto ok = db.Commit(); !ok) return databaseDown(ok.error());
    auto body = EncodeDownstreamReply(reply);
    if (!body) return Refuse(500, body.error().message, "bad_dataset");
    return JsonReply(200, std::move(*body));
}

Result<std::int64_t> IngestService::Publish(std::string_view dataset, std::string_view content, std::string_view source) {
    if (!wire::IsDataset(dataset)) {
        return core::Fail(ErrorCode::InvalidInput, "unknown data set '" + std::string(dataset) + "' (catalog, policy, sla, calendar, faq, scripts, notifications, staff or sales)");
    }
    const bool document = wire::IsDocumentDataset(dataset);
    if (!document) {
        if (auto items = wire::KeyedItems(dataset, content); !items) return std::unexpected(std::move(items.error()));
    }
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    SqlSession& db = **lease;
    if (auto ok = db.Begin(); !ok) return std::unexpected(std::move(ok.error()));
    auto latest = db.Query("SELECT coalesce(max(version), 0) FROM dataset_versions WHERE dataset = $1", {std::string(dataset)});
    if (!latest) return std::unexpected(std::move(latest.error()));
    const std::int64_t version = ToInt(latest->front()[0]) + 1;
    auto ok = db.Query("INSERT INTO dataset_versions (dataset, version, items, document, source, published_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6)",
                       {std::string(dataset), version, document ? std::string() : std::string(content),
                        document ? std::string(content) : std::string(), std::string(source), m_clock()});
    if (ok && dataset == "catalog") {
        if (auto stored = StoreProducts(db, content); !stored) return std::unexpected(std::move(stored.error()));
    }
    if (!ok) {
        if (ok.error().code == ErrorCode::Conflict) {
            return core::Fail(ErrorCode::Conflict, "another publish of " + std::string(dataset) + " committed first: publish again");
        }
        return std::unexpected(std::move(ok.error()));
    }
    if (auto committed = db.Commit(); !committed) return std::unexpected(std::move(committed.error()));
    return version;
}

Result<std::map<std::string, std::int64_t>> IngestService::CurrentVersions() {
    auto lease = m_pool->Acquire();
    if (!lease) return std::unexpected(std::move(lease.error()));
    auto rows = (*lease)->Query("SELECT dataset, max(version) FROM dataset_versions GROUP BY dataset");
    if (!rows) return std::unexpected(std::move(rows.error()));
    std::map<std::string, std::int64_t> out;
    for (const SqlRow& r : *rows) out[r[0]] = ToInt(r[1]);
    return out;
}

}  // namespace kiosk::sync::headoffice
