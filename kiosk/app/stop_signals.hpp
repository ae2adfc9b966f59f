// SIGTERM and SIGINT end the kiosk cleanly in every mode (fullscreen included, where the window's
// close button is ignored): the signals are blocked in every thread the kiosk starts and taken by one
// thread of this class with sigtimedwait, which records the request and wakes the main loop (a signal
// that lands on a thread some library started before main() is caught by a handler and seen by the
// same thread within 0.2 s). The loop finishes its frame
// and returns; the print worker, the database and the window close as on any other exit.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace kiosk::app {

class StopSignals {
public:
    // Blocks SIGTERM and SIGINT in the calling thread; threads started afterwards inherit the mask,
    // so construct this first thing in main().
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Starts the thread that waits for the signals; `wake` (called on that thread) must be safe to
    // call from any thread, e.g. pushing an SDL event.
    void Start(std::function<void()> wake);
    // Set once a signal arrived; the main loop checks it every turn.
    const std::atomic<bool>& Requested() const { return m_requested; }
    // The signal that arrived, 0 if none.
    int Signal() const { return m_signal.load(); }

private:
    std::atomic<bool> m_requested{false};
    std::atomic<int> m_signal{0};
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
};

}  // namespace kiosk::app
