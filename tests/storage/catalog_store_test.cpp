// Catalog, sales and staff in the store: all-or-nothing imports, upserts and the kiosk's lookups.
#include "storage_test_support.hpp"

using namespace kiosk;
using namespace kiosk::storage;
using namespace kiosk::storage::test;

namespace {

// The import time; it only shows in the audit log.
const core::Timestamp kNow{std::chrono::sys_days{std::chrono::November / 22 / 2026} + std::chrono::hours{1}};

core::Product Phone(std::string_view first12, std::string sku) {
    core::Product p{MakeGtin(first12), std::move(sku), core::LocalizedText{"星河 A1 手机", "星河 A1 手機", "Xinghe A1"},
                    "phone", 565900, "sanbao", true, {}};
    p.components = {{"body", 12}, {"battery", 6}, {"headset", 3}};
    return p;
}

core::Sale MakeSale(std::string orderNumber, std::string_view soldOn, std::string phone,
                    std::vector<core::SaleLine> lines) {
    return core::Sale{std::move(orderNumber), "S012", Day(soldOn), std::move(phone), std::move(lines)};
}

KioskStore MemoryStore() {
    return Ok(KioskStore::Open(Ok(Database::Open(":memory:")), TestLifecycle(), TestOptions()));
}

}  // namespace

TEST_CASE("products import and are found by GTIN with their components", "[storage]") {
    KioskStore store = MemoryStore();
    const std::vector<core::Product> products{Phone("691000000000", "PH-A1"), Phone("691000000001", "PH-A1-W")};
    const ImportCounts counts = Ok(store.ImportProducts(products, kImporter, kNow));
    CHECK(counts.inserted == 2);
    CHECK(counts.updated == 0);
    CHECK(Ok(store.CountProducts()) == 2);

    // Imported as EAN-13, found by the GTIN-14 spelling: the key is the 14-digit form.
    const auto found = Ok(store.FindProduct(Ok(core::Gtin::Parse(products[1].gtin.Digits14()))));
    REQUIRE(found.has_value());
    CHECK(found->sku == "PH-A1-W");
    CHECK(found->name.zhHant == "星河 A1 手機");
    CHECK(found->price == 565900);
    CHECK(found->serialRequired);
    CHECK(found->components == products[1].components);

    CHECK_FALSE(Ok(store.FindProduct(MakeGtin("691000000099"))).has_value());
}

TEST_CASE("importing a product again updates it and replaces its components", "[storage]") {
    KioskStore store = MemoryStore();
    Ok(store.ImportProducts(std::vector{Phone("691000000000", "PH-A1")}, kImporter, kNow));
    core::Product changed = Phone("691000000000", "PH-A1");
    changed.price = 499900;
    changed.components = {{"body", 24}};
    const ImportCounts counts =
        Ok(store.ImportProducts(std::vector{changed, Phone("691000000002", "PH-A2")}, kImporter, kNow));
    CHECK(counts.inserted == 1);
    CHECK(counts.updated == 1);
    const auto found = Ok(store.FindProduct(changed.gtin));
    REQUIRE(found.has_value());
    CHECK(found->price == 499900);
    CHECK(found->components == std::vector<core::Component>{{"body", 24}});
}

TEST_CASE("a product import with a bad record changes nothing", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = OpenStore(file);
    Ok(store.ImportProducts(std::vector{Phone("691000000000", "PH-A1")}, kImporter, kNow));
    const auto auditBefore = CountRows(file, "audit_log");

    std::vector<core::Product> batch{Phone("691000000005", "NEW-1"), Phone("691000000000", "CHANGED")};
    SECTION("the same GTIN twice in one batch") { batch.push_back(Phone("691000000005", "NEW-1-AGAIN")); }
    SECTION("a component without a warranty period") { batch.back().components.push_back({"screen", 0}); }

    auto imported = store.ImportProducts(batch, kImporter, kNow);
    REQUIRE_FALSE(imported);
    CHECK(imported.error().code == core::ErrorCode::InvalidInput);
    CHECK(Ok(store.CountProducts()) == 1);
    CHECK(Ok(store.FindProduct(MakeGtin("691000000000")))->sku == "PH-A1");
    CHECK(CountRows(file, "audit_log") == auditBefore);
}

