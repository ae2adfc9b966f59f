// The service's counters, per server process, in Prometheus text exposition.
#include "sync/headoffice/ingest_service.hpp"

namespace kiosk::sync::headoffice {

void IngestService::Count(const std::string& name, std::int64_t by) {
    std::lock_guard lock(m_mutex);
    m_counters[name] += by;
}

std::string IngestService::Metrics() {
    std::lock_guard lock(m_mutex);
    std::string out;
    std::string lastName;
    for (const auto& [name, value] : m_counters) {
        const std::string bare = name.substr(0, name.find('{'));
        if (bare != lastName) out += "# TYPE " + bare + " counter\n";
        lastName = bare;
        out += name + " " + std::to_string(value) + "\n";
    }
    return out;
}

}  // namespace kiosk::sync::headoffice
