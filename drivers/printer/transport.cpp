// URI parsing, the stream status exchange, and the file, TCP, lp and emulator transports.
#include "drivers/printer/transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "drivers/emulator/receipt_emulator.hpp"
#include "drivers/escpos/encoder.hpp"
#include "drivers/escpos/status.hpp"
#include "drivers/printer/usb_transport.hpp"

namespace kiosk::drivers::printer {
namespace {

using core::ErrorCode;
using core::Fail;

std::string Errno(int error) { return std::strerror(error); }

// A file descriptor with poll-based, time-limited reads and writes: TCP sockets and lp devices.
class FdTransport : public StreamTransport {
public:
    FdTransport(std::string uri, TransportOptions options) : m_uri(std::move(uri)), m_options(options) {}
    ~FdTransport() override { Disconnect(); }

    std::string Describe() const override { return m_uri; }
    void Disconnect() override {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }
protected:
    std::chrono::milliseconds Timeout() const override { return m_options.timeout; }
    std::size_t ChunkBytes() const override { return m_options.chunkBytes; }

    Result<void> WriteAll(std::span<const std::uint8_t> bytes) override {
        std::size_t done = 0;
        while (done < bytes.size()) {
            pollfd p{m_fd, POLLOUT, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(m_options.timeout.count()));
            if (ready == 0) return Fail(ErrorCode::Unavailable, m_uri + ": printer stopped taking data (time-out)");
            if (ready < 0 || (p.revents & (POLLERR | POLLHUP)) != 0) {
                return Fail(ErrorCode::Unavailable, m_uri + ": connection lost");
            }
            const ssize_t n = ::send(m_fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
            if (n < 0 && errno == ENOTSOCK) {
                const ssize_t w = ::write(m_fd, bytes.data() + done, bytes.size() - done);
                if (w < 0 && errno != EAGAIN) return Fail(ErrorCode::Unavailable, m_uri + ": " + Errno(errno));
                done += static_cast<std::size_t>(std::max<ssize_t>(w, 0));
                continue;
            }
            if (n < 0 && errno != EAGAIN) return Fail(ErrorCode::Unavailable, m_uri + ": " + Errno(errno));
            done += static_cast<std::size_t>(std::max<ssize_t>(n, 0));
        }
        return {};
    }

    Result<std::size_t> ReadSome(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override {
        pollfd p{m_fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
        if (ready == 0) return std::size_t{0};
        if (ready < 0) return Fail(ErrorCode::Unavailable, m_uri + ": " + Errno(errno));
        const ssize_t n = ::read(m_fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EAGAIN) return std::size_t{0};
        if (n <= 0) return Fail(ErrorCode::Unavailable, m_uri + ": connection lost");
        return static_cast<std::size_t>(n);
    }

    std::string m_uri;
    TransportOptions m_options;
    int m_fd = -1;
};

class TcpTransport final : public FdTransport {
public:
    TcpTransport(std::string uri, std::string host, std::string port, TransportOptions options)
        : FdTransport(std::move(uri), options), m_host(std::move(host)), m_port(std::move(port)) {}

    Result<void> Connect() override {
        if (m_fd >= 0) return {};
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        if (const int rc = ::getaddrinfo(m_host.c_str(), m_port.c_str(), &hints, &found); rc != 0) {
            return Fail(ErrorCode::Unavailable, m_uri + ": " + ::gai_strerror(rc));
        }
        std::string why = "no address";
        for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
            const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
            if (fd < 0) continue;
            if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS) {
                pollfd p{fd, POLLOUT, 0};
                int error = 0;
                socklen_t len = sizeof error;
                if (::poll(&p, 1, static_cast<int>(m_options.timeout.count())) == 1 &&
                    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0) {
                    m_fd = fd;
                    break;
                }
                why = error != 0 ? Errno(error) : "connection timed out";
            } else {
                why = Errno(errno);
            }
            ::close(fd);
        }
        ::freeaddrinfo(found);
        if (m_fd < 0) return Fail(ErrorCode::Unavailable, m_uri + ": " + why);
        return {};
    }

private:
    std::string m_host, m_port;
};

class LpTransport final : public FdTransport {
public:
    LpTransport(std::string uri, std::string device, TransportOptions options)
        : FdTransport(std::move(uri), options), m_device(std::move(device)) {}

