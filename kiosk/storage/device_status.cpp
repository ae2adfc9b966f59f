// device_status rows: one UPSERT a fact, which leaves the row alone when the value is the same.
#include "kiosk/storage/device_status.hpp"

namespace kiosk::storage {

Result<bool> DeviceStatus::Record(std::string_view name, std::string_view value, core::Timestamp now) {
    auto s = m_db->Cached(
        "INSERT INTO device_status (name, value, changed_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at "
        "WHERE device_status.value <> excluded.value RETURNING name");
    if (!s) return std::unexpected(s.error());
    s->Bind(1, name).Bind(2, value).Bind(3, core::FormatTimestamp(now));
    auto row = s->Step();
    if (!row) return std::unexpected(row.error());
    const bool changed = *row;
    if (changed) {
        if (auto done = s->Run(); !done) return std::unexpected(done.error());
    }
    return changed;
}

Result<int> DeviceStatus::RecordAll(std::span<const std::pair<std::string_view, std::string>> facts, core::Timestamp now) {
    auto transaction = Transaction::Begin(*m_db);
    if (!transaction) return std::unexpected(transaction.error());
    int changed = 0;
    for (const auto& [name, value] : facts) {
        auto recorded = Record(name, value, now);
        if (!recorded) return std::unexpected(recorded.error());
        changed += *recorded ? 1 : 0;
    }
    if (auto committed = transaction->Commit(); !committed) return std::unexpected(committed.error());
    return changed;
}

Result<std::map<std::string, DeviceFact>> DeviceStatus::ReadAll() {
    auto s = m_db->Cached("SELECT name, value, changed_at FROM device_status");
    if (!s) return std::unexpected(s.error());
    std::map<std::string, DeviceFact> facts;
    while (true) {
        auto row = s->Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto at = core::ParseTimestamp(s->Text(2));
        if (!at) return core::Fail(core::ErrorCode::Corrupt, "device_status " + s->Text(0) + ": bad changed_at");
        facts[s->Text(0)] = DeviceFact{s->Text(1), *at};
    }
    return facts;
}

}  // namespace kiosk::storage
