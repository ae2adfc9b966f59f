// The stop-signal thread: sigtimedwait on the blocked SIGTERM and SIGINT, and a handler for a signal
// delivered to a thread that does not block them.
#include "kiosk/app/stop_signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <ctime>

namespace kiosk::app {
namespace {

// Set by the handler: the only thing it does, as only async-signal-safe work is allowed there.
std::atomic<int> g_caught{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void CatchStopSignal(int signal) { g_caught.store(signal); }

sigset_t StopSet() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

}  // namespace

StopSignals::StopSignals() {
    const sigset_t set = StopSet();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // Threads a library started before main() do not block the signals, and the kernel may hand a
    // process-wide signal to any of them: there the handler notes it, instead of the default action
    // ending the process without a clean stop.
    struct sigaction action {};
    action.sa_handler = CatchStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

StopSignals::~StopSignals() {
    m_stopping = true;
    if (m_thread.joinable()) m_thread.join();
}

void StopSignals::Start(std::function<void()> wake) {
    m_thread = std::thread([this, wake = std::move(wake)] {
        const sigset_t set = StopSet();
        // A short timeout, so the destructor's request is seen without a signal of its own.
        const timespec timeout{0, 200'000'000};
        while (!m_stopping) {
            int signal = sigtimedwait(&set, nullptr, &timeout);
            if (signal <= 0) signal = g_caught.exchange(0);
            if (signal <= 0) continue;
            m_signal = signal;
            m_requested = true;
            wake();
        }
    });
}

}  // namespace kiosk::app
