// Splits a fuzzer's input into the pieces a target needs: leading selector bytes, then the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace kiosk::fuzz {

class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size) : m_bytes(data, size) {}

    // The next byte, or 0 once the input is used up.
    std::uint8_t Byte() {
        if (m_bytes.empty()) return 0;
        const std::uint8_t b = m_bytes.front();
        m_bytes = m_bytes.subspan(1);
        return b;
    }
    // Up to `count` bytes.
    std::span<const std::uint8_t> Take(std::size_t count) {
        const std::size_t n = count < m_bytes.size() ? count : m_bytes.size();
        auto out = m_bytes.first(n);
        m_bytes = m_bytes.subspan(n);
        return out;
    }
    // Everything not taken yet.
    std::span<const std::uint8_t> Rest() const { return m_bytes; }
    std::string_view RestText() const { return {reinterpret_cast<const char*>(m_bytes.data()), m_bytes.size()}; }
    bool Empty() const { return m_bytes.empty(); }

private:
    std::span<const std::uint8_t> m_bytes;
};

}  // namespace kiosk::fuzz
