// Repeat suppression by last-seen time.
#include "drivers/scanner/duplicate_filter.hpp"

#include <iterator>

namespace kiosk::drivers {

bool DuplicateFilter::Accept(const std::string& text, ScanClock::time_point at) {
    std::erase_if(m_lastSeen, [&](const auto& entry) { return at - entry.second > m_window; });
    auto [it, inserted] = m_lastSeen.try_emplace(text, at);
    it->second = at;
    return inserted;
}

}  // namespace kiosk::drivers
