// Language tags and fallbacks.
#include "kiosk/core/language.hpp"

namespace kiosk::core {

std::optional<Language> ParseLanguage(std::string_view tag) {
    if (tag == "zh-Hans" || tag == "zh-CN" || tag == "zh") return Language::ZhHans;
    if (tag == "zh-Hant" || tag == "zh-TW" || tag == "zh-HK") return Language::ZhHant;
    if (tag == "en" || tag == "en-US" || tag == "en-GB") return Language::En;
    return std::nullopt;
}

std::string_view LanguageTag(Language language) {
    switch (language) {
        case Language::ZhHans: return "zh-Hans";
        case Language::ZhHant: return "zh-Hant";
        case Language::En: return "en";
    }
    return "en";
}

const std::string& LocalizedText::In(Language language) const {
    const std::string* wanted = &en;
    if (language == Language::ZhHans) wanted = &zhHans;
    if (language == Language::ZhHant) wanted = &zhHant;
    if (!wanted->empty()) return *wanted;
    return en.empty() ? zhHans : en;
}

}  // namespace kiosk::core
