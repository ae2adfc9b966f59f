// The main-thread queue and its SDL wake-up.
#include "kiosk/app/main_thread_queue.hpp"

#include <SDL.h>

namespace kiosk::app {

void MainThreadQueue::Post(std::function<void()> work) {
    {
        std::lock_guard lock(m_mutex);
        m_work.push_back(std::move(work));
    }
    if (m_wakeEventType != 0) {
        SDL_Event event{};
        event.type = m_wakeEventType;
        SDL_PushEvent(&event);  // documented as thread-safe
    }
}

bool MainThreadQueue::Drain() {
    std::vector<std::function<void()>> work;
    {
        std::lock_guard lock(m_mutex);
        work.swap(m_work);
    }
    for (auto& w : work) w();
    return !work.empty();
}

}  // namespace kiosk::app
