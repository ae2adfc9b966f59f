// Role table lookups and the checks that keep a roles file from granting what it must not.
#include "kiosk/core/admin/permissions.hpp"

#include <algorithm>

#include "kiosk/core/admin/actions.hpp"

namespace kiosk::core::admin {

bool RoleTable::Allows(Role role, std::string_view action) const {
    auto it = allowed.find(role);
    return it != allowed.end() && it->second.contains(action);
}

std::vector<std::string> RoleTable::ActionsOf(Role role) const {
    auto it = allowed.find(role);
    if (it == allowed.end()) return {};
    return {it->second.begin(), it->second.end()};
}

Result<void> ValidateRoleTable(const RoleTable& table) {
    for (const auto& [role, actions] : table.allowed) {
        if (role != Role::Clerk && role != Role::Technician && role != Role::Supervisor) {
            return Fail(ErrorCode::InvalidInput,
                        "roles table: only clerk, technician and supervisor can be granted admin actions, not " +
                            std::string(ToString(role)));
        }
        for (const std::string& name : actions) {
            if (std::ranges::find(action::kAll, name) == action::kAll.end()) {
                return Fail(ErrorCode::InvalidInput, "roles table: unknown action \"" + name + "\" for " +
                                                         std::string(ToString(role)));
            }
            if (name == action::kAppExit && role != Role::Supervisor) {
                return Fail(ErrorCode::InvalidInput, "roles table: only the supervisor may be granted " +
                                                         std::string(action::kAppExit));
            }
        }
    }
    return {};
}

Result<void> Require(const RoleTable& table, const Actor& actor, std::string_view action) {
    if (actor.id.empty()) return Fail(ErrorCode::Forbidden, "no one is signed in for " + std::string(action));
    if (table.Allows(actor.role, action)) return {};
    return Fail(ErrorCode::Forbidden, std::string(ToString(actor.role)) + " " + actor.id + " may not " +
                                          std::string(action));
}

}  // namespace kiosk::core::admin
