// What the ingest service's handlers share (internal to head office): JSON replies, and lower-casing
// of header values and ids that the protocol compares without regard to case.
#pragma once

#include <cctype>
#include <string>

#include "sync/headoffice/ingest_service.hpp"

namespace kiosk::sync::headoffice {

inline Reply JsonReply(int status, std::string body) { return Reply{status, std::move(body), "application/json", {}}; }

inline Reply ErrorJson(int status, ErrorReply error) { return JsonReply(status, EncodeError(error)); }

inline std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace kiosk::sync::headoffice
