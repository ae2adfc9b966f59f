// Random UUIDs for record ids (internal to storage).
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::storage {

// A random (version 4) UUID in its 36-character text form. Fails with Unavailable when the system
// random source cannot be read.
core::Result<std::string> RandomUuid();

}  // namespace kiosk::storage
