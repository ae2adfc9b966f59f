// Loading the kiosk's three .po catalogs.
#include "ui/i18n/translations.hpp"

namespace kiosk::ui {

core::Result<Translations> Translations::Load(const std::filesystem::path& dir) {
    Translations translations;
    const std::pair<core::Language, const char*> files[] = {
        {core::Language::ZhHans, "zh_CN.po"}, {core::Language::ZhHant, "zh_TW.po"}, {core::Language::En, "en.po"}};
    for (const auto& [language, file] : files) {
        auto catalog = PoCatalog::Load(dir / file);
        if (!catalog) return std::unexpected(catalog.error());
        translations.m_catalogs[static_cast<std::size_t>(language)] = std::move(*catalog);
    }
    return translations;
}

}  // namespace kiosk::ui
