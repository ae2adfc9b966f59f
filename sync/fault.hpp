// Named crash points for the fault-injection tests: when KIOSK_SYNC_FAULT names a point, the process
// kills itself there with SIGKILL, as a power cut or an OOM kill would.
#pragma once

#include <csignal>
#include <cstdlib>
#include <string_view>

namespace kiosk::sync {

inline void FaultPoint(std::string_view name) {
    const char* wanted = std::getenv("KIOSK_SYNC_FAULT");
    if (wanted != nullptr && name == wanted) std::raise(SIGKILL);
}

}  // namespace kiosk::sync
