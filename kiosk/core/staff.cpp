// Role names as they appear in data files and the audit log.
#include "kiosk/core/staff.hpp"

namespace kiosk::core {

std::string_view ToString(Role role) {
    switch (role) {
        case Role::Customer: return "customer";
        case Role::Clerk: return "clerk";
        case Role::Technician: return "technician";
        case Role::Supervisor: return "supervisor";
        case Role::System: return "system";
    }
    return "system";
}

std::optional<Role> ParseRole(std::string_view text) {
    for (Role r : {Role::Customer, Role::Clerk, Role::Technician, Role::Supervisor, Role::System}) {
        if (text == ToString(r)) return r;
    }
    return std::nullopt;
}

}  // namespace kiosk::core
