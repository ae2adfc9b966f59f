// The latest-frame slot and recorded frames read with stb_image.
#include "drivers/barcode/frame_source.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include <stb_image.h>

namespace kiosk::drivers {

core::Result<void> CheckFrameLayout(const RawFrame& frame) {
    const bool yuyv = frame.layout == PixelLayout::Yuyv;
    const long rowBytes = static_cast<long>(frame.width) * (yuyv ? 2 : 1);
    auto bad = [&](const std::string& why) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string(yuyv ? "YUYV" : "GREY") + " frame " +
                                                             std::to_string(frame.width) + "x" +
                                                             std::to_string(frame.height) + ": " + why);
    };
    if (frame.width <= 0 || frame.height <= 0) return bad("empty size");
    if (yuyv && frame.width % 2 != 0) return bad("odd width");
    if (frame.bytesPerLine < rowBytes) return bad("stride " + std::to_string(frame.bytesPerLine) + " is shorter than a row");
    const long needed = static_cast<long>(frame.bytesPerLine) * (frame.height - 1) + rowBytes;
    if (static_cast<long>(frame.bytes.size()) < needed) {
        return bad(std::to_string(frame.bytes.size()) + " bytes, needs " + std::to_string(needed));
    }
    return {};
}

namespace {

std::uint8_t ClampToByte(int value) { return static_cast<std::uint8_t>(std::clamp(value, 0, 255)); }

}  // namespace

void LatestFrameSlot::Keep(const RawFrame& frame) {
    std::lock_guard lock(m_mutex);
    m_frame.bytes.assign(frame.bytes.begin(), frame.bytes.end());
    m_frame.layout = frame.layout;
    m_frame.width = frame.width;
    m_frame.height = frame.height;
    m_frame.bytesPerLine = frame.bytesPerLine;
}

core::Result<OwnedFrame> LatestFrameSlot::Take(const std::string& sourceName) const {
    std::lock_guard lock(m_mutex);
    if (m_frame.bytes.empty()) return core::Fail(core::ErrorCode::Unavailable, sourceName + ": no frame yet");
    return m_frame;
}

void LatestFrameSlot::Clear() {
    std::lock_guard lock(m_mutex);
    m_frame = OwnedFrame{};
}

OwnedFrame YuyvFromRgb(const std::uint8_t* rgb, int width, int height) {
    OwnedFrame frame;
    frame.layout = PixelLayout::Yuyv;
    frame.width = width - width % 2;
    frame.height = height;
    frame.bytesPerLine = frame.width * 2;
    frame.bytes.resize(static_cast<std::size_t>(frame.bytesPerLine) * static_cast<std::size_t>(height));
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* in = rgb + static_cast<std::size_t>(y) * static_cast<std::size_t>(width) * 3U;
        std::uint8_t* out = frame.bytes.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(frame.bytesPerLine);
        for (int x = 0; x < frame.width; x += 2) {
            int u = 0;
            int v = 0;
            for (int i = 0; i < 2; ++i) {
                const int r = in[(x + i) * 3];
                const int g = in[(x + i) * 3 + 1];
                const int b = in[(x + i) * 3 + 2];
                out[(x + i) * 2] = ClampToByte(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
                u += ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
                v += ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
            }
            out[x * 2 + 1] = ClampToByte(u / 2);
            out[x * 2 + 3] = ClampToByte(v / 2);
        }
    }
    return frame;
}

core::Result<RecordedFrames> RecordedFrames::Load(const std::vector<std::filesystem::path>& files) {
    std::vector<std::filesystem::path> pictures;
    for (const auto& path : files) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            pictures.push_back(path);
            continue;
        }
        std::vector<std::filesystem::path> inside;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
            std::string ext = entry.path().extension().string();
            std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") inside.push_back(entry.path());
        }
        if (ec) return core::Fail(core::ErrorCode::NotFound, "recorded frames: cannot list " + path.string() + ": " + ec.message());
        if (inside.empty()) return core::Fail(core::ErrorCode::NotFound, "recorded frames: no .png or .jpg in " + path.string());
        std::sort(inside.begin(), inside.end());
        pictures.insert(pictures.end(), inside.begin(), inside.end());
    }
    if (pictures.empty()) return core::Fail(core::ErrorCode::NotFound, "recorded frames: no files given");

    RecordedFrames recorded;
    for (const auto& path : pictures) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            return core::Fail(core::ErrorCode::NotFound, "recorded frame " + path.string() + " is missing");
        }
        int width = 0;
        int height = 0;
        int channels = 0;
        unsigned char* rgb = stbi_load(path.c_str(), &width, &height, &channels, 3);
        if (rgb == nullptr) {
            return core::Fail(core::ErrorCode::InvalidInput, "recorded frame " + path.string() + " is no picture: " +
                                                                 stbi_failure_reason());
        }
        if (width < 2) {
            stbi_image_free(rgb);
            return core::Fail(core::ErrorCode::InvalidInput, "recorded frame " + path.string() + " is narrower than 2 pixels");
        }
        recorded.m_frames.push_back(YuyvFromRgb(rgb, width, height));
        stbi_image_free(rgb);
    }
    return recorded;
}

core::Result<OwnedFrame> RecordedFrames::LatestFrame() {
    const OwnedFrame& frame = m_frames[m_next];
    m_next = (m_next + 1) % m_frames.size();
    return frame;
}

}  // namespace kiosk::drivers
