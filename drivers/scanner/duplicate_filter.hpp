// Counts the same code read again within a short window once: scanners and cameras repeat reads
// while a code stays in view.
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include "drivers/scanner/scan_clock.hpp"

namespace kiosk::drivers {

class DuplicateFilter {
public:
    explicit DuplicateFilter(std::chrono::milliseconds window = std::chrono::milliseconds(1500)) : m_window(window) {}

    // True when `text` was not seen within the window before `at`. A suppressed repeat extends the
    // window, so a code held in front of a camera counts once until it has been away for a window.
    bool Accept(const std::string& text, ScanClock::time_point at);

private:
    std::chrono::milliseconds m_window;
    std::unordered_map<std::string, ScanClock::time_point> m_lastSeen;
};

}  // namespace kiosk::drivers
