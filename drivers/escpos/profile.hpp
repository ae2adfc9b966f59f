// Printer profiles: what a receipt printer model can do (paper, fonts, native codes, cutter, CJK font),
// loaded from the TOML files in assets/printers/.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/error.hpp"

namespace kiosk::drivers::escpos {

using core::Result;

// The printer's double-byte font, entered with FS & and left with FS .
enum class CjkMode { None, Gb18030, Big5 };
std::string_view ToString(CjkMode mode);

struct PrinterProfile {
    std::string id;    // the file's stem: "epson-tm-t20ii"
    std::string name;  // for staff
    std::vector<std::string> usbIds;  // "04b8:0e15": models known to carry this profile
    int paperWidthMm = 80;
    int dots = 576;          // printable width in dots (203 dpi)
    int columnsFontA = 48;   // 12-dot cells
    int columnsFontB = 64;   // 9-dot cells
    bool nativeQr = true;
    bool nativeCode128 = true;
    bool cutter = true;
    bool status = true;      // answers DLE EOT real-time status requests
    CjkMode cjk = CjkMode::None;
};

// Parses a profile; every error is InvalidInput "SOURCE:LINE:COLUMN: what" (or "SOURCE: what").
Result<PrinterProfile> ParseProfile(std::string_view text, std::string_view sourceName);
// Reads and parses one file. NotFound when the file is missing.
Result<PrinterProfile> LoadProfile(const std::filesystem::path& file);
// The profile `name` (a file stem) in `directory`. NotFound lists the profiles there.
Result<PrinterProfile> LoadProfileByName(const std::filesystem::path& directory, std::string_view name);
// The profile names in `directory`, sorted.
std::vector<std::string> ListProfiles(const std::filesystem::path& directory);

}  // namespace kiosk::drivers::escpos
