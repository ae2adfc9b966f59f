// The libusb transport for real against umockdev-emulated USB printers: enumeration, taking the
// interface from usblp, bytes in order, status replies, a silent printer, and an unplug mid-job.
#include <catch2/catch.hpp>

#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <libusb.h>
#include <umockdev.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "drivers/printer/print_worker.hpp"
#include "drivers/printer/transport.hpp"

using namespace kiosk;
using core::ErrorCode;

namespace {

// An Epson TM-T20II (04b8:0e15): interface 0 of class 7 with bulk OUT 0x01 and bulk IN 0x82.
constexpr const char* kDescriptors =
    "12010002000000" "40b804150e0001010203" "01"
    "09022000010100c001"
    "090400000207010200"
    "07050102400000"
    "07058202400000";

// The printer behind the usbdevfs ioctls: what a TM-T20II would answer, with switches for the
// failures the tests need. The ioctl handler runs on umockdev's thread, hence the mutex.
class FakeUsbPrinter {
public:
    FakeUsbPrinter() {
        m_testbed = umockdev_testbed_new();
        m_handler = umockdev_ioctl_base_new();
        g_signal_connect_after(m_handler, "handle-ioctl", G_CALLBACK(&FakeUsbPrinter::OnIoctl), this);
        umockdev_testbed_attach_ioctl(m_testbed, "/dev/bus/usb/001/001", m_handler, nullptr);
        const std::string record = std::string(
            "P: /devices/usb1\nN: bus/usb/001/001\nE: SUBSYSTEM=usb\nE: DRIVER=usb\nE: BUSNUM=001\nE: DEVNUM=001\n"
            "E: DEVNAME=/dev/bus/usb/001/001\nE: DEVTYPE=usb_device\nA: bConfigurationValue=1\\n\nA: busnum=1\\n\n"
            "A: devnum=1\\n\nA: speed=480\\n\nH: descriptors=") + kDescriptors + "\n";
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
    bool m_driverBound = true;
    bool m_silent = false;
    bool m_unplugged = false;
    std::size_t m_unplugAt = std::string::npos;
    std::uint8_t m_printer = 0x12, m_offline = 0x12, m_paper = 0x12;
};

std::unique_ptr<drivers::printer::Transport> Open(const std::string& uri) {
    drivers::printer::TransportOptions options;
    options.timeout = std::chrono::milliseconds{300};
    options.chunkBytes = 512;
    auto transport = drivers::printer::OpenTransport(uri, options);
    REQUIRE(transport);
    return std::move(*transport);
}

std::vector<std::uint8_t> Job(std::size_t size) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>('A' + i % 26);
    return bytes;
}

}  // namespace

TEST_CASE("usb: printers are found by interface class 7") {
    FakeUsbPrinter printer;
    auto list = drivers::printer::ListUsbPrinters();
    REQUIRE(list);
    REQUIRE(list->size() == 1);
    CHECK((*list)[0].uri.rfind("usb://04b8:0e15", 0) == 0);
}

TEST_CASE("usb: claiming fails with EBUSY while usblp holds the printer; the transport detaches it") {
    FakeUsbPrinter printer;
    libusb_context* context = nullptr;
    REQUIRE(libusb_init(&context) == 0);
    libusb_device_handle* handle = libusb_open_device_with_vid_pid(context, 0x04b8, 0x0e15);
    REQUIRE(handle != nullptr);
    CHECK(libusb_kernel_driver_active(handle, 0) == 1);
    CHECK(libusb_claim_interface(handle, 0) == LIBUSB_ERROR_BUSY);
    libusb_close(handle);
    libusb_exit(context);

    auto transport = Open("usb://04b8:0e15");
    REQUIRE(transport->Connect());
    CHECK(!printer.DriverBound());
    auto other = Open("usb://04b8:9999");
    auto missing = other->Connect();
    REQUIRE(!missing);
    CHECK(missing.error().code == ErrorCode::Unavailable);
}

TEST_CASE("usb: a job arrives whole and in order, in chunks") {
    FakeUsbPrinter printer;
    auto transport = Open("usb://auto");
    const auto job = Job(5000);
    REQUIRE(transport->Send(job, "job"));
    CHECK(printer.Received() == std::string(job.begin(), job.end()));
}

