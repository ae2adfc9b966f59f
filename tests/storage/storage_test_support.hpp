// Helpers shared by the storage tests: temporary database files, the real lifecycle table, sample records.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/core/date.hpp"
#include "kiosk/core/gtin.hpp"
#include "kiosk/storage/database.hpp"
#include "kiosk/storage/kiosk_store.hpp"
#include "support/temp_dir.hpp"

namespace kiosk::storage::test {

// Unwraps a Result, failing the test with the error's message when there is none.
template <class T>
T Ok(core::Result<T> result) {
    if (!result) FAIL_CHECK(std::string(core::ToString(result.error().code)) + ": " + result.error().message);
    REQUIRE(result.has_value());
    return std::move(*result);
}

inline void Ok(core::Result<void> result) {
    if (!result) FAIL_CHECK(std::string(core::ToString(result.error().code)) + ": " + result.error().message);
    REQUIRE(result.has_value());
}

using TempDir = kiosk::testing::TempDir;

inline const core::Lifecycle& TestLifecycle() {
    static const core::Lifecycle lifecycle = Ok(config::LoadLifecycleFile(KIOSK_TEST_ASSET_DIR "/lifecycle.toml"));
    return lifecycle;
}

inline core::Timestamp At(std::string_view iso) { return Ok(core::ParseTimestamp(iso)); }
inline core::Date Day(std::string_view iso) { return Ok(core::ParseDate(iso)); }

// A valid GTIN-13 from its first 12 digits.
inline core::Gtin MakeGtin(std::string_view first12) {
    return Ok(core::Gtin::Parse(std::string(first12) + std::to_string(core::Gs1CheckDigit(first12))));
}

inline StoreOptions TestOptions() { return StoreOptions{"S012", "K1", std::chrono::minutes{8 * 60}}; }

inline KioskStore OpenStore(const std::filesystem::path& file, StoreOptions options = TestOptions()) {
    return Ok(KioskStore::Open(Ok(Database::Open(file)), TestLifecycle(), std::move(options)));
}

// An open store whose identity is already written (store S012, kiosk K1, UTC+8).
inline KioskStore InitializedStore(const std::filesystem::path& file) {
    KioskStore store = OpenStore(file);
    Ok(store.Initialize("S012", "K1", At("2026-11-01T00:00:00Z")));
    return store;
}

inline const core::Actor kCustomer{core::Role::Customer, "customer"};
inline const core::Actor kClerk{core::Role::Clerk, "E1004"};
inline const core::Actor kTechnician{core::Role::Technician, "E1002"};
inline const core::Actor kSupervisor{core::Role::Supervisor, "E1001"};
inline const core::Actor kImporter{core::Role::System, "kioskctl"};

inline core::NewTicket RepairRequest() {
    core::NewTicket request;
    request.type = core::TicketType::Repair;
    request.gtin = MakeGtin("691000000000").Digits14();
    request.serial = "SN261122000010";
    request.orderNumber = "SO-S012-20261122-00001";
    request.purchasedOn = Day("2026-11-02");
    request.customerPhone = "13812345678";
    request.customerTier = core::Tier::Returning;
    request.remedy = core::Remedy::Repair;
    request.clauseId = "sanbao-repair";
    request.component = "battery";
    request.fault = "performance";
    request.problemCategory = "battery";
    request.description = "电池一小时就没电了";
    request.language = core::Language::ZhHans;
    return request;
}

// Rows in `table`, counted through a connection of its own, as another process would see them.
inline std::int64_t CountRows(const std::filesystem::path& file, std::string_view table) {
    Database db = Ok(Database::Open(file));
    return Ok(db.QueryInt("SELECT count(*) FROM " + std::string(table)));
}

// Events, audit entries, outbox records and tickets: together they show whether a write landed.
struct RowCounts {
    std::int64_t events = 0;
    std::int64_t audit = 0;
    std::int64_t outbox = 0;
    std::int64_t tickets = 0;
    friend bool operator==(const RowCounts&, const RowCounts&) = default;
};

inline RowCounts CountTicketRows(const std::filesystem::path& file) {
    return RowCounts{CountRows(file, "ticket_events"), CountRows(file, "audit_log"), CountRows(file, "outbox"),
                     CountRows(file, "tickets")};
}

}  // namespace kiosk::storage::test
