// Joining HID POS reports into one scan.
#include "drivers/scanner/hid_pos_decoder.hpp"

namespace kiosk::drivers {

HidPosDecoder::HidPosDecoder(HidPosOptions options) : m_options(options) {}

void HidPosDecoder::Drop() {
    if (m_started) ++m_dropped;
    m_started = false;
    m_code = {};
}

std::optional<core::ScanInput> HidPosDecoder::Feed(std::span<const std::uint8_t> report, ScanClock::time_point at) {
    Expire(at);
    if (report.size() != kReportSize || report[0] != kReportId || report[1] > kMaxDataPerReport) {
        ++m_malformed;
        Drop();
        return std::nullopt;
    }
    const std::size_t length = report[1];
    if (!m_started) {
        m_started = true;
        if (report[2] == ']') m_code.aimId.assign(reinterpret_cast<const char*>(&report[2]), 3);
    }
    m_last = at;
    if (m_code.text.size() + length > m_options.maxLength) {
        Drop();
        return std::nullopt;
    }
    m_code.text.append(reinterpret_cast<const char*>(&report[5]), length);
    if ((report[63] & 0x01) != 0) return std::nullopt;
    // Scanners configured with a suffix send CR or LF after the data; it is not part of the code.
    while (!m_code.text.empty() && (m_code.text.back() == '\r' || m_code.text.back() == '\n')) m_code.text.pop_back();
    core::ScanInput done = std::move(m_code);
    m_code = {};
    m_started = false;
    if (done.text.empty()) return std::nullopt;
    return done;
}

bool HidPosDecoder::Expire(ScanClock::time_point now) {
    if (!m_started || now - m_last <= m_options.continuationTimeout) return false;
    Drop();
    return true;
}

bool HidPosDecoder::Reset() {
    const bool dropped = m_started;
    Drop();
    return dropped;
}

}  // namespace kiosk::drivers
