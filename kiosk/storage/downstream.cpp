// The one-transaction apply of a pull's downstream updates.
#include "kiosk/storage/downstream.hpp"

#include <algorithm>
#include <set>

#include "kiosk/core/customer.hpp"
#include "kiosk/storage/ticket_log.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::storage {
namespace {

using core::ErrorCode;
using Json = nlohmann::json;

core::Error BadItem(std::string_view dataset, std::string_view key, std::string message) {
    return core::Error{ErrorCode::InvalidInput, "downstream " + std::string(dataset) + " item " + std::string(key) + ": " +
                                                    std::move(message)};
}

core::Error InItem(core::Error error, std::string_view dataset, std::string_view key) {
    error.message = "downstream " + std::string(dataset) + " item " + std::string(key) + ": " + error.message;
    return error;
}

// Reads a field; nlohmann's type errors are turned into a message naming the field.
template <class T>
Result<T> Field(const Json& item, const char* name, std::string_view dataset, std::string_view key) {
    try {
        return item.at(name).get<T>();
    } catch (const std::exception&) {
        return std::unexpected(BadItem(dataset, key, std::string("field '") + name + "' is missing or of the wrong type"));
    }
}

Result<std::int64_t> CurrentVersion(Database& db, std::string_view dataset) {
    auto stmt = db.Cached("SELECT version FROM downstream_versions WHERE dataset = ?1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, dataset);
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    return *row ? stmt->Int(0) : 0;
}

Result<void> ApplyProduct(Database& db, const Json& item) {
    const std::string raw = item.is_object() && item.contains("gtin") && item["gtin"].is_string() ? item["gtin"].get<std::string>() : "?";
    auto gtin = core::Gtin::Parse(raw);
    if (!gtin) return std::unexpected(BadItem("catalog", raw, gtin.error().message));
    const std::string& key = gtin->Digits14();
    auto price = Field<std::int64_t>(item, "price", "catalog", key);
    if (!price) return std::unexpected(std::move(price.error()));
    if (*price < 0) return std::unexpected(BadItem("catalog", key, "price is negative"));
    auto serial = Field<bool>(item, "serial_required", "catalog", key);
    if (!serial) return std::unexpected(std::move(serial.error()));
    auto upsert = db.Cached(
        "INSERT INTO products (gtin, sku, name_zh_hans, name_zh_hant, name_en, category, price, policy_id, serial_required) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (gtin) DO UPDATE SET sku = excluded.sku, "
        "name_zh_hans = excluded.name_zh_hans, name_zh_hant = excluded.name_zh_hant, name_en = excluded.name_en, "
        "category = excluded.category, price = excluded.price, policy_id = excluded.policy_id, "
        "serial_required = excluded.serial_required");
    if (!upsert) return std::unexpected(std::move(upsert.error()));
    upsert->Bind(1, key);
    int index = 2;
    for (const char* name : {"sku", "name_zh_hans", "name_zh_hant", "name_en", "category"}) {
        auto text = Field<std::string>(item, name, "catalog", key);
        if (!text) return std::unexpected(std::move(text.error()));
        upsert->Bind(index++, *text);
    }
    auto policy = Field<std::string>(item, "policy_id", "catalog", key);
    if (!policy) return std::unexpected(std::move(policy.error()));
    upsert->Bind(7, *price).Bind(8, *policy).Bind(9, std::int64_t{*serial ? 1 : 0});
    if (auto ok = upsert->Run(); !ok) return std::unexpected(InItem(std::move(ok.error()), "catalog", key));
    auto clear = db.Cached("DELETE FROM product_components WHERE gtin = ?1");
    if (!clear) return std::unexpected(std::move(clear.error()));
    clear->Bind(1, key);
    if (auto ok = clear->Run(); !ok) return ok;
    auto components = Field<Json>(item, "components", "catalog", key);
    if (!components) return std::unexpected(std::move(components.error()));
    std::int64_t position = 0;
    for (const Json& c : *components) {
        auto id = Field<std::string>(c, "id", "catalog", key);
        auto months = Field<std::int64_t>(c, "months", "catalog", key);
        if (!id) return std::unexpected(std::move(id.error()));
        if (!months) return std::unexpected(std::move(months.error()));
        if (id->empty() || *months <= 0) return std::unexpected(BadItem("catalog", key, "a component needs an id and a period"));
        auto insert = db.Cached("INSERT INTO product_components (gtin, position, component, months) VALUES (?1, ?2, ?3, ?4)");
        if (!insert) return std::unexpected(std::move(insert.error()));
        insert->Bind(1, key).Bind(2, position++).Bind(3, *id).Bind(4, *months);
        if (auto ok = insert->Run(); !ok) return std::unexpected(InItem(std::move(ok.error()), "catalog", key));
    }
    return {};
}

Result<void> ApplySale(Database& db, const Json& item) {
    auto order = Field<std::string>(item, "order_number", "sales", "?");
    if (!order) return std::unexpected(std::move(order.error()));
    if (order->empty()) return std::unexpected(BadItem("sales", "?", "order_number is empty"));
    const std::string& key = *order;
    auto store = Field<std::string>(item, "store_code", "sales", key);
    auto soldText = Field<std::string>(item, "sold_on", "sales", key);
    auto phoneText = Field<std::string>(item, "customer_phone", "sales", key);
    auto lines = Field<Json>(item, "lines", "sales", key);
    for (auto* r : {&store, &soldText, &phoneText}) {
        if (!*r) return std::unexpected(std::move(r->error()));
    }
    if (!lines) return std::unexpected(std::move(lines.error()));
    auto soldOn = core::ParseDate(*soldText);
    if (!soldOn) return std::unexpected(BadItem("sales", key, soldOn.error().message));
    std::string phone = *phoneText;
    if (!phone.empty()) {
        auto normal = core::NormalizePhone(phone);
        if (!normal) return std::unexpected(BadItem("sales", key, normal.error().message));
        phone = std::move(*normal);
    }
    auto upsert = db.Cached(
        "INSERT INTO sales (order_number, store_code, sold_on, customer_phone) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (order_number) DO UPDATE SET store_code = excluded.store_code, sold_on = excluded.sold_on, "
        "customer_phone = excluded.customer_phone");
    if (!upsert) return std::unexpected(std::move(upsert.error()));
    upsert->Bind(1, key).Bind(2, *store).Bind(3, core::FormatDate(*soldOn)).Bind(4, phone);
    if (auto ok = upsert->Run(); !ok) return std::unexpected(InItem(std::move(ok.error()), "sales", key));
    auto clear = db.Cached("DELETE FROM sale_lines WHERE order_number = ?1");
    if (!clear) return std::unexpected(std::move(clear.error()));
    clear->Bind(1, key);
    if (auto ok = clear->Run(); !ok) return ok;
    std::int64_t lineNo = 0;
    for (const Json& line : *lines) {
        auto gtinText = Field<std::string>(line, "gtin", "sales", key);
        auto serialText = Field<std::string>(line, "serial", "sales", key);
        auto price = Field<std::int64_t>(line, "price", "sales", key);
        if (!gtinText) return std::unexpected(std::move(gtinText.error()));
        if (!serialText) return std::unexpected(std::move(serialText.error()));
        if (!price) return std::unexpected(std::move(price.error()));
        auto gtin = core::Gtin::Parse(*gtinText);
        if (!gtin) return std::unexpected(BadItem("sales", key, gtin.error().message));
        if (*price < 0) return std::unexpected(BadItem("sales", key, "a line price is negative"));
        auto insert = db.Cached("INSERT INTO sale_lines (order_number, line_no, gtin, serial, price) VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!insert) return std::unexpected(std::move(insert.error()));
        insert->Bind(1, key).Bind(2, ++lineNo).Bind(3, gtin->Digits14()).Bind(4, *serialText).Bind(5, *price);
        if (auto ok = insert->Run(); !ok) return std::unexpected(InItem(std::move(ok.error()), "sales", key));
    }
    return {};
}

Result<void> ApplyStaff(Database& db, const Json& item) {
    auto staffNo = Field<std::string>(item, "staff_no", "staff", "?");
    if (!staffNo) return std::unexpected(std::move(staffNo.error()));
    if (staffNo->empty()) return std::unexpected(BadItem("staff", "?", "staff_no is empty"));
    const std::string& key = *staffNo;
    auto name = Field<std::string>(item, "name", "staff", key);
    auto roleText = Field<std::string>(item, "role", "staff", key);
    auto badge = Field<std::string>(item, "badge", "staff", key);
    auto active = Field<bool>(item, "active", "staff", key);
    for (auto* r : {&name, &roleText, &badge}) {
        if (!*r) return std::unexpected(std::move(r->error()));
    }
    if (!active) return std::unexpected(std::move(active.error()));
    const auto role = core::ParseRole(*roleText);
    if (!role || *role == core::Role::Customer || *role == core::Role::System) {
        return std::unexpected(BadItem("staff", key, "role '" + *roleText + "' is not clerk, technician or supervisor"));
    }
    auto upsert = db.Cached(
        "INSERT INTO staff (staff_no, name, role, badge, active) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (staff_no) DO UPDATE "
        "SET name = excluded.name, role = excluded.role, badge = excluded.badge, active = excluded.active");
    if (!upsert) return std::unexpected(std::move(upsert.error()));
    upsert->Bind(1, key).Bind(2, *name).Bind(3, *roleText).Bind(5, std::int64_t{*active ? 1 : 0});
    if (badge->empty()) {
        upsert->BindNull(4);  // NULLs do not collide in the unique index; empty strings would
    } else {
        upsert->Bind(4, *badge);
    }
    if (auto ok = upsert->Run(); !ok) return std::unexpected(InItem(std::move(ok.error()), "staff", key));
    return {};
}

// Keys listed by a snapshot; whatever else is stored is removed (catalog) or deactivated (staff).
Result<void> DropUnlisted(Database& db, std::string_view dataset, const std::set<std::string>& listed) {
    const bool catalog = dataset == "catalog";
    auto existing = db.Prepare(catalog ? "SELECT gtin FROM products" : "SELECT staff_no FROM staff");
    if (!existing) return std::unexpected(std::move(existing.error()));
    std::vector<std::string> gone;
    for (;;) {
        auto row = existing->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        if (!listed.contains(existing->Text(0))) gone.push_back(existing->Text(0));
    }
    for (const std::string& key : gone) {
        auto stmt = db.Cached(catalog ? "DELETE FROM products WHERE gtin = ?1"
                                      : "UPDATE staff SET active = 0, badge = NULL WHERE staff_no = ?1");
        if (!stmt) return std::unexpected(std::move(stmt.error()));
        stmt->Bind(1, key);
        if (auto ok = stmt->Run(); !ok) return ok;
    }
    return {};
}

Result<void> ApplyRows(Database& db, const wire::DatasetUpdate& update) {
    auto items = wire::ParseStoredJson(update.items, "downstream " + update.dataset + " items");
    if (!items) return core::Fail(ErrorCode::InvalidInput, items.error().message);
    if (!items->is_array()) return core::Fail(ErrorCode::InvalidInput, "downstream " + update.dataset + " items are not an array");
    const std::string key(wire::DatasetKey(update.dataset));
    if (update.dataset == "staff") {
        // Badges move between people in one update (a swap, a reissue): free them first so the unique
        // index only objects to a badge still held by someone the update does not mention.
        for (const Json& item : *items) {
            if (!item.is_object() || !item.contains(key) || !item[key].is_string()) continue;
            auto release = db.Cached("UPDATE staff SET badge = NULL WHERE staff_no = ?1");
            if (!release) return std::unexpected(std::move(release.error()));
            release->Bind(1, item[key].get<std::string>());
            if (auto ok = release->Run(); !ok) return ok;
        }
    }
    std::set<std::string> listed;
    for (const Json& item : *items) {
        if (!item.is_object()) return core::Fail(ErrorCode::InvalidInput, "downstream " + update.dataset + ": an item is not an object");
        Result<void> ok = update.dataset == "catalog" ? ApplyProduct(db, item)
                          : update.dataset == "sales" ? ApplySale(db, item)
                                                      : ApplyStaff(db, item);
        if (!ok) return ok;
        if (item.contains(key) && item[key].is_string()) {
            std::string k = item[key].get<std::string>();
            if (update.dataset == "catalog") {
                if (auto gtin = core::Gtin::Parse(k)) k = gtin->Digits14();
            }
            listed.insert(std::move(k));
        }
    }
    if (update.snapshot && update.dataset != "sales") return DropUnlisted(db, update.dataset, listed);
    return {};
}

}  // namespace

Result<void> ApplyDownstream(Database& db, std::span<const wire::DatasetUpdate> updates, core::Timestamp now) {
    auto tx = Transaction::Begin(db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    for (const wire::DatasetUpdate& update : updates) {
        if (!wire::IsDataset(update.dataset)) return core::Fail(ErrorCode::InvalidInput, "unknown downstream data set '" + update.dataset + "'");
        auto current = CurrentVersion(db, update.dataset);
        if (!current) return std::unexpected(std::move(current.error()));
        if (!update.snapshot && update.fromVersion != *current) {
            return core::Fail(ErrorCode::Conflict, "downstream " + update.dataset + ": the update starts at version " +
                                                       std::to_string(update.fromVersion) + " but this kiosk has version " +
                                                       std::to_string(*current));
        }
        if (!wire::IsDocumentDataset(update.dataset)) {
            if (auto ok = ApplyRows(db, update); !ok) return ok;
        }
        auto record = db.Cached(
            "INSERT INTO downstream_versions (dataset, version, applied_at, document) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (dataset) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at, "
            "document = excluded.document");
        if (!record) return std::unexpected(std::move(record.error()));
        record->Bind(1, update.dataset).Bind(2, update.toVersion).Bind(3, core::FormatTimestamp(now));
        record->BindOptional(4, wire::IsDocumentDataset(update.dataset) ? std::optional<std::string>{update.document} : std::nullopt);
        if (auto ok = record->Run(); !ok) return ok;
        auto summary = wire::DumpJson(Json{{"from", *current}, {"to", update.toVersion}, {"snapshot", update.snapshot}});
        if (!summary) return std::unexpected(std::move(summary.error()));
        const std::string version = std::to_string(update.toVersion);
        if (auto ok = WriteAudit(db, {core::Actor{core::Role::System, "headoffice"}, now, "downstream.apply", update.dataset,
                                      version, std::nullopt, *summary});
            !ok) {
            return ok;
        }
    }
    return tx->Commit();
}

Result<std::vector<AppliedDataset>> AppliedDatasets(Database& db) {
    auto stmt = db.Prepare("SELECT dataset, version, applied_at FROM downstream_versions ORDER BY dataset");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    std::vector<AppliedDataset> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        out.push_back({stmt->Text(0), stmt->Int(1), stmt->Text(2)});
    }
    return out;
}

Result<std::optional<std::string>> DownstreamDocument(Database& db, std::string_view dataset) {
    auto stmt = db.Cached("SELECT document FROM downstream_versions WHERE dataset = ?1 AND document IS NOT NULL");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, dataset);
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>{stmt->Text(0)};
}

}  // namespace kiosk::storage
