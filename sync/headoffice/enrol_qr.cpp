// QR encoding with ZXing's writer, PNG output with stb_image_write.
#include "sync/headoffice/enrol_qr.hpp"

#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <stb/stb_image_write.h>

#include <string>
#include <vector>

namespace kiosk::sync::headoffice {

core::Result<void> WriteQrPng(std::string_view text, const std::filesystem::path& file, int size) {
    ZXing::BitMatrix matrix;
    try {
        ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
        writer.setMargin(4);
        matrix = writer.encode(std::string(text), size, size);
    } catch (const std::exception& error) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string("cannot encode the enrolment QR code: ") + error.what());
    }
    const int width = matrix.width();
    const int height = matrix.height();
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)] =
                matrix.get(x, y) ? 0 : 255;
        }
    }
    if (stbi_write_png(file.c_str(), width, height, 1, pixels.data(), width) == 0) {
        return core::Fail(core::ErrorCode::Storage, "cannot write " + file.string());
    }
    return {};
}

}  // namespace kiosk::sync::headoffice
