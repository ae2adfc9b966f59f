// AdminStore: staff credentials — identifying a badge, PIN sign-in with lockout, sign-out, exit,
// the staff list, setting and unlocking PINs.
#include "kiosk/storage/admin_store_parts.hpp"

namespace kiosk::storage {

using namespace admin_detail;

// ---------------------------------------------------------------------------------------------------
// Sign-in

Result<std::optional<admin::StaffIdentity>> AdminStore::Identify(std::string_view badgeOrStaffNo, core::Timestamp now) {
    std::string_view key = badgeOrStaffNo;
    if (key.starts_with("BADGE:")) key.remove_prefix(6);
    if (key.empty()) return std::optional<admin::StaffIdentity>{};
    auto rows = ReadStaff(key);
    if (!rows) return Forward(rows);
    for (const StaffRow& r : *rows) {
        if (!r.staff.active || !core::IsStaff(r.staff.role)) continue;
        admin::StaffIdentity identity{r.staff.staffNo, r.staff.name, r.staff.role, !r.credentials.pinHash.empty(),
                                      std::nullopt};
        if (admin::IsLocked(r.credentials.lockout, now)) identity.lockedUntil = r.credentials.lockout.lockedUntil;
        return std::optional<admin::StaffIdentity>{std::move(identity)};
    }
    return std::optional<admin::StaffIdentity>{};
}

Result<admin::SignInResult> AdminStore::SignIn(std::string_view staffNo, std::string_view pin, core::Timestamp now) {
    auto rows = ReadStaff(staffNo);
    if (!rows) return Forward(rows);
    const StaffRow* found = nullptr;
    for (const StaffRow& r : *rows) {
        if (r.staff.staffNo == staffNo && r.staff.active && core::IsStaff(r.staff.role)) found = &r;
    }
    admin::SignInResult result;
    const core::Actor who{found != nullptr ? found->staff.role : core::Role::System, std::string(staffNo)};
    auto audit = [&](const admin::SignInResult& r, std::optional<std::string> before) -> Result<void> {
        Json after = {{"outcome", admin::ToString(r.outcome)}, {"failures", r.consecutiveFailures}};
        after["lockedUntil"] = r.lockedUntil ? Json(core::FormatTimestamp(*r.lockedUntil)) : Json(nullptr);
        return WriteAudit(m_db, {who, now, "staff.signin", "staff", staffNo, std::move(before), JsonText(after)});
    };
    auto auditAlone = [&](const admin::SignInResult& r) -> Result<admin::SignInResult> {
        auto tx = Transaction::Begin(m_db);
        if (!tx) return Forward(tx);
        if (auto ok = audit(r, std::nullopt); !ok) return Forward(ok);
        if (auto ok = tx->Commit(); !ok) return Forward(ok);
        return r;
    };

    if (found == nullptr) {
        result.outcome = admin::SignInOutcome::UnknownStaff;
        return auditAlone(result);
    }
    const Credentials& stored = found->credentials;
    result.consecutiveFailures = stored.lockout.consecutiveFailures;
    if (admin::IsLocked(stored.lockout, now)) {
        result.outcome = admin::SignInOutcome::Locked;
        result.lockedUntil = stored.lockout.lockedUntil;
        return auditAlone(result);
    }
    if (stored.pinHash.empty()) {
        result.outcome = admin::SignInOutcome::NoPin;
        return auditAlone(result);
    }
    auto matches = VerifyPin(stored.pinHash, pin);
    if (!matches) return Forward(matches);

    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    // Read again under the write lock: another kiosk process may have counted a failure meanwhile.
    auto fresh = ReadStaff(staffNo);
    if (!fresh) return Forward(fresh);
    Credentials credentials = stored;
    for (const StaffRow& r : *fresh) {
        if (r.staff.staffNo == staffNo) credentials = r.credentials;
    }
    const std::string before = JsonText(LockoutJson(credentials.lockout));
    if (*matches) {
        credentials.lockout = {};
        result.outcome = admin::SignInOutcome::SignedIn;
        result.consecutiveFailures = 0;
        result.failuresBeforeLockout = m_options.lockout.freeFailures;
        result.session = admin::Session{who, found->staff.name, now, m_roles.ActionsOf(found->staff.role)};
    } else {
        credentials.lockout = admin::AfterFailure(m_options.lockout, credentials.lockout, now);
        result.outcome = admin::SignInOutcome::WrongPin;
        result.consecutiveFailures = credentials.lockout.consecutiveFailures;
        result.failuresBeforeLockout = admin::FailuresBeforeLockout(m_options.lockout, credentials.lockout, now);
        if (admin::IsLocked(credentials.lockout, now)) result.lockedUntil = credentials.lockout.lockedUntil;
    }
    if (auto ok = WriteCredentials(staffNo, credentials, now, false); !ok) return Forward(ok);
    if (auto ok = audit(result, before); !ok) return Forward(ok);
    if (auto ok = tx->Commit(); !ok) return Forward(ok);
    return result;
}

Result<void> AdminStore::SignOut(const core::Actor& actor, core::Timestamp now) {
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    if (auto ok = WriteAudit(m_db, {actor, now, "staff.signout", "staff", actor.id, std::nullopt, std::nullopt}); !ok) {
        return ok;
    }
    return tx->Commit();
}

Result<void> AdminStore::AuthorizeExit(const core::Actor& actor, core::Timestamp now) {
    if (auto ok = Require(actor, action::kAppExit); !ok) return ok;
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    if (auto ok = WriteAudit(m_db, {actor, now, action::kAppExit, "kiosk", "application", std::nullopt, std::nullopt}); !ok) {
        return ok;
    }
    return tx->Commit();
}

// ---------------------------------------------------------------------------------------------------
// Staff

Result<std::vector<admin::StaffSummary>> AdminStore::StaffSummaries(core::Timestamp now) {
    auto rows = ReadStaff(std::nullopt);
    if (!rows) return Forward(rows);
    std::map<std::string, int> open;
    {
        core::TicketFilter filter;
        filter.openOnly = true;
        filter.limit = 0;
        auto tickets = m_tickets->ListTickets(filter);
        if (!tickets) return Forward(tickets);
        for (const core::Ticket& t : *tickets) {
            if (!t.assignee.empty()) open[t.assignee] += 1;
        }
    }
    std::vector<admin::StaffSummary> out;
    for (const StaffRow& r : *rows) {
        if (!core::IsStaff(r.staff.role)) continue;
        admin::StaffSummary s;
        s.staffNo = r.staff.staffNo;
        s.name = r.staff.name;
        s.role = r.staff.role;
        s.active = r.staff.active;
        s.hasPin = !r.credentials.pinHash.empty();
        s.openAssigned = open[r.staff.staffNo];
        if (admin::IsLocked(r.credentials.lockout, now)) s.lockedUntil = r.credentials.lockout.lockedUntil;
        s.consecutiveFailures = r.credentials.lockout.consecutiveFailures;
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::vector<admin::StaffSummary>> AdminStore::StaffList(const core::Actor& actor, core::Timestamp now) {
    if (auto ok = Require(actor, action::kStaffView); !ok) return Forward(ok);
    return StaffSummaries(now);
}

Result<void> AdminStore::SetPin(const core::Actor& actor, std::string_view staffNo, std::string_view pin,
                                core::Timestamp now) {
    const bool own = actor.id == staffNo && core::IsStaff(actor.role);
    if (!own) {
        if (auto ok = Require(actor, action::kStaffPin); !ok) return ok;
    }
    if (auto ok = ValidatePin(pin); !ok) return ok;
    auto hash = HashPin(pin, m_options.pinHash);
    if (!hash) return Forward(hash);
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto rows = ReadStaff(staffNo);
    if (!rows) return Forward(rows);
    auto it = std::ranges::find_if(*rows, [&](const StaffRow& r) { return r.staff.staffNo == staffNo; });
    if (it == rows->end()) return core::Fail(ErrorCode::NotFound, "no staff " + std::string(staffNo));
    const Json before = {{"pinSet", !it->credentials.pinHash.empty()},
                         {"lockout", LockoutJson(it->credentials.lockout)}};
    // A new PIN starts with a clean slate; the hash itself never goes into the audit log.
    const Credentials credentials{std::move(*hash), {}};
    if (auto ok = WriteCredentials(staffNo, credentials, now, true); !ok) return ok;
    const Json after = {{"pinSet", true}, {"lockout", LockoutJson({})}};
    if (auto ok = WriteAudit(m_db, {actor, now, action::kStaffPin, "staff", staffNo, JsonText(before), JsonText(after)}); !ok) {
        return ok;
    }
    return tx->Commit();
}

Result<void> AdminStore::Unlock(const core::Actor& actor, std::string_view staffNo, core::Timestamp now) {
    if (auto ok = Require(actor, action::kStaffUnlock); !ok) return ok;
    auto tx = Transaction::Begin(m_db);
    if (!tx) return Forward(tx);
    auto rows = ReadStaff(staffNo);
    if (!rows) return Forward(rows);
    auto it = std::ranges::find_if(*rows, [&](const StaffRow& r) { return r.staff.staffNo == staffNo; });
    if (it == rows->end()) return core::Fail(ErrorCode::NotFound, "no staff " + std::string(staffNo));
    Credentials credentials = it->credentials;
    const std::string before = JsonText(LockoutJson(credentials.lockout));
    credentials.lockout = {};
    if (auto ok = WriteCredentials(staffNo, credentials, now, false); !ok) return ok;
    if (auto ok = WriteAudit(m_db, {actor, now, action::kStaffUnlock, "staff", staffNo, before,
                             JsonText(LockoutJson(credentials.lockout))});
        !ok) {
        return ok;
    }
    return tx->Commit();
}

Result<int> AdminStore::SeedDemoPins(const core::Actor& actor, core::Timestamp now) {
    auto rows = ReadStaff(std::nullopt);
    if (!rows) return Forward(rows);
    int set = 0;
    for (const StaffRow& r : *rows) {
        if (!r.staff.active || !core::IsStaff(r.staff.role) || !r.credentials.pinHash.empty()) continue;
        const std::string& no = r.staff.staffNo;
        std::string digits;
        for (char c : no) {
            if (c >= '0' && c <= '9') digits += c;
        }
        if (digits.size() < 4) continue;
        auto hash = HashPin(std::string_view(digits).substr(digits.size() - 4), m_options.pinHash);
        if (!hash) return Forward(hash);
        auto tx = Transaction::Begin(m_db);
        if (!tx) return Forward(tx);
        if (auto ok = WriteCredentials(no, Credentials{std::move(*hash), {}}, now, true); !ok) return Forward(ok);
        const Json after = {{"pinSet", true}, {"demo", true}};
        if (auto ok = WriteAudit(m_db, {actor, now, action::kStaffPin, "staff", no, std::nullopt, JsonText(after)}); !ok) {
            return Forward(ok);
        }
        if (auto ok = tx->Commit(); !ok) return Forward(ok);
        ++set;
    }
    return set;
}

}  // namespace kiosk::storage
