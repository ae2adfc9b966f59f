// The TOML loaders: kiosk settings, warranty policy, SLA targets, business calendar and lifecycle.
#include <cstdlib>

#include "fuzz_input.hpp"
#include "kiosk/config/kiosk_config.hpp"
#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/config/policy_loader.hpp"
#include "kiosk/config/sla_loader.hpp"

namespace config = kiosk::config;

namespace {
template <typename T>
void MustExplain(const kiosk::core::Result<T>& result) {
    if (!result && result.error().message.empty()) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::FuzzInput input(data, size);
    const std::uint8_t mode = input.Byte() % 5;
    const std::string_view text = input.RestText();
    switch (mode) {
    case 0: MustExplain(config::ParseKioskConfig(text, "kiosk.toml", "/nonexistent", "/nonexistent")); break;
    case 1: MustExplain(config::ParsePolicy(text, "policy.toml")); break;
    case 2: MustExplain(config::ParseSlaPolicy(text, "sla.toml")); break;
    case 3: MustExplain(config::ParseCalendar(text, "calendar.toml")); break;
    default: MustExplain(config::ParseLifecycle(text, "lifecycle.toml")); break;
    }
    return 0;
}
