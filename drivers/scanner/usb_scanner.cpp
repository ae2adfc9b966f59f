// libusb glue for scanners: enumeration, claiming, the interrupt read loop, reconnection on hot-plug.
#include "drivers/scanner/usb_scanner.hpp"

#include <libusb.h>

#include <charconv>
#include <cstdio>

#include "drivers/scanner/duplicate_filter.hpp"

namespace kiosk::drivers {
namespace {

constexpr std::uint8_t kHidClass = 3;
constexpr std::uint8_t kBootSubclass = 1;
constexpr std::uint8_t kKeyboardProtocol = 1;
constexpr std::uint8_t kReportDescriptor = 0x22;
constexpr std::uint8_t kInterfaceRequestIn = 0x81;  // device-to-host, standard, interface
constexpr unsigned kReadTimeoutMs = 50;
constexpr unsigned kControlTimeoutMs = 500;

std::string UsbError(int code) { return libusb_error_name(code); }

// One scanner interface of a device; holds a reference so the device can be opened later.
struct Candidate {
    UsbScannerInfo info;
    std::uint8_t endpoint = 0;
    std::uint16_t packetSize = 0;
    libusb_device* device = nullptr;

    Candidate() = default;
    Candidate(const Candidate& other) : info(other.info), endpoint(other.endpoint), packetSize(other.packetSize),
                                        device(other.device != nullptr ? libusb_ref_device(other.device) : nullptr) {}
    Candidate& operator=(Candidate other) {
        std::swap(info, other.info);
        std::swap(endpoint, other.endpoint);
        std::swap(packetSize, other.packetSize);
        std::swap(device, other.device);
        return *this;
    }
    ~Candidate() {
        if (device != nullptr) libusb_unref_device(device);
    }
};

// A HID POS interface's report descriptor starts with Usage Page (POS): 05 8C or 06 8C 00.
bool IsPosDescriptor(libusb_device_handle* handle, int interfaceNumber) {
    unsigned char descriptor[64] = {};
    const int got = libusb_control_transfer(handle, kInterfaceRequestIn,
                                            LIBUSB_REQUEST_GET_DESCRIPTOR, kReportDescriptor << 8,
                                            static_cast<std::uint16_t>(interfaceNumber), descriptor, sizeof descriptor,
                                            kControlTimeoutMs);
    if (got < 2) return false;
    return (descriptor[0] == 0x05 && descriptor[1] == 0x8C) || (got >= 3 && descriptor[0] == 0x06 && descriptor[1] == 0x8C);
}

std::string ProductString(libusb_device_handle* handle, std::uint8_t index) {
    if (index == 0) return {};
    unsigned char text[128] = {};
    const int got = libusb_get_string_descriptor_ascii(handle, index, text, sizeof text);
    if (got <= 0) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(got));
}

// The scanner interfaces of one device. The device is opened only to read its product string and,
// for HID interfaces that are not boot keyboards, to tell HID POS from other HID devices.
std::vector<Candidate> ScannerInterfaces(libusb_device* device) {
    std::vector<Candidate> found;
    libusb_device_descriptor dd{};
    if (libusb_get_device_descriptor(device, &dd) != 0) return found;
    libusb_config_descriptor* config = nullptr;
    if (libusb_get_active_config_descriptor(device, &config) != 0 &&
        libusb_get_config_descriptor(device, 0, &config) != 0) {
        return found;
    }
    libusb_device_handle* handle = nullptr;
    bool openFailed = false;
    auto opened = [&]() -> libusb_device_handle* {
        if (handle == nullptr && !openFailed) openFailed = libusb_open(device, &handle) != 0;
        return handle;
    };
    for (int i = 0; i < config->bNumInterfaces; ++i) {
        const libusb_interface& iface = config->interface[i];
        if (iface.num_altsetting < 1) continue;
        const libusb_interface_descriptor& alt = iface.altsetting[0];
        if (alt.bInterfaceClass != kHidClass) continue;
        Candidate c;
        c.info.id = {dd.idVendor, dd.idProduct};
        c.info.bus = libusb_get_bus_number(device);
        c.info.address = libusb_get_device_address(device);
        c.info.interfaceNumber = alt.bInterfaceNumber;
        for (int e = 0; e < alt.bNumEndpoints; ++e) {
            const libusb_endpoint_descriptor& ep = alt.endpoint[e];
            if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0 &&
                (ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_INTERRUPT) {
                c.endpoint = ep.bEndpointAddress;
                c.packetSize = ep.wMaxPacketSize;
                break;
            }
        }
        if (c.endpoint == 0) continue;
        if (alt.bInterfaceSubClass == kBootSubclass && alt.bInterfaceProtocol == kKeyboardProtocol) {
            c.info.kind = UsbScannerKind::BootKeyboard;
        } else if (opened() != nullptr && IsPosDescriptor(handle, alt.bInterfaceNumber)) {
            c.info.kind = UsbScannerKind::HidPos;
        } else {
            continue;
        }
        if (opened() != nullptr) c.info.product = ProductString(handle, dd.iProduct);
        c.device = libusb_ref_device(device);
        found.push_back(c);
    }
    if (handle != nullptr) libusb_close(handle);
    libusb_free_config_descriptor(config);
    return found;
}

std::vector<Candidate> FindScanners(libusb_context* ctx, const std::optional<VidPid>& only) {
    std::vector<Candidate> all;
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(ctx, &list);
    for (ssize_t i = 0; i < count; ++i) {
        libusb_device_descriptor dd{};
        if (libusb_get_device_descriptor(list[i], &dd) != 0) continue;
        if (only && (dd.idVendor != only->vendor || dd.idProduct != only->product)) continue;
        for (Candidate& c : ScannerInterfaces(list[i])) all.push_back(std::move(c));
    }
    if (count >= 0) libusb_free_device_list(list, 1);
    return all;
}

core::ScanEvent EventFrom(core::ScanInput input, const UsbScannerInfo& info) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return core::ScanEvent{std::move(input), "usb-hid " + info.id.Format(), now};
}

}  // namespace

