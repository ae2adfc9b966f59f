// Pictograms of the Material Design icon font, merged into the body, title and number fonts: only
// these code points are added to the atlas. Labels get them through Ui::WithIcon, which leaves them
// out when the icon font was not loaded.
#pragma once

#include <string_view>

#include <imgui.h>

namespace kiosk::ui::icon {

inline constexpr std::string_view kScan = "\xef\x88\x86";  // U+F206 scan a code
inline constexpr std::string_view kRefund = "\xee\xa1\xa0";  // U+E860 return / refund
inline constexpr std::string_view kExchange = "\xee\xa3\x94";  // U+E8D4 exchange
inline constexpr std::string_view kRepair = "\xee\xa1\xa9";  // U+E869 repair
inline constexpr std::string_view kComplaint = "\xee\xa1\xbf";  // U+E87F complaint or feedback
inline constexpr std::string_view kHelp = "\xee\xa2\x87";  // U+E887 help / ask staff
inline constexpr std::string_view kStartOver = "\xee\xa2\x8a";  // U+E88A start over
inline constexpr std::string_view kLanguage = "\xee\xa2\x94";  // U+E894 language
inline constexpr std::string_view kPrint = "\xee\xa2\xad";  // U+E8AD print
inline constexpr std::string_view kAdmin = "\xee\xbc\xbd";  // U+EF3D staff mode
inline constexpr std::string_view kTicket = "\xee\xbd\xae";  // U+EF6E a service ticket
inline constexpr std::string_view kRate = "\xee\xa0\xb8";  // U+E838 rate our service
inline constexpr std::string_view kSearch = "\xee\xa2\xb6";  // U+E8B6 search by name
inline constexpr std::string_view kKeypad = "\xee\x82\xbc";  // U+E0BC type a number
inline constexpr std::string_view kBrowse = "\xee\x95\xb4";  // U+E574 browse categories
inline constexpr std::string_view kNext = "\xee\x97\x88";  // U+E5C8 continue
inline constexpr std::string_view kBack = "\xee\x97\x84";  // U+E5C4 back
inline constexpr std::string_view kConfirm = "\xee\xa1\xac";  // U+E86C confirm
inline constexpr std::string_view kContrast = "\xee\xac\xb7";  // U+EB37 high contrast
inline constexpr std::string_view kLargeText = "\xee\x89\x85";  // U+E245 large text
inline constexpr std::string_view kTouch = "\xee\xa4\x93";  // U+E913 touch here to start
inline constexpr std::string_view kDecline = "\xee\x97\x8d";  // U+E5CD no thanks
inline constexpr std::string_view kQr = "\xee\xbd\xab";  // U+EF6B QR code
inline constexpr std::string_view kPhone = "\xee\x83\x8d";  // U+E0CD phone
inline constexpr std::string_view kCheck = "\xee\x97\x8a";  // U+E5CA solved / yes
inline constexpr std::string_view kTimer = "\xee\x90\xa5";  // U+E425 countdown

// For ImFontConfig::GlyphRanges: each code point above as a one-character range, then 0.
inline constexpr ImWchar kRanges[] = {
    0xE0BC, 0xE0BC, 0xE0CD, 0xE0CD, 0xE245, 0xE245, 0xE425, 0xE425, 0xE574, 0xE574, 0xE5C4, 0xE5C4,
    0xE5C8, 0xE5C8, 0xE5CA, 0xE5CA, 0xE5CD, 0xE5CD, 0xE838, 0xE838, 0xE860, 0xE860, 0xE869, 0xE869,
    0xE86C, 0xE86C, 0xE87F, 0xE87F, 0xE887, 0xE887, 0xE88A, 0xE88A, 0xE894, 0xE894, 0xE8AD, 0xE8AD,
    0xE8B6, 0xE8B6, 0xE8D4, 0xE8D4, 0xE913, 0xE913, 0xEB37, 0xEB37, 0xEF3D, 0xEF3D, 0xEF6B, 0xEF6B, 0xEF6E, 0xEF6E,
    0xF206, 0xF206, 0};

}  // namespace kiosk::ui::icon
