// Helpers for the admin tests: an always-open calendar, simple SLA targets, the real roles table, and a
// kiosk database with staff, PINs and an AdminStore on a second connection.
#pragma once

#include <memory>
#include <optional>

#include "kiosk/config/roles_loader.hpp"
#include "kiosk/storage/admin_store.hpp"
#include "storage/storage_test_support.hpp"

namespace kiosk::admin_test {

using namespace kiosk::storage::test;
using storage::Database;
using storage::VerifyReport;

inline core::BusinessCalendar AlwaysOpen() {
    core::BusinessCalendar calendar;
    calendar.utcOffset = std::chrono::minutes{8 * 60};
    for (auto& day : calendar.weekly) {
        day = {core::OpeningInterval{std::chrono::minutes{0}, std::chrono::minutes{24 * 60}}};
    }
    return calendar;
}

// Every type and tier: first response within 1 hour, resolution within 24 hours, wall-clock.
inline core::SlaPolicy SimpleSla() {
    core::SlaPolicy policy;
    for (auto type : {core::TicketType::Return, core::TicketType::Exchange, core::TicketType::Repair,
                      core::TicketType::Complaint, core::TicketType::Inquiry}) {
        for (auto tier : {core::Tier::New, core::Tier::Returning, core::Tier::Vip}) {
            policy.targets.push_back(core::SlaTarget{type, tier, std::chrono::minutes{60}, core::SlaBasis::Calendar,
                                                     std::chrono::minutes{24 * 60}, core::SlaBasis::Calendar});
        }
    }
    return policy;
}

inline const core::admin::RoleTable& Roles() {
    static const core::admin::RoleTable roles = Ok(config::LoadRolesFile(KIOSK_TEST_ASSET_DIR "/roles.toml"));
    return roles;
}

// Cheap argon2id parameters: the tests check behaviour, not cost.
inline storage::PinHashParams FastHash() { return storage::PinHashParams{1, 64, 1}; }

inline const core::Actor kTechnician2{core::Role::Technician, "E1003"};

// A kiosk database file with staff E1001 (supervisor), E1002 and E1003 (technicians), E1004 (clerk),
// each with PIN = last four digits; reopenable to check what survives a restart.
class AdminFixture {
public:
    explicit AdminFixture(storage::AdminStoreOptions options = {}) : m_options(std::move(options)) {
        m_options.pinHash = FastHash();
        Open();
        auto& kiosk = *m_kiosk;
        Ok(kiosk.Initialize("S012", "K1", At("2026-11-01T00:00:00Z")));
        const std::vector<core::Staff> staff{
            {"E1001", "Wang Fang", core::Role::Supervisor, "B-1001", true},
            {"E1002", "Li Lei", core::Role::Technician, "B-1002", true},
            {"E1003", "Zhao Min", core::Role::Technician, "B-1003", true},
            {"E1004", "Chen Jie", core::Role::Clerk, "B-1004", true},
        };
        Ok(kiosk.ImportStaff(staff, kImporter, At("2026-11-01T00:00:00Z")));
        CHECK(Ok(m_admin->SeedDemoPins(kImporter, At("2026-11-01T00:00:00Z"))) == 4);
    }

    void Reopen() {
        m_admin.reset();
        m_kiosk.reset();
        Open();
    }

    storage::KioskStore& Kiosk() { return *m_kiosk; }
    storage::AdminStore& Admin() { return *m_admin; }
    std::filesystem::path File() const { return m_dir.File("kiosk.db"); }

    std::string NewRepair(core::Timestamp at, core::NewTicket request = RepairRequest()) {
        return Ok(m_kiosk->CreateTicket(request, kCustomer, at)).number;
    }
    std::int64_t AuditCount() { return CountRows(File(), "audit_log"); }
    // The action of the newest audit entry.
    std::string LastAuditAction() {
        Database db = Ok(Database::Open(File()));
        return Ok(db.QueryText("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"));
    }

private:
    void Open() {
        m_kiosk.emplace(OpenStore(File()));
        m_admin.emplace(Ok(storage::AdminStore::Open(Ok(Database::Open(File())), *m_kiosk, TestLifecycle(), m_sla,
                                                     m_calendar, Roles(), m_options)));
    }

    TempDir m_dir;
    core::SlaPolicy m_sla = SimpleSla();
    core::BusinessCalendar m_calendar = AlwaysOpen();
    storage::AdminStoreOptions m_options;
    std::optional<storage::KioskStore> m_kiosk;
    std::optional<storage::AdminStore> m_admin;
};

}  // namespace kiosk::admin_test
