// USB barcode scanners emulated behind umockdev's usbdevfs ioctls, for running the real libusb code
// against them: descriptors in sysfs, usbhid bound until detached, interrupt IN reports on demand,
// GET_DESCRIPTOR for report and string descriptors, unplug and replug with uevents.
#pragma once

#include <sys/ioctl.h>

#include <linux/usbdevice_fs.h>

#include <umockdev.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::testing {

struct ScannerModel {
    std::uint16_t vendor = 0;
    std::uint16_t product = 0;
    std::uint8_t interfaceSubclass = 1;  // 1/1 = boot keyboard, 0/0 = report-protocol HID
    std::uint8_t interfaceProtocol = 1;
    std::uint16_t packetSize = 8;
    std::string productName;
    std::vector<std::uint8_t> reportDescriptor;
};

// A Symbol keyboard-mode scanner: interface 3/1/1, interrupt IN 0x81, 8-byte reports.
inline ScannerModel KeyboardScanner() {
    return {0x05e0, 0x1200, 1, 1, 8, "Symbol Bar Code Scanner",
            {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01,
             0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x06, 0x75, 0x08,
             0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0}};
}

// A Honeywell scanner in HID POS mode: interface 3/0/0 whose report descriptor opens with usage page 0x8C.
inline ScannerModel PosScanner() {
    return {0x0c2e, 0x0b87, 0, 0, 64, "Voyager 1450g",
            {0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x12, 0xA1, 0x02, 0x85, 0x02, 0x15, 0x00, 0x26,
             0xFF, 0x00, 0x75, 0x08, 0x95, 0x3F, 0x09, 0xFE, 0x82, 0x02, 0x01, 0xC0, 0xC0}};
}

// A HID mouse-like device (report protocol, generic desktop page): HID, but not a scanner.
inline ScannerModel OtherHidDevice() {
    return {0x046d, 0xc077, 0, 0, 4, "USB Optical Mouse",
            {0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00, 0x05, 0x09, 0xC0, 0xC0}};
}

class FakeUsbScanner {
public:
    // The device appears on its own bus `bus` (sysfs /devices/usbN), usbhid bound to interface 0.
    FakeUsbScanner(UMockdevTestbed* testbed, int bus, ScannerModel model)
        : m_testbed(testbed), m_bus(bus), m_model(std::move(model)) {
        Plug();
    }
    // The device leaves the testbed with its handlers, so a later scanner may use the same testbed.
    ~FakeUsbScanner() {
        if (!m_plugs.back()->gone) umockdev_testbed_remove_device(m_testbed, ("/sys" + SysPath()).c_str());
        for (auto& plug : m_plugs) {
            umockdev_testbed_detach_ioctl(m_testbed, DevNode(plug->address).c_str(), nullptr);
            g_signal_handlers_disconnect_by_data(plug->handler, plug.get());
        }
        const std::scoped_lock lock(m_mutex);
        for (auto& plug : m_plugs) {
            for (Urb& urb : plug->flying) urb.Release();
            for (Urb& urb : plug->done) urb.Release();
            g_clear_object(&plug->handler);
        }
    }
    FakeUsbScanner(const FakeUsbScanner&) = delete;
    FakeUsbScanner& operator=(const FakeUsbScanner&) = delete;

    // Queues one input report; it goes to the next interrupt IN transfer the host submits.
    void Send(std::span<const std::uint8_t> report) {
        const std::scoped_lock lock(m_mutex);
        m_reports.emplace_back(report.begin(), report.end());
        Match();
    }
    template <typename Reports>
    void SendAll(const Reports& reports) {
        for (const auto& r : reports) Send(std::span<const std::uint8_t>(r.data(), r.size()));
    }
    // Reports queued but not yet handed to the host.
    std::size_t Queued() {
        const std::scoped_lock lock(m_mutex);
        return m_reports.size();
    }
    // Reports handed over but not yet reaped by the host.
    std::size_t Unreaped() {
        const std::scoped_lock lock(m_mutex);
        return Current().done.size();
    }
    bool DriverBound() {
        const std::scoped_lock lock(m_mutex);
        return Current().driverBound;
    }
    bool Claimed() {
        const std::scoped_lock lock(m_mutex);
        return Current().claimed;
    }

