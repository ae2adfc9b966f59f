// The kiosk's three languages and text that carries a version in each.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

enum class Language { ZhHans, ZhHant, En };

// "zh-Hans", "zh-Hant", "en" (also "zh-CN", "zh-TW", "zh-HK").
std::optional<Language> ParseLanguage(std::string_view tag);
std::string_view LanguageTag(Language language);

struct LocalizedText {
    std::string zhHans;
    std::string zhHant;
    std::string en;

    // The text in `language`, falling back to English, then Simplified Chinese, when it is missing.
    const std::string& In(Language language) const;
    friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

}  // namespace kiosk::core
