// The libusb transport, internal to kiosk_printer: OpenTransport hands usb:// URIs here.
#pragma once

#include <memory>
#include <string>

#include "drivers/printer/transport.hpp"

namespace kiosk::drivers::printer {

// `spec` is what follows usb://: "auto" (the first interface of class 7) or "VID:PID[/SERIAL]" in hex.
Result<std::unique_ptr<Transport>> OpenUsbTransport(const std::string& uri, const std::string& spec,
                                                    const TransportOptions& options);

}  // namespace kiosk::drivers::printer