TEST_CASE("usb: status replies report paper out and cover open") {
    FakeUsbPrinter printer;
    auto transport = Open("usb://04b8:0e15");
    auto ok = transport->Status();
    REQUIRE(ok);
    CHECK(ok->CanPrint());

    printer.SetPaperStatus(0x7E);
    auto paper = transport->Status();
    REQUIRE(paper);
    CHECK(paper->paperOut);
    CHECK(!paper->CanPrint());

    printer.SetPaperStatus(0x12);
    printer.SetPrinter(0x1A);
    printer.SetOfflineCause(0x16);
    auto cover = transport->Status();
    REQUIRE(cover);
    CHECK(cover->coverOpen);
    CHECK(!cover->online);

    printer.SetPrinter(0xFF);
    auto garbled = transport->Status();
    REQUIRE(!garbled);
    CHECK(garbled.error().code == ErrorCode::InvalidInput);
}

TEST_CASE("usb: a printer that never answers times out cleanly") {
    FakeUsbPrinter printer;
    printer.SetSilent(true);
    auto transport = Open("usb://auto");
    const auto started = std::chrono::steady_clock::now();
    auto status = transport->Status();
    REQUIRE(!status);
    CHECK(status.error().code == ErrorCode::Unavailable);
    CHECK(status.error().message.find("no answer to DLE EOT 1") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds{5});
}

namespace {

// A queue in memory: enough to watch the worker's state changes around an unplug.
class MemoryJobs final : public drivers::printer::PrintJobStore {
public:
    struct Row {
        core::PrintRequest request;
        std::string state = "queued";
        int printedCount = 0;
    };
    std::vector<Row> rows;

    core::Result<std::int64_t> Add(const core::PrintRequest& r) override {
        rows.push_back(Row{r});
        return static_cast<std::int64_t>(rows.size());
    }
    core::Result<std::optional<drivers::printer::PendingJob>> NextPending() override {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].state == "queued") {
                return std::optional<drivers::printer::PendingJob>{
                    drivers::printer::PendingJob{static_cast<std::int64_t>(i + 1), rows[i].request}};
            }
        }
        return std::optional<drivers::printer::PendingJob>{};
    }
    core::Result<void> MarkPrinting(std::int64_t id) override { return Move(id, "printing"); }
    core::Result<void> MarkPrinted(std::int64_t id) override {
        ++rows[static_cast<std::size_t>(id - 1)].printedCount;
        return Move(id, "printed");
    }
    core::Result<void> MarkRetry(std::int64_t id, std::string_view) override { return Move(id, "queued"); }
    core::Result<void> MarkFailed(std::int64_t id, std::string_view) override { return Move(id, "failed"); }
    core::Result<std::vector<std::int64_t>> RecoverInterrupted() override { return std::vector<std::int64_t>{}; }

private:
    core::Result<void> Move(std::int64_t id, const char* state) {
        rows[static_cast<std::size_t>(id - 1)].state = state;
        return {};
    }
};

}  // namespace

TEST_CASE("usb: unplugged in the middle of a job, the job stays queued and prints once after replug") {
    FakeUsbPrinter printer;
    auto transport = Open("usb://04b8:0e15");
    MemoryJobs jobs;
    const auto job = Job(4000);
    drivers::printer::PrintWorker worker(jobs, *transport, [&](const core::PrintRequest&) { return job; });
    REQUIRE(worker.Enqueue(core::PrintRequest{"S012-K1-261122-0001"}));

    printer.UnplugAfter(1500);
    auto failed = worker.PrintNext();
    REQUIRE(!failed);
    CHECK(failed.error().code == ErrorCode::Unavailable);
    CHECK(jobs.rows[0].state == "queued");
    const std::string partial = printer.Received();

    auto whileAway = worker.PrintNext();
    REQUIRE(!whileAway);
    CHECK(jobs.rows[0].state == "queued");

    printer.Replug();
    auto printed = worker.PrintNext();
    INFO((printed ? std::string("ok") : printed.error().message));
    REQUIRE(printed);
    CHECK(*printed);
    CHECK(jobs.rows[0].state == "printed");
    CHECK(jobs.rows[0].printedCount == 1);
    auto none = worker.PrintNext();
    REQUIRE(none);
    CHECK(!*none);
    const std::string after = printer.Received().substr(partial.size());
    // After the replug: the status requests and the whole job once, nothing else.
    std::string expected;
    expected += std::string("\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04", 12);
    expected += std::string(job.begin(), job.end());
    expected += std::string("\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04", 12);
    CHECK(after == expected);
}
