// Tells systemd the kiosk is up and that its main loop is still turning (sd_notify READY and WATCHDOG);
// does nothing when the kiosk was not started by a unit with Type=notify and WatchdogSec=.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace kiosk::app {

class Watchdog {
public:
    // Hands a ping to the main loop; the ping only reaches systemd when the loop runs it.
    using PostToLoop = std::function<void(std::function<void()>)>;

    Watchdog() = default;
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;
    ~Watchdog();

    // READY=1 once, and from then on a ping posted to the loop every half watchdog period. A timer
    // thread only posts: a frozen loop never pings, so systemd restarts the kiosk.
    void Start(PostToLoop post);
    // STOPPING=1 and the timer thread ends; the destructor does this too.
    void Stop();

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_timer;
};

}  // namespace kiosk::app
