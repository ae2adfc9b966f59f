// The single-slot decode worker.
#include "drivers/barcode/frame_decoder.hpp"

namespace kiosk::drivers {

FrameDecoder::FrameDecoder(DecodeOptions options, std::chrono::milliseconds repeatWindow, Sink sink)
    : m_options(options), m_repeats(repeatWindow), m_sink(std::move(sink)), m_thread([this] { Run(); }) {}

FrameDecoder::~FrameDecoder() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

bool FrameDecoder::Submit(GreyImage frame) {
    bool replaced = false;
    {
        std::lock_guard lock(m_mutex);
        replaced = m_waiting.has_value();
        if (replaced) ++m_dropped;
        m_waiting = std::move(frame);
    }
    m_wake.notify_one();
    return !replaced;
}

void FrameDecoder::WaitIdle() {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return !m_waiting && !m_busy; });
}

std::size_t FrameDecoder::FramesDecoded() const {
    std::lock_guard lock(m_mutex);
    return m_decoded;
}

std::size_t FrameDecoder::FramesDropped() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

void FrameDecoder::Run() {
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_stopping || m_waiting; });
        if (m_stopping) return;
        GreyImage frame = std::move(*m_waiting);
        m_waiting.reset();
        m_busy = true;
        lock.unlock();
        auto codes = DecodeImage(frame, m_options);
        const auto now = ScanClock::now();
        std::vector<DecodedBarcode> fresh;
        if (codes) {
            for (DecodedBarcode& code : *codes) {
                if (m_repeats.Accept(code.input.text, now)) fresh.push_back(std::move(code));
            }
        }
        for (const DecodedBarcode& code : fresh) m_sink(code);
        lock.lock();
        ++m_decoded;
        m_busy = false;
        if (!m_waiting) m_idle.notify_all();
    }
}

}  // namespace kiosk::drivers
