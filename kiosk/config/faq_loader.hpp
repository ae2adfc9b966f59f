// Reads the self-help data (assets/faq.toml, or the version head office published) into the flow's
// FaqCatalog.
#pragma once

#include <filesystem>
#include <string_view>

#include "kiosk/core/error.hpp"
#include "kiosk/core/flow/faq.hpp"

namespace kiosk::config {

// Fails with NotFound when the file cannot be read, InvalidInput "FILE:LINE:COLUMN: what" for bad
// TOML, a missing id, label or language, or an id used twice.
core::Result<core::flow::FaqCatalog> LoadFaqFile(const std::filesystem::path& path);
// The same for a text (a version head office published); `sourceName` stands for FILE.
core::Result<core::flow::FaqCatalog> ParseFaq(std::string_view tomlText, std::string_view sourceName);

}  // namespace kiosk::config
