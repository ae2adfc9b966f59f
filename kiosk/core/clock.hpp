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

// The system clock shifted to start at a given instant: time runs at its normal pace, so timeouts
// work, while dates are those of a scripted scenario. For demos and end-to-end tests.
class ShiftedClock final : public Clock {
public:
    explicit ShiftedClock(std::chrono::seconds shift = std::chrono::seconds{0}) : m_shift(shift) {}
    static ShiftedClock StartingAt(Timestamp start) { return ShiftedClock(start - SystemClock{}.Now()); }
    Timestamp Now() const override { return SystemClock{}.Now() + m_shift; }

private:
    std::chrono::seconds m_shift;
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
