// The local copy of the catalog, sales and staff: upserting imports and the lookups the kiosk makes.
#include "kiosk/storage/kiosk_store.hpp"

#include <set>

#include "kiosk/storage/ticket_log.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::storage {

using core::ErrorCode;
using Json = nlohmann::json;

namespace {

core::Error BadRecord(std::string_view kind, std::string_view key, std::string message) {
    return core::Error{ErrorCode::InvalidInput, std::string(kind) + " " + std::string(key) + ": " + std::move(message)};
}

// A database error while writing a record, with the record named so the import file can be fixed.
core::Error InRecord(core::Error error, std::string_view kind, std::string_view key) {
    error.message = std::string(kind) + " " + std::string(key) + ": " + error.message;
    return error;
}

Result<core::Gtin> StoredGtin(const std::string& text, std::string_view where) {
    auto gtin = core::Gtin::Parse(text);
    if (!gtin) return core::Fail(ErrorCode::Corrupt, std::string(where) + ": " + gtin.error().message);
    return gtin;
}

// Whether a row with this key exists, to count inserts apart from updates.
Result<bool> Exists(Database& db, std::string_view sql, std::string_view key) {
    auto stmt = db.Cached(sql);
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, key);
    return stmt->Step();
}

Result<void> Count(Database& db, ImportCounts& counts, std::string_view existsSql, std::string_view key) {
    auto exists = Exists(db, existsSql, key);
    if (!exists) return std::unexpected(std::move(exists.error()));
    ++(*exists ? counts.updated : counts.inserted);
    return {};
}

Result<std::string> ImportSummary(std::string_view kind, const ImportCounts& counts) {
    return wire::DumpJson(Json{{"records", kind}, {"inserted", counts.inserted}, {"updated", counts.updated}});
}

Result<std::optional<core::Staff>> ReadStaff(Statement& stmt) {
    auto row = stmt.Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return std::optional<core::Staff>{};
    auto role = core::ParseRole(stmt.Text(2));
    if (!role) {
        return core::Fail(ErrorCode::Corrupt, "staff " + stmt.Text(0) + ": stored role '" + stmt.Text(2) +
                                                  "' is not valid");
    }
    return std::optional<core::Staff>{core::Staff{stmt.Text(0), stmt.Text(1), *role, stmt.Text(3), stmt.Int(4) != 0}};
}

// The sale with this order number, lines in order.
Result<std::optional<core::Sale>> ReadSale(Database& db, std::string_view orderNumber) {
    auto head = db.Cached("SELECT order_number, store_code, sold_on, customer_phone FROM sales WHERE order_number = ?1");
    if (!head) return std::unexpected(std::move(head.error()));
    head->Bind(1, orderNumber);
    auto found = head->Step();
    if (!found) return std::unexpected(std::move(found.error()));
    if (!*found) return std::optional<core::Sale>{};
    core::Sale sale;
    sale.orderNumber = head->Text(0);
    sale.storeCode = head->Text(1);
    auto soldOn = core::ParseDate(head->Text(2));
    if (!soldOn) return core::Fail(ErrorCode::Corrupt, "sale " + sale.orderNumber + ": " + soldOn.error().message);
    sale.soldOn = *soldOn;
    sale.customerPhone = head->Text(3);

    auto lines = db.Cached("SELECT gtin, serial, price FROM sale_lines WHERE order_number = ?1 ORDER BY line_no");
    if (!lines) return std::unexpected(std::move(lines.error()));
    lines->Bind(1, orderNumber);
    for (;;) {
        auto row = lines->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        auto gtin = StoredGtin(lines->Text(0), "sale " + sale.orderNumber);
        if (!gtin) return std::unexpected(std::move(gtin.error()));
        sale.lines.push_back(core::SaleLine{std::move(*gtin), lines->Text(1), lines->Int(2)});
    }
    return std::optional<core::Sale>{std::move(sale)};
}

Result<void> ValidateProduct(const core::Product& product) {
    const std::string& key = product.gtin.Digits14();
    if (product.price < 0) return std::unexpected(BadRecord("product", key, "price is negative"));
    std::set<std::string> ids;
    for (const core::Component& component : product.components) {
        if (component.id.empty()) return std::unexpected(BadRecord("product", key, "a component has no id"));
        if (component.warrantyMonths <= 0) {
            return std::unexpected(BadRecord("product", key, "component " + component.id + " has no warranty period"));
        }
        if (!ids.insert(component.id).second) {
            return std::unexpected(BadRecord("product", key, "component " + component.id + " is listed twice"));
        }
    }
    return {};
}

