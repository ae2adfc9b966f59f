// A V4L2 camera as a barcode source: frames are streamed through mmap buffers, reduced to grey and
// handed to a FrameDecoder, which drops frames rather than queue them and counts a code held in view once.
// The same camera is a FrameSource: the newest frame is kept for whoever takes a photo.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "drivers/barcode/frame_decoder.hpp"
#include "drivers/barcode/frame_source.hpp"
#include "drivers/barcode/image_decoder.hpp"
#include "kiosk/core/devices.hpp"

namespace kiosk::drivers {

// The luminance of a frame: for YUYV the Y samples, for grey the bytes. Fails as CheckFrameLayout.
core::Result<GreyImage> GreyFromFrame(const RawFrame& frame);

struct CameraOptions {
    std::string device = "/dev/video0";
    int width = 640;   // asked for; the driver may pick the nearest size it has
    int height = 480;
    // Only the retail formats and no rotation: a camera frame must decode well within a frame time.
    DecodeOptions decode{DecodeProfile::Retail, false, false, 0};
    std::chrono::milliseconds repeatWindow{1500};
    unsigned buffers = 4;
};

// From frame bytes to scan events: conversion, the single-slot decoder, repeats. The camera thread
// feeds it; tests feed it frames made from images.
class CameraPipeline {
public:
    CameraPipeline(const CameraOptions& options, std::string sourceName, std::function<void(const core::ScanEvent&)> sink);

    // Never blocks on decoding. False when the frame was malformed or replaced a frame still waiting.
    bool Frame(const RawFrame& frame);
    void WaitIdle() { m_decoder.WaitIdle(); }
    std::size_t FramesDecoded() const { return m_decoder.FramesDecoded(); }
    std::size_t FramesDropped() const { return m_decoder.FramesDropped(); }
    std::size_t MalformedFrames() const { return m_malformed; }

private:
    std::string m_sourceName;
    std::function<void(const core::ScanEvent&)> m_sink;
    std::atomic<std::size_t> m_malformed{0};
    FrameDecoder m_decoder;  // last: its thread calls m_sink
};

class CameraSource final : public core::BarcodeSource, public FrameSource {
public:
    explicit CameraSource(CameraOptions options = {});
    ~CameraSource() override;
    CameraSource(const CameraSource&) = delete;
    CameraSource& operator=(const CameraSource&) = delete;

    // Opens the device, picks YUYV (else GREY) and starts streaming. Fails with Unavailable when the
    // device is missing or is not a streaming capture device, saying which and why.
    core::Result<void> Start(std::function<void(const core::ScanEvent&)> sink) override;
    // Streams without decoding barcodes: only LatestFrame is wanted (the intake photos). Fails as Start.
    core::Result<void> StartFrames();
    void Stop() override;

    core::Result<OwnedFrame> LatestFrame() override { return m_latest.Take(Name()); }
    std::string Name() const override { return "camera " + m_options.device; }

    // The negotiated format, valid after Start.
    PixelLayout Layout() const { return m_layout; }
    int Width() const { return m_width; }
    int Height() const { return m_height; }
    std::size_t FramesDropped() const { return m_pipeline ? m_pipeline->FramesDropped() : 0; }

private:
    struct Buffer {
        void* start = nullptr;
        std::size_t length = 0;
    };
    core::Result<void> Open();
    void Run();
    void Close();

    CameraOptions m_options;
    int m_fd = -1;
    PixelLayout m_layout = PixelLayout::Yuyv;
    int m_width = 0;
    int m_height = 0;
    int m_bytesPerLine = 0;
    std::vector<Buffer> m_buffers;
    std::unique_ptr<CameraPipeline> m_pipeline;  // none when only frames are wanted
    LatestFrameSlot m_latest;
    std::atomic<bool> m_running{false};
    std::thread m_thread;
};

}  // namespace kiosk::drivers
