// A fresh directory under the system temporary directory, removed with everything in it at the end.
// Shared by the tests and the benchmarks.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace kiosk::testing {

class TempDir {
public:
    // Throws std::runtime_error when the directory cannot be created: nothing can run without it.
    explicit TempDir(std::string_view prefix = "kiosk") {
        std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("cannot create a temporary directory from " + pattern);
        }
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& Path() const { return m_path; }
    std::filesystem::path File(std::string_view name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

}  // namespace kiosk::testing
