// Reads the self-help data (assets/faq.toml) into the flow's FaqCatalog.
#pragma once

#include <filesystem>

#include "kiosk/core/error.hpp"
#include "kiosk/core/flow/faq.hpp"

namespace kiosk::app {

// Fails with NotFound when the file cannot be read, InvalidInput "FILE:LINE:COLUMN: what" for bad
// TOML, a missing id, label or language, or an id used twice.
core::Result<core::flow::FaqCatalog> LoadFaqFile(const std::filesystem::path& path);

}  // namespace kiosk::app