std::string VidPid::Format() const {
    char text[10];
    std::snprintf(text, sizeof text, "%04x:%04x", vendor, product);
    return text;
}

core::Result<VidPid> ParseVidPid(std::string_view text) {
    auto bad = [&] {
        return core::Fail(core::ErrorCode::InvalidInput,
                          "device '" + std::string(text) + "' is not VID:PID in hexadecimal (e.g. 05e0:1200)");
    };
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 4 || text.size() - colon - 1 == 0 ||
        text.size() - colon - 1 > 4) {
        return bad();
    }
    VidPid id;
    auto parse = [](std::string_view part, std::uint16_t& out) {
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out, 16);
        return ec == std::errc() && end == part.data() + part.size();
    };
    if (!parse(text.substr(0, colon), id.vendor) || !parse(text.substr(colon + 1), id.product)) return bad();
    return id;
}

core::Result<std::vector<UsbScannerInfo>> ListUsbScanners(const std::optional<VidPid>& only) {
    libusb_context* ctx = nullptr;
    if (const int rc = libusb_init(&ctx); rc != 0) {
        return core::Fail(core::ErrorCode::Unavailable, "USB is not available: " + UsbError(rc));
    }
    std::vector<UsbScannerInfo> scanners;
    for (Candidate& c : FindScanners(ctx, only)) scanners.push_back(std::move(c.info));
    libusb_exit(ctx);
    return scanners;
}

struct UsbScannerSource::Usb {
    libusb_context* ctx = nullptr;
    libusb_hotplug_callback_handle hotplug = 0;
    bool hasHotplug = false;
    int arrived = 0;  // set by the hot-plug callback on the event thread; ends the wait for a scanner
};

UsbScannerSource::UsbScannerSource(UsbScannerOptions options) : m_options(options) {}

UsbScannerSource::~UsbScannerSource() { Stop(); }

