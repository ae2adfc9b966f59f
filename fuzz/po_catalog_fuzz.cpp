// Loading a translation catalog (.po): any text parses or is refused with a reason.
#include <cstdlib>
#include <string_view>

#include "ui/i18n/po_catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto catalog = kiosk::ui::PoCatalog::Parse(text, "fuzz.po");
    if (!catalog && catalog.error().message.empty()) std::abort();
    if (catalog) catalog->Translate(text.substr(0, 16));
    return 0;
}
