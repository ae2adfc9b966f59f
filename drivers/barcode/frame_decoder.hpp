// Decodes camera frames off the caller's thread. Holds at most one waiting frame: a new frame replaces
// a waiting one (counted as dropped), so a slow decode never builds a queue of stale frames.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "drivers/barcode/image_decoder.hpp"
#include "drivers/scanner/duplicate_filter.hpp"

namespace kiosk::drivers {

class FrameDecoder {
public:
    using Sink = std::function<void(const DecodedBarcode&)>;

    // `sink` runs on the decoder thread for each code not suppressed as a repeat within `repeatWindow`.
    FrameDecoder(DecodeOptions options, std::chrono::milliseconds repeatWindow, Sink sink);
    ~FrameDecoder();
    FrameDecoder(const FrameDecoder&) = delete;
    FrameDecoder& operator=(const FrameDecoder&) = delete;

    // Never blocks on decoding. Returns false when a waiting frame was dropped for this one.
    bool Submit(GreyImage frame);
    // Waits until no frame is waiting or being decoded.
    void WaitIdle();

    std::size_t FramesDecoded() const;
    std::size_t FramesDropped() const;

private:
    void Run();

    DecodeOptions m_options;
    DuplicateFilter m_repeats;
    Sink m_sink;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::optional<GreyImage> m_waiting;
    bool m_busy = false;
    bool m_stopping = false;
    std::size_t m_decoded = 0;
    std::size_t m_dropped = 0;
    std::thread m_thread;  // last: starts after every member it uses exists
};

}  // namespace kiosk::drivers
