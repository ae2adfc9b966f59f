// The stop-signal thread: sigtimedwait on the blocked SIGTERM and SIGINT.
#include "kiosk/app/stop_signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <ctime>

namespace kiosk::app {
namespace {

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
            const int signal = sigtimedwait(&set, nullptr, &timeout);
            if (signal <= 0) continue;
            m_signal = signal;
            m_requested = true;
            wake();
        }
    });
}

}  // namespace kiosk::app
