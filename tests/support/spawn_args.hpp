// The argv and envp arrays posix_spawn takes, for tests that start the project's programs: the
// arguments as given, and this process's environment plus extra NAME=VALUE entries.
#pragma once

#include <string>
#include <vector>

#include <unistd.h>

namespace kiosk::testing {

class SpawnArgs {
public:
    SpawnArgs(const std::vector<std::string>& args, const std::vector<std::string>& extraEnv)
        : m_args(args) {
        for (char** e = environ; *e != nullptr; ++e) m_env.emplace_back(*e);
        m_env.insert(m_env.end(), extraEnv.begin(), extraEnv.end());
        for (auto& a : m_args) m_argv.push_back(a.data());
        m_argv.push_back(nullptr);
        for (auto& e : m_env) m_envp.push_back(e.data());
        m_envp.push_back(nullptr);
    }
    SpawnArgs(const SpawnArgs&) = delete;
    SpawnArgs& operator=(const SpawnArgs&) = delete;

    char* const* Argv() const { return m_argv.data(); }
    char* const* Envp() const { return m_envp.data(); }

private:
    std::vector<std::string> m_args;
    std::vector<std::string> m_env;
    std::vector<char*> m_argv;
    std::vector<char*> m_envp;
};

}  // namespace kiosk::testing
