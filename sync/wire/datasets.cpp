// Data-set names and keys, and the items of the row data sets to and from JSON.
#include "sync/wire/datasets.hpp"

#include <algorithm>

#include "kiosk/core/date.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::wire {

bool IsDataset(std::string_view name) { return std::find(kDatasets.begin(), kDatasets.end(), name) != kDatasets.end(); }

bool IsDocumentDataset(std::string_view name) { return name == "policy" || name == "sla" || name == "calendar" || name == "faq" || name == "scripts" ||
                                                       name == "notifications"; }

std::string_view DatasetKey(std::string_view dataset) {
    if (dataset == "catalog") return "gtin";
    if (dataset == "staff") return "staff_no";
    if (dataset == "sales") return "order_number";
    return "";
}

core::Result<std::string> EncodeCatalogItems(std::span<const core::Product> products) {
    Json items = Json::array();
    for (const core::Product& p : products) {
        Json components = Json::array();
        for (const core::Component& c : p.components) components.push_back(Json{{"id", c.id}, {"months", c.warrantyMonths}});
        items.push_back(Json{{"gtin", p.gtin.Digits14()}, {"sku", p.sku}, {"name_zh_hans", p.name.zhHans},
                             {"name_zh_hant", p.name.zhHant}, {"name_en", p.name.en}, {"category", p.category},
                             {"price", p.price}, {"policy_id", p.policyId}, {"serial_required", p.serialRequired},
                             {"components", std::move(components)}});
    }
    return DumpJson(items);
}

core::Result<std::string> EncodeSalesItems(std::span<const core::Sale> sales) {
    Json items = Json::array();
    for (const core::Sale& s : sales) {
        Json lines = Json::array();
        for (const core::SaleLine& l : s.lines) lines.push_back(Json{{"gtin", l.gtin.Digits14()}, {"serial", l.serial}, {"price", l.price}});
        items.push_back(Json{{"order_number", s.orderNumber}, {"store_code", s.storeCode}, {"sold_on", core::FormatDate(s.soldOn)},
                             {"customer_phone", s.customerPhone}, {"lines", std::move(lines)}});
    }
    return DumpJson(items);
}

core::Result<std::string> EncodeStaffItems(std::span<const core::Staff> staff) {
    Json items = Json::array();
    for (const core::Staff& s : staff) {
        items.push_back(Json{{"staff_no", s.staffNo}, {"name", s.name}, {"role", std::string(core::ToString(s.role))},
                             {"badge", s.badge}, {"active", s.active}});
    }
    return DumpJson(items);
}

core::Result<std::vector<std::pair<std::string, Json>>> KeyedItems(std::string_view dataset, std::string_view text) {
    const std::string key(DatasetKey(dataset));
    std::vector<std::pair<std::string, Json>> out;
    try {
        Json items = Json::parse(text);
        if (!items.is_array()) return core::Fail(core::ErrorCode::InvalidInput, std::string(dataset) + " items are not a JSON array");
        for (Json& item : items) {
            if (!item.is_object() || !item.contains(key) || !item[key].is_string()) {
                return core::Fail(core::ErrorCode::InvalidInput, std::string(dataset) + " item without a '" + key + "'");
            }
            std::string k = item[key].get<std::string>();
            out.emplace_back(std::move(k), std::move(item));
        }
    } catch (const std::exception& error) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string(dataset) + " items are not JSON: " + error.what());
    }
    return out;
}

}  // namespace kiosk::wire
