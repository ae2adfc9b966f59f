// Record ids and batch keys: random (version 4) UUIDs in their 36-character text form.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::wire {

// A UUID in its 36-character text form, hex digits in either case.
bool IsUuid(std::string_view text);

// A new random UUID, lower-case. Fails with Unavailable when the system random source cannot be read.
core::Result<std::string> RandomUuid();

}  // namespace kiosk::wire
