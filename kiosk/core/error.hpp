// Errors as values: every operation that can fail at run time returns Result<T>.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace kiosk::core {

enum class ErrorCode {
    InvalidInput,  // the caller gave something malformed: a bad GTIN, date, CSV line, config value
    NotFound,      // the thing asked for does not exist
    Conflict,      // it exists already, or the change contradicts the current state
    Forbidden,     // the actor's role may not do this
    Busy,          // a resource is locked; trying again later may succeed
    Storage,       // the database failed (I/O, full disk, constraint)
    Corrupt,       // stored data fails an integrity check
    Unavailable,   // a device or service is not there
};

struct Error {
    ErrorCode code;
    std::string message;  // for staff and logs: says what and where; never shown to customers as is
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string message) {
    return std::unexpected(Error{code, std::move(message)});
}

std::string_view ToString(ErrorCode code);

}  // namespace kiosk::core
