// DLE EOT reply bits as the ESC/POS command reference defines them.
#include "drivers/escpos/status.hpp"

#include <cstdio>
#include <string>

namespace kiosk::drivers::escpos {

using core::ErrorCode;
using core::Fail;

Result<void> ApplyStatusReply(int n, std::span<const std::uint8_t> reply, core::PrinterStatus& status) {
    if (n < 1 || n > 4) return Fail(ErrorCode::InvalidInput, "DLE EOT " + std::to_string(n) + " is not a status request");
    if (reply.size() != 1) {
        return Fail(ErrorCode::InvalidInput, "DLE EOT " + std::to_string(n) + ": expected a 1-byte reply, got " +
                                                 std::to_string(reply.size()) + " bytes");
    }
    const std::uint8_t b = reply[0];
    if ((b & 0x93) != 0x12) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", b);
        return Fail(ErrorCode::InvalidInput, "DLE EOT " + std::to_string(n) + ": reply " + hex +
                                                 " breaks the fixed pattern 0xx1xx10");
    }
    switch (n) {
        case 1: status.online = (b & 0x08) == 0; break;
        case 2:
            status.coverOpen = (b & 0x04) != 0;
            if ((b & 0x20) != 0) status.paperOut = true;
            break;
        case 3:
            status.cutterError = (b & 0x08) != 0;
            break;
        case 4:
            status.paperNearEnd = (b & 0x0C) != 0;
            if ((b & 0x60) != 0) status.paperOut = true;
            break;
        default: break;
    }
    return {};
}

Result<core::PrinterStatus> ParseStatusReplies(std::span<const std::uint8_t> replies) {
    if (replies.size() != std::size(kStatusKinds)) {
        return Fail(ErrorCode::InvalidInput, "expected " + std::to_string(std::size(kStatusKinds)) +
                                                 " status replies, got " + std::to_string(replies.size()));
    }
    core::PrinterStatus status;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        if (auto ok = ApplyStatusReply(kStatusKinds[i], replies.subspan(i, 1), status); !ok) {
            return std::unexpected(ok.error());
        }
    }
    std::string detail = status.online ? "online" : "offline";
    if (status.coverOpen) detail += ", cover open";
    if (status.paperOut) detail += ", paper out";
    else if (status.paperNearEnd) detail += ", paper near end";
    if (status.cutterError) detail += ", cutter error";
    status.detail = detail;
    return status;
}

}  // namespace kiosk::drivers::escpos
