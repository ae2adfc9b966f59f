// ESC/POS real-time status replies (DLE EOT n) as a printer might send them, garbled or not.
#include "drivers/escpos/status.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::FuzzInput input(data, size);
    const int n = input.Byte() % 6;
    kiosk::core::PrinterStatus status;
    kiosk::drivers::escpos::ApplyStatusReply(n, input.Rest(), status);
    kiosk::drivers::escpos::ParseStatusReplies(input.Rest());
    return 0;
}
