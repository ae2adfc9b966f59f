// Catalog, sales and staff CSV files: every line checked, every problem reported, nothing partial.
#include "kiosk/importer/csv_import.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "kiosk/core/customer.hpp"
#include "kiosk/core/ticket.hpp"
#include "kiosk/importer/csv_reader.hpp"

namespace kiosk::importer {
namespace {

using core::ErrorCode;
using core::Result;

// Collects "SOURCE:LINE: what" for every bad line, keeping the first kMaxReportedProblems.
class Problems {
public:
    explicit Problems(std::string_view source) : m_source(source) {}
    void Add(int line, const std::string& what) {
        if (m_count++ < kMaxReportedProblems) m_lines.push_back(m_source + ":" + std::to_string(line) + ": " + what);
    }
    bool Any() const { return m_count > 0; }
    core::Error ToError() const {
        std::string message;
        for (const std::string& line : m_lines) message += (message.empty() ? "" : "\n") + line;
        if (m_count > kMaxReportedProblems) {
            message += "\n... and " + std::to_string(m_count - kMaxReportedProblems) + " more problems";
        }
        message += "\nnothing was imported from " + m_source;
        return core::Error{ErrorCode::InvalidInput, message};
    }

private:
    std::string m_source;
    std::vector<std::string> m_lines;
    int m_count = 0;
};

// Maps the header's column names to positions.
class Columns {
public:
    static Result<Columns> FromHeader(const CsvRecord& header, std::initializer_list<std::string_view> expected,
                                      std::string_view source) {
        Columns columns;
        columns.m_count = header.fields.size();
        std::string unknown;
        for (std::size_t i = 0; i < header.fields.size(); ++i) {
            std::string name = header.fields[i];
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (std::find(expected.begin(), expected.end(), name) == expected.end()) {
                unknown += (unknown.empty() ? "" : ", ") + name;
            } else if (!columns.m_index.emplace(name, i).second) {
                return core::Fail(ErrorCode::InvalidInput, std::string(source) + ":" + std::to_string(header.line) +
                                                               ": column '" + name + "' appears twice");
            }
        }
        std::string missing;
        for (std::string_view name : expected) {
            if (!columns.m_index.contains(std::string(name))) missing += (missing.empty() ? "" : ", ") + std::string(name);
        }
        if (!missing.empty() || !unknown.empty()) {
            std::string expectedList;
            for (std::string_view name : expected) expectedList += (expectedList.empty() ? "" : ",") + std::string(name);
            return core::Fail(ErrorCode::InvalidInput,
                              std::string(source) + ":" + std::to_string(header.line) + ": the header row " +
                                  (missing.empty() ? "" : "lacks " + missing) +
                                  (!missing.empty() && !unknown.empty() ? " and " : "") +
                                  (unknown.empty() ? "" : "has unknown columns " + unknown) + " (expected: " +
                                  expectedList + ")");
        }
        return columns;
    }
    std::size_t Count() const { return m_count; }
    const std::string& Get(const CsvRecord& record, const char* name) const {
        return record.fields[m_index.at(name)];
    }

private:
    std::map<std::string, std::size_t, std::less<>> m_index;
    std::size_t m_count = 0;
};

// Reads the records and the header; rows with the wrong number of fields are reported here.
Result<std::pair<Columns, std::vector<CsvRecord>>> ReadTable(std::string_view text, std::string_view source,
                                                            std::initializer_list<std::string_view> expected,
                                                            Problems& problems) {
    auto records = ReadCsv(text, source);
    if (!records) return std::unexpected(records.error());
    if (records->empty()) {
        return core::Fail(ErrorCode::InvalidInput, std::string(source) + ": the file is empty (it needs a header row)");
    }
    auto columns = Columns::FromHeader(records->front(), expected, source);
    if (!columns) return std::unexpected(columns.error());
    std::vector<CsvRecord> rows;
    for (std::size_t i = 1; i < records->size(); ++i) {
        CsvRecord& record = (*records)[i];
        if (record.fields.size() != columns->Count()) {
            problems.Add(record.line, "has " + std::to_string(record.fields.size()) + " fields, the header has " +
                                          std::to_string(columns->Count()));
            continue;
        }
        rows.push_back(std::move(record));
    }
    return std::pair{std::move(*columns), std::move(rows)};
}

// "4999", "4999.5" or "4999.00" yuan -> fen.
std::optional<core::Money> ParseYuan(std::string_view text) {
    const std::size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 12 || fraction.size() > 2 || (dot != std::string_view::npos && fraction.empty())) {
        return std::nullopt;
    }
    for (std::string_view part : {whole, fraction}) {
        if (!std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    }
    core::Money yuan = 0;
    std::from_chars(whole.data(), whole.data() + whole.size(), yuan);
    core::Money fen = 0;
    if (!fraction.empty()) {
        std::from_chars(fraction.data(), fraction.data() + fraction.size(), fen);
        if (fraction.size() == 1) fen *= 10;
    }
    return yuan * 100 + fen;
}

std::optional<bool> ParseYesNo(std::string_view text) {
    if (text == "yes" || text == "true" || text == "1" || text == "y") return true;
    if (text == "no" || text == "false" || text == "0" || text == "n" || text.empty()) return false;
    return std::nullopt;
}

bool IsIdentifier(std::string_view text, std::size_t maxLength, std::string_view extra = "") {
    return !text.empty() && text.size() <= maxLength && std::all_of(text.begin(), text.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               extra.find(c) != std::string_view::npos;
    });
}

// "body:12;battery:6" -> components; empty -> none (the category's defaults apply).
Result<std::vector<core::Component>> ParseComponents(std::string_view text) {
    std::vector<core::Component> components;
    std::set<std::string> seen;
    while (!text.empty()) {
        const std::size_t semicolon = text.find(';');
        const std::string_view item = text.substr(0, semicolon);
        text = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
        const std::size_t colon = item.find(':');
        const std::string_view id = item.substr(0, colon);
        const std::string_view months = colon == std::string_view::npos ? std::string_view{} : item.substr(colon + 1);
        int value = 0;
        auto [ptr, ec] = std::from_chars(months.data(), months.data() + months.size(), value);
        if (!IsIdentifier(id, 32, "_") || months.empty() || ec != std::errc{} || ptr != months.data() + months.size() ||
            value < 1 || value > 120) {
            return core::Fail(ErrorCode::InvalidInput, "component '" + std::string(item) +
                                                           "' is not ID:MONTHS with 1-120 months (e.g. battery:6)");
        }
        if (!seen.insert(std::string(id)).second) {
            return core::Fail(ErrorCode::InvalidInput, "component '" + std::string(id) + "' is listed twice");
        }
        components.push_back(core::Component{std::string(id), value});
    }
    return components;
}

}  // namespace

