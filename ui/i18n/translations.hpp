// The three catalogs the kiosk speaks, loaded together from assets/i18n.
#pragma once

#include <array>
#include <filesystem>

#include "kiosk/core/language.hpp"
#include "ui/i18n/po_catalog.hpp"

namespace kiosk::ui {

class Translations {
public:
    // Reads zh_CN.po, zh_TW.po and en.po from `dir`; fails with the first file that does not load.
    static core::Result<Translations> Load(const std::filesystem::path& dir);

    const PoCatalog& Get(core::Language language) const { return m_catalogs[static_cast<std::size_t>(language)]; }

private:
    std::array<PoCatalog, 3> m_catalogs;  // indexed by core::Language
};

}  // namespace kiosk::ui
