// A USB receipt printer emulated behind umockdev's usbdevfs ioctls, for running the real libusb
// transport against it: an Epson TM-T20II's descriptors, usblp bound until detached, bulk bytes kept in
// order, DLE EOT status replies, and switches for the failures tests need (paper, cover, offline,
// silence, an unplug mid-job). The ioctl handler runs on umockdev's thread, hence the mutex.
#pragma once

#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <umockdev.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::testing {

// An Epson TM-T20II (04b8:0e15): interface 0 of class 7 with bulk OUT 0x01 and bulk IN 0x82.
constexpr const char* kTmT20Descriptors =
    "12010002000000" "40b804150e0001010203" "01"
    "09022000010100c001"
    "090400000207010200"
    "07050102400000"
    "07058202400000";

// The printer behind the usbdevfs ioctls: what a TM-T20II would answer, on bus 1 of `testbed` (a
// testbed of its own when none is given).
class FakeUsbPrinter {
public:
    explicit FakeUsbPrinter(UMockdevTestbed* testbed = nullptr) {
        m_testbed = testbed != nullptr ? static_cast<UMockdevTestbed*>(g_object_ref(testbed)) : umockdev_testbed_new();
        m_handler = umockdev_ioctl_base_new();
        g_signal_connect_after(m_handler, "handle-ioctl", G_CALLBACK(&FakeUsbPrinter::OnIoctl), this);
        umockdev_testbed_attach_ioctl(m_testbed, "/dev/bus/usb/001/001", m_handler, nullptr);
        const std::string record = std::string(
            "P: /devices/usb1\nN: bus/usb/001/001\nE: SUBSYSTEM=usb\nE: DRIVER=usb\nE: BUSNUM=001\nE: DEVNUM=001\n"
            "E: DEVNAME=/dev/bus/usb/001/001\nE: DEVTYPE=usb_device\nA: bConfigurationValue=1\\n\nA: busnum=1\\n\n"
            "A: devnum=1\\n\nA: speed=480\\n\nH: descriptors=") + kTmT20Descriptors + "\n";
        umockdev_testbed_add_from_string(m_testbed, record.c_str(), nullptr);
    }
    ~FakeUsbPrinter() {
        for (UMockdevIoctlData* urb : m_flying) umockdev_ioctl_data_unref(urb);
        for (auto& done : m_done) umockdev_ioctl_data_unref(done.urb);
        g_clear_object(&m_handler);
        g_clear_object(&m_testbed);
    }

    std::string Received() {
        const std::scoped_lock lock(m_mutex);
        return m_received;
    }
    bool DriverBound() {
        const std::scoped_lock lock(m_mutex);
        return m_driverBound;
    }
    void SetPaperStatus(std::uint8_t reply) { Set(m_paper, reply); }
    void SetOfflineCause(std::uint8_t reply) { Set(m_offline, reply); }
    void SetPrinter(std::uint8_t reply) { Set(m_printer, reply); }
    // Called with each run of bulk bytes as it arrives, on umockdev's thread, under the printer's lock.
    void OnReceived(std::function<void(std::string_view)> sink) {
        const std::scoped_lock lock(m_mutex);
        m_sink = std::move(sink);
    }
    void SetSilent(bool silent) {
        const std::scoped_lock lock(m_mutex);
        m_silent = silent;
    }
    // The device vanishes once `bytes` more bytes of receipt data have arrived.
    void UnplugAfter(std::size_t bytes) {
        const std::scoped_lock lock(m_mutex);
        m_unplugAt = m_received.size() + bytes;
    }
    void Replug() {
        const std::scoped_lock lock(m_mutex);
        m_unplugged = false;
        m_unplugAt = std::string::npos;
        m_driverBound = true;  // usblp binds again when the printer comes back
    }

private:
    struct Done {
        UMockdevIoctlData* urb;
        int status;
        std::string in;  // bytes for an IN URB
    };

