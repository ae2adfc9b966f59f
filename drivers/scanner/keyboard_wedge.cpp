// Timing-based separation of scanner bursts and typing.
#include "drivers/scanner/keyboard_wedge.hpp"

#include <algorithm>

namespace kiosk::drivers {
namespace {

bool IsControl(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

std::size_t CountCodePoints(std::string_view utf8) {
    return static_cast<std::size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

KeyboardWedgeDecoder::KeyboardWedgeDecoder(WedgeOptions options) : m_options(options) {}

void KeyboardWedgeDecoder::Release(std::vector<WedgeOutput>& out) {
    if (!m_held.empty()) out.emplace_back(TypedText{std::move(m_held)});
    m_held.clear();
    m_heldCharacters = 0;
}

std::vector<WedgeOutput> KeyboardWedgeDecoder::Text(std::string_view utf8, ScanClock::time_point at) {
    std::vector<WedgeOutput> out = Poll(at);
    std::string clean;
    std::copy_if(utf8.begin(), utf8.end(), std::back_inserter(clean), [](char c) { return !IsControl(c); });
    if (clean.empty()) return out;
    // A burst longer than any code is someone pasting or a stuck key: typing.
    if (m_heldCharacters + CountCodePoints(clean) > m_options.maxScanLength) Release(out);
    m_held += clean;
    m_heldCharacters += CountCodePoints(clean);
    m_last = at;
    return out;
}

std::vector<WedgeOutput> KeyboardWedgeDecoder::Enter(ScanClock::time_point at) {
    std::vector<WedgeOutput> out = Poll(at);
    if (!m_held.empty() && m_heldCharacters >= m_options.minScanLength) {
        out.emplace_back(WedgeScan{std::move(m_held)});
        m_held.clear();
        m_heldCharacters = 0;
        return out;
    }
    Release(out);
    out.emplace_back(TypedEnter{});
    return out;
}

std::vector<WedgeOutput> KeyboardWedgeDecoder::Poll(ScanClock::time_point now) {
    std::vector<WedgeOutput> out;
    if (!m_held.empty() && now - m_last > m_options.maxInterKeyGap) Release(out);
    return out;
}

std::optional<ScanClock::time_point> KeyboardWedgeDecoder::NextDeadline() const {
    if (m_held.empty()) return std::nullopt;
    return m_last + m_options.maxInterKeyGap + std::chrono::milliseconds(1);
}

core::Result<void> KeyboardWedgeSource::Start(std::function<void(const core::ScanEvent&)> sink) {
    m_sink = std::move(sink);
    return {};
}

void KeyboardWedgeSource::Stop() { m_sink = nullptr; }

std::vector<WedgeOutput> KeyboardWedgeSource::Deliver(std::vector<WedgeOutput> outputs) {
    std::vector<WedgeOutput> typing;
    for (WedgeOutput& output : outputs) {
        if (auto* scan = std::get_if<WedgeScan>(&output)) {
            if (m_sink) {
                const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
                m_sink(core::ScanEvent{core::ScanInput{std::move(scan->text), ""}, "wedge", now});
            }
        } else {
            typing.push_back(std::move(output));
        }
    }
    return typing;
}

std::vector<WedgeOutput> KeyboardWedgeSource::Text(std::string_view utf8, ScanClock::time_point at) {
    return Deliver(m_decoder.Text(utf8, at));
}
std::vector<WedgeOutput> KeyboardWedgeSource::Enter(ScanClock::time_point at) { return Deliver(m_decoder.Enter(at)); }
std::vector<WedgeOutput> KeyboardWedgeSource::Poll(ScanClock::time_point now) { return Deliver(m_decoder.Poll(now)); }

}  // namespace kiosk::drivers