TEST_CASE("sales import and are found by order number and serial", "[storage]") {
    KioskStore store = MemoryStore();
    const auto a1 = MakeGtin("691000000000");
    const auto case1 = MakeGtin("691000000400");
    const std::vector<core::Sale> sales{
        MakeSale("SO-1", "2026-01-10", "13812345678", {{a1, "SN-OLD", 565900}}),
        MakeSale("SO-2", "2026-11-20", "+86 138 1234 5678", {{a1, "SN-1", 565900}, {case1, "", 9900}}),
        MakeSale("SO-3", "2026-11-21", "", {{a1, "SN-2", 565900}}),
        // The same phone resold (a return, then sold again): the newest sale wins.
        MakeSale("SO-4", "2026-11-22", "13900001111", {{a1, "SN-OLD", 499900}}),
    };
    const ImportCounts counts = Ok(store.ImportSales(sales, kImporter, kNow));
    CHECK(counts.inserted == 4);
    CHECK(Ok(store.CountSales()) == 4);

    const auto so2 = Ok(store.FindSale("SO-2"));
    REQUIRE(so2.has_value());
    CHECK(so2->soldOn == Day("2026-11-20"));
    CHECK(so2->customerPhone == "+8613812345678");
    REQUIRE(so2->lines.size() == 2);
    CHECK(so2->lines[0].serial == "SN-1");
    CHECK(so2->lines[1].gtin == case1);
    CHECK(so2->lines[1].price == 9900);
    CHECK_FALSE(Ok(store.FindSale("SO-404")).has_value());

    const auto bySerial = Ok(store.FindSaleBySerial("SN-2"));
    REQUIRE(bySerial.has_value());
    CHECK(bySerial->orderNumber == "SO-3");
    CHECK(Ok(store.FindSaleBySerial("SN-OLD"))->orderNumber == "SO-4");
    CHECK_FALSE(Ok(store.FindSaleBySerial("SN-404")).has_value());
    CHECK_FALSE(Ok(store.FindSaleBySerial("")).has_value());
}

TEST_CASE("a customer's history counts orders and their total", "[storage]") {
    KioskStore store = MemoryStore();
    const auto a1 = MakeGtin("691000000000");
    const auto case1 = MakeGtin("691000000400");
    Ok(store.ImportSales(
        std::vector{
            MakeSale("SO-1", "2026-01-10", "13812345678", {{a1, "SN-1", 500000}}),
            MakeSale("SO-2", "2026-03-10", "138 1234 5678", {{a1, "SN-2", 400000}, {case1, "", 10000}}),
            MakeSale("SO-3", "2026-04-10", "13900001111", {{a1, "SN-3", 450000}}),
            MakeSale("SO-4", "2026-05-10", "", {{a1, "SN-4", 450000}}),
        },
        kImporter, kNow));
    const auto history = Ok(store.HistoryOf("138-1234-5678"));
    CHECK(history.visits == 2);
    CHECK(history.spend == 910000);
    CHECK(Ok(store.HistoryOf("13700000000")).visits == 0);
    CHECK(Ok(store.HistoryOf("")).visits == 0);
}

TEST_CASE("importing a sale again replaces its lines", "[storage]") {
    KioskStore store = MemoryStore();
    const auto a1 = MakeGtin("691000000000");
    Ok(store.ImportSales(std::vector{MakeSale("SO-1", "2026-01-10", "", {{a1, "SN-1", 1}, {a1, "SN-2", 2}})},
                         kImporter, kNow));
    const ImportCounts counts =
        Ok(store.ImportSales(std::vector{MakeSale("SO-1", "2026-01-11", "", {{a1, "SN-3", 3}})}, kImporter, kNow));
    CHECK(counts.updated == 1);
    const auto sale = Ok(store.FindSale("SO-1"));
    REQUIRE(sale.has_value());
    CHECK(sale->soldOn == Day("2026-01-11"));
    REQUIRE(sale->lines.size() == 1);
    CHECK(sale->lines[0].serial == "SN-3");
    CHECK_FALSE(Ok(store.FindSaleBySerial("SN-1")).has_value());
}

