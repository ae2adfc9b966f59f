// Names of error codes, as printed in logs and command-line errors.
#include "kiosk/core/error.hpp"

namespace kiosk::core {

std::string_view ToString(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidInput: return "invalid input";
        case ErrorCode::NotFound: return "not found";
        case ErrorCode::Conflict: return "conflict";
        case ErrorCode::Forbidden: return "forbidden";
        case ErrorCode::Busy: return "busy";
        case ErrorCode::Storage: return "storage error";
        case ErrorCode::Corrupt: return "corrupt";
        case ErrorCode::Unavailable: return "unavailable";
    }
    return "unknown error";
}

}  // namespace kiosk::core
