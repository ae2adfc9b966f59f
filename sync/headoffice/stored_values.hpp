// Lenient readers for values head office stored itself (SQL text columns, JSON payloads it accepted):
// a missing or malformed value reads as empty or 0, since the ingest already validated it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace kiosk::sync::headoffice {

// A column's integer; 0 for NULL (empty) or text that is not one.
inline std::int64_t ToInt(const std::string& text) {
    try {
        return text.empty() ? 0 : std::stoll(text);
    } catch (const std::exception&) {
        return 0;
    }
}

// `object[key]` when it is a string; empty otherwise, and for anything that is not an object.
inline std::string Text(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return {};
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace kiosk::sync::headoffice
