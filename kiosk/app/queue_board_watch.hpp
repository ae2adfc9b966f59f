// Watches the kiosk database for the queue board ("now serving" and how many wait per service): staff
// call numbers in admin mode or with `kioskctl queue`, another connection or process. Every couple of
// seconds the watch reads the board and, only when it changed, hands it over, so an idle attract screen
// still draws nothing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "kiosk/core/admin/permissions.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/queue_numbers.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::app {

class QueueBoardWatch {
public:
    // Opens its own connection to `database`; `changed` gets the board now (on the calling thread) and
    // after each later read that differs (on the watch's thread). `services` and `clock` must outlive the
    // watch; the clock decides the local day at `utcOffset`.
    static core::Result<std::unique_ptr<QueueBoardWatch>> Start(
        const std::filesystem::path& database, const core::QueueServices& services, const core::Clock& clock,
        std::chrono::minutes utcOffset, std::function<void(std::vector<core::QueueBoardRow>)> changed,
        std::chrono::milliseconds interval = std::chrono::seconds{2});
    ~QueueBoardWatch();
    QueueBoardWatch(const QueueBoardWatch&) = delete;
    QueueBoardWatch& operator=(const QueueBoardWatch&) = delete;

private:
    QueueBoardWatch(storage::Database db, const core::QueueServices& services, const core::Clock& clock,
                    std::chrono::minutes utcOffset, std::function<void(std::vector<core::QueueBoardRow>)> changed,
                    std::chrono::milliseconds interval);
    // The board now; nullopt when the database cannot be read this time (asked again next round).
    std::optional<std::vector<core::QueueBoardRow>> Read();

    storage::Database m_db;
    const core::QueueServices* m_services;
    const core::Clock* m_clock;
    std::chrono::minutes m_utcOffset;
    core::admin::RoleTable m_noRoles;  // the board is read only: nobody acts through this book
    std::function<void(std::vector<core::QueueBoardRow>)> m_changed;
    std::chrono::milliseconds m_interval;
    std::vector<core::QueueBoardRow> m_last;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk::app
