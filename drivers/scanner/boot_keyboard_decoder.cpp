// HID usage ids (page 7) to characters for the layouts scanners are configured with.
#include "drivers/scanner/boot_keyboard_decoder.hpp"

#include <algorithm>
#include <string_view>

namespace kiosk::drivers {
namespace {

constexpr std::size_t kReportSize = 8;
constexpr std::uint8_t kLeftShift = 0x02;
constexpr std::uint8_t kRightShift = 0x20;
constexpr std::uint8_t kRollOverError = 0x01;
constexpr std::uint8_t kEnter = 0x28;
constexpr std::uint8_t kTab = 0x2B;
constexpr std::uint8_t kKeypadEnter = 0x58;

using namespace std::string_view_literals;

// Usage 0x1E..0x38 (digits, Enter, Escape, Backspace, Tab, Space, punctuation) unshifted and shifted;
// NUL where the key prints no ASCII character.
constexpr std::string_view kUsRow = "1234567890\n\x1b\b\t -=[]\\#;'`,./"sv;
constexpr std::string_view kUsShiftRow = "!@#$%^&*()\n\x1b\b\t _+{}|~:\"~<>?"sv;
// German: the umlaut, sharp-s, section-sign and dead keys give nothing a scanner could mean.
constexpr std::string_view kDeRow = "1234567890\n\x1b\b\t \0\0\0+##\0\0\0,.-"sv;
constexpr std::string_view kDeShiftRow = "!\"\0$%&/()=\n\x1b\b\t ?\0\0*''\0\0\0;:_"sv;
static_assert(kUsRow.size() == 27 && kUsShiftRow.size() == 27 && kDeRow.size() == 27 && kDeShiftRow.size() == 27);

}  // namespace

BootKeyboardDecoder::BootKeyboardDecoder(BootKeyboardOptions options) : m_options(options) {}

char BootKeyboardDecoder::CharacterFor(std::uint8_t usage, bool shift, KeyboardLayout layout) {
    if (usage >= 0x04 && usage <= 0x1D) {
        char letter = static_cast<char>('a' + (usage - 0x04));
        if (layout == KeyboardLayout::German && (letter == 'y' || letter == 'z')) letter = letter == 'y' ? 'z' : 'y';
        return shift ? static_cast<char>(letter - 'a' + 'A') : letter;
    }
    if (usage >= 0x1E && usage <= 0x38) {
        const std::size_t index = static_cast<std::size_t>(usage - 0x1E);
        const std::string_view row = layout == KeyboardLayout::German ? (shift ? kDeShiftRow : kDeRow)
                                                                       : (shift ? kUsShiftRow : kUsRow);
        const char c = row[index];
        // Enter, Escape, Backspace and Tab are control keys, handled by the caller.
        if (c == '\n' || c == '\x1b' || c == '\b' || c == '\t') return 0;
        return c;
    }
    if (usage >= 0x59 && usage <= 0x62 && !shift) {  // keypad digits 1..9, 0
        return usage == 0x62 ? '0' : static_cast<char>('1' + (usage - 0x59));
    }
    return 0;
}

std::optional<std::string> BootKeyboardDecoder::Feed(std::span<const std::uint8_t> report, ScanClock::time_point at) {
    if (report.size() != kReportSize) return std::nullopt;
    const auto keys = report.subspan(2, 6);
    if (std::find(keys.begin(), keys.end(), kRollOverError) != keys.end()) return std::nullopt;
    Expire(at);
    const bool shift = (report[0] & (kLeftShift | kRightShift)) != 0;
    std::optional<std::string> finished;
    for (const std::uint8_t key : keys) {
        if (key == 0) continue;
        const bool held = std::find(std::begin(m_previous), std::end(m_previous), key) != std::end(m_previous);
        if (held) continue;
        m_lastKey = at;
        if (key == kEnter || key == kKeypadEnter || key == kTab) {
            if (!m_code.empty()) finished = std::move(m_code);
            m_code.clear();
            continue;
        }
        const char c = CharacterFor(key, shift, m_options.layout);
        if (c == 0) continue;
        if (m_code.size() >= m_options.maxLength) {
            m_code.clear();
            ++m_dropped;
            continue;
        }
        m_code.push_back(c);
    }
    std::copy(keys.begin(), keys.end(), std::begin(m_previous));
    return finished;
}

bool BootKeyboardDecoder::Expire(ScanClock::time_point now) {
    if (m_code.empty() || now - m_lastKey <= m_options.interKeyTimeout) return false;
    m_code.clear();
    ++m_dropped;
    return true;
}

bool BootKeyboardDecoder::Reset() {
    std::fill(std::begin(m_previous), std::end(m_previous), std::uint8_t{0});
    const bool dropped = !m_code.empty();
    if (dropped) ++m_dropped;
    m_code.clear();
    return dropped;
}

}  // namespace kiosk::drivers