    Result<void> Connect() override {
        if (m_fd >= 0) return {};
        m_fd = ::open(m_device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (m_fd < 0) {
            const int error = errno;
            const ErrorCode code = error == EACCES ? ErrorCode::Forbidden : error == EBUSY ? ErrorCode::Busy : ErrorCode::Unavailable;
            return Fail(code, m_uri + ": " + Errno(error) + (error == EACCES ? " (add the kiosk user to group lp)" : ""));
        }
        return {};
    }

private:
    std::string m_device;
};

// Raw bytes appended to a file: for capturing jobs and for printers shared through a spooler.
class FileTransport final : public Transport {
public:
    FileTransport(std::string uri, std::filesystem::path path) : m_uri(std::move(uri)), m_path(std::move(path)) {}
    std::string Describe() const override { return m_uri; }
    Result<void> Connect() override { return {}; }
    void Disconnect() override {}
    Result<void> Send(std::span<const std::uint8_t> job, std::string_view) override {
        std::ofstream out(m_path, std::ios::binary | std::ios::app);
        if (!out) return Fail(ErrorCode::Unavailable, m_uri + ": cannot be opened for writing");
        out.write(reinterpret_cast<const char*>(job.data()), static_cast<std::streamsize>(job.size()));
        if (!out.flush()) return Fail(ErrorCode::Unavailable, m_uri + ": write error");
        return {};
    }
    Result<core::PrinterStatus> Status() override {
        core::PrinterStatus status;
        status.online = true;
        status.detail = "file: no status to read";
        return status;
    }

private:
    std::string m_uri;
    std::filesystem::path m_path;
};

// The demo's printer: each job drawn by the receipt emulator into DIRECTORY/LABEL.png.
class EmulatorTransport final : public Transport {
public:
    EmulatorTransport(std::string uri, std::filesystem::path directory, TransportOptions options)
        : m_uri(std::move(uri)), m_directory(std::move(directory)), m_options(options) {}
    std::string Describe() const override { return m_uri; }
    Result<void> Connect() override {
        std::error_code ec;
        std::filesystem::create_directories(m_directory, ec);
        if (ec) return Fail(ErrorCode::Unavailable, m_uri + ": " + ec.message());
        return {};
    }
    void Disconnect() override {}
    Result<void> Send(std::span<const std::uint8_t> job, std::string_view label) override {
        if (auto ok = Connect(); !ok) return ok;
        emulator::EmulatorOptions options;
        options.dots = m_options.emulatorDots;
        options.cjk = m_options.emulatorCjk;
        auto printout = emulator::Render(job, options);
        if (!printout) return Fail(printout.error().code, m_uri + ": " + printout.error().message);
        std::string name(label.empty() ? "job" : label);
        for (char& c : name) {
            if (c == '/' || c == '\\' || c == '\0') c = '_';
        }
        return emulator::WritePng(printout->paper, m_directory / (name + ".png"));
    }
    Result<core::PrinterStatus> Status() override {
        core::PrinterStatus status;
        status.online = true;
        status.detail = "emulator: always ready";
        return status;
    }

private:
    std::string m_uri;
    std::filesystem::path m_directory;
    TransportOptions m_options;
};

}  // namespace

Result<void> StreamTransport::Send(std::span<const std::uint8_t> job, std::string_view) {
    if (auto ok = Connect(); !ok) return ok;
    const std::size_t chunk = std::max<std::size_t>(ChunkBytes(), 1);
    for (std::size_t at = 0; at < job.size(); at += chunk) {
        const std::size_t n = std::min(chunk, job.size() - at);
        if (auto ok = WriteAll(job.subspan(at, n)); !ok) {
            Disconnect();
            return Fail(ok.error().code, ok.error().message + " (after " + std::to_string(at) + " of " +
                                             std::to_string(job.size()) + " bytes)");
        }
    }
    return {};
}

Result<core::PrinterStatus> StreamTransport::Status() {
    if (auto ok = Connect(); !ok) return std::unexpected(ok.error());
    // A reply that arrived late for an earlier request would be taken for this one's: drop it.
    std::array<std::uint8_t, 64> stale{};
    for (int i = 0; i < 8; ++i) {
        auto n = ReadSome(stale, std::chrono::milliseconds{0});
        if (!n) return std::unexpected(n.error());
        if (*n == 0) break;
    }
    std::array<std::uint8_t, std::size(escpos::kStatusKinds)> replies{};
    for (std::size_t i = 0; i < replies.size(); ++i) {
        const int kind = escpos::kStatusKinds[i];
        if (auto ok = WriteAll(escpos::cmd::StatusRequest(kind)); !ok) {
            Disconnect();
            return std::unexpected(ok.error());
        }
        std::array<std::uint8_t, 8> reply{};
        auto n = ReadSome(reply, Timeout());
        if (!n) {
            Disconnect();
            return std::unexpected(n.error());
        }
        if (*n == 0) {
            return Fail(ErrorCode::Unavailable, Describe() + ": no answer to DLE EOT " + std::to_string(kind) + " within " +
                                                    std::to_string(Timeout().count()) + " ms");
        }
        core::PrinterStatus ignored;
        if (auto ok = escpos::ApplyStatusReply(kind, std::span(reply).first(*n), ignored); !ok) {
            return Fail(ok.error().code, Describe() + ": " + ok.error().message);
        }
        replies[i] = reply[0];
    }
    return escpos::ParseStatusReplies(replies);
}

Result<std::unique_ptr<Transport>> OpenTransport(std::string_view uri, const TransportOptions& options) {
    const std::size_t sep = uri.find("://");
    if (sep == std::string_view::npos) {
        return Fail(ErrorCode::InvalidInput, "printer \"" + std::string(uri) +
                                                 "\": expected usb://auto, usb://VID:PID[/SERIAL], tcp://HOST:PORT, "
                                                 "lp:///dev/usb/lpN, file:///PATH or emulator:///DIR");
    }
    const std::string scheme(uri.substr(0, sep));
    const std::string rest(uri.substr(sep + 3));
    const std::string whole(uri);
    if (scheme == "tcp") {
        if (rest.empty()) return Fail(ErrorCode::InvalidInput, whole + ": missing host");
        std::string host = rest, port = "9100";
        if (const std::size_t colon = rest.rfind(':'); colon != std::string::npos && rest.find(']') == std::string::npos) {
            host = rest.substr(0, colon);
            port = rest.substr(colon + 1);
        }
        if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5) {
            return Fail(ErrorCode::InvalidInput, whole + ": bad port \"" + port + "\"");
        }
        return std::unique_ptr<Transport>(new TcpTransport(whole, host, port, options));
    }
    if (scheme == "lp" || scheme == "file" || scheme == "emulator") {
        if (rest.empty() || rest[0] != '/') return Fail(ErrorCode::InvalidInput, whole + ": expected an absolute path (" + scheme + ":///...)");
        if (scheme == "lp") return std::unique_ptr<Transport>(new LpTransport(whole, rest, options));
        if (scheme == "file") return std::unique_ptr<Transport>(new FileTransport(whole, rest));
        return std::unique_ptr<Transport>(new EmulatorTransport(whole, rest, options));
    }
    if (scheme == "usb") return OpenUsbTransport(whole, rest, options);
    return Fail(ErrorCode::InvalidInput, whole + ": unknown scheme \"" + scheme + "\"");
}

}  // namespace kiosk::drivers::printer
