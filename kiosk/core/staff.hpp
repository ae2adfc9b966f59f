// Who acts on the kiosk: customers, staff by role, and the system itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

enum class Role { Customer, Clerk, Technician, Supervisor, System };

std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);
// Clerk, technician or supervisor: a person working for the store.
constexpr bool IsStaff(Role role) { return role == Role::Clerk || role == Role::Technician || role == Role::Supervisor; }

struct Staff {
    std::string staffNo;  // e.g. "E1001"
    std::string name;
    Role role = Role::Clerk;
    std::string badge;    // the code on the staff badge
    bool active = true;
};

// The author of an event or an audited change.
struct Actor {
    Role role = Role::System;
    std::string id;  // staff number; "customer" for the person at the kiosk; the program name for System
};

}  // namespace kiosk::core
