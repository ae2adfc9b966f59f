// SHA-256 for the event hash chain and random UUIDs for record ids (internal to storage).
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::storage {

// Lower-case hex SHA-256 of `data`: 64 characters. Fails with Unavailable when OpenSSL cannot hash.
core::Result<std::string> Sha256Hex(std::string_view data);

// A random (version 4) UUID in its 36-character text form. Fails with Unavailable when the system
// random source cannot be read.
core::Result<std::string> RandomUuid();

}  // namespace kiosk::storage
