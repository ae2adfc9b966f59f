// Self-help data: the problem categories a customer picks from and the suggestions shown before a
// ticket is filed, each in the kiosk's three languages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/language.hpp"

namespace kiosk::core::flow {

struct ProblemCategory {
    std::string id;                         // "battery", "screen", ... stored on the ticket
    LocalizedText label;
    std::vector<LocalizedText> suggestions;  // shown in order, before asking "did this solve it?"
};

struct FaqCatalog {
    std::vector<ProblemCategory> categories;

    // nullptr when no category has this id.
    const ProblemCategory* Find(std::string_view id) const {
        for (const ProblemCategory& category : categories) {
            if (category.id == id) return &category;
        }
        return nullptr;
    }
};

}  // namespace kiosk::core::flow
