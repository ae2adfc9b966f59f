// HID reports from USB scanners: boot-keyboard reports (both layouts) and HID POS reports, with the
// time between reports taken from the input so timeouts and continuations are reached too.
#include <chrono>
#include <cstdlib>

#include "drivers/scanner/boot_keyboard_decoder.hpp"
#include "drivers/scanner/hid_pos_decoder.hpp"
#include "fuzz_input.hpp"
#include "kiosk/core/scan.hpp"

using namespace kiosk::drivers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::FuzzInput input(data, size);
    const std::uint8_t mode = input.Byte();
    ScanClock::time_point at{};
    if ((mode & 1) == 0) {
        BootKeyboardDecoder decoder({(mode & 2) != 0 ? KeyboardLayout::German : KeyboardLayout::Us,
                                     std::chrono::milliseconds{200}, 64});
        while (!input.Empty()) {
            at += std::chrono::milliseconds{input.Byte()};
            const std::size_t length = (mode & 4) != 0 ? input.Byte() % 12 : 8;
            if (auto code = decoder.Feed(input.Take(length), at)) {
                if (code->empty() || code->size() > 64) std::abort();
                kiosk::core::ClassifyScan({*code, ""});
            }
            if ((mode & 8) != 0) decoder.Expire(at);
        }
    } else {
        HidPosDecoder decoder({std::chrono::milliseconds{500}, 1000});
        while (!input.Empty()) {
            at += std::chrono::milliseconds{input.Byte() * 4};
            const std::size_t length = (mode & 4) != 0 ? input.Byte() % 80 : HidPosDecoder::kReportSize;
            if (auto scan = decoder.Feed(input.Take(length), at)) {
                if (scan->text.size() > 1000) std::abort();
                kiosk::core::ClassifyScan(*scan);
            }
            if ((mode & 8) != 0) decoder.Expire(at);
        }
    }
    return 0;
}
