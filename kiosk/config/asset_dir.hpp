// Where the programs find their data files (policy, SLA, lifecycle, translations, printer profiles).
#pragma once

#include <filesystem>

namespace kiosk::config {

// $KIOSK_ASSET_DIR when set; else `share/service-kiosk` beside the program's own `bin/` when it is there
// (an installed package: /usr/bin/kiosk reads /usr/share/service-kiosk); else `buildDefault`, the
// source tree's assets that a development build was configured with.
std::filesystem::path ResolveAssetDir(const std::filesystem::path& buildDefault);

}  // namespace kiosk::config
