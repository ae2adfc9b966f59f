// AdminStore: store settings as stored, read and saved with their audit entry.
#include "kiosk/storage/admin_store_parts.hpp"

namespace kiosk::storage {

using namespace admin_detail;

// ---------------------------------------------------------------------------------------------------
// Settings

Result<admin::Settings> AdminStore::ReadSettings() {
    admin::Settings settings = m_options.defaults;
    auto stmt = m_db.Cached("SELECT key, value FROM settings");
    if (!stmt) return Forward(stmt);
    for (;;) {
        auto row = stmt->Step();
        if (!row) return Forward(row);
        if (!*row) break;
        auto value = wire::ParseStoredJson(stmt->Text(1), "setting " + stmt->Text(0));
        if (!value) return Forward(value);
        if (auto ok = ApplySetting(settings, stmt->Text(0), *value); !ok) return Forward(ok);
    }
    return settings;
}

Result<admin::Settings> AdminStore::CurrentSettings() { return ReadSettings(); }

Result<admin::Settings> AdminStore::LoadSettings(const core::Actor& actor) {
    // Every signed-in staff member reads settings (the admin screens need the timeouts); changing
    // them is what the roles table guards.
    if (actor.id.empty() || !core::IsStaff(actor.role)) {
        return core::Fail(ErrorCode::Forbidden, "settings are for signed-in staff");
    }
    return ReadSettings();
}

Result<admin::SettingsSave> AdminStore::SaveSettings(const core::Actor& actor, const admin::Settings& settings,
                                                     core::Timestamp now) {
    if (auto ok = Require(actor, action::kSettingsEdit); !ok) return Forward(ok);
    admin::SettingsSave save;
    save.errors = admin::ValidateSettings(settings);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto before = ReadSettings();
    if (!before) return Forward(before);
    if (!save.errors.empty()) {
        save.settings = std::move(*before);
        return save;
    }
    for (const auto& [key, value] : SettingsRows(settings)) {
        auto stmt = m_db.Cached(
            "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3");
        if (!stmt) return Forward(stmt);
        stmt->Bind(1, key).Bind(2, JsonText(value)).Bind(3, core::FormatTimestamp(now));
        if (auto ok = stmt->Run(); !ok) return Forward(ok);
    }
    if (auto ok = WriteAudit(m_db, {actor, now, action::kSettingsEdit, "settings", "store", JsonText(SettingsJson(*before)),
                             JsonText(SettingsJson(settings))});
        !ok) {
        return Forward(ok);
    }
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    save.saved = true;
    save.settings = settings;
    return save;
}

}  // namespace kiosk::storage
