// The published-data watch's thread: a read of downstream_versions every interval.
#include "kiosk/app/published_watch.hpp"

#include "kiosk/storage/downstream.hpp"

namespace kiosk::app {

core::Result<std::unique_ptr<PublishedDataWatch>> PublishedDataWatch::Start(const std::filesystem::path& database,
                                                                            std::function<void()> changed,
                                                                            std::chrono::milliseconds interval) {
    auto db = storage::Database::Open(database);
    if (!db) return std::unexpected(db.error());
    std::unique_ptr<PublishedDataWatch> watch(new PublishedDataWatch(std::move(*db), std::move(changed), interval));
    watch->m_last = watch->Versions();
    watch->m_thread = std::thread([w = watch.get()] {
        std::unique_lock lock(w->m_mutex);
        while (!w->m_wake.wait_for(lock, w->m_interval, [w] { return w->m_stop; })) {
            lock.unlock();
            const std::string now = w->Versions();
            if (!now.empty() && now != w->m_last) {
                w->m_last = now;
                w->m_changed();
            }
            lock.lock();
        }
    });
    return watch;
}

PublishedDataWatch::PublishedDataWatch(storage::Database db, std::function<void()> changed, std::chrono::milliseconds interval)
    : m_db(std::move(db)), m_changed(std::move(changed)), m_interval(interval) {}

PublishedDataWatch::~PublishedDataWatch() {
    {
        const std::scoped_lock lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

std::string PublishedDataWatch::Versions() {
    auto applied = storage::AppliedDatasets(m_db);
    if (!applied) return {};  // busy or unreadable this time: asked again next round
    std::string text = "versions:";
    for (const storage::AppliedDataset& d : *applied) text += " " + d.dataset + " " + std::to_string(d.version) + ";";
    return text;
}

}  // namespace kiosk::app
