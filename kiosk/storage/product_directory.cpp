// Product search and category listing over the products table.
#include "kiosk/storage/product_directory.hpp"

namespace kiosk::storage {

namespace {

// The first column of every row `sql` returns, as text.
Result<std::vector<std::string>> TextColumn(Database& db, std::string_view sql) {
    auto stmt = db.Prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    std::vector<std::string> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        out.push_back(stmt->Text(0));
    }
    return out;
}

}  // namespace

Result<std::vector<std::string>> SqliteProductDirectory::Categories() {
    return TextColumn(m_db, "SELECT DISTINCT category FROM products ORDER BY category");
}

Result<std::vector<core::flow::ProductSummary>> SqliteProductDirectory::Query(std::string_view sql,
                                                                               std::string_view param, int limit) {
    auto stmt = m_db.Prepare(sql);
    if (!stmt) return std::unexpected(stmt.error());
    stmt->Bind(1, param).Bind(2, std::int64_t{limit});
    std::vector<core::flow::ProductSummary> out;
    for (;;) {
        auto row = stmt->Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto gtin = core::Gtin::Parse(stmt->Text(0));
        if (!gtin) return core::Fail(core::ErrorCode::Corrupt, "stored product GTIN " + stmt->Text(0) + " is invalid");
        out.push_back({*gtin, {stmt->Text(1), stmt->Text(2), stmt->Text(3)}, stmt->Text(4)});
    }
    return out;
}

Result<std::vector<core::flow::ProductSummary>> SqliteProductDirectory::InCategory(std::string_view category,
                                                                                    int limit) {
    return Query("SELECT gtin, name_zh_hans, name_zh_hant, name_en, category FROM products WHERE category = ?1 "
                 "ORDER BY name_en LIMIT ?2",
                 category, limit);
}

Result<std::vector<core::flow::ProductSummary>> SqliteProductDirectory::Search(std::string_view text, int limit) {
    if (text.empty()) return std::vector<core::flow::ProductSummary>{};
    // instr() rather than LIKE: the customer's text may hold % or _, which must match literally.
    return Query("SELECT gtin, name_zh_hans, name_zh_hant, name_en, category FROM products "
                 "WHERE instr(lower(name_en), lower(?1)) > 0 OR instr(name_zh_hans, ?1) > 0 "
                 "OR instr(name_zh_hant, ?1) > 0 OR instr(lower(sku), lower(?1)) > 0 ORDER BY name_en LIMIT ?2",
                 text, limit);
}

}  // namespace kiosk::storage