TEST_CASE("a sales import with a bad record changes nothing", "[storage]") {
    KioskStore store = MemoryStore();
    const auto a1 = MakeGtin("691000000000");
    std::vector<core::Sale> batch{MakeSale("SO-1", "2026-01-10", "", {{a1, "SN-1", 1}})};
    SECTION("an order number twice") { batch.push_back(MakeSale("SO-1", "2026-01-11", "", {})); }
    SECTION("a phone number that is not one") { batch.push_back(MakeSale("SO-2", "2026-01-11", "12345", {})); }
    SECTION("a negative price") { batch.push_back(MakeSale("SO-2", "2026-01-11", "", {{a1, "SN-2", -1}})); }
    auto imported = store.ImportSales(batch, kImporter, kNow);
    REQUIRE_FALSE(imported);
    CHECK(imported.error().code == core::ErrorCode::InvalidInput);
    CHECK(Ok(store.CountSales()) == 0);
}

TEST_CASE("staff import, and are found by number and badge", "[storage]") {
    KioskStore store = MemoryStore();
    const std::vector<core::Staff> staff{{"E1001", "王芳", core::Role::Supervisor, "B-1001", true},
                                         {"E1002", "李雷", core::Role::Technician, "B-1002", true},
                                         {"E1009", "赵六", core::Role::Clerk, "", false},
                                         {"E1010", "钱七", core::Role::Clerk, "", true}};
    CHECK(Ok(store.ImportStaff(staff, kImporter, kNow)).inserted == 4);
    const auto supervisor = Ok(store.FindStaff("E1001"));
    REQUIRE(supervisor.has_value());
    CHECK(supervisor->name == "王芳");
    CHECK(supervisor->role == core::Role::Supervisor);
    CHECK(supervisor->active);
    CHECK(Ok(store.FindStaffByBadge("B-1002"))->staffNo == "E1002");
    CHECK_FALSE(Ok(store.FindStaff("E404")).has_value());
    CHECK_FALSE(Ok(store.FindStaffByBadge("")).has_value());
    CHECK_FALSE(Ok(store.FindStaff("E1009"))->active);

    SECTION("two people may swap badges in one import") {
        const std::vector<core::Staff> swap{{"E1001", "王芳", core::Role::Supervisor, "B-1002", true},
                                            {"E1002", "李雷", core::Role::Technician, "B-1001", true}};
        CHECK(Ok(store.ImportStaff(swap, kImporter, kNow)).updated == 2);
        CHECK(Ok(store.FindStaffByBadge("B-1001"))->staffNo == "E1002");
    }
    SECTION("a badge still held by someone else fails the whole import") {
        const std::vector<core::Staff> clash{{"E1003", "张伟", core::Role::Technician, "B-1003", true},
                                             {"E1004", "陈静", core::Role::Clerk, "B-1001", true}};
        auto imported = store.ImportStaff(clash, kImporter, kNow);
        REQUIRE_FALSE(imported);
        CHECK(imported.error().code == core::ErrorCode::Conflict);
        CHECK_THAT(imported.error().message, Catch::Contains("E1004"));
        CHECK_FALSE(Ok(store.FindStaff("E1003")).has_value());
        CHECK(Ok(store.FindStaffByBadge("B-1001"))->staffNo == "E1001");
    }
    SECTION("one badge for two people in the batch is refused up front") {
        const std::vector<core::Staff> twice{{"E1003", "张伟", core::Role::Technician, "B-9", true},
                                             {"E1004", "陈静", core::Role::Clerk, "B-9", true}};
        auto imported = store.ImportStaff(twice, kImporter, kNow);
        REQUIRE_FALSE(imported);
        CHECK(imported.error().code == core::ErrorCode::InvalidInput);
    }
}

TEST_CASE("imports are audited", "[storage]") {
    TempDir dir;
    const auto file = dir.File("kiosk.db");
    KioskStore store = OpenStore(file);
    Ok(store.ImportProducts(std::vector{Phone("691000000000", "PH-A1")}, kImporter, kNow));
    Database raw = Ok(Database::Open(file));
    CHECK(Ok(raw.QueryText("SELECT actor_id || ' ' || action || ' ' || after FROM audit_log")) ==
          R"(kioskctl catalog.import {"inserted":1,"records":"products","updated":0})");
}
