// The receipt emulator's ESC/POS interpreter on arbitrary bytes, at both paper widths and every CJK mode.
#include "drivers/emulator/receipt_emulator.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::FuzzInput input(data, size);
    const std::uint8_t mode = input.Byte();
    kiosk::drivers::emulator::EmulatorOptions options;
    options.dots = (mode & 1) != 0 ? 384 : 576;
    options.cjk = (mode & 6) == 0   ? kiosk::drivers::escpos::CjkMode::Gb18030
                  : (mode & 6) == 2 ? kiosk::drivers::escpos::CjkMode::Big5
                                    : kiosk::drivers::escpos::CjkMode::None;
    kiosk::drivers::emulator::Render(input.Rest(), options);
    return 0;
}
