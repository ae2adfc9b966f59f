// Queue numbers (取号) in admin mode: the admin port's queue-number calls on the queue book, on this
// store's connection, under the roles table's queue.call.
#include "kiosk/storage/admin_store.hpp"
#include "kiosk/storage/queue_book.hpp"

namespace kiosk::storage {

namespace admin_numbers {

Result<void> RequireQueue(const core::QueueServices* services) {
    if (services == nullptr || services->services.empty()) {
        return core::Fail(core::ErrorCode::Unavailable, "this kiosk hands out no queue numbers (no queue services)");
    }
    return {};
}

}  // namespace admin_numbers

Result<core::admin::NumberDesk> AdminStore::Numbers(const core::Actor& actor, core::Timestamp now) {
    if (auto ok = Require(actor, core::admin::action::kQueueView); !ok) return std::unexpected(ok.error());
    if (m_options.queue == nullptr || m_options.queue->services.empty()) return core::admin::NumberDesk{};
    QueueBook book(m_db, *m_options.queue, m_roles, m_options.utcOffset);
    auto board = book.Board(now);
    if (!board) return std::unexpected(board.error());
    auto today = book.Today(now);
    if (!today) return std::unexpected(today.error());
    return core::admin::NumberDesk{std::move(*board), std::move(*today)};
}

Result<core::QueueTicket> AdminStore::CallNextNumber(const core::Actor& actor, std::string_view service, core::Timestamp now) {
    if (auto ok = admin_numbers::RequireQueue(m_options.queue); !ok) return std::unexpected(ok.error());
    return QueueBook(m_db, *m_options.queue, m_roles, m_options.utcOffset).CallNext(service, actor, now);
}

Result<core::QueueTicket> AdminStore::FinishNumber(const core::Actor& actor, std::string_view label, core::QueueState outcome,
                                                   core::Timestamp now) {
    if (auto ok = admin_numbers::RequireQueue(m_options.queue); !ok) return std::unexpected(ok.error());
    return QueueBook(m_db, *m_options.queue, m_roles, m_options.utcOffset).Finish(label, outcome, actor, now);
}

Result<core::QueueTicket> AdminStore::LinkNumber(const core::Actor& actor, std::string_view label, std::string_view ticketNumber,
                                                 core::Timestamp now) {
    if (auto ok = admin_numbers::RequireQueue(m_options.queue); !ok) return std::unexpected(ok.error());
    return QueueBook(m_db, *m_options.queue, m_roles, m_options.utcOffset).Link(label, ticketNumber, actor, now);
}

}  // namespace kiosk::storage
