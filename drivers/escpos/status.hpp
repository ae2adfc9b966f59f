// Real-time status (DLE EOT n): the requests and the validation of the one-byte replies.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "kiosk/core/devices.hpp"

namespace kiosk::drivers::escpos {

using core::Result;

// The status kinds the printer is asked about, in order: printer (1), offline cause (2), error
// cause (3), paper roll sensor (4).
inline constexpr int kStatusKinds[] = {1, 2, 3, 4};

// Folds one reply into `status`. Fails with InvalidInput when `reply` is not exactly one byte or the
// byte breaks the fixed pattern 0xx1xx10 every DLE EOT reply carries (a stale or garbled reply), or
// `n` is not 1-4.
Result<void> ApplyStatusReply(int n, std::span<const std::uint8_t> reply, core::PrinterStatus& status);

// Reads all four replies (1, 2, 3, 4 in that order) into a status; `online` is true only when every
// reply was valid and the printer says it is online.
Result<core::PrinterStatus> ParseStatusReplies(std::span<const std::uint8_t> replies);

}  // namespace kiosk::drivers::escpos
