// Watches the kiosk database for data head office published: `kioskctl sync run` (the kiosk-sync
// service, another process) applies it there. Every few seconds the watch reads the applied versions
// and, when they changed, tells the kiosk, which puts them in force between sessions.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "kiosk/core/error.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::app {

class PublishedDataWatch {
public:
    // Opens its own connection to `database` and reads the versions in place now; `changed` is called
    // on the watch's thread after each later read that differs.
    static core::Result<std::unique_ptr<PublishedDataWatch>> Start(const std::filesystem::path& database,
                                                                   std::function<void()> changed,
                                                                   std::chrono::milliseconds interval = std::chrono::seconds{5});
    ~PublishedDataWatch();
    PublishedDataWatch(const PublishedDataWatch&) = delete;
    PublishedDataWatch& operator=(const PublishedDataWatch&) = delete;

private:
    PublishedDataWatch(storage::Database db, std::function<void()> changed, std::chrono::milliseconds interval);
    // "catalog 4, policy 2, ..." as applied now; empty when the database cannot be read this time.
    std::string Versions();

    storage::Database m_db;
    std::function<void()> m_changed;
    std::chrono::milliseconds m_interval;
    std::string m_last;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace kiosk::app
