// Scan classification: any text with any AIM symbology id gets a kind, and never a crash.
#include <cstdlib>
#include <string>

#include "fuzz_input.hpp"
#include "kiosk/core/scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::FuzzInput input(data, size);
    const std::size_t aimLength = input.Byte() % 5;
    const auto aim = input.Take(aimLength);
    kiosk::core::ScanInput scan{std::string(input.RestText()), std::string(aim.begin(), aim.end())};
    const auto meaning = kiosk::core::ClassifyScan(scan);
    if (kiosk::core::ScanKindName(meaning).empty()) std::abort();
    kiosk::core::IsGs1SymbologyId(scan.aimId);
    kiosk::core::IsLuhnValid(scan.text);
    return 0;
}