Result<std::vector<Row<core::Product>>> ParseCatalogCsv(std::string_view text, std::string_view source) {
    Problems problems(source);
    auto table = ReadTable(text, source,
                           {"gtin", "sku", "name_zh_hans", "name_zh_hant", "name_en", "category", "price", "policy_id",
                            "serial_required", "components"},
                           problems);
    if (!table) return std::unexpected(table.error());
    const auto& [columns, records] = *table;

    std::vector<Row<core::Product>> rows;
    std::map<std::string, int> lineOfGtin;
    for (const CsvRecord& record : records) {
        auto gtin = core::Gtin::Parse(columns.Get(record, "gtin"));
        if (!gtin) {
            problems.Add(record.line, gtin.error().message);
            continue;
        }
        if (auto [it, inserted] = lineOfGtin.emplace(gtin->Digits14(), record.line); !inserted) {
            problems.Add(record.line, "GTIN " + gtin->Display() + " already appears on line " + std::to_string(it->second));
            continue;
        }
        core::Product product{*gtin, columns.Get(record, "sku"),
                              core::LocalizedText{columns.Get(record, "name_zh_hans"),
                                                  columns.Get(record, "name_zh_hant"), columns.Get(record, "name_en")},
                              columns.Get(record, "category"), 0, columns.Get(record, "policy_id"), false, {}};
        std::vector<std::string> bad;
        if (!IsIdentifier(product.sku, 40, "-_./")) bad.push_back("sku '" + product.sku + "' must be 1-40 letters, digits or -_./");
        for (auto [column, value] : {std::pair{"name_zh_hans", &product.name.zhHans},
                                     std::pair{"name_zh_hant", &product.name.zhHant}, std::pair{"name_en", &product.name.en}}) {
            if (value->empty()) bad.push_back(std::string(column) + " is empty");
            if (value->size() > 200) bad.push_back(std::string(column) + " is longer than 200 bytes");
        }
        if (!IsIdentifier(product.category, 32, "_")) bad.push_back("category '" + product.category + "' is not an id");
        if (!IsIdentifier(product.policyId, 32, "_-")) bad.push_back("policy_id '" + product.policyId + "' is not an id");
        if (auto price = ParseYuan(columns.Get(record, "price"))) {
            product.price = *price;
        } else {
            bad.push_back("price '" + columns.Get(record, "price") + "' is not an amount in yuan like 4999.00");
        }
        if (auto serial = ParseYesNo(columns.Get(record, "serial_required"))) {
            product.serialRequired = *serial;
        } else {
            bad.push_back("serial_required '" + columns.Get(record, "serial_required") + "' is not yes or no");
        }
        if (auto components = ParseComponents(columns.Get(record, "components"))) {
            product.components = std::move(*components);
        } else {
            bad.push_back(components.error().message);
        }
        for (const std::string& what : bad) problems.Add(record.line, what);
        if (bad.empty()) rows.push_back(Row<core::Product>{record.line, std::move(product)});
    }
    if (problems.Any()) return std::unexpected(problems.ToError());
    return rows;
}

