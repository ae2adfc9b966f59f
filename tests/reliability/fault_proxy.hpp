// A fault-injecting HTTP proxy on loopback between a kiosk and head office: it forwards each request
// on its own upstream connection and, as its plan says, delays it, cuts it in the middle of the body,
// drops the answer after head office committed, sends it twice, refuses it, or holds it unanswered.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::reliability {

enum class Fault { None, Latency, CutRequestBody, DropResponse, Duplicate, Refuse, HalfOpen };
inline constexpr std::size_t kFaultKinds = 7;
const char* ToString(Fault fault);

class FaultProxy {
public:
    // Chooses the fault for the n-th request (counted from 0 over the proxy's life).
    using Plan = std::function<Fault(std::int64_t request)>;

    // Listens on 127.0.0.1 at a port the system chooses and forwards to 127.0.0.1:`upstreamPort`.
    // Throws std::runtime_error when the listening socket cannot be set up: no test can run without it.
    FaultProxy(int upstreamPort, Plan plan);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int Port() const { return m_port; }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    void SetPlan(Plan plan);
    // How many requests met each fault so far, indexed by Fault.
    std::array<std::int64_t, kFaultKinds> Counts() const;
    // How many requests met a fault (not Fault::None).
    std::int64_t Faults() const;
    // "none 24; latency 3; ...; " for a harness's closing line.
    std::string Summary() const;
    std::int64_t Requests() const { return m_requests.load(); }

private:
    void AcceptLoop();
    void Serve(int client);
    Fault Choose();

    int m_upstreamPort;
    int m_listener = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<std::int64_t> m_requests{0};
    mutable std::mutex m_mutex;
    Plan m_plan;
    std::array<std::int64_t, kFaultKinds> m_counts{};
    std::thread m_acceptor;
    std::vector<std::thread> m_connections;  // guarded by m_mutex
};

}  // namespace kiosk::reliability
