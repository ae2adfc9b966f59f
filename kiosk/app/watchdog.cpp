// The systemd notification socket, through libsystemd; every call is a no-op outside a notify unit.
#include "kiosk/app/watchdog.hpp"

#include <systemd/sd-daemon.h>

#include <cstdint>

namespace kiosk::app {

Watchdog::~Watchdog() { Stop(); }

void Watchdog::Start(PostToLoop post) {
    sd_notify(0, "READY=1");
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
    const std::chrono::microseconds interval{static_cast<std::int64_t>(usec / 2)};
    m_timer = std::thread([this, interval, post = std::move(post)] {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, interval, [this] { return m_stopping; })) {
            post([] { sd_notify(0, "WATCHDOG=1"); });
        }
    });
}

void Watchdog::Stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_timer.joinable()) m_timer.join();
    sd_notify(0, "STOPPING=1");
}

}  // namespace kiosk::app
