// ZXing-cpp and stb_image wrapped: their types and exceptions stay in this file.
#include "drivers/barcode/image_decoder.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <stb_image.h>

#include <algorithm>
#include <exception>
#include <system_error>

namespace kiosk::drivers {
namespace {

ZXing::BarcodeFormats FormatsFor(DecodeProfile profile) {
    using ZXing::BarcodeFormat;
    const ZXing::BarcodeFormats linear =
        BarcodeFormat::EAN13 | BarcodeFormat::EAN8 | BarcodeFormat::UPCA | BarcodeFormat::UPCE | BarcodeFormat::Code128;
    switch (profile) {
        case DecodeProfile::Retail: return linear | BarcodeFormat::QRCode | BarcodeFormat::DataMatrix;
        case DecodeProfile::LinearOnly: return linear;
        case DecodeProfile::Any: return BarcodeFormat::Any;
    }
    return BarcodeFormat::Any;
}

}  // namespace

core::Result<GreyImage> LoadImageFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return core::Fail(core::ErrorCode::NotFound, "image '" + path.string() + "' does not exist");
    }
    int width = 0;
    int height = 0;
    int channels = 0;
    stbi_uc* data = stbi_load(path.c_str(), &width, &height, &channels, 1);
    if (data == nullptr) {
        return core::Fail(core::ErrorCode::InvalidInput,
                          "image '" + path.string() + "' cannot be read: " + stbi_failure_reason());
    }
    GreyImage image{width, height, {}};
    image.pixels.assign(data, data + static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    stbi_image_free(data);
    return image;
}

core::Result<std::vector<DecodedBarcode>> DecodeImage(const GreyImage& image, const DecodeOptions& options) {
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height)) {
        return core::Fail(core::ErrorCode::InvalidInput, "image of " + std::to_string(image.width) + "x" +
                                                             std::to_string(image.height) + " has " +
                                                             std::to_string(image.pixels.size()) + " pixels");
    }
    ZXing::DecodeHints hints;
    hints.setFormats(FormatsFor(options.profile))
        .setTryHarder(options.tryHarder)
        .setTryRotate(options.tryRotate)
        .setMaxNumberOfSymbols(static_cast<std::uint8_t>(std::clamp(options.maxSymbols > 0 ? options.maxSymbols : 0xFF, 1, 0xFF)));
    std::vector<DecodedBarcode> found;
    try {
        const ZXing::ImageView view(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum);
        for (const ZXing::Result& result : ZXing::ReadBarcodes(view, hints)) {
            if (!result.isValid()) continue;
            DecodedBarcode code;
            code.format = ZXing::ToString(result.format());
            code.input = core::ScanInput{result.text(), result.symbologyIdentifier()};
            const auto& pos = result.position();
            code.corners[0] = {pos.topLeft().x, pos.topLeft().y};
            code.corners[1] = {pos.topRight().x, pos.topRight().y};
            code.corners[2] = {pos.bottomRight().x, pos.bottomRight().y};
            code.corners[3] = {pos.bottomLeft().x, pos.bottomLeft().y};
            code.orientation = result.orientation();
            found.push_back(std::move(code));
        }
    } catch (const std::exception& e) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string("barcode decoder failed: ") + e.what());
    }
    if (found.empty()) {
        return core::Fail(core::ErrorCode::NotFound, "no readable barcode in the " + std::to_string(image.width) + "x" +
                                                         std::to_string(image.height) + " image");
    }
    return found;
}

}  // namespace kiosk::drivers
