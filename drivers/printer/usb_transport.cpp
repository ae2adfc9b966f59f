// USB printers through libusb: find the printer-class interface, take it from the kernel's usblp,
// write in bulk chunks and read status replies from the bulk IN endpoint. LIBUSB_* codes stop here.
#include "drivers/printer/usb_transport.hpp"

#include <libusb.h>

#include <charconv>
#include <cstdio>
#include <optional>

namespace kiosk::drivers::printer {
namespace {

using core::ErrorCode;
using core::Fail;

constexpr std::uint8_t kPrinterClass = 7;

core::Error UsbError(int rc, const std::string& where) {
    ErrorCode code = ErrorCode::Unavailable;
    if (rc == LIBUSB_ERROR_BUSY) code = ErrorCode::Busy;
    if (rc == LIBUSB_ERROR_ACCESS) code = ErrorCode::Forbidden;
    std::string hint;
    if (rc == LIBUSB_ERROR_ACCESS) hint = " (install the kiosk's udev rule or add the user to the printer's group)";
    if (rc == LIBUSB_ERROR_BUSY) hint = " (another program holds the printer)";
    return core::Error{code, where + ": " + libusb_strerror(static_cast<libusb_error>(rc)) + hint};
}

struct Match {
    std::optional<std::uint16_t> vid, pid;
    std::string serial;
};

std::optional<Match> ParseSpec(const std::string& spec) {
    Match m;
    if (spec == "auto") return m;
    const std::size_t colon = spec.find(':');
    if (colon != 4 || spec.size() < 9) return std::nullopt;
    auto hex = [](std::string_view text) -> std::optional<std::uint16_t> {
        std::uint16_t value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
        if (ec != std::errc{} || end != text.data() + text.size() || text.size() != 4) return std::nullopt;
        return value;
    };
    m.vid = hex(std::string_view(spec).substr(0, 4));
    m.pid = hex(std::string_view(spec).substr(5, 4));
    if (!m.vid || !m.pid) return std::nullopt;
    if (spec.size() > 9) {
        if (spec[9] != '/' || spec.size() == 10) return std::nullopt;
        m.serial = spec.substr(10);
    }
    return m;
}

struct PrinterInterface {
    int number = -1;
    std::uint8_t out = 0;
    std::uint8_t in = 0;  // 0: the printer cannot report status
};

std::optional<PrinterInterface> FindPrinterInterface(libusb_device* device) {
    libusb_config_descriptor* config = nullptr;
    if (libusb_get_active_config_descriptor(device, &config) != 0 &&
        libusb_get_config_descriptor(device, 0, &config) != 0) {
        return std::nullopt;
    }
    std::optional<PrinterInterface> found;
    for (int i = 0; i < config->bNumInterfaces && !found; ++i) {
        const libusb_interface& iface = config->interface[i];
        for (int a = 0; a < iface.num_altsetting && !found; ++a) {
            const libusb_interface_descriptor& alt = iface.altsetting[a];
            if (alt.bInterfaceClass != kPrinterClass) continue;
            PrinterInterface p;
            p.number = alt.bInterfaceNumber;
            for (int e = 0; e < alt.bNumEndpoints; ++e) {
                const libusb_endpoint_descriptor& ep = alt.endpoint[e];
                if ((ep.bmAttributes & 0x03) != LIBUSB_TRANSFER_TYPE_BULK) continue;
                if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0) {
                    if (p.in == 0) p.in = ep.bEndpointAddress;
                } else if (p.out == 0) {
                    p.out = ep.bEndpointAddress;
                }
            }
            if (p.out != 0) found = p;
        }
    }
    libusb_free_config_descriptor(config);
    return found;
}

std::string ReadString(libusb_device_handle* handle, std::uint8_t index) {
    if (index == 0) return {};
    unsigned char text[128];
    const int n = libusb_get_string_descriptor_ascii(handle, index, text, sizeof text);
    return n > 0 ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n)) : std::string{};
}

std::string Ids(const libusb_device_descriptor& d) {
    char text[16];
    std::snprintf(text, sizeof text, "%04x:%04x", d.idVendor, d.idProduct);
    return text;
}

class UsbTransport final : public StreamTransport {
public:
    UsbTransport(std::string uri, Match match, TransportOptions options)
        : m_uri(std::move(uri)), m_match(std::move(match)), m_options(options) {}
    ~UsbTransport() override {
        Disconnect();
        if (m_context != nullptr) libusb_exit(m_context);
    }

    std::string Describe() const override { return m_uri; }

    Result<void> Connect() override {
        if (m_handle != nullptr) return {};
        if (m_context == nullptr) {
            if (const int rc = libusb_init(&m_context); rc != 0) {
                m_context = nullptr;
                return std::unexpected(UsbError(rc, m_uri + ": libusb"));
            }
        }
        libusb_device** list = nullptr;
        const ssize_t count = libusb_get_device_list(m_context, &list);
        if (count < 0) return std::unexpected(UsbError(static_cast<int>(count), m_uri + ": listing devices"));
        std::optional<core::Error> lastError;
        for (ssize_t i = 0; i < count && m_handle == nullptr; ++i) {
            if (auto error = TryOpen(list[i]); error) lastError = error;
        }
        libusb_free_device_list(list, 1);
        if (m_handle != nullptr) return {};
        if (lastError) return std::unexpected(*lastError);
        return Fail(ErrorCode::Unavailable, m_uri + ": no such printer connected");
    }

