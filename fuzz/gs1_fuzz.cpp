// GS1 element strings, raw (with GS separators) and human readable ("(01)...(21)..."): whatever
// parses must format back to text that parses to the same elements.
#include <algorithm>
#include <cstdlib>

#include "fuzz_input.hpp"
#include "kiosk/core/gs1.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::FuzzInput input(data, size);
    const std::uint8_t mode = input.Byte();
    const std::string_view text = input.RestText();
    auto elements = (mode & 1) != 0 ? kiosk::core::ParseGs1HumanReadable(text) : kiosk::core::ParseGs1ElementString(text);
    if (elements) {
        // GS1 lets values contain parentheses, which make the human-readable form ambiguous; the round
        // trip is checked where it cannot be.
        const bool plain = std::none_of(elements->begin(), elements->end(), [](const kiosk::core::Gs1Element& e) {
            return e.value.find_first_of("()") != std::string::npos;
        });
        if (plain) {
            auto again = kiosk::core::ParseGs1HumanReadable(kiosk::core::FormatGs1HumanReadable(*elements));
            if (!again || *again != *elements) std::abort();
        }
    } else if (elements.error().message.empty()) {
        std::abort();
    }
    kiosk::core::ParseGs1Date(text.substr(0, 6));
    return 0;
}
