// V4L2 capture with mmap streaming, and the frame-to-scan pipeline it feeds.
#include "drivers/barcode/camera_source.hpp"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kiosk::drivers {
namespace {

constexpr int kPollTimeoutMs = 100;

int Xioctl(int fd, unsigned long request, void* arg) {
    int rc = 0;
    do {
        rc = ::ioctl(fd, request, arg);
    } while (rc == -1 && errno == EINTR);
    return rc;
}

std::string Why(const std::string& device, const std::string& what) {
    return "camera " + device + ": " + what + ": " + std::strerror(errno);
}

}  // namespace

core::Result<GreyImage> GreyFromFrame(const RawFrame& frame) {
    if (auto ok = CheckFrameLayout(frame); !ok) return std::unexpected(std::move(ok.error()));
    const bool yuyv = frame.layout == PixelLayout::Yuyv;
    GreyImage grey{frame.width, frame.height, {}};
    const auto width = static_cast<std::size_t>(frame.width);
    const auto stride = static_cast<std::size_t>(frame.bytesPerLine);
    grey.pixels.resize(width * static_cast<std::size_t>(frame.height));
    for (std::size_t y = 0; y < static_cast<std::size_t>(frame.height); ++y) {
        const std::uint8_t* row = frame.bytes.data() + y * stride;
        std::uint8_t* out = grey.pixels.data() + y * width;
        if (yuyv) {
            for (std::size_t x = 0; x < width; ++x) out[x] = row[2 * x];
        } else {
            std::memcpy(out, row, width);
        }
    }
    return grey;
}

CameraPipeline::CameraPipeline(const CameraOptions& options, std::string sourceName,
                               std::function<void(const core::ScanEvent&)> sink)
    : m_sourceName(std::move(sourceName)),
      m_sink(std::move(sink)),
      m_decoder(options.decode, options.repeatWindow, [this](const DecodedBarcode& code) {
          const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
          if (m_sink) m_sink(core::ScanEvent{code.input, m_sourceName, now});
      }) {}

bool CameraPipeline::Frame(const RawFrame& frame) {
    auto grey = GreyFromFrame(frame);
    if (!grey) {
        ++m_malformed;
        return false;
    }
    return m_decoder.Submit(std::move(*grey));
}

CameraSource::CameraSource(CameraOptions options) : m_options(std::move(options)) {}

CameraSource::~CameraSource() { Stop(); }

core::Result<void> CameraSource::Start(std::function<void(const core::ScanEvent&)> sink) {
    Stop();
    if (auto opened = Open(); !opened) return opened;
    m_pipeline = std::make_unique<CameraPipeline>(m_options, Name(), std::move(sink));
    m_running = true;
    m_thread = std::thread([this] { Run(); });
    return {};
}

core::Result<void> CameraSource::StartFrames() {
    Stop();
    if (auto opened = Open(); !opened) return opened;
    m_running = true;
    m_thread = std::thread([this] { Run(); });
    return {};
}

