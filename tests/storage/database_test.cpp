// The SQLite wrapper: connection settings, error mapping, statements and transactions.
#include <fstream>

#include "storage_test_support.hpp"

using namespace kiosk;
using namespace kiosk::storage;
using namespace kiosk::storage::test;

TEST_CASE("a database opens with WAL, synchronous=FULL and foreign keys", "[storage]") {
    TempDir dir;
    Database db = Ok(Database::Open(dir.File("kiosk.db")));
    CHECK(Ok(db.QueryText("PRAGMA journal_mode")) == "wal");
    CHECK(Ok(db.QueryInt("PRAGMA synchronous")) == 2);
    CHECK(Ok(db.QueryInt("PRAGMA foreign_keys")) == 1);
    CHECK_FALSE(db.InTransaction());
}

TEST_CASE("an in-memory database works too", "[storage]") {
    Database db = Ok(Database::Open(":memory:"));
    Ok(db.Execute("CREATE TABLE t (x INTEGER)"));
    auto insert = Ok(db.Prepare("INSERT INTO t (x) VALUES (?1)"));
    Ok(insert.Bind(1, std::int64_t{7}).Run());
    CHECK(Ok(db.QueryInt("SELECT x FROM t")) == 7);
}

TEST_CASE("SQLite failures become core errors carrying SQLite's message", "[storage]") {
    TempDir dir;
    Database db = Ok(Database::Open(dir.File("kiosk.db")));

    SECTION("bad SQL is a storage error naming the problem") {
        auto stmt = db.Prepare("SELEKT 1");
        REQUIRE_FALSE(stmt);
        CHECK(stmt.error().code == core::ErrorCode::Storage);
        CHECK_THAT(stmt.error().message, Catch::Contains("syntax error"));
    }
    SECTION("a unique violation is a conflict") {
        Ok(db.Execute("CREATE TABLE t (k TEXT PRIMARY KEY)"));
        Ok(db.Execute("INSERT INTO t VALUES ('a')"));
        auto again = db.Execute("INSERT INTO t VALUES ('a')");
        REQUIRE_FALSE(again);
        CHECK(again.error().code == core::ErrorCode::Conflict);
        CHECK_THAT(again.error().message, Catch::Contains("UNIQUE constraint failed"));
    }
    SECTION("a bind error is reported by the next step") {
        auto stmt = Ok(db.Prepare("SELECT ?1"));
        auto row = stmt.Bind(5, std::int64_t{1}).Step();
        REQUIRE_FALSE(row);
        CHECK_THAT(row.error().message, Catch::Contains("parameter 5"));
    }
}

TEST_CASE("a file that is not a database is reported as corrupt", "[storage]") {
    TempDir dir;
    {
        std::ofstream junk(dir.File("junk.db"), std::ios::binary);
        junk << std::string(4096, 'x');
    }
    auto db = Database::Open(dir.File("junk.db"));
    REQUIRE_FALSE(db);
    CHECK(db.error().code == core::ErrorCode::Corrupt);
    CHECK_THAT(db.error().message, Catch::Contains("junk.db"));
}

TEST_CASE("a missing file is not created when creation is off", "[storage]") {
    TempDir dir;
    auto db = Database::Open(dir.File("absent.db"), OpenOptions{std::chrono::milliseconds{0}, false});
    REQUIRE_FALSE(db);
    CHECK(db.error().code == core::ErrorCode::NotFound);
    CHECK_FALSE(std::filesystem::exists(dir.File("absent.db")));
}

TEST_CASE("a write lock held by another connection is Busy after the timeout", "[storage]") {
    TempDir dir;
    Database first = Ok(Database::Open(dir.File("kiosk.db")));
    Ok(first.Execute("CREATE TABLE t (x INTEGER)"));
    Database second = Ok(Database::Open(dir.File("kiosk.db"), OpenOptions{std::chrono::milliseconds{20}, true}));

    auto holding = Ok(Transaction::Begin(first));
    auto blocked = Transaction::Begin(second);
    REQUIRE_FALSE(blocked);
    CHECK(blocked.error().code == core::ErrorCode::Busy);
    CHECK_THAT(blocked.error().message, Catch::Contains("locked"));

    Ok(holding.Commit());
    auto free = Transaction::Begin(second);
    CHECK(free.has_value());
}

TEST_CASE("a transaction dropped without commit rolls back", "[storage]") {
    TempDir dir;
    Database db = Ok(Database::Open(dir.File("kiosk.db")));
    Ok(db.Execute("CREATE TABLE t (x INTEGER)"));
    {
        auto tx = Ok(Transaction::Begin(db));
        Ok(db.Execute("INSERT INTO t VALUES (1)"));
        CHECK(db.InTransaction());
    }
    CHECK_FALSE(db.InTransaction());
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM t")) == 0);

    {
        auto tx = Ok(Transaction::Begin(db));
        Ok(db.Execute("INSERT INTO t VALUES (2)"));
        Ok(tx.Commit());
    }
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM t")) == 1);
}

TEST_CASE("closing the connection mid-transaction loses the uncommitted rows only", "[storage]") {
    TempDir dir;
    {
        Database db = Ok(Database::Open(dir.File("kiosk.db")));
        Ok(db.Execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);"));
        Ok(db.Execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (2);"));
        CHECK(db.InTransaction());
    }
    Database reopened = Ok(Database::Open(dir.File("kiosk.db")));
    CHECK(Ok(reopened.QueryInt("SELECT count(*) FROM t")) == 1);
}

TEST_CASE("cached statements are reused, and a busy one is not shared", "[storage]") {
    Database db = Ok(Database::Open(":memory:"));
    Ok(db.Execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);"));
    {
        auto outer = Ok(db.Cached("SELECT x FROM t ORDER BY x"));
        REQUIRE(Ok(outer.Step()));
        CHECK(outer.Int(0) == 1);
        // The same SQL while the first is mid-iteration: a separate statement, its own cursor.
        auto inner = Ok(db.Cached("SELECT x FROM t ORDER BY x"));
        REQUIRE(Ok(inner.Step()));
        CHECK(inner.Int(0) == 1);
        REQUIRE(Ok(outer.Step()));
        CHECK(outer.Int(0) == 2);
    }
    // Back in the cache, reset: it starts from the first row again.
    auto again = Ok(db.Cached("SELECT x FROM t ORDER BY x"));
    REQUIRE(Ok(again.Step()));
    CHECK(again.Int(0) == 1);
}

TEST_CASE("text and optional values bind and read back", "[storage]") {
    Database db = Ok(Database::Open(":memory:"));
    auto stmt = Ok(db.Prepare("SELECT ?1, ?2, ?3"));
    stmt.Bind(1, "电池").BindOptional(2, std::nullopt).BindOptional(3, std::optional<std::string>{"x"});
    REQUIRE(Ok(stmt.Step()));
    CHECK(stmt.Text(0) == "电池");
    CHECK(stmt.IsNull(1));
    CHECK_FALSE(stmt.IsNull(2));
    CHECK(stmt.Text(2) == "x");
}
