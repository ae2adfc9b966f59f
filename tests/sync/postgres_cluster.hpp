// A throwaway PostgreSQL cluster on loopback for the tests that run head office on PostgreSQL; they
// exit with 77 (SKIP) when PostgreSQL is not installed.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "storage/storage_test_support.hpp"

namespace kiosk::sync::test {

inline constexpr int kSkip = 77;
inline const std::filesystem::path kPgBin = "/usr/lib/postgresql/15/bin";

// Runs a command, as the postgres user when we are root (PostgreSQL refuses to run as root).
inline int RunAsPostgres(const std::string& command) {
    const std::string full = geteuid() == 0 ? "runuser -u postgres -- " + command : command;
    return std::system((full + " >/dev/null 2>&1").c_str());
}

class PostgresCluster {
public:
    PostgresCluster() {
        m_dir = m_temp.Path() / "pg";
        std::filesystem::create_directory(m_dir);
        chmod(m_temp.Path().c_str(), 0755);
        if (geteuid() == 0) REQUIRE(std::system(("chown postgres " + m_dir.string()).c_str()) == 0);
        REQUIRE(RunAsPostgres((kPgBin / "initdb").string() + " -D " + (m_dir / "data").string() + " -A trust -U postgres") == 0);
        // A port from the process id; when another cluster on the machine holds it, the next one.
        for (int attempt = 0; attempt < 5 && !m_started; ++attempt) {
            m_port = 20000 + static_cast<int>((getpid() + attempt * 4099) % 20000);
            const std::string options = "-c listen_addresses=127.0.0.1 -k " + m_dir.string() + " -p " + std::to_string(m_port) +
                                        " -c fsync=on -c max_connections=50";
            m_started = RunAsPostgres((kPgBin / "pg_ctl").string() + " -D " + (m_dir / "data").string() + " -l " +
                                      (m_dir / "log").string() + " -w -o \"" + options + "\" start") == 0;
            if (!m_started) WARN("PostgreSQL did not start on port " << m_port << ":\n" << LogText());
        }
        REQUIRE(m_started);
    }
    ~PostgresCluster() {
        if (m_started) RunAsPostgres((kPgBin / "pg_ctl").string() + " -D " + (m_dir / "data").string() + " -m immediate -w stop");
    }
    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

    std::string Url() const { return "postgresql://postgres@127.0.0.1:" + std::to_string(m_port) + "/postgres"; }

private:
    std::string LogText() const {
        std::ifstream log(m_dir / "log");
        return std::string(std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>());
    }

    storage::test::TempDir m_temp{"kiosk-pg"};
    std::filesystem::path m_dir;
    int m_port = 0;
    bool m_started = false;
};

}  // namespace kiosk::sync::test
