// Turns HID boot-keyboard reports from a keyboard-mode scanner into scanned codes: a pure class,
// bytes and time points in, codes out, so it can be tested and fuzzed without a device.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "drivers/scanner/scan_clock.hpp"

namespace kiosk::drivers {

// The scanner's "keyboard country" setting: which character a usage id means.
enum class KeyboardLayout { Us, German };

struct BootKeyboardOptions {
    KeyboardLayout layout = KeyboardLayout::Us;
    // A code whose next key does not come within this time is half-read and dropped.
    std::chrono::milliseconds interKeyTimeout{200};
    std::size_t maxLength = 1024;  // longer input is dropped as noise
};

class BootKeyboardDecoder {
public:
    explicit BootKeyboardDecoder(BootKeyboardOptions options = {});

    // Feeds one 8-byte report [modifiers, reserved, key1..key6]. A key counts only when it is newly
    // pressed compared with the previous report, so "11" (press, release, press) gives two characters
    // and a held key gives one. Returns the code when Enter, keypad Enter or Tab ends it (empty codes
    // are not returned). Reports of another size and rollover-error reports are ignored.
    std::optional<std::string> Feed(std::span<const std::uint8_t> report, ScanClock::time_point at);

    // Drops a half-read code whose last key is older than the timeout; true when one was dropped.
    bool Expire(ScanClock::time_point now);
    // Forgets everything (the device went away mid-code); true when a half-read code was dropped.
    bool Reset();

    bool Pending() const { return !m_code.empty(); }
    std::size_t DroppedCodes() const { return m_dropped; }

    // The character for a usage id under a layout, or 0 when the key prints nothing (exposed for tests).
    static char CharacterFor(std::uint8_t usage, bool shift, KeyboardLayout layout);

private:
    BootKeyboardOptions m_options;
    std::uint8_t m_previous[6] = {};
    std::string m_code;
    ScanClock::time_point m_lastKey{};
    std::size_t m_dropped = 0;
};

}  // namespace kiosk::drivers
