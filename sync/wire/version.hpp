// The version of the kiosk ⇄ head-office protocol that every request states (docs/sync-protocol.md).
#pragma once

namespace kiosk::wire {

inline constexpr int kProtocolVersion = 1;

}  // namespace kiosk::wire
