// Internal to kiosk storage: what the admin store's files share — stored forms of staff, approvals and
// settings, time and event readers, and the search match.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kiosk/core/admin/approval.hpp"
#include "kiosk/core/admin/queue.hpp"
#include "kiosk/storage/admin_store.hpp"
#include "sync/wire/ids.hpp"
#include "kiosk/storage/migrations.hpp"
#include "kiosk/storage/print_queue.hpp"
#include "sync/wire/record_json.hpp"
#include "kiosk/storage/ticket_log.hpp"

namespace kiosk::storage::admin_detail {

using Json = nlohmann::json;

namespace admin = core::admin;
namespace action = core::admin::action;
using core::ErrorCode;

inline constexpr std::string_view kStaffColumns =
    "s.staff_no, s.name, s.role, s.badge, s.active, c.pin_hash, c.failures, c.locked_until";
inline constexpr std::string_view kApprovalColumns =
    "id, ticket_number, kind, amount, reason, requested_by, requested_at, deadline, state, decided_by, decided_at, "
    "decision_reason";
inline constexpr std::chrono::hours kFollowUpWindow{24};

template <class T>
std::unexpected<core::Error> Forward(Result<T>& result) {
    return std::unexpected(std::move(result.error()));
}

inline Result<core::Timestamp> ReadTime(const std::string& text, std::string_view what) {
    auto t = core::ParseTimestamp(text);
    if (!t) return core::Fail(ErrorCode::Corrupt, "stored " + std::string(what) + " \"" + text + "\" is not a time");
    return *t;
}

inline Result<std::optional<core::Timestamp>> ReadOptionalTime(const Statement& row, int column, std::string_view what) {
    if (row.IsNull(column)) return std::optional<core::Timestamp>{};
    auto t = ReadTime(row.Text(column), what);
    if (!t) return Forward(t);
    return std::optional<core::Timestamp>{*t};
}


// Every event of the tickets a statement selects, grouped by ticket, in chain order.
inline Result<std::map<std::string, std::vector<core::TicketEvent>>> ReadEventGroups(Statement& stmt) {
    std::map<std::string, std::vector<core::TicketEvent>> groups;
    for (;;) {
        auto row = stmt.Step();
        if (!row) return Forward(row);
        if (!*row) break;
        auto event = ReadTicketEvent(stmt);
        if (!event) return Forward(event);
        groups[event->ticketNumber].push_back(std::move(*event));
    }
    return groups;
}

inline std::optional<std::string> OptionalTimeText(const std::optional<core::Timestamp>& t) {
    if (!t) return std::nullopt;
    return core::FormatTimestamp(*t);
}

inline Json LockoutJson(const admin::LockoutState& state) {
    Json json = {{"failures", state.consecutiveFailures}};
    json["lockedUntil"] = state.lockedUntil ? Json(core::FormatTimestamp(*state.lockedUntil)) : Json(nullptr);
    return json;
}

inline Json ApprovalJson(const admin::Approval& a) {
    Json json = {{"id", a.id},
                 {"ticketNumber", a.ticketNumber},
                 {"kind", admin::ToString(a.kind)},
                 {"amount", a.amount},
                 {"reason", a.reason},
                 {"requestedBy", a.requestedBy},
                 {"requestedAt", core::FormatTimestamp(a.requestedAt)},
                 {"deadline", core::FormatTimestamp(a.deadline)},
                 {"state", admin::ToString(a.state)},
                 {"decidedBy", a.decidedBy},
                 {"decisionReason", a.decisionReason}};
    json["decidedAt"] = a.decidedAt ? Json(core::FormatTimestamp(*a.decidedAt)) : Json(nullptr);
    return json;
}

// Settings as stored: one row per field, the value as JSON.
inline std::vector<std::pair<std::string, Json>> SettingsRows(const admin::Settings& s) {
    return {
        {"storeName", s.storeName},
        {"storeAddress", s.storeAddress},
        {"storePhone", s.storePhone},
        {"defaultLanguage", core::LanguageTag(s.defaultLanguage)},
        {"customerIdleTimeoutSeconds", s.customerIdleTimeout.count()},
        {"adminIdleTimeoutSeconds", s.adminIdleTimeout.count()},
        {"printerUri", s.printerUri},
        {"printerProfile", s.printerProfile},
        {"escalationThreshold", s.escalationThreshold},
        {"approvalWindowMinutes", s.approvalWindow.count()},
    };
}

inline Json SettingsJson(const admin::Settings& s) {
    Json json = Json::object();
    for (auto& [key, value] : SettingsRows(s)) json[key] = value;
    return json;
}

// Applies one stored row; Corrupt when its value has the wrong type. Unknown keys are ignored: a
// newer program may have written them.
inline Result<void> ApplySetting(admin::Settings& s, const std::string& key, const Json& v) {
    auto bad = [&] { return core::Fail(ErrorCode::Corrupt, "stored setting " + key + " has the wrong type"); };
    if (key == "defaultLanguage") {
        if (!v.is_string()) return bad();
        auto language = core::ParseLanguage(v.get<std::string>());
        if (!language) return bad();
        s.defaultLanguage = *language;
        return {};
    }
    std::string* text = key == "storeName"        ? &s.storeName
                        : key == "storeAddress"   ? &s.storeAddress
                        : key == "storePhone"     ? &s.storePhone
                        : key == "printerUri"     ? &s.printerUri
                        : key == "printerProfile" ? &s.printerProfile
                                                  : nullptr;
    if (text != nullptr) {
        if (!v.is_string()) return bad();
        *text = v.get<std::string>();
        return {};
    }
    const bool integer = v.is_number_integer();
    if (key == "customerIdleTimeoutSeconds") {
        if (!integer) return bad();
        s.customerIdleTimeout = std::chrono::seconds{v.get<std::int64_t>()};
    } else if (key == "adminIdleTimeoutSeconds") {
        if (!integer) return bad();
        s.adminIdleTimeout = std::chrono::seconds{v.get<std::int64_t>()};
    } else if (key == "escalationThreshold") {
        if (!integer) return bad();
        s.escalationThreshold = v.get<std::int64_t>();
    } else if (key == "approvalWindowMinutes") {
        if (!integer) return bad();
        s.approvalWindow = std::chrono::minutes{v.get<std::int64_t>()};
    }
    return {};
}

inline bool EndsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A ticket number exactly; a phone number or serial exactly, or by its last four or more characters.
inline bool MatchesSearch(const core::Ticket& t, std::string_view search) {
    if (search.empty()) return true;
    if (t.number == search) return true;
    if (search.size() < 4) return false;
    std::string phone(search);
    if (auto normalized = core::NormalizePhone(search)) phone = *normalized;
    if (!t.filed.customerPhone.empty() && EndsWith(t.filed.customerPhone, phone)) return true;
    return !t.filed.serial.empty() && EndsWith(t.filed.serial, search);
}

inline std::string JsonText(const Json& json) {
    auto text = wire::DumpJson(json);
    return text ? *text : std::string("null");
}

}  // namespace kiosk::storage::admin_detail
