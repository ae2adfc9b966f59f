// Instants written as ISO 8601 in tests: "2026-11-22T06:00:00Z".
#pragma once

#include <catch2/catch.hpp>

#include <string_view>

#include "kiosk/core/date.hpp"

namespace kiosk::testing {

inline core::Timestamp At(std::string_view text) {
    auto t = core::ParseTimestamp(text);
    INFO(text);
    REQUIRE(t);
    return *t;
}

}  // namespace kiosk::testing
