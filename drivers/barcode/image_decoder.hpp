// Barcode decoding of grey images (camera frames, image files) with ZXing-cpp, behind our own value
// types so no ZXing header reaches the rest of the kiosk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/core/error.hpp"
#include "kiosk/core/scan.hpp"

namespace kiosk::drivers {

// 8-bit luminance, row after row, width * height bytes.
struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

// Loads a PNG or JPEG (anything stb_image reads) as grey. Fails with NotFound for a missing file and
// InvalidInput for one that is not an image, saying which file and why.
core::Result<GreyImage> LoadImageFile(const std::filesystem::path& path);

// Which symbologies to look for. Fewer formats and no rotation make a camera loop fast.
enum class DecodeProfile {
    Retail,     // EAN-13, EAN-8, UPC-A, UPC-E, Code 128, QR, DataMatrix: what a kiosk customer holds up
    LinearOnly, // the retail linear codes only
    Any,        // every format ZXing reads
};

struct DecodeOptions {
    DecodeProfile profile = DecodeProfile::Retail;
    bool tryHarder = true;   // slower, finds damaged and low-contrast codes
    bool tryRotate = true;   // also look for codes at 90 degrees
    int maxSymbols = 0;      // 0 = all in the image
};

struct ImagePoint { int x = 0; int y = 0; };

struct DecodedBarcode {
    std::string format;          // "EAN-13", "QRCode", "DataMatrix", ...
    core::ScanInput input;       // text (GS1 FNC1 as GS) and AIM symbology id
    ImagePoint corners[4];       // top-left, top-right, bottom-right, bottom-left
    int orientation = 0;         // degrees
};

// Finds the codes in an image. Fails with NotFound ("no readable barcode ...") when there is none,
// and InvalidInput for an empty or inconsistent image.
core::Result<std::vector<DecodedBarcode>> DecodeImage(const GreyImage& image, const DecodeOptions& options = {});

}  // namespace kiosk::drivers
