// Who may print the jobs in a kiosk database's print queue: one process at a time, the kiosk's
// print worker or a one-shot `kioskctl receipt print`. The owner holds an exclusive flock on a file
// beside the database; the kernel drops it when the process ends, however it ends. Because only the
// owner marks jobs printing, a job found `printing` by a new owner was left by a process that died
// mid-job, and recovery can give it up without racing a live printer.
#pragma once

#include <chrono>
#include <filesystem>

#include "kiosk/core/error.hpp"

namespace kiosk::storage {

class PrintQueueOwner {
public:
    // Takes ownership of the queue of `database`, waiting up to `wait` for another owner to let go.
    // Busy when another process still owns it then; Storage when the lock file cannot be opened.
    static core::Result<PrintQueueOwner> Acquire(const std::filesystem::path& database,
                                                 std::chrono::milliseconds wait = std::chrono::milliseconds{0});
    // The lock file for `database`: DATABASE.print-owner.
    static std::filesystem::path LockFile(const std::filesystem::path& database);

    PrintQueueOwner(PrintQueueOwner&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    PrintQueueOwner& operator=(PrintQueueOwner&& other) noexcept;
    PrintQueueOwner(const PrintQueueOwner&) = delete;
    PrintQueueOwner& operator=(const PrintQueueOwner&) = delete;
    ~PrintQueueOwner();

private:
    explicit PrintQueueOwner(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

}  // namespace kiosk::storage
