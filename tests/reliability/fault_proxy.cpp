// The fault proxy: one thread accepting, one per client connection, requests and answers framed by
// their HTTP headers (Content-Length or chunked) so a fault can strike at a known point of each.
#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace kiosk::reliability {

namespace {

using namespace std::chrono_literals;

// Waits for `fd` to become readable; false when `stop` is raised or `limit` passes first.
bool WaitReadable(int fd, const std::atomic<bool>& stop, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!stop.load() && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) > 0) return true;
    }
    return false;
}

// Reads more bytes onto `buffer`; false at end of stream, on error, on stop or after 10 s of silence.
bool ReadMore(int fd, std::string& buffer, const std::atomic<bool>& stop) {
    if (!WaitReadable(fd, stop, 10s)) return false;
    char chunk[16384];
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
}

bool SendAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::string Lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

struct Message {
    std::string head;  // through the blank line
    std::string body;
    bool closeAfter = false;
};

// One HTTP message from `fd`, taking bytes left over in `pending` first. A message without a length
// (an answer ending with the connection) is read to the end of the stream.
std::optional<Message> ReadMessage(int fd, std::string& pending, const std::atomic<bool>& stop, bool isResponse) {
    std::size_t end = pending.find("\r\n\r\n");
    while (end == std::string::npos) {
        if (!ReadMore(fd, pending, stop)) return std::nullopt;
        end = pending.find("\r\n\r\n");
    }
    Message message;
    message.head = pending.substr(0, end + 4);
    pending.erase(0, end + 4);
    const std::string head = Lower(message.head);
    message.closeAfter = head.find("\r\nconnection: close") != std::string::npos;
    if (const auto at = head.find("\r\ncontent-length:"); at != std::string::npos) {
        const std::size_t length = std::stoul(head.substr(at + 17));
        while (pending.size() < length) {
            if (!ReadMore(fd, pending, stop)) return std::nullopt;
        }
        message.body = pending.substr(0, length);
        pending.erase(0, length);
    } else if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
        std::size_t done = pending.find("\r\n0\r\n\r\n");
        while (done == std::string::npos && !pending.starts_with("0\r\n\r\n")) {
            if (!ReadMore(fd, pending, stop)) return std::nullopt;
            done = pending.find("\r\n0\r\n\r\n");
        }
        const std::size_t length = pending.starts_with("0\r\n\r\n") ? 5 : done + 7;
        message.body = pending.substr(0, length);
        pending.erase(0, length);
    } else if (isResponse) {
        while (ReadMore(fd, pending, stop)) {
        }
        message.body = std::move(pending);
        pending.clear();
        message.closeAfter = true;
    }
    return message;
}

