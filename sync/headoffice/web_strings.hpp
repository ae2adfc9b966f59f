// Every word the dashboard shows, in Simplified Chinese and English, in one table.
#pragma once

#include <string_view>

namespace kiosk::sync::headoffice {

enum class WebLang { Zh, En };

// The text of `key` in `lang`; an unknown key comes back as itself, so a missing entry is visible.
std::string_view Tr(WebLang lang, std::string_view key);
// The label of an id a kiosk stores (customer tier, remedy, problem category, service channel) in
// `lang`: "vip" is "VIP customer" / "VIP 客户". An unknown id comes back as itself.
std::string_view Label(WebLang lang, std::string_view id);

}  // namespace kiosk::sync::headoffice