Result<std::vector<Row<core::Sale>>> ParseSalesCsv(std::string_view text, std::string_view source) {
    Problems problems(source);
    auto table = ReadTable(text, source,
                           {"order_number", "store_code", "sold_on", "customer_phone", "gtin", "serial", "price"},
                           problems);
    if (!table) return std::unexpected(table.error());
    const auto& [columns, records] = *table;

    std::vector<Row<core::Sale>> rows;
    std::map<std::string, std::size_t> indexOfOrder;
    for (const CsvRecord& record : records) {
        std::vector<std::string> bad;
        const std::string& order = columns.Get(record, "order_number");
        if (!IsIdentifier(order, 32, "-")) bad.push_back("order_number '" + order + "' must be 1-32 letters, digits or dashes");
        const std::string& store = columns.Get(record, "store_code");
        if (auto valid = core::ValidateStoreCode(store); !valid) bad.push_back(valid.error().message);
        auto soldOn = core::ParseDate(columns.Get(record, "sold_on"));
        if (!soldOn) bad.push_back("sold_on: " + soldOn.error().message);
        std::string phone;
        if (!columns.Get(record, "customer_phone").empty()) {
            auto normalized = core::NormalizePhone(columns.Get(record, "customer_phone"));
            if (normalized) {
                phone = *normalized;
            } else {
                bad.push_back(normalized.error().message);
            }
        }
        auto gtin = core::Gtin::Parse(columns.Get(record, "gtin"));
        if (!gtin) bad.push_back(gtin.error().message);
        const std::string& serial = columns.Get(record, "serial");
        if (!serial.empty() && !IsIdentifier(serial, 40, "-/")) {
            bad.push_back("serial '" + serial + "' must be up to 40 letters, digits, - or /");
        }
        auto price = ParseYuan(columns.Get(record, "price"));
        if (!price) bad.push_back("price '" + columns.Get(record, "price") + "' is not an amount in yuan like 4999.00");
        if (!bad.empty()) {
            for (const std::string& what : bad) problems.Add(record.line, what);
            continue;
        }

        core::SaleLine line{*gtin, serial, *price};
        auto [it, inserted] = indexOfOrder.emplace(order, rows.size());
        if (inserted) {
            rows.push_back(Row<core::Sale>{record.line, core::Sale{order, store, *soldOn, phone, {std::move(line)}}});
            continue;
        }
        core::Sale& sale = rows[it->second].value;
        if (sale.storeCode != store || sale.soldOn != *soldOn || sale.customerPhone != phone) {
            problems.Add(record.line, "order " + order + " has a different store, date or phone than on line " +
                                          std::to_string(rows[it->second].line));
            continue;
        }
        sale.lines.push_back(std::move(line));
    }
    if (problems.Any()) return std::unexpected(problems.ToError());
    return rows;
}

Result<std::vector<Row<core::Staff>>> ParseStaffCsv(std::string_view text, std::string_view source) {
    Problems problems(source);
    auto table = ReadTable(text, source, {"staff_no", "name", "role", "badge", "active"}, problems);
    if (!table) return std::unexpected(table.error());
    const auto& [columns, records] = *table;

    std::vector<Row<core::Staff>> rows;
    std::map<std::string, int> lineOfStaff;
    std::map<std::string, int> lineOfBadge;
    for (const CsvRecord& record : records) {
        std::vector<std::string> bad;
        core::Staff staff;
        staff.staffNo = columns.Get(record, "staff_no");
        staff.name = columns.Get(record, "name");
        staff.badge = columns.Get(record, "badge");
        if (!IsIdentifier(staff.staffNo, 16)) bad.push_back("staff_no '" + staff.staffNo + "' must be 1-16 letters or digits");
        if (staff.name.empty() || staff.name.size() > 100) bad.push_back("name must be 1-100 bytes");
        if (!IsIdentifier(staff.badge, 64, "-")) bad.push_back("badge '" + staff.badge + "' must be 1-64 letters, digits or dashes");
        auto role = core::ParseRole(columns.Get(record, "role"));
        if (!role || *role == core::Role::Customer || *role == core::Role::System) {
            bad.push_back("role '" + columns.Get(record, "role") + "' is not clerk, technician or supervisor");
        } else {
            staff.role = *role;
        }
        if (auto active = ParseYesNo(columns.Get(record, "active"))) {
            staff.active = *active;
        } else {
            bad.push_back("active '" + columns.Get(record, "active") + "' is not yes or no");
        }
        if (bad.empty()) {
            if (auto [it, inserted] = lineOfStaff.emplace(staff.staffNo, record.line); !inserted) {
                bad.push_back("staff_no " + staff.staffNo + " already appears on line " + std::to_string(it->second));
            } else if (auto [badgeIt, badgeNew] = lineOfBadge.emplace(staff.badge, record.line); !badgeNew) {
                bad.push_back("badge " + staff.badge + " already appears on line " + std::to_string(badgeIt->second));
            }
        }
        for (const std::string& what : bad) problems.Add(record.line, what);
        if (bad.empty()) rows.push_back(Row<core::Staff>{record.line, std::move(staff)});
    }
    if (problems.Any()) return std::unexpected(problems.ToError());
    return rows;
}

}  // namespace kiosk::importer