    void Disconnect() override {
        if (m_handle == nullptr) return;
        libusb_release_interface(m_handle, m_interface.number);
        libusb_close(m_handle);
        m_handle = nullptr;
    }

protected:
    std::chrono::milliseconds Timeout() const override { return m_options.timeout; }
    std::size_t ChunkBytes() const override { return m_options.chunkBytes; }

    Result<void> WriteAll(std::span<const std::uint8_t> bytes) override {
        std::size_t done = 0;
        while (done < bytes.size()) {
            int sent = 0;
            const int rc = libusb_bulk_transfer(m_handle, m_interface.out, const_cast<std::uint8_t*>(bytes.data() + done),
                                                static_cast<int>(bytes.size() - done), &sent,
                                                static_cast<unsigned>(m_options.timeout.count()));
            done += static_cast<std::size_t>(std::max(sent, 0));
            if (rc == LIBUSB_ERROR_TIMEOUT) return Fail(ErrorCode::Unavailable, m_uri + ": printer stopped taking data (time-out)");
            if (rc != 0) return std::unexpected(UsbError(rc, m_uri + ": write"));
        }
        return {};
    }

    Result<std::size_t> ReadSome(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override {
        if (m_interface.in == 0) return Fail(ErrorCode::Unavailable, m_uri + ": the printer has no IN endpoint for status");
        int got = 0;
        // libusb treats 0 as "wait forever"; the shortest real wait stands in for a poll.
        const auto ms = static_cast<unsigned>(std::max<long long>(timeout.count(), 1));
        const int rc = libusb_bulk_transfer(m_handle, m_interface.in, buffer.data(), static_cast<int>(buffer.size()), &got, ms);
        if (rc == LIBUSB_ERROR_TIMEOUT) return static_cast<std::size_t>(std::max(got, 0));
        if (rc != 0) return std::unexpected(UsbError(rc, m_uri + ": read"));
        return static_cast<std::size_t>(got);
    }

private:
    // Opens `device` when it matches; an error only when it matched and could not be taken.
    std::optional<core::Error> TryOpen(libusb_device* device) {
        libusb_device_descriptor d{};
        if (libusb_get_device_descriptor(device, &d) != 0) return std::nullopt;
        if (m_match.vid && (d.idVendor != *m_match.vid || d.idProduct != *m_match.pid)) return std::nullopt;
        auto iface = FindPrinterInterface(device);
        if (!iface) return std::nullopt;
        libusb_device_handle* handle = nullptr;
        if (const int rc = libusb_open(device, &handle); rc != 0) return UsbError(rc, m_uri + ": open " + Ids(d));
        if (!m_match.serial.empty() && ReadString(handle, d.iSerialNumber) != m_match.serial) {
            libusb_close(handle);
            return std::nullopt;
        }
        if (libusb_kernel_driver_active(handle, iface->number) == 1) {
            if (const int rc = libusb_detach_kernel_driver(handle, iface->number); rc != 0 && rc != LIBUSB_ERROR_NOT_FOUND) {
                libusb_close(handle);
                return UsbError(rc, m_uri + ": detaching the kernel driver of " + Ids(d));
            }
        }
        if (const int rc = libusb_claim_interface(handle, iface->number); rc != 0) {
            libusb_close(handle);
            return UsbError(rc, m_uri + ": claiming " + Ids(d));
        }
        m_handle = handle;
        m_interface = *iface;
        return std::nullopt;
    }

    std::string m_uri;
    Match m_match;
    TransportOptions m_options;
    libusb_context* m_context = nullptr;
    libusb_device_handle* m_handle = nullptr;
    PrinterInterface m_interface;
};

}  // namespace

Result<std::unique_ptr<Transport>> OpenUsbTransport(const std::string& uri, const std::string& spec,
                                                    const TransportOptions& options) {
    auto match = ParseSpec(spec);
    if (!match) return Fail(ErrorCode::InvalidInput, uri + ": expected usb://auto or usb://VID:PID[/SERIAL] (hex)");
    return std::unique_ptr<Transport>(new UsbTransport(uri, std::move(*match), options));
}

Result<std::vector<UsbPrinterInfo>> ListUsbPrinters() {
    libusb_context* context = nullptr;
    if (const int rc = libusb_init(&context); rc != 0) return std::unexpected(UsbError(rc, "libusb"));
    libusb_device** list = nullptr;
    const ssize_t count = libusb_get_device_list(context, &list);
    std::vector<UsbPrinterInfo> printers;
    for (ssize_t i = 0; i < count; ++i) {
        libusb_device_descriptor d{};
        if (libusb_get_device_descriptor(list[i], &d) != 0 || !FindPrinterInterface(list[i])) continue;
        UsbPrinterInfo info;
        info.uri = "usb://" + Ids(d);
        libusb_device_handle* handle = nullptr;
        if (libusb_open(list[i], &handle) == 0) {
            const std::string serial = ReadString(handle, d.iSerialNumber);
            if (!serial.empty()) info.uri += "/" + serial;
            info.description = ReadString(handle, d.iManufacturer) + " " + ReadString(handle, d.iProduct);
            libusb_close(handle);
        } else {
            info.description = "(no permission to open)";
        }
        printers.push_back(std::move(info));
    }
    if (count >= 0) libusb_free_device_list(list, 1);
    libusb_exit(context);
    if (count < 0) return std::unexpected(UsbError(static_cast<int>(count), "listing USB devices"));
    return printers;
}

}  // namespace kiosk::drivers::printer