// The sale as it will be stored: the phone number normalised.
Result<core::Sale> ValidatedSale(const core::Sale& sale) {
    if (sale.orderNumber.empty()) return core::Fail(ErrorCode::InvalidInput, "a sale has no order number");
    if (!sale.soldOn.ok()) return std::unexpected(BadRecord("sale", sale.orderNumber, "the sale date is not a date"));
    core::Sale out = sale;
    if (!sale.customerPhone.empty()) {
        auto phone = core::NormalizePhone(sale.customerPhone);
        if (!phone) return std::unexpected(BadRecord("sale", sale.orderNumber, phone.error().message));
        out.customerPhone = std::move(*phone);
    }
    for (const core::SaleLine& line : sale.lines) {
        if (line.price < 0) return std::unexpected(BadRecord("sale", sale.orderNumber, "a line price is negative"));
    }
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Lookups

Result<std::optional<core::Product>> KioskStore::FindProduct(const core::Gtin& gtin) {
    auto stmt = m_db.Cached(
        "SELECT sku, name_zh_hans, name_zh_hant, name_en, category, price, policy_id, serial_required "
        "FROM products WHERE gtin = ?1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, gtin.Digits14());
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return std::optional<core::Product>{};
    core::Product product{gtin,
                          stmt->Text(0),
                          core::LocalizedText{stmt->Text(1), stmt->Text(2), stmt->Text(3)},
                          stmt->Text(4),
                          stmt->Int(5),
                          stmt->Text(6),
                          stmt->Int(7) != 0,
                          {}};

    auto components = m_db.Cached("SELECT component, months FROM product_components WHERE gtin = ?1 ORDER BY position");
    if (!components) return std::unexpected(std::move(components.error()));
    components->Bind(1, gtin.Digits14());
    for (;;) {
        auto next = components->Step();
        if (!next) return std::unexpected(std::move(next.error()));
        if (!*next) break;
        product.components.push_back(core::Component{components->Text(0), static_cast<int>(components->Int(1))});
    }
    return std::optional<core::Product>{std::move(product)};
}

Result<std::optional<core::Sale>> KioskStore::FindSale(std::string_view orderNumber) {
    return ReadSale(m_db, orderNumber);
}

Result<std::optional<core::Sale>> KioskStore::FindSaleBySerial(std::string_view serial) {
    if (serial.empty()) return std::optional<core::Sale>{};
    std::string orderNumber;
    {
        // The partial index on serial covers only non-empty serials, so the query repeats that condition.
        auto stmt = m_db.Cached(
            "SELECT s.order_number FROM sale_lines l JOIN sales s ON s.order_number = l.order_number "
            "WHERE l.serial = ?1 AND l.serial <> '' ORDER BY s.sold_on DESC, s.order_number DESC LIMIT 1");
        if (!stmt) return std::unexpected(std::move(stmt.error()));
        stmt->Bind(1, serial);
        auto row = stmt->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) return std::optional<core::Sale>{};
        orderNumber = stmt->Text(0);
    }
    return ReadSale(m_db, orderNumber);
}

Result<core::CustomerHistory> KioskStore::HistoryOf(std::string_view phone) {
    auto normalized = core::NormalizePhone(phone);
    if (!normalized) return core::CustomerHistory{};
    // Orders through the partial index on phone (hence the repeated <> ''), then each order's lines by
    // primary key: a customer's history costs a few index probes, not a scan of a year of sales.
    auto stmt = m_db.Cached(
        "SELECT count(*), coalesce(sum((SELECT sum(l.price) FROM sale_lines l WHERE l.order_number = s.order_number)), "
        "0) FROM sales s WHERE s.customer_phone = ?1 AND s.customer_phone <> ''");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, *normalized);
    auto row = stmt->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return core::CustomerHistory{};
    return core::CustomerHistory{static_cast<int>(stmt->Int(0)), stmt->Int(1)};
}