core::Result<void> CameraSource::Open() {
    const std::string& device = m_options.device;
    m_fd = ::open(device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0) return core::Fail(core::ErrorCode::Unavailable, Why(device, "cannot open"));
    auto fail = [&](const std::string& what) {
        auto error = core::Fail(core::ErrorCode::Unavailable, Why(device, what));
        Close();
        return error;
    };

    v4l2_capability caps{};
    if (Xioctl(m_fd, VIDIOC_QUERYCAP, &caps) != 0) return fail("not a V4L2 device");
    const std::uint32_t have = (caps.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? caps.device_caps : caps.capabilities;
    if ((have & V4L2_CAP_VIDEO_CAPTURE) == 0 || (have & V4L2_CAP_STREAMING) == 0) {
        errno = ENOTSUP;
        return fail("not a streaming video capture device");
    }

    // YUYV is what nearly every UVC camera offers; its Y samples are the grey image. GREY otherwise.
    bool negotiated = false;
    for (const auto& [fourcc, layout] : {std::pair{V4L2_PIX_FMT_YUYV, PixelLayout::Yuyv},
                                        std::pair{V4L2_PIX_FMT_GREY, PixelLayout::Grey}}) {
        v4l2_format format{};
        format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        format.fmt.pix.width = static_cast<std::uint32_t>(m_options.width);
        format.fmt.pix.height = static_cast<std::uint32_t>(m_options.height);
        format.fmt.pix.pixelformat = fourcc;
        format.fmt.pix.field = V4L2_FIELD_NONE;
        if (Xioctl(m_fd, VIDIOC_S_FMT, &format) != 0 || format.fmt.pix.pixelformat != fourcc) continue;
        m_layout = layout;
        m_width = static_cast<int>(format.fmt.pix.width);
        m_height = static_cast<int>(format.fmt.pix.height);
        m_bytesPerLine = static_cast<int>(format.fmt.pix.bytesperline);
        if (m_bytesPerLine == 0) m_bytesPerLine = m_width * (layout == PixelLayout::Yuyv ? 2 : 1);
        negotiated = true;
        break;
    }
    if (!negotiated) {
        errno = ENOTSUP;
        return fail("offers neither YUYV nor GREY");
    }

    v4l2_requestbuffers request{};
    request.count = m_options.buffers;
    request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    request.memory = V4L2_MEMORY_MMAP;
    if (Xioctl(m_fd, VIDIOC_REQBUFS, &request) != 0 || request.count == 0) return fail("no mmap buffers");
    for (std::uint32_t i = 0; i < request.count; ++i) {
        v4l2_buffer buffer{};
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buffer.memory = V4L2_MEMORY_MMAP;
        buffer.index = i;
        if (Xioctl(m_fd, VIDIOC_QUERYBUF, &buffer) != 0) return fail("VIDIOC_QUERYBUF");
        void* start = ::mmap(nullptr, buffer.length, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd, buffer.m.offset);
        if (start == MAP_FAILED) return fail("mmap");
        m_buffers.push_back(Buffer{start, buffer.length});
        if (Xioctl(m_fd, VIDIOC_QBUF, &buffer) != 0) return fail("VIDIOC_QBUF");
    }
    int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (Xioctl(m_fd, VIDIOC_STREAMON, &type) != 0) return fail("VIDIOC_STREAMON");
    return {};
}

void CameraSource::Stop() {
    m_running = false;
    if (m_thread.joinable()) m_thread.join();
    m_pipeline.reset();
    m_latest.Clear();
    Close();
}

void CameraSource::Close() {
    if (m_fd < 0) return;
    int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    Xioctl(m_fd, VIDIOC_STREAMOFF, &type);
    for (const Buffer& buffer : m_buffers) ::munmap(buffer.start, buffer.length);
    m_buffers.clear();
    ::close(m_fd);
    m_fd = -1;
}

void CameraSource::Run() {
    while (m_running) {
        pollfd waiting{m_fd, POLLIN, 0};
        const int ready = ::poll(&waiting, 1, kPollTimeoutMs);
        if (ready <= 0) continue;
        if ((waiting.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return;  // the camera went away
        v4l2_buffer buffer{};
        buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buffer.memory = V4L2_MEMORY_MMAP;
        if (Xioctl(m_fd, VIDIOC_DQBUF, &buffer) != 0) {
            if (errno == EAGAIN) continue;
            return;
        }
        if (buffer.index < m_buffers.size() && (buffer.flags & V4L2_BUF_FLAG_ERROR) == 0) {
            const Buffer& mapped = m_buffers[buffer.index];
            const std::size_t used = std::min<std::size_t>(buffer.bytesused, mapped.length);
            // The pipeline and the slot copy the bytes out, so the buffer goes straight back to the driver.
            const RawFrame frame{{static_cast<const std::uint8_t*>(mapped.start), used}, m_layout, m_width, m_height,
                                 m_bytesPerLine};
            if (m_pipeline) m_pipeline->Frame(frame);
            m_latest.Keep(frame);
        }
        if (Xioctl(m_fd, VIDIOC_QBUF, &buffer) != 0) return;
    }
}

}  // namespace kiosk::drivers
