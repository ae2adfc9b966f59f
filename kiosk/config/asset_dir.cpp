// Finding the data files for a program run from the build tree or from an installed package.
#include "kiosk/config/asset_dir.hpp"

#include <cstdlib>
#include <system_error>

namespace kiosk::config {

std::filesystem::path ResolveAssetDir(const std::filesystem::path& buildDefault) {
    if (const char* env = std::getenv("KIOSK_ASSET_DIR"); env != nullptr && *env != '\0') return env;
    std::error_code ec;
    const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path installed = program.parent_path().parent_path() / "share" / "service-kiosk";
        if (std::filesystem::is_regular_file(installed / "lifecycle.toml", ec)) return installed;
    }
    return buildDefault;
}

}  // namespace kiosk::config
