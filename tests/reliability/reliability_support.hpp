// Helpers for the reliability suites: the run length and seed from the environment, programs run with
// their output captured to a log and killed at a chosen moment, and the checks every harness shares.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/spawn_args.hpp"

namespace kiosk::reliability {

// KIOSK_RELIABILITY_LONG=1 selects the long run; the seed is KIOSK_RELIABILITY_SEED, printed by every
// harness so a failing run can be repeated exactly.
struct RunLength {
    bool longRun = false;
    std::uint64_t seed = 20261122;

    static RunLength FromEnvironment() {
        RunLength length;
        if (const char* value = std::getenv("KIOSK_RELIABILITY_LONG"); value != nullptr && std::string(value) == "1") {
            length.longRun = true;
        }
        if (const char* value = std::getenv("KIOSK_RELIABILITY_SEED"); value != nullptr && *value != '\0') {
            length.seed = std::stoull(value);
        }
        return length;
    }
    int Pick(int shortCount, int longCount) const { return longRun ? longCount : shortCount; }
};

inline std::string ReadAll(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void AppendTo(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << text;
}

struct ProgramRun {
    int status = -1;      // the exit status, or 128 + the signal that ended it
    bool killed = false;  // the harness sent SIGKILL before the program ended by itself
    std::string output;   // stdout and stderr, interleaved
    std::chrono::microseconds elapsed{0};
};

// Runs `args` with stdout and stderr in `logDir`/last-run.log, copied to `logDir`/all-runs.log so the
// whole run's output can be searched afterwards. With `killAfter`, a program still running then is
// killed with SIGKILL: a power cut as far as its files are concerned.
inline ProgramRun RunProgram(const std::vector<std::string>& args, const std::filesystem::path& logDir,
                             std::optional<std::chrono::microseconds> killAfter = std::nullopt,
                             const std::vector<std::string>& extraEnv = {}) {
    const auto outFile = logDir / "last-run.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const kiosk::testing::SpawnArgs spawn(args, extraEnv);
    pid_t pid = -1;
    const auto started = std::chrono::steady_clock::now();
    const int spawned = posix_spawn(&pid, spawn.Argv()[0], &actions, nullptr, spawn.Argv(), spawn.Envp());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);

    ProgramRun run;
    int status = 0;
    if (killAfter) {
        const auto deadline = started + *killAfter;
        while (true) {
            const pid_t done = waitpid(pid, &status, WNOHANG);
            if (done == pid) break;
            if (std::chrono::steady_clock::now() >= deadline) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                run.killed = !(WIFEXITED(status));
                break;
            }
            std::this_thread::sleep_for(std::chrono::microseconds{100});
        }
    } else {
        waitpid(pid, &status, 0);
    }
    run.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.output = ReadAll(outFile);
    std::ostringstream entry;
    for (const auto& a : args) entry << (a.size() > 200 ? a.substr(0, 200) + "..." : a) << ' ';
    entry << "=> " << run.status << (run.killed ? " (killed)" : "") << '\n' << run.output;
    AppendTo(logDir / "all-runs.log", entry.str());
    return run;
}

// How many times `needle` occurs in `haystack`, overlapping matches not counted.
inline int CountOccurrences(const std::string& haystack, const std::string& needle) {
    int count = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) {
        ++count;
    }
    return count;
}

}  // namespace kiosk::reliability