core::Result<void> UsbScannerSource::Start(std::function<void(const core::ScanEvent&)> sink) {
    Stop();
    auto usb = std::make_unique<Usb>();
    if (const int rc = libusb_init(&usb->ctx); rc != 0) {
        return core::Fail(core::ErrorCode::Unavailable, "USB is not available: " + UsbError(rc));
    }
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0) {
        const int vendor = m_options.device ? m_options.device->vendor : LIBUSB_HOTPLUG_MATCH_ANY;
        const int product = m_options.device ? m_options.device->product : LIBUSB_HOTPLUG_MATCH_ANY;
        auto onArrival = [](libusb_context*, libusb_device*, libusb_hotplug_event, void* data) -> int {
            static_cast<Usb*>(data)->arrived = 1;
            return 0;
        };
        // Without the callback the source still finds the scanner, by looking every rescanInterval.
        usb->hasHotplug = libusb_hotplug_register_callback(usb->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED,
                                                           LIBUSB_HOTPLUG_NO_FLAGS, vendor, product,
                                                           LIBUSB_HOTPLUG_MATCH_ANY, onArrival, usb.get(),
                                                           &usb->hotplug) == LIBUSB_SUCCESS;
    }
    m_usb = std::move(usb);
    m_sink = std::move(sink);
    m_running = true;
    m_thread = std::thread([this] { Run(); });
    return {};
}

void UsbScannerSource::Stop() {
    m_running = false;
    if (m_thread.joinable()) m_thread.join();
    if (m_usb) {
        libusb_exit(m_usb->ctx);
        m_usb.reset();
    }
}

void UsbScannerSource::WaitForScanner() {
    if (!m_usb->hasHotplug) {
        std::this_thread::sleep_for(m_options.rescanInterval);
        return;
    }
    const auto deadline = std::chrono::steady_clock::now() + m_options.rescanInterval;
    while (m_running && m_usb->arrived == 0) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) break;
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(left).count();
        timeval wait{static_cast<time_t>(micros / 1000000), static_cast<suseconds_t>(micros % 1000000)};
        libusb_handle_events_timeout_completed(m_usb->ctx, &wait, &m_usb->arrived);
    }
}

void UsbScannerSource::Run() {
    DuplicateFilter repeats(m_options.repeatWindow);
    while (m_running) {
        m_usb->arrived = 0;
        const auto scanners = FindScanners(m_usb->ctx, m_options.device);
        libusb_device_handle* handle = nullptr;
        Candidate chosen;
        for (const Candidate& c : scanners) {
            if (libusb_open(c.device, &handle) != 0) {
                handle = nullptr;
                continue;
            }
            // Until usbhid lets go, claiming fails with LIBUSB_ERROR_BUSY and the scanner types into the UI.
            if (libusb_kernel_driver_active(handle, c.info.interfaceNumber) == 1) {
                libusb_detach_kernel_driver(handle, c.info.interfaceNumber);
            }
            if (libusb_claim_interface(handle, c.info.interfaceNumber) == 0) {
                chosen = c;
                break;
            }
            libusb_close(handle);
            handle = nullptr;
        }
        if (handle == nullptr) {
            WaitForScanner();
            continue;
        }
        m_connected = true;
        BootKeyboardDecoder keyboard(m_options.keyboard);
        HidPosDecoder pos(m_options.pos);
        std::vector<std::uint8_t> buffer(std::max<std::size_t>(chosen.packetSize, 64));
        while (m_running) {
            int got = 0;
            const int rc = libusb_interrupt_transfer(handle, chosen.endpoint, buffer.data(),
                                                     static_cast<int>(buffer.size()), &got, kReadTimeoutMs);
            const auto now = ScanClock::now();
            if (rc != 0 && rc != LIBUSB_ERROR_TIMEOUT) {
                // Unplugged or failed: whatever was half-read is lost; look for the scanner again.
                if (keyboard.Reset() || pos.Reset()) ++m_dropped;
                break;
            }
            // A report can complete just as the timeout cancels the transfer; it still counts.
            if (got == 0) {
                if (keyboard.Expire(now) || pos.Expire(now)) ++m_dropped;
                continue;
            }
            const std::span<const std::uint8_t> report(buffer.data(), static_cast<std::size_t>(got));
            std::optional<core::ScanInput> input;
            if (chosen.info.kind == UsbScannerKind::BootKeyboard) {
                if (auto text = keyboard.Feed(report, now)) input = core::ScanInput{std::move(*text), ""};
            } else {
                input = pos.Feed(report, now);
            }
            if (input && repeats.Accept(input->text, now) && m_sink) m_sink(EventFrom(std::move(*input), chosen.info));
        }
        libusb_release_interface(handle, chosen.info.interfaceNumber);
        libusb_close(handle);
        m_connected = false;
    }
}

}  // namespace kiosk::drivers
