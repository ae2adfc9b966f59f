// Turns HID POS (usage page 0x8C) scanner reports into scans: a pure class, bytes and time points in,
// codes with their AIM symbology id out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "drivers/scanner/scan_clock.hpp"
#include "kiosk/core/scan.hpp"

namespace kiosk::drivers {

struct HidPosOptions {
    // A continued code whose next report does not come within this time is dropped.
    std::chrono::milliseconds continuationTimeout{500};
    std::size_t maxLength = 8192;
};

// The common 64-byte input report (Honeywell layout, also used by Access-IS and others):
//   [0] report id 0x02, [1] data length (0..56), [2..4] AIM symbology id (']' 'Q' '1', or zeros),
//   [5..60] data, [61] further symbology id, [62] reserved, [63] bit 0 set = more data follows.
// Reports that continue a code are joined; the AIM id of the first report is kept.
class HidPosDecoder {
public:
    static constexpr std::size_t kReportSize = 64;
    static constexpr std::uint8_t kReportId = 0x02;
    static constexpr std::size_t kMaxDataPerReport = 56;

    explicit HidPosDecoder(HidPosOptions options = {});

    // Returns the scan when a report without the continuation flag completes it. Reports of another
    // size, another report id or an impossible length are counted as malformed and ignored; a
    // malformed report in the middle of a code drops that code.
    std::optional<core::ScanInput> Feed(std::span<const std::uint8_t> report, ScanClock::time_point at);

    bool Expire(ScanClock::time_point now);
    bool Reset();

    bool Pending() const { return m_started; }
    std::size_t MalformedReports() const { return m_malformed; }
    std::size_t DroppedCodes() const { return m_dropped; }

private:
    void Drop();

    HidPosOptions m_options;
    bool m_started = false;
    core::ScanInput m_code;
    ScanClock::time_point m_last{};
    std::size_t m_malformed = 0;
    std::size_t m_dropped = 0;
};

}  // namespace kiosk::drivers
