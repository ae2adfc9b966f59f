// Every word the dashboard shows, in Simplified Chinese and English, in one table.
#pragma once

#include <string_view>

namespace kiosk::sync::headoffice {

enum class WebLang { Zh, En };

// The text of `key` in `lang`; an unknown key comes back as itself, so a missing entry is visible.
std::string_view Tr(WebLang lang, std::string_view key);

}  // namespace kiosk::sync::headoffice
