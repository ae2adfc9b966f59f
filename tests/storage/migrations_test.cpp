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

TEST_CASE("version 10 rebuilds the print queue for queue slips and keeps every job and its id", "[storage]") {
    TempDir dir;
    std::string number;
    {
        KioskStore store = InitializedStore(dir.File("kiosk.db"));
        number = Ok(store.CreateTicket(RepairRequest(), kCustomer, At("2026-11-22T02:00:00Z"))).number;
    }
    {
        // The print queue as versions 2 to 9 had it, with a printed receipt and a waiting intake slip.
        Database db = Ok(Database::Open(dir.File("kiosk.db")));
        Ok(db.Execute(R"sql(
PRAGMA foreign_keys = OFF;
DROP TABLE print_jobs;
CREATE TABLE print_jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_number TEXT NOT NULL REFERENCES tickets (number),
    kind          TEXT NOT NULL CHECK (kind IN ('receipt', 'intake_slip')),
    language      TEXT NOT NULL,
    reprint       INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    state         TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    printed_at    TEXT
) STRICT;
CREATE INDEX print_jobs_pending ON print_jobs (id) WHERE state <> 'printed';
PRAGMA foreign_keys = ON;
PRAGMA user_version = 9;
)sql"));
        Ok(db.Execute("INSERT INTO print_jobs (id, ticket_number, kind, language, state, attempts, created_at, updated_at, "
                      "printed_at) VALUES (5, '" + number + "', 'receipt', 'zh-Hans', 'printed', 1, '2026-11-22T02:00:01Z', "
                      "'2026-11-22T02:00:03Z', '2026-11-22T02:00:03Z'), (7, '" + number + "', 'intake_slip', 'en', 'queued', 2, "
                      "'2026-11-22T03:00:00Z', '2026-11-22T03:00:05Z', NULL)"));
    }
    Database db = Ok(Database::Open(dir.File("kiosk.db")));
    CHECK(Ok(Migrate(db)) == 10);
    CHECK(Ok(db.QueryText("SELECT group_concat(id || ':' || kind || ':' || state || ':' || attempts, ' ') FROM "
                          "(SELECT * FROM print_jobs ORDER BY id)")) == "5:receipt:printed:1 7:intake_slip:queued:2");
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM print_jobs WHERE ticket_number = '" + number + "'")) == 2);
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'print_jobs_pending'")) == 1);
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM pragma_foreign_key_check('print_jobs')")) == 0);
    // Ids go on after the highest kept one; a slip has a label and bytes and no ticket, and only a slip.
    Ok(db.Execute("INSERT INTO print_jobs (kind, language, state, created_at, updated_at, slip_label, slip_bytes) "
                  "VALUES ('queue_slip', 'en', 'queued', '2026-11-22T04:00:00Z', '2026-11-22T04:00:00Z', 'A001', x'1b40')"));
    CHECK(Ok(db.QueryInt("SELECT max(id) FROM print_jobs")) == 8);
    CHECK_FALSE(db.Execute("INSERT INTO print_jobs (kind, language, state, created_at, updated_at) "
                           "VALUES ('queue_slip', 'en', 'queued', '2026-11-22T04:00:00Z', '2026-11-22T04:00:00Z')"));
    CHECK_FALSE(db.Execute("INSERT INTO print_jobs (kind, language, state, created_at, updated_at) "
                           "VALUES ('receipt', 'en', 'queued', '2026-11-22T04:00:00Z', '2026-11-22T04:00:00Z')"));
}