    // The cable is pulled: transfers in flight end with ENODEV, every later request fails with
    // ENODEV, and the device leaves sysfs with a "remove" uevent. Queued reports are lost.
    void Unplug() {
        {
            const std::scoped_lock lock(m_mutex);
            Plugged& plug = Current();
            plug.gone = true;
            for (Urb& urb : plug.flying) {
                urb.status = -ENODEV;
                plug.done.push_back(urb);
            }
            plug.flying.clear();
            m_reports.clear();
        }
        umockdev_testbed_uevent(m_testbed, ("/sys" + SysPath()).c_str(), "remove");
        umockdev_testbed_remove_device(m_testbed, ("/sys" + SysPath()).c_str());
    }
    // Plugged in again: a new device address, usbhid bound again, an "add" uevent.
    void Replug() { Plug(); }

private:
    struct Urb {
        UMockdevIoctlData* urb = nullptr;
        UMockdevIoctlData* buffer = nullptr;  // resolved client buffer, for IN and control data
        int status = 0;
        void Release() {
            if (buffer != nullptr) umockdev_ioctl_data_unref(buffer);
            if (urb != nullptr) umockdev_ioctl_data_unref(urb);
            buffer = urb = nullptr;
        }
        usbdevfs_urb* Get() const { return reinterpret_cast<usbdevfs_urb*>(urb->data); }
    };
    // One time the device was plugged in: its own device node, handler and transfers.
    struct Plugged {
        FakeUsbScanner* owner = nullptr;
        int address = 0;
        UMockdevIoctlBase* handler = nullptr;
        std::vector<Urb> flying;  // interrupt IN transfers waiting for a report
        std::deque<Urb> done;     // transfers ready to be reaped
        bool driverBound = true;
        bool claimed = false;
        bool gone = false;
    };

    std::string SysPath() const { return "/devices/usb" + std::to_string(m_bus); }
    std::string DevNode(int address) const {
        char node[32];
        std::snprintf(node, sizeof node, "/dev/bus/usb/%03d/%03d", m_bus, address);
        return node;
    }
    Plugged& Current() { return *m_plugs.back(); }

