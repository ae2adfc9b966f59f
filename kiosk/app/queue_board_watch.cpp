// The queue board watch's thread: a read of today's board every interval.
#include "kiosk/app/queue_board_watch.hpp"

#include "kiosk/storage/queue_book.hpp"

namespace kiosk::app {

core::Result<std::unique_ptr<QueueBoardWatch>> QueueBoardWatch::Start(
    const std::filesystem::path& database, const core::QueueServices& services, const core::Clock& clock,
    std::chrono::minutes utcOffset, std::function<void(std::vector<core::QueueBoardRow>)> changed,
    std::chrono::milliseconds interval) {
    auto db = storage::Database::Open(database);
    if (!db) return std::unexpected(db.error());
    std::unique_ptr<QueueBoardWatch> watch(
        new QueueBoardWatch(std::move(*db), services, clock, utcOffset, std::move(changed), interval));
    if (auto board = watch->Read()) watch->m_last = std::move(*board);
    watch->m_changed(watch->m_last);
    watch->m_thread = std::thread([w = watch.get()] {
        std::unique_lock lock(w->m_mutex);
        while (!w->m_wake.wait_for(lock, w->m_interval, [w] { return w->m_stop; })) {
            lock.unlock();
            auto now = w->Read();
            if (now && *now != w->m_last) {
                w->m_last = *now;
                w->m_changed(std::move(*now));
            }
            lock.lock();
        }
    });
    return watch;
}

QueueBoardWatch::QueueBoardWatch(storage::Database db, const core::QueueServices& services, const core::Clock& clock,
                                 std::chrono::minutes utcOffset,
                                 std::function<void(std::vector<core::QueueBoardRow>)> changed,
                                 std::chrono::milliseconds interval)
    : m_db(std::move(db)), m_services(&services), m_clock(&clock), m_utcOffset(utcOffset), m_changed(std::move(changed)),
      m_interval(interval) {}

QueueBoardWatch::~QueueBoardWatch() {
    {
        const std::scoped_lock lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

std::optional<std::vector<core::QueueBoardRow>> QueueBoardWatch::Read() {
    storage::QueueBook book(m_db, *m_services, m_noRoles, m_utcOffset);
    auto board = book.Board(m_clock->Now());
    if (!board) return std::nullopt;
    return std::move(*board);
}

}  // namespace kiosk::app
