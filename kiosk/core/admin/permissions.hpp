// Which role may do which admin action: a table loaded from data (assets/roles.toml), never code.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/error.hpp"
#include "kiosk/core/staff.hpp"

namespace kiosk::core::admin {

struct RoleTable {
    std::map<Role, std::set<std::string, std::less<>>> allowed;

    bool Allows(Role role, std::string_view action) const;
    // In name order; empty for a role the table does not mention.
    std::vector<std::string> ActionsOf(Role role) const;
};

// Checks that every action is a known name (action::kAll), that only staff roles are granted anything,
// and that only the supervisor may leave the application.
Result<void> ValidateRoleTable(const RoleTable& table);

// Ok when the table lets `actor` do `action`; Forbidden naming both otherwise.
Result<void> Require(const RoleTable& table, const Actor& actor, std::string_view action);

}  // namespace kiosk::core::admin