int ConnectUpstream(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// Sends the request upstream on a new connection and reads the answer; nullopt when head office is
// unreachable or goes away before answering.
std::optional<Message> Exchange(int port, const Message& request, const std::atomic<bool>& stop) {
    const int upstream = ConnectUpstream(port);
    if (upstream < 0) return std::nullopt;
    std::optional<Message> answer;
    if (SendAll(upstream, request.head) && SendAll(upstream, request.body)) {
        std::string pending;
        answer = ReadMessage(upstream, pending, stop, true);
    }
    close(upstream);
    return answer;
}

void Reset(int fd) {
    linger hard{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
}

}  // namespace

const char* ToString(Fault fault) {
    switch (fault) {
    case Fault::None: return "none";
    case Fault::Latency: return "latency";
    case Fault::CutRequestBody: return "request body cut";
    case Fault::DropResponse: return "answer dropped after commit";
    case Fault::Duplicate: return "request duplicated";
    case Fault::Refuse: return "connection refused";
    case Fault::HalfOpen: return "half-open, never answered";
    }
    return "?";
}

FaultProxy::FaultProxy(int upstreamPort, Plan plan) : m_upstreamPort(upstreamPort), m_plan(std::move(plan)) {
    m_listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listener < 0) throw std::runtime_error("fault proxy: no socket");
    const int yes = 1;
    setsockopt(m_listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (bind(m_listener, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 || listen(m_listener, 64) != 0 ||
        getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        close(m_listener);
        throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
    }
    m_port = ntohs(address.sin_port);
    m_acceptor = std::thread([this] { AcceptLoop(); });
}

FaultProxy::~FaultProxy() {
    m_stop = true;
    m_acceptor.join();
    std::vector<std::thread> connections;
    {
        std::lock_guard lock(m_mutex);
        connections.swap(m_connections);
    }
    for (auto& t : connections) t.join();
    close(m_listener);
}

void FaultProxy::SetPlan(Plan plan) {
    std::lock_guard lock(m_mutex);
    m_plan = std::move(plan);
}

std::array<std::int64_t, kFaultKinds> FaultProxy::Counts() const {
    std::lock_guard lock(m_mutex);
    return m_counts;
}

std::int64_t FaultProxy::Faults() const {
    const auto counts = Counts();
    std::int64_t faults = 0;
    for (std::size_t i = 1; i < kFaultKinds; ++i) faults += counts[i];
    return faults;
}

std::string FaultProxy::Summary() const {
    const auto counts = Counts();
    std::string summary;
    for (std::size_t i = 0; i < kFaultKinds; ++i) {
        summary += std::string(ToString(static_cast<Fault>(i))) + " " + std::to_string(counts[i]) + "; ";
    }
    return summary;
}

Fault FaultProxy::Choose() {
    const std::int64_t index = m_requests++;
    std::lock_guard lock(m_mutex);
    const Fault fault = m_plan ? m_plan(index) : Fault::None;
    ++m_counts[static_cast<std::size_t>(fault)];
    return fault;
}

void FaultProxy::AcceptLoop() {
    while (!m_stop.load()) {
        if (!WaitReadable(m_listener, m_stop, 200ms)) continue;
        const int client = accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        std::lock_guard lock(m_mutex);
        m_connections.emplace_back([this, client] { Serve(client); });
    }
}

void FaultProxy::Serve(int client) {
    std::string pending;
    while (!m_stop.load()) {
        auto request = ReadMessage(client, pending, m_stop, false);
        if (!request) break;
        const Fault fault = Choose();
        std::optional<Message> answer;
        switch (fault) {
        case Fault::Refuse:
            Reset(client);
            close(client);
            return;
        case Fault::HalfOpen:
            // Holds the connection, reading and answering nothing, until the kiosk gives up.
            while (!m_stop.load()) {
                std::string ignored;
                if (WaitReadable(client, m_stop, 100ms) && !ReadMore(client, ignored, m_stop)) break;
            }
            close(client);
            return;
        case Fault::CutRequestBody: {
            const int upstream = ConnectUpstream(m_upstreamPort);
            if (upstream >= 0) {
                SendAll(upstream, request->head);
                SendAll(upstream, std::string_view(request->body).substr(0, request->body.size() / 2));
                Reset(upstream);
                close(upstream);
            }
            Reset(client);
            close(client);
            return;
        }
        case Fault::DropResponse:
            Exchange(m_upstreamPort, *request, m_stop);
            Reset(client);
            close(client);
            return;
        case Fault::Duplicate:
            Exchange(m_upstreamPort, *request, m_stop);
            answer = Exchange(m_upstreamPort, *request, m_stop);
            break;
        case Fault::Latency:
            std::this_thread::sleep_for(std::chrono::milliseconds{50 + (m_requests.load() * 37) % 250});
            answer = Exchange(m_upstreamPort, *request, m_stop);
            break;
        case Fault::None:
            answer = Exchange(m_upstreamPort, *request, m_stop);
            break;
        }
        if (!answer || !SendAll(client, answer->head) || !SendAll(client, answer->body) || answer->closeAfter) break;
    }
    close(client);
}

}  // namespace kiosk::reliability
