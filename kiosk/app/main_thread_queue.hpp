// Work handed from other threads (printer, scanner) to the UI thread. Posting wakes the SDL loop
// with a registered user event, so the loop can sleep until something happens.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace kiosk::app {

class MainThreadQueue {
public:
    // `wakeEventType` from SDL_RegisterEvents; 0 posts without waking (tests).
    explicit MainThreadQueue(std::uint32_t wakeEventType) : m_wakeEventType(wakeEventType) {}

    // Thread-safe.
    void Post(std::function<void()> work);
    // Runs what was posted, on the calling (main) thread. Returns whether anything ran.
    bool Drain();

private:
    std::uint32_t m_wakeEventType;
    std::mutex m_mutex;
    std::vector<std::function<void()>> m_work;
};

}  // namespace kiosk::app
