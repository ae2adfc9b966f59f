// Tells a keyboard-wedge scanner's burst from a person typing, from text events and their times: a
// pure class the application feeds from its text-input events (no UI library here).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "drivers/scanner/scan_clock.hpp"
#include "kiosk/core/devices.hpp"

namespace kiosk::drivers {

struct WedgeOptions {
    // Scanners send a character every few milliseconds; people rarely type two keys within 40 ms,
    // and never a whole code that way.
    std::chrono::milliseconds maxInterKeyGap{40};
    std::size_t minScanLength = 4;  // characters before Enter for a burst to count as a scan
    std::size_t maxScanLength = 1024;
};

struct TypedText { std::string text; };   // belongs to the focused text field
struct TypedEnter {};                      // a person pressed Enter
struct WedgeScan { std::string text; };    // a scanner burst, control characters stripped
using WedgeOutput = std::variant<TypedText, TypedEnter, WedgeScan>;

// Characters are held back for at most maxInterKeyGap: if the next one comes sooner they may be a
// scan; otherwise they are released as typing. So a scan never reaches a text field and a person's
// typing is delayed by at most one gap.
class KeyboardWedgeDecoder {
public:
    explicit KeyboardWedgeDecoder(WedgeOptions options = {});

    // UTF-8 text from one text-input event.
    std::vector<WedgeOutput> Text(std::string_view utf8, ScanClock::time_point at);
    // The Enter (or keypad Enter) key.
    std::vector<WedgeOutput> Enter(ScanClock::time_point at);
    // Releases held characters once their gap has passed; call from the event loop's timeout.
    std::vector<WedgeOutput> Poll(ScanClock::time_point now);
    // When Poll next has something to release, if anything is held.
    std::optional<ScanClock::time_point> NextDeadline() const;

private:
    void Release(std::vector<WedgeOutput>& out);

    WedgeOptions m_options;
    std::string m_held;
    std::size_t m_heldCharacters = 0;
    ScanClock::time_point m_last{};
};

// The wedge as a barcode source: scans go to the sink given to Start, typing is returned to the caller.
class KeyboardWedgeSource final : public core::BarcodeSource {
public:
    explicit KeyboardWedgeSource(WedgeOptions options = {}) : m_decoder(options) {}
    core::Result<void> Start(std::function<void(const core::ScanEvent&)> sink) override;
    void Stop() override;

    // Feed the application's events; what comes back is typing for the UI (TypedText, TypedEnter).
    std::vector<WedgeOutput> Text(std::string_view utf8, ScanClock::time_point at);
    std::vector<WedgeOutput> Enter(ScanClock::time_point at);
    std::vector<WedgeOutput> Poll(ScanClock::time_point now);
    // When Poll next has something to release, if anything is held.
    std::optional<ScanClock::time_point> NextDeadline() const { return m_decoder.NextDeadline(); }

private:
    std::vector<WedgeOutput> Deliver(std::vector<WedgeOutput> outputs);

    KeyboardWedgeDecoder m_decoder;
    std::function<void(const core::ScanEvent&)> m_sink;
};

}  // namespace kiosk::drivers
