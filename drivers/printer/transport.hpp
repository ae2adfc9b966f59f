// Printer transports: where receipt bytes go (USB through libusb, raw TCP port 9100, /dev/usb/lp*, a
// file, or the emulator writing PNGs), and how the printer's real-time status is read back.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "drivers/escpos/profile.hpp"
#include "kiosk/core/devices.hpp"

namespace kiosk::drivers::printer {

using core::Result;

struct TransportOptions {
    std::chrono::milliseconds timeout{3000};  // per write chunk and per status reply
    std::size_t chunkBytes = 4096;            // writes are split so a timeout names the stuck chunk
    int emulatorDots = 576;                   // emulator:// paper width
    escpos::CjkMode emulatorCjk = escpos::CjkMode::Gb18030;
};

class Transport {
public:
    virtual ~Transport() = default;
    // The URI it was opened with, for staff.
    virtual std::string Describe() const = 0;
    // Opens the connection when it is not open (again after an unplug). Unavailable when the printer
    // is not there, Busy when another program holds it, Forbidden without permission.
    virtual Result<void> Connect() = 0;
    // Sends one job's bytes. Unavailable when the printer goes away or stops taking bytes before the
    // time-out; the connection is then closed and the next Connect reopens it.
    virtual Result<void> Send(std::span<const std::uint8_t> job, std::string_view label) = 0;
    // Asks DLE EOT 1-4. Unavailable when the printer does not answer in time, InvalidInput for a reply
    // that is not a status byte. Transports that cannot read (file) report an online printer.
    virtual Result<core::PrinterStatus> Status() = 0;
    virtual void Disconnect() = 0;
};

// usb://auto, usb://VID:PID[/SERIAL], tcp://HOST[:PORT], lp:///dev/usb/lp0, file:///PATH,
// emulator:///DIRECTORY (one PNG a job). Nothing is opened yet. InvalidInput for a malformed URI.
Result<std::unique_ptr<Transport>> OpenTransport(std::string_view uri, const TransportOptions& options = {});

// Transports that talk to a byte stream: the shared chunked send and status exchange over raw reads
// and writes.
class StreamTransport : public Transport {
public:
    // Connects if needed and writes the job in chunks of `ChunkBytes()`, so a time-out names the
    // chunk that stuck; the connection is dropped after a failed write.
    Result<void> Send(std::span<const std::uint8_t> job, std::string_view label) override;
    Result<core::PrinterStatus> Status() override;

protected:
    virtual std::size_t ChunkBytes() const = 0;
    // Writes all of `bytes` within the time-out or fails.
    virtual Result<void> WriteAll(std::span<const std::uint8_t> bytes) = 0;
    // Reads up to `buffer.size()` bytes, waiting at most `timeout`; 0 bytes on time-out.
    virtual Result<std::size_t> ReadSome(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) = 0;
    virtual std::chrono::milliseconds Timeout() const = 0;
};

struct UsbPrinterInfo {
    std::string uri;          // usb://VID:PID/SERIAL
    std::string description;  // manufacturer and product strings when readable
};
// Printers (interface class 7) on the USB buses. Unavailable when libusb cannot start.
Result<std::vector<UsbPrinterInfo>> ListUsbPrinters();

}  // namespace kiosk::drivers::printer