Result<std::optional<core::Staff>> KioskStore::FindStaff(std::string_view staffNo) {
    auto stmt = m_db.Cached("SELECT staff_no, name, role, coalesce(badge, ''), active FROM staff WHERE staff_no = ?1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, staffNo);
    return ReadStaff(*stmt);
}

Result<std::optional<core::Staff>> KioskStore::FindStaffByBadge(std::string_view badge) {
    if (badge.empty()) return std::optional<core::Staff>{};
    auto stmt = m_db.Cached("SELECT staff_no, name, role, coalesce(badge, ''), active FROM staff WHERE badge = ?1");
    if (!stmt) return std::unexpected(std::move(stmt.error()));
    stmt->Bind(1, badge);
    return ReadStaff(*stmt);
}

Result<std::int64_t> KioskStore::CountProducts() { return m_db.QueryInt("SELECT count(*) FROM products"); }

Result<std::int64_t> KioskStore::CountSales() { return m_db.QueryInt("SELECT count(*) FROM sales"); }

// ---------------------------------------------------------------------------------------------------
// Imports

Result<ImportCounts> KioskStore::ImportProducts(std::span<const core::Product> products, const core::Actor& actor,
                                                core::Timestamp now) {
    std::set<std::string> keys;
    for (const core::Product& product : products) {
        if (auto ok = ValidateProduct(product); !ok) return std::unexpected(std::move(ok.error()));
        if (!keys.insert(product.gtin.Digits14()).second) {
            return std::unexpected(BadRecord("product", product.gtin.Digits14(), "appears twice in the import"));
        }
    }
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    ImportCounts counts;
    for (const core::Product& product : products) {
        const std::string& gtin = product.gtin.Digits14();
        if (auto ok = Count(m_db, counts, "SELECT 1 FROM products WHERE gtin = ?1", gtin); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        auto upsert = m_db.Cached(
            "INSERT INTO products (gtin, sku, name_zh_hans, name_zh_hant, name_en, category, price, policy_id, "
            "serial_required) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (gtin) DO UPDATE SET "
            "sku = excluded.sku, name_zh_hans = excluded.name_zh_hans, name_zh_hant = excluded.name_zh_hant, "
            "name_en = excluded.name_en, category = excluded.category, price = excluded.price, "
            "policy_id = excluded.policy_id, serial_required = excluded.serial_required");
        if (!upsert) return std::unexpected(std::move(upsert.error()));
        upsert->Bind(1, gtin)
            .Bind(2, product.sku)
            .Bind(3, product.name.zhHans)
            .Bind(4, product.name.zhHant)
            .Bind(5, product.name.en)
            .Bind(6, product.category)
            .Bind(7, product.price)
            .Bind(8, product.policyId)
            .Bind(9, std::int64_t{product.serialRequired ? 1 : 0});
        if (auto ok = upsert->Run(); !ok) return std::unexpected(InRecord(std::move(ok.error()), "product", gtin));

        auto clear = m_db.Cached("DELETE FROM product_components WHERE gtin = ?1");
        if (!clear) return std::unexpected(std::move(clear.error()));
        clear->Bind(1, gtin);
        if (auto ok = clear->Run(); !ok) return std::unexpected(std::move(ok.error()));
        std::int64_t position = 0;
        for (const core::Component& component : product.components) {
            auto insert =
                m_db.Cached("INSERT INTO product_components (gtin, position, component, months) VALUES (?1, ?2, ?3, ?4)");
            if (!insert) return std::unexpected(std::move(insert.error()));
            insert->Bind(1, gtin).Bind(2, position++).Bind(3, component.id).Bind(4, std::int64_t{component.warrantyMonths});
            if (auto ok = insert->Run(); !ok) return std::unexpected(InRecord(std::move(ok.error()), "product", gtin));
        }
    }
    auto summary = ImportSummary("products", counts);
    if (!summary) return std::unexpected(std::move(summary.error()));
    if (auto ok = WriteAudit(m_db, {actor, now, "catalog.import", "products", "", std::nullopt, *summary}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return counts;
}


Result<ImportCounts> KioskStore::ImportSales(std::span<const core::Sale> sales, const core::Actor& actor,
                                             core::Timestamp now) {
    std::vector<core::Sale> valid;
    valid.reserve(sales.size());
    std::set<std::string> keys;
    for (const core::Sale& sale : sales) {
        auto checked = ValidatedSale(sale);
        if (!checked) return std::unexpected(std::move(checked.error()));
        if (!keys.insert(sale.orderNumber).second) {
            return std::unexpected(BadRecord("sale", sale.orderNumber, "appears twice in the import"));
        }
        valid.push_back(std::move(*checked));
    }
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    ImportCounts counts;
    for (const core::Sale& sale : valid) {
        if (auto ok = Count(m_db, counts, "SELECT 1 FROM sales WHERE order_number = ?1", sale.orderNumber); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        auto upsert = m_db.Cached(
            "INSERT INTO sales (order_number, store_code, sold_on, customer_phone) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (order_number) DO UPDATE SET store_code = excluded.store_code, sold_on = excluded.sold_on, "
            "customer_phone = excluded.customer_phone");
        if (!upsert) return std::unexpected(std::move(upsert.error()));
        upsert->Bind(1, sale.orderNumber)
            .Bind(2, sale.storeCode)
            .Bind(3, core::FormatDate(sale.soldOn))
            .Bind(4, sale.customerPhone);
        if (auto ok = upsert->Run(); !ok) return std::unexpected(InRecord(std::move(ok.error()), "sale", sale.orderNumber));

        auto clear = m_db.Cached("DELETE FROM sale_lines WHERE order_number = ?1");
        if (!clear) return std::unexpected(std::move(clear.error()));
        clear->Bind(1, sale.orderNumber);
        if (auto ok = clear->Run(); !ok) return std::unexpected(std::move(ok.error()));
        std::int64_t lineNo = 0;
        for (const core::SaleLine& line : sale.lines) {
            auto insert = m_db.Cached(
                "INSERT INTO sale_lines (order_number, line_no, gtin, serial, price) VALUES (?1, ?2, ?3, ?4, ?5)");
            if (!insert) return std::unexpected(std::move(insert.error()));
            insert->Bind(1, sale.orderNumber)
                .Bind(2, ++lineNo)
                .Bind(3, line.gtin.Digits14())
                .Bind(4, line.serial)
                .Bind(5, line.price);
            if (auto ok = insert->Run(); !ok) {
                return std::unexpected(InRecord(std::move(ok.error()), "sale", sale.orderNumber));
            }
        }
    }
    auto summary = ImportSummary("sales", counts);
    if (!summary) return std::unexpected(std::move(summary.error()));
    if (auto ok = WriteAudit(m_db, {actor, now, "catalog.import", "sales", "", std::nullopt, *summary}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return counts;
}

Result<ImportCounts> KioskStore::ImportStaff(std::span<const core::Staff> staff, const core::Actor& actor,
                                             core::Timestamp now) {
    std::set<std::string> keys;
    std::set<std::string> badges;
    for (const core::Staff& member : staff) {
        if (member.staffNo.empty()) return core::Fail(ErrorCode::InvalidInput, "a staff member has no staff number");
        if (!keys.insert(member.staffNo).second) {
            return std::unexpected(BadRecord("staff", member.staffNo, "appears twice in the import"));
        }
        if (!member.badge.empty() && !badges.insert(member.badge).second) {
            return std::unexpected(BadRecord("staff", member.staffNo, "badge " + member.badge +
                                                                          " is given to two people in the import"));
        }
    }
    auto tx = Transaction::Begin(m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    // Badges move between the people in one import (a swap, a reissue): free them all first so the
    // unique index only objects to a badge still held by someone outside the import.
    for (const core::Staff& member : staff) {
        auto release = m_db.Cached("UPDATE staff SET badge = NULL WHERE staff_no = ?1");
        if (!release) return std::unexpected(std::move(release.error()));
        release->Bind(1, member.staffNo);
        if (auto ok = release->Run(); !ok) return std::unexpected(std::move(ok.error()));
    }
    ImportCounts counts;
    for (const core::Staff& member : staff) {
        if (auto ok = Count(m_db, counts, "SELECT 1 FROM staff WHERE staff_no = ?1", member.staffNo); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        auto upsert = m_db.Cached(
            "INSERT INTO staff (staff_no, name, role, badge, active) VALUES (?1, ?2, ?3, ?4, ?5) "
            "ON CONFLICT (staff_no) DO UPDATE SET name = excluded.name, role = excluded.role, "
            "badge = excluded.badge, active = excluded.active");
        if (!upsert) return std::unexpected(std::move(upsert.error()));
        upsert->Bind(1, member.staffNo).Bind(2, member.name).Bind(3, core::ToString(member.role));
        if (member.badge.empty()) {
            upsert->BindNull(4);  // NULLs do not collide in a unique index; empty strings would
        } else {
            upsert->Bind(4, member.badge);
        }
        upsert->Bind(5, std::int64_t{member.active ? 1 : 0});
        if (auto ok = upsert->Run(); !ok) {
            return std::unexpected(InRecord(std::move(ok.error()), "staff", member.staffNo));
        }
    }
    auto summary = ImportSummary("staff", counts);
    if (!summary) return std::unexpected(std::move(summary.error()));
    if (auto ok = WriteAudit(m_db, {actor, now, "staff.import", "staff", "", std::nullopt, *summary}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return counts;
}

}  // namespace kiosk::storage
