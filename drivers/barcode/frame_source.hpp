// The camera as a source of pictures: whoever needs a frame (the intake photos) takes the newest one
// through FrameSource, from the V4L2 camera or from recorded frames (image files) in the demo and tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "kiosk/core/error.hpp"

namespace kiosk::drivers {

// How a frame's bytes are laid out: packed YUYV 4:2:2 (Y0 U Y1 V per two pixels) or 8-bit grey.
enum class PixelLayout { Yuyv, Grey };

struct RawFrame {
    std::span<const std::uint8_t> bytes;
    PixelLayout layout = PixelLayout::Yuyv;
    int width = 0;
    int height = 0;
    int bytesPerLine = 0;  // row stride; rows may be padded
};

// Whether the frame's sizes fit its bytes. Fails with InvalidInput naming the layout, the size and
// what is wrong: an empty size, an odd YUYV width, a stride shorter than a row, a frame cut short.
core::Result<void> CheckFrameLayout(const RawFrame& frame);

// A frame that owns its bytes: what a consumer keeps after the driver has reused its buffer.
struct OwnedFrame {
    std::vector<std::uint8_t> bytes;
    PixelLayout layout = PixelLayout::Yuyv;
    int width = 0;
    int height = 0;
    int bytesPerLine = 0;

    RawFrame View() const { return RawFrame{bytes, layout, width, height, bytesPerLine}; }
};

class FrameSource {
public:
    virtual ~FrameSource() = default;
    // The newest frame. Fails with Unavailable when there is none (not streaming, nothing arrived yet).
    virtual core::Result<OwnedFrame> LatestFrame() = 0;
    // "camera /dev/video0", "recorded frames" — for staff and logs.
    virtual std::string Name() const = 0;
};

// The latest frame a streaming thread saw, kept for LatestFrame: the thread copies each frame in
// (the driver's buffer goes back at once), readers copy it out.
class LatestFrameSlot {
public:
    void Keep(const RawFrame& frame);
    core::Result<OwnedFrame> Take(const std::string& sourceName) const;
    void Clear();

private:
    mutable std::mutex m_mutex;
    OwnedFrame m_frame;
};

// Frames recorded beforehand as image files (PNG, JPEG: anything stb_image reads), handed out as
// YUYV frames like a camera's, so everything after the port runs as with the camera. Each
// LatestFrame gives the next file, round and round: the scene changes between two photos.
class RecordedFrames final : public FrameSource {
public:
    // Loads every file (a directory: its .png, .jpg and .jpeg files in name order). Fails with NotFound
    // for a missing file or an empty directory, InvalidInput for a file that is no picture.
    static core::Result<RecordedFrames> Load(const std::vector<std::filesystem::path>& files);

    core::Result<OwnedFrame> LatestFrame() override;
    std::string Name() const override { return "recorded frames"; }
    std::size_t Count() const { return m_frames.size(); }

private:
    RecordedFrames() = default;
    std::vector<OwnedFrame> m_frames;
    std::size_t m_next = 0;
};

// An RGB picture made from YUYV (BT.601 video levels) as a YUYV frame: the image's width rounded
// down to even.
OwnedFrame YuyvFromRgb(const std::uint8_t* rgb, int width, int height);

}  // namespace kiosk::drivers
