// The print queue's owner lock: flock on DATABASE.print-owner, released by the kernel at exit.
#include "kiosk/storage/print_queue_owner.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace kiosk::storage {

std::filesystem::path PrintQueueOwner::LockFile(const std::filesystem::path& database) {
    std::filesystem::path file = database;
    file += ".print-owner";
    return file;
}

core::Result<PrintQueueOwner> PrintQueueOwner::Acquire(const std::filesystem::path& database,
                                                       std::chrono::milliseconds wait) {
    const std::filesystem::path file = LockFile(database);
    // Read-only is enough for flock, so a lock file another user created still opens.
    const int fd = ::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0664);
    if (fd < 0) {
        return core::Fail(core::ErrorCode::Storage, file.string() + ": cannot open the print queue's lock: " + std::strerror(errno));
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        if (error == EINTR) continue;
        if (error != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            if (error != EWOULDBLOCK) {
                return core::Fail(core::ErrorCode::Storage, file.string() + ": cannot lock the print queue: " + std::strerror(error));
            }
            return core::Fail(core::ErrorCode::Busy, "another process (the kiosk's print worker, or another kioskctl) is printing from " +
                                                         database.string());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    return PrintQueueOwner(fd);
}

PrintQueueOwner& PrintQueueOwner::operator=(PrintQueueOwner&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

PrintQueueOwner::~PrintQueueOwner() {
    if (m_fd >= 0) ::close(m_fd);
}

}  // namespace kiosk::storage
