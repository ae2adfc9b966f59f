// Schema migrations: from an empty file, again on re-open, and refusal of a newer database.
#include "kiosk/storage/migrations.hpp"

#include "storage_test_support.hpp"

using namespace kiosk;
using namespace kiosk::storage;
using namespace kiosk::storage::test;

TEST_CASE("an empty database is migrated to the current schema", "[storage]") {
    TempDir dir;
    Database db = Ok(Database::Open(dir.File("kiosk.db")));
    CHECK(Ok(SchemaVersion(db)) == 0);
    CHECK(Ok(Migrate(db)) == kSchemaVersion);
    CHECK(Ok(SchemaVersion(db)) == kSchemaVersion);
    for (const char* table : {"meta", "products", "product_components", "sales", "sale_lines", "staff", "tickets",
                              "ticket_events", "ticket_counters", "audit_log", "outbox"}) {
        INFO(table);
        CHECK(Ok(db.QueryInt(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '") +
                             table + "'")) == 1);
    }
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'sale_lines_by_serial'")) == 1);
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'sales_by_customer_phone'")) == 1);
}

TEST_CASE("migrating again, or re-opening, changes nothing", "[storage]") {
    TempDir dir;
    {
        Database db = Ok(Database::Open(dir.File("kiosk.db")));
        Ok(Migrate(db));
        Ok(db.Execute("INSERT INTO staff (staff_no, name, role, badge, active) VALUES ('E1', 'A', 'clerk', 'B1', 1)"));
        CHECK(Ok(Migrate(db)) == kSchemaVersion);
    }
    Database db = Ok(Database::Open(dir.File("kiosk.db")));
    CHECK(Ok(Migrate(db)) == kSchemaVersion);
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM staff")) == 1);
}

TEST_CASE("a database from a newer program is refused", "[storage]") {
    TempDir dir;
    {
        Database db = Ok(Database::Open(dir.File("kiosk.db")));
        Ok(Migrate(db));
        Ok(db.Execute("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1)));
    }
    Database db = Ok(Database::Open(dir.File("kiosk.db")));
    auto migrated = Migrate(db);
    REQUIRE_FALSE(migrated);
    CHECK(migrated.error().code == core::ErrorCode::Conflict);
    CHECK_THAT(migrated.error().message, Catch::Contains("newer"));
    CHECK_THAT(migrated.error().message, Catch::Contains(std::to_string(kSchemaVersion + 1)));

    auto store = KioskStore::Open(std::move(db), TestLifecycle(), TestOptions());
    REQUIRE_FALSE(store);
    CHECK(store.error().code == core::ErrorCode::Conflict);
}

TEST_CASE("ticket events refuse updates and deletes from the program", "[storage]") {
    TempDir dir;
    KioskStore store = InitializedStore(dir.File("kiosk.db"));
    Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z")));
    Database db = Ok(Database::Open(dir.File("kiosk.db")));
    auto update = db.Execute("UPDATE ticket_events SET note = 'changed'");
    REQUIRE_FALSE(update);
    CHECK_THAT(update.error().message, Catch::Contains("append-only"));
    CHECK_FALSE(db.Execute("DELETE FROM ticket_events"));
}
