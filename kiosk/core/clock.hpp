// The clock port: everything time-dependent asks this, so tests move time instead of waiting.
#pragma once

#include <chrono>

#include "kiosk/core/date.hpp"

namespace kiosk::core {

class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
public:
    Timestamp Now() const override {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }
};

// A clock that only moves when told to. For tests and scripted runs.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp start) : m_now(start) {}
    Timestamp Now() const override { return m_now; }
    void Set(Timestamp t) { m_now = t; }
    void Advance(std::chrono::seconds by) { m_now += by; }

private:
    Timestamp m_now;
};

}  // namespace kiosk::core
