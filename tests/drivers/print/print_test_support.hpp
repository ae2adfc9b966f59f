// Shared helpers for the printing tests: profiles from the asset directory, golden files, QR read-back.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>

#include "drivers/escpos/profile.hpp"
#include "drivers/escpos/raster.hpp"

namespace kiosk::testing {

inline std::filesystem::path ProfileDir() { return std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "printers"; }

inline drivers::escpos::PrinterProfile Profile(const std::string& name) {
    auto profile = drivers::escpos::LoadProfileByName(ProfileDir(), name);
    if (!profile) throw std::runtime_error(profile.error().message);
    return *profile;
}

inline std::vector<std::uint8_t> ReadBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string HexDump(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    char line[128];
    for (std::size_t at = 0; at < bytes.size(); at += 16) {
        int n = std::snprintf(line, sizeof line, "%06zx ", at);
        std::string ascii;
        for (std::size_t i = at; i < at + 16; ++i) {
            if (i < bytes.size()) {
                n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), " %02x", bytes[i]);
                ascii += bytes[i] >= 0x20 && bytes[i] < 0x7F ? static_cast<char>(bytes[i]) : '.';
            } else {
                n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "   ");
            }
        }
        out += std::string(line) + "  " + ascii + "\n";
    }
    return out;
}

// The text of every QR code ZXing finds in the picture.
inline std::vector<std::string> ReadQrCodes(const drivers::escpos::Bitmap& paper) {
    ZXing::ImageView view(paper.pixels.data(), paper.width, paper.height, ZXing::ImageFormat::Lum);
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode).setTryRotate(false);
    std::vector<std::string> out;
    for (const auto& r : ZXing::ReadBarcodes(view, hints)) out.push_back(r.text());
    return out;
}

inline std::vector<std::string> ReadCode128(const drivers::escpos::Bitmap& paper) {
    ZXing::ImageView view(paper.pixels.data(), paper.width, paper.height, ZXing::ImageFormat::Lum);
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::Code128).setTryRotate(false);
    std::vector<std::string> out;
    for (const auto& r : ZXing::ReadBarcodes(view, hints)) out.push_back(r.text());
    return out;
}

}  // namespace kiosk::testing