    static std::string Hex(const std::vector<std::uint8_t>& bytes) {
        std::string out;
        char two[3];
        for (std::uint8_t b : bytes) {
            std::snprintf(two, sizeof two, "%02x", b);
            out += two;
        }
        return out;
    }
    static void Put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
        out.push_back(static_cast<std::uint8_t>(v & 0xFF));
        out.push_back(static_cast<std::uint8_t>(v >> 8));
    }

    // Device descriptor, then configuration, interface, HID and endpoint descriptors, as sysfs has them.
    std::vector<std::uint8_t> Descriptors() const {
        std::vector<std::uint8_t> d{0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40};
        Put16(d, m_model.vendor);
        Put16(d, m_model.product);
        d.insert(d.end(), {0x00, 0x01, 0x01, 0x02, 0x00, 0x01});
        d.insert(d.end(), {0x09, 0x02, 34, 0x00, 0x01, 0x01, 0x00, 0xA0, 0x32});
        d.insert(d.end(), {0x09, 0x04, 0x00, 0x00, 0x01, 0x03, m_model.interfaceSubclass, m_model.interfaceProtocol, 0x00});
        d.insert(d.end(), {0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22});
        Put16(d, static_cast<std::uint16_t>(m_model.reportDescriptor.size()));
        d.insert(d.end(), {0x07, 0x05, 0x81, 0x03});
        Put16(d, m_model.packetSize);
        d.push_back(0x01);
        return d;
    }

    void Plug() {
        std::unique_ptr<Plugged> plug = std::make_unique<Plugged>();
        plug->owner = this;
        plug->address = static_cast<int>(m_plugs.size()) + 1;
        plug->handler = umockdev_ioctl_base_new();
        g_signal_connect_after(plug->handler, "handle-ioctl", G_CALLBACK(&FakeUsbScanner::OnIoctl), plug.get());
        const std::string node = DevNode(plug->address);
        umockdev_testbed_attach_ioctl(m_testbed, node.c_str(), plug->handler, nullptr);
        const std::string record = "P: " + SysPath() + "\nN: " + node.substr(5) +
                                   "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\nE: BUSNUM=" +
                                   node.substr(13, 3) + "\nE: DEVNUM=" + node.substr(17, 3) + "\nE: DEVNAME=" + node +
                                   "\nA: bConfigurationValue=1\\n\nA: busnum=" + std::to_string(m_bus) +
                                   "\\n\nA: devnum=" + std::to_string(plug->address) +
                                   "\\n\nA: speed=12\\n\nH: descriptors=" + Hex(Descriptors()) + "\n";
        {
            const std::scoped_lock lock(m_mutex);
            m_plugs.push_back(std::move(plug));
        }
        umockdev_testbed_add_from_string(m_testbed, record.c_str(), nullptr);
        umockdev_testbed_uevent(m_testbed, ("/sys" + SysPath()).c_str(), "add");
    }

    static gboolean OnIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer data) {
        Plugged* plug = static_cast<Plugged*>(data);
        const std::scoped_lock lock(plug->owner->m_mutex);
        return plug->owner->Handle(*plug, client);
    }

    // Hands queued reports to interrupt IN transfers of the plugged-in device.
    void Match() {
        Plugged& plug = Current();
        while (!m_reports.empty() && !plug.flying.empty() && !plug.gone) {
            Urb urb = plug.flying.front();
            plug.flying.erase(plug.flying.begin());
            const std::vector<std::uint8_t>& report = m_reports.front();
            const std::size_t n = std::min(report.size(), static_cast<std::size_t>(urb.Get()->buffer_length));
            std::memcpy(urb.buffer->data, report.data(), n);
            urb.Get()->actual_length = static_cast<int>(n);
            urb.status = 0;
            plug.done.push_back(urb);
            m_reports.pop_front();
        }
    }

    // A control transfer's reply: report and string descriptors, or a stall.
    void Control(Urb& urb) {
        const std::uint8_t* setup = urb.buffer->data;
        const std::uint8_t request = setup[1];
        const std::uint8_t type = setup[3];
        const std::uint8_t index = setup[2];
        const std::size_t length = static_cast<std::size_t>(setup[6] | (setup[7] << 8));
        std::vector<std::uint8_t> reply;
        bool known = request == 0x06;
        if (known && type == 0x22) {
            reply = m_model.reportDescriptor;
        } else if (known && type == 0x03 && index == 0) {
            reply = {0x04, 0x03, 0x09, 0x04};
        } else if (known && type == 0x03 && index == 2) {
            reply = {static_cast<std::uint8_t>(2 + 2 * m_model.productName.size()), 0x03};
            for (char c : m_model.productName) reply.insert(reply.end(), {static_cast<std::uint8_t>(c), 0x00});
        } else {
            known = false;
        }
        if (!known) {
            urb.status = -EPIPE;
            urb.Get()->actual_length = 0;
            return;
        }
        reply.resize(std::min(reply.size(), length));
        std::memcpy(urb.buffer->data + 8, reply.data(), reply.size());
        urb.Get()->actual_length = static_cast<int>(reply.size());
        urb.status = 0;
    }

    gboolean Handle(Plugged& plug, UMockdevIoctlClient* client) {
        const gulong request = umockdev_ioctl_client_get_request(client);
        UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
        auto complete = [client](int errorNumber) {
            umockdev_ioctl_client_complete(client, errorNumber == 0 ? 0 : -1, errorNumber);
            return TRUE;
        };
        const bool reaping = request == USBDEVFS_REAPURB || request == USBDEVFS_REAPURBNDELAY;
        if (plug.gone && !reaping && request != USBDEVFS_DISCARDURB) return complete(ENODEV);
        switch (request) {
            case USBDEVFS_GET_CAPABILITIES: {
                UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
                *reinterpret_cast<guint32*>(d->data) = USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
                umockdev_ioctl_data_unref(d);
                return complete(0);
            }
            case USBDEVFS_GETDRIVER: {
                if (!plug.driverBound) return complete(ENODATA);
                UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_getdriver), nullptr);
                std::strcpy(reinterpret_cast<usbdevfs_getdriver*>(d->data)->driver, "usbhid");
                umockdev_ioctl_data_unref(d);
                return complete(0);
            }
            case USBDEVFS_IOCTL: {
                UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_ioctl), nullptr);
                const int code = reinterpret_cast<usbdevfs_ioctl*>(d->data)->ioctl_code;
                umockdev_ioctl_data_unref(d);
                if (code != static_cast<int>(USBDEVFS_DISCONNECT) || !plug.driverBound) return complete(ENODATA);
                plug.driverBound = false;
                return complete(0);
            }
            case USBDEVFS_CLAIMINTERFACE:
                if (plug.driverBound) return complete(EBUSY);
                plug.claimed = true;
                return complete(0);
            case USBDEVFS_RELEASEINTERFACE:
                plug.claimed = false;
                return complete(0);
            case USBDEVFS_CLEAR_HALT:
            case USBDEVFS_RESET:
            case USBDEVFS_RESETEP:
                return complete(0);
            case USBDEVFS_SUBMITURB: {
                Urb urb;
                urb.urb = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
                const usbdevfs_urb* u = urb.Get();
                urb.buffer = umockdev_ioctl_data_resolve(urb.urb, G_STRUCT_OFFSET(usbdevfs_urb, buffer),
                                                         static_cast<gsize>(u->buffer_length), nullptr);
                if (u->type == USBDEVFS_URB_TYPE_CONTROL && u->buffer_length >= 8) {
                    Control(urb);
                    plug.done.push_back(urb);
                } else if (u->type == USBDEVFS_URB_TYPE_INTERRUPT && u->endpoint == 0x81) {
                    plug.flying.push_back(urb);
                    Match();
                } else {
                    urb.Release();
                    return complete(EINVAL);
                }
                return complete(0);
            }
            case USBDEVFS_REAPURB:
            case USBDEVFS_REAPURBNDELAY: {
                if (plug.done.empty()) return complete(plug.gone ? ENODEV : EAGAIN);
                Urb urb = plug.done.front();
                plug.done.pop_front();
                urb.Get()->status = urb.status;
                UMockdevIoctlData* pointer = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
                umockdev_ioctl_data_set_ptr(pointer, 0, urb.urb);
                umockdev_ioctl_data_unref(pointer);
                urb.Release();
                return complete(0);
            }
            case USBDEVFS_DISCARDURB: {
                const auto address = reinterpret_cast<gulong>(*reinterpret_cast<void**>(arg->data));
                auto it = std::find_if(plug.flying.begin(), plug.flying.end(),
                                       [&](const Urb& u) { return u.urb->client_addr == address; });
                if (it == plug.flying.end()) return complete(EINVAL);
                Urb urb = *it;
                plug.flying.erase(it);
                urb.status = -ENOENT;
                urb.Get()->actual_length = 0;
                plug.done.push_back(urb);
                return complete(0);
            }
            default:
                return FALSE;
        }
    }

    UMockdevTestbed* m_testbed;
    int m_bus;
    ScannerModel m_model;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Plugged>> m_plugs;
    std::deque<std::vector<std::uint8_t>> m_reports;
};

// Polls `done` until it holds or `limit` passes; the tests' way to wait for another thread.
template <typename Condition>
bool WaitFor(Condition done, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

}  // namespace kiosk::testing