    void Set(std::uint8_t& field, std::uint8_t value) {
        const std::scoped_lock lock(m_mutex);
        field = value;
    }

    static gboolean OnIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
        return static_cast<FakeUsbPrinter*>(self)->Handle(client);
    }

    std::uint8_t ReplyTo(std::uint8_t kind) const {
        switch (kind) {
            case 1: return m_printer;
            case 2: return m_offline;
            case 4: return m_paper;
            default: return 0x12;
        }
    }

    // Hands finished URBs to pending IN transfers.
    void Match() {
        while (!m_replies.empty()) {
            auto it = std::find_if(m_flying.begin(), m_flying.end(), [](UMockdevIoctlData* d) {
                return (reinterpret_cast<usbdevfs_urb*>(d->data)->endpoint & 0x80) != 0;
            });
            if (it == m_flying.end()) return;
            m_done.push_back(Done{*it, 0, std::string(1, static_cast<char>(m_replies.front()))});
            m_replies.pop_front();
            m_flying.erase(it);
        }
    }

    gboolean Handle(UMockdevIoctlClient* client) {
        const std::scoped_lock lock(m_mutex);
        const gulong request = umockdev_ioctl_client_get_request(client);
        UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
        if (m_unplugged && request != USBDEVFS_REAPURB && request != USBDEVFS_REAPURBNDELAY &&
            request != USBDEVFS_DISCARDURB) {
            umockdev_ioctl_client_complete(client, -1, ENODEV);
            return TRUE;
        }
        switch (request) {
            case USBDEVFS_GET_CAPABILITIES: {
                UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
                *reinterpret_cast<guint32*>(d->data) = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                                                       USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
                umockdev_ioctl_data_unref(d);
                umockdev_ioctl_client_complete(client, 0, 0);
                return TRUE;
            }
            case USBDEVFS_GETDRIVER: {
                if (!m_driverBound) {
                    umockdev_ioctl_client_complete(client, -1, ENODATA);
                    return TRUE;
                }
                UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_getdriver), nullptr);
                std::strcpy(reinterpret_cast<usbdevfs_getdriver*>(d->data)->driver, "usblp");
                umockdev_ioctl_data_unref(d);
                umockdev_ioctl_client_complete(client, 0, 0);
                return TRUE;
            }
            case USBDEVFS_IOCTL: {
                UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_ioctl), nullptr);
                const int code = reinterpret_cast<usbdevfs_ioctl*>(d->data)->ioctl_code;
                umockdev_ioctl_data_unref(d);
                if (code == static_cast<int>(USBDEVFS_DISCONNECT) && m_driverBound) {
                    m_driverBound = false;
                    umockdev_ioctl_client_complete(client, 0, 0);
                } else {
                    umockdev_ioctl_client_complete(client, -1, ENODATA);
                }
                return TRUE;
            }
            case USBDEVFS_CLAIMINTERFACE:
                if (m_driverBound) {
                    umockdev_ioctl_client_complete(client, -1, EBUSY);
                } else {
                    umockdev_ioctl_client_complete(client, 0, 0);
                }
                return TRUE;
            case USBDEVFS_RELEASEINTERFACE:
            case USBDEVFS_CLEAR_HALT:
            case USBDEVFS_RESET:
            case USBDEVFS_RESETEP:
                umockdev_ioctl_client_complete(client, 0, 0);
                return TRUE;
            case USBDEVFS_SUBMITURB: {
                UMockdevIoctlData* urbData = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
                auto* urb = reinterpret_cast<usbdevfs_urb*>(urbData->data);
                if (urb->type != USBDEVFS_URB_TYPE_BULK) {
                    umockdev_ioctl_data_unref(urbData);
                    umockdev_ioctl_client_complete(client, -1, EPIPE);
                    return TRUE;
                }
                if ((urb->endpoint & 0x80) != 0) {
                    m_flying.push_back(urbData);
                    Match();
                    umockdev_ioctl_client_complete(client, 0, 0);
                    return TRUE;
                }
                UMockdevIoctlData* buffer = umockdev_ioctl_data_resolve(
                    urbData, G_STRUCT_OFFSET(usbdevfs_urb, buffer), static_cast<gsize>(urb->buffer_length), nullptr);
                std::string bytes(reinterpret_cast<const char*>(buffer->data), static_cast<std::size_t>(urb->buffer_length));
                umockdev_ioctl_data_unref(buffer);
                int status = 0;
                if (m_unplugAt != std::string::npos && m_received.size() + bytes.size() > m_unplugAt) {
                    bytes.resize(m_unplugAt - m_received.size());
                    m_unplugged = true;
                    status = -ENODEV;
                }
                for (std::size_t at = 0; (at = bytes.find("\x10\x04", at)) != std::string::npos && at + 2 < bytes.size(); at += 3) {
                    if (!m_silent) m_replies.push_back(ReplyTo(static_cast<std::uint8_t>(bytes[at + 2])));
                }
                m_received += bytes;
                if (m_sink) m_sink(bytes);
                urb->actual_length = static_cast<int>(bytes.size());
                m_done.push_back(Done{urbData, status, {}});
                Match();
                umockdev_ioctl_client_complete(client, 0, 0);
                return TRUE;
            }
            case USBDEVFS_REAPURB:
            case USBDEVFS_REAPURBNDELAY: {
                if (m_done.empty()) {
                    umockdev_ioctl_client_complete(client, -1, m_unplugged ? ENODEV : EAGAIN);
                    return TRUE;
                }
                Done done = m_done.front();
                m_done.pop_front();
                auto* urb = reinterpret_cast<usbdevfs_urb*>(done.urb->data);
                urb->status = done.status;
                if ((urb->endpoint & 0x80) != 0) {
                    if (done.status == 0) {
                        std::memcpy(urb->buffer, done.in.data(), done.in.size());
                        urb->actual_length = static_cast<int>(done.in.size());
                    } else {
                        urb->actual_length = 0;
                    }
                }
                UMockdevIoctlData* pointer = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
                umockdev_ioctl_data_set_ptr(pointer, 0, done.urb);
                umockdev_ioctl_data_unref(pointer);
                umockdev_ioctl_data_unref(done.urb);
                umockdev_ioctl_client_complete(client, 0, 0);
                return TRUE;
            }
            case USBDEVFS_DISCARDURB: {
                const auto address = reinterpret_cast<gulong>(*reinterpret_cast<void**>(arg->data));
                auto it = std::find_if(m_flying.begin(), m_flying.end(),
                                       [&](UMockdevIoctlData* d) { return d->client_addr == address; });
                if (it == m_flying.end()) {
                    umockdev_ioctl_client_complete(client, -1, EINVAL);
                    return TRUE;
                }
                m_done.push_back(Done{*it, -ENOENT, {}});
                m_flying.erase(it);
                umockdev_ioctl_client_complete(client, 0, 0);
                return TRUE;
            }
            default: return FALSE;
        }
    }

    UMockdevTestbed* m_testbed = nullptr;
    UMockdevIoctlBase* m_handler = nullptr;
    std::mutex m_mutex;
    std::vector<UMockdevIoctlData*> m_flying;  // IN transfers waiting for a reply
    std::deque<Done> m_done;                   // transfers ready to be reaped
    std::deque<std::uint8_t> m_replies;        // status bytes waiting for an IN transfer
    std::string m_received;
    std::function<void(std::string_view)> m_sink;
    bool m_driverBound = true;
    bool m_silent = false;
    bool m_unplugged = false;
    std::size_t m_unplugAt = std::string::npos;
    std::uint8_t m_printer = 0x12, m_offline = 0x12, m_paper = 0x12;
};

}  // namespace kiosk::testing
