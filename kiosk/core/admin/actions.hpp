// The names of admin actions: what assets/roles.toml grants to each role and what every port call checks.
#pragma once

#include <array>
#include <string_view>

namespace kiosk::core::admin::action {

inline constexpr std::string_view kQueueView = "queue.view";                // see the queue and open a ticket
// Move a ticket; the lifecycle table also says which role may make which move.
inline constexpr std::string_view kTicketTransition = "ticket.transition";
inline constexpr std::string_view kTicketAssign = "ticket.assign";          // assign a technician
inline constexpr std::string_view kTicketChannel = "ticket.channel";        // route to a service channel
inline constexpr std::string_view kTicketNote = "ticket.note";              // add a note
inline constexpr std::string_view kTicketHandBack = "ticket.handback";      // hand the item back and close
inline constexpr std::string_view kTicketReprint = "ticket.reprint";        // reprint receipt or intake slip
inline constexpr std::string_view kApprovalRequest = "approval.request";    // ask a supervisor for an approval
inline constexpr std::string_view kApprovalDecide = "approval.decide";      // approve or refuse
inline constexpr std::string_view kFollowUpView = "followup.view";
inline constexpr std::string_view kFollowUpRecord = "followup.record";      // mark a follow-up call made
inline constexpr std::string_view kReportView = "report.view";
inline constexpr std::string_view kReportExport = "report.export";          // CSV export
inline constexpr std::string_view kSettingsView = "settings.view";
inline constexpr std::string_view kSettingsEdit = "settings.edit";
inline constexpr std::string_view kStaffView = "staff.view";                // staff list with lockout state
inline constexpr std::string_view kStaffPin = "staff.pin";                  // set another person's PIN
inline constexpr std::string_view kStaffUnlock = "staff.unlock";            // clear a lockout
inline constexpr std::string_view kAppExit = "app.exit";                    // leave the application
// Queue numbers (取号): call the next number, mark it served or no-show, link it to a ticket.
inline constexpr std::string_view kQueueCall = "queue.call";

// Every action name above; a roles table naming anything else is rejected.
inline constexpr std::array kAll{
    kQueueView,      kTicketTransition, kTicketAssign,  kTicketChannel,   kTicketNote,
    kTicketHandBack, kTicketReprint,    kApprovalRequest, kApprovalDecide, kFollowUpView,
    kFollowUpRecord, kReportView,       kReportExport,  kSettingsView,    kSettingsEdit,
    kStaffView,      kStaffPin,         kStaffUnlock,   kAppExit,         kQueueCall,
};

}  // namespace kiosk::core::admin::action
