// Search and browse over the local catalog copy, for customers without a barcode to scan.
#pragma once

#include <string>
#include <vector>

#include "kiosk/core/flow/product_directory.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

// On its own connection to the kiosk database (open it with Database::Open on the same file).
class SqliteProductDirectory final : public core::flow::ProductDirectory {
public:
    explicit SqliteProductDirectory(Database db) : m_db(std::move(db)) {}

    Result<std::vector<std::string>> Categories() override;
    Result<std::vector<core::flow::ProductSummary>> InCategory(std::string_view category, int limit) override;
    Result<std::vector<core::flow::ProductSummary>> Search(std::string_view text, int limit) override;

private:
    Result<std::vector<core::flow::ProductSummary>> Query(std::string_view sql, std::string_view param, int limit);

    Database m_db;
};

}  // namespace kiosk::storage
