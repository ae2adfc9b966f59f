// Queue numbers (取号) on the kiosk's database: taking a number, calling the next one, marking it
// served or no-show, linking it to a ticket, and "now serving". Every change is one write transaction
// that also queues a queue_event record for head office, so a number is never handed out twice and
// head office hears of every step exactly once, whatever the power does.
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "kiosk/core/admin/permissions.hpp"
#include "kiosk/core/queue_numbers.hpp"
#include "kiosk/core/staff.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

class QueueBook {
public:
    // `db`, `services` and `roles` must outlive the book. Numbers belong to the local day at `utcOffset`.
    QueueBook(Database& db, const core::QueueServices& services, const core::admin::RoleTable& roles,
              std::chrono::minutes utcOffset)
        : m_db(&db), m_services(&services), m_roles(&roles), m_utcOffset(utcOffset) {}

    // Hands out the next number of the day for `service`, with the people ahead and the estimated wait.
    // Fails with InvalidInput for an unknown service, Conflict before `kioskctl init` or once the day's
    // 999 numbers of the service are used up, Busy/Storage when the database fails: nothing is taken then.
    Result<core::TakenNumber> Take(std::string_view service, core::Timestamp now);

    // The staff calls below fail with Forbidden unless the actor's role is granted queue.call, and
    // Busy/Storage when the database fails; each is audited.

    // Calls the lowest waiting number of today for `service`. NotFound when nobody waits.
    Result<core::QueueTicket> CallNext(std::string_view service, const core::Actor& actor, core::Timestamp now);
    // Calls `label` again (the customer did not come up yet). NotFound for a number not taken today,
    // Conflict unless it is called.
    Result<core::QueueTicket> Recall(std::string_view label, const core::Actor& actor, core::Timestamp now);
    // Marks today's `label` served or no-show (`outcome`). InvalidInput for another outcome or a label
    // that is not a service prefix and digits, NotFound for a number not taken today, Conflict unless
    // it is called.
    Result<core::QueueTicket> Finish(std::string_view label, core::QueueState outcome, const core::Actor& actor,
                                     core::Timestamp now);
    // Links today's called or served `label` to the ticket its customer was served under. NotFound for
    // an unknown number or ticket, Conflict for a number still waiting or given up.
    Result<core::QueueTicket> Link(std::string_view label, std::string_view ticketNumber, const core::Actor& actor,
                                   core::Timestamp now);

    // Today's numbers, by service (in the order of the services file) then number.
    Result<std::vector<core::QueueTicket>> Today(core::Timestamp now);
    // "Now serving" and how many wait, per service in the order of the services file.
    Result<std::vector<core::QueueBoardRow>> Board(core::Timestamp now);

private:
    std::string Day(core::Timestamp now) const;
    Result<core::QueueTicket> Find(std::string_view day, std::string_view label);
    Result<core::QueueTicket> Move(std::string_view label, core::QueueState to, const core::Actor& actor,
                                   core::Timestamp now);
    // Queues the number's whole state as a queue_event `kind`, inside the caller's transaction.
    Result<void> Announce(const core::QueueTicket& ticket, std::string_view kind, std::string_view staff,
                          core::Timestamp now);

    Database* m_db;
    const core::QueueServices* m_services;
    const core::admin::RoleTable* m_roles;
    std::chrono::minutes m_utcOffset;
};

}  // namespace kiosk::storage
