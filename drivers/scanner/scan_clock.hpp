// The clock the scanner decoders measure key timing with; decoders take time points as input so
// tests drive them without waiting.
#pragma once

#include <chrono>

namespace kiosk::drivers {

using ScanClock = std::chrono::steady_clock;

}  // namespace kiosk::drivers
