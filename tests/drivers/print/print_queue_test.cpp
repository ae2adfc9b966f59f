// The durable print queue and the print worker over the real kiosk database, with file and TCP printers.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "drivers/escpos/encoder.hpp"
#include "drivers/printer/print_worker.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/storage/print_queue.hpp"
#include "storage/storage_test_support.hpp"

using namespace kiosk;
using namespace kiosk::storage::test;
using core::ErrorCode;
using core::PrintJobState;
using drivers::printer::PendingJob;

namespace {

// The worker's store over storage::PrintQueue, as the application wires it.
class TestJobs final : public drivers::printer::PrintJobStore {
public:
    TestJobs(storage::Database& db, const core::Clock& clock) : queue(db), m_clock(clock) {}
    core::Result<std::int64_t> Add(const core::PrintRequest& r) override { return queue.Enqueue(r, m_clock.Now()); }
    core::Result<std::optional<PendingJob>> NextPending() override {
        auto job = queue.NextPending();
        if (!job) return std::unexpected(job.error());
        if (!*job) return std::optional<PendingJob>{};
        return std::optional<PendingJob>{PendingJob{(*job)->id, (*job)->request}};
    }
    core::Result<void> MarkPrinting(std::int64_t id) override { return queue.MarkPrinting(id, m_clock.Now()); }
    core::Result<void> MarkPrinted(std::int64_t id) override { return queue.MarkPrinted(id, m_clock.Now()); }
    core::Result<void> MarkRetry(std::int64_t id, std::string_view e) override { return queue.MarkRetry(id, e, m_clock.Now()); }
    core::Result<void> MarkFailed(std::int64_t id, std::string_view e) override { return queue.MarkFailed(id, e, m_clock.Now()); }
    core::Result<std::vector<std::int64_t>> RecoverInterrupted() override { return queue.RecoverInterrupted(m_clock.Now()); }
    storage::PrintQueue queue;

private:
    const core::Clock& m_clock;
};

std::string ReadText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::uint8_t> JobBytes(const core::PrintRequest& r) {
    const std::string text = "\x1B@" + r.ticketNumber + "\n";
    return {text.begin(), text.end()};
}

// A network printer on loopback: records what it receives and answers DLE EOT with `status[n-1]`.
class FakeNetworkPrinter {
public:
    FakeNetworkPrinter() {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
        ::listen(m_listen, 4);
        m_thread = std::thread([this] { Serve(); });
    }
    ~FakeNetworkPrinter() {
        m_stop = true;
        m_thread.join();
        ::close(m_listen);
    }
    std::string Uri() const { return "tcp://127.0.0.1:" + std::to_string(port); }
    std::string Received() {
        const std::scoped_lock lock(m_mutex);
        return m_received;
    }
    int Connections() const { return m_connections.load(); }

    int port = 0;
    std::atomic<std::uint8_t> paperStatus{0x12};
    std::atomic<bool> answer{true};

private:
    void Serve() {
        while (!m_stop) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, 50) != 1) continue;
            const int fd = ::accept(m_listen, nullptr, nullptr);
            ++m_connections;
            std::string pending;
            while (!m_stop) {
                pollfd c{fd, POLLIN, 0};
                if (::poll(&c, 1, 50) != 1) continue;
                char buffer[4096];
                const ssize_t n = ::read(fd, buffer, sizeof buffer);
                if (n <= 0) break;
                pending.append(buffer, static_cast<std::size_t>(n));
                std::size_t at;
                while ((at = pending.find("\x10\x04")) != std::string::npos && at + 2 < pending.size()) {
                    const char kind = pending[at + 2];
                    pending.erase(at, 3);
                    if (!answer) continue;
                    const std::uint8_t reply = kind == 4 ? paperStatus.load() : std::uint8_t{0x12};
                    (void)!::write(fd, &reply, 1);
                }
                const std::scoped_lock lock(m_mutex);
                m_received += pending.substr(0, pending.find('\x10'));
                pending.erase(0, pending.find('\x10') == std::string::npos ? pending.size() : pending.find('\x10'));
            }
            ::close(fd);
        }
    }

    int m_listen = -1;
    std::atomic<int> m_connections{0};
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::mutex m_mutex;
    std::string m_received;
};

struct Fixture {
    TempDir dir{"print-queue"};
    std::filesystem::path file = dir.Path() / "kiosk.db";
    std::string ticket;
    core::ManualClock clock{At("2026-11-22T06:00:00Z")};

    Fixture() {
        auto store = InitializedStore(file);
        ticket = Ok(store.CreateTicket(RepairRequest(), kCustomer, clock.Now())).number;
    }
    core::PrintRequest Request(bool reprint = false) const {
        core::PrintRequest r;
        r.ticketNumber = ticket;
        r.reprint = reprint;
        return r;
    }
};

}  // namespace

TEST_CASE("print queue: jobs move queued -> printing -> printed and never back") {
    Fixture f;
    auto db = Ok(storage::Database::Open(f.file));
    storage::PrintQueue queue(db);
    const auto id = Ok(queue.Enqueue(f.Request(), f.clock.Now()));
    auto next = Ok(queue.NextPending());
    REQUIRE(next);
    CHECK(next->id == id);
    Ok(queue.MarkPrinting(id, f.clock.Now()));
    CHECK(!Ok(queue.NextPending()));
    Ok(queue.MarkPrinted(id, f.clock.Now()));
    auto job = Ok(queue.Find(id));
    CHECK(job.state == PrintJobState::Printed);
    CHECK(job.attempts == 1);
    CHECK(job.printedAt);
    auto again = queue.MarkPrinted(id, f.clock.Now());
    REQUIRE(!again);
    CHECK(again.error().code == ErrorCode::Conflict);
    CHECK(!queue.MarkRetry(id, "x", f.clock.Now()));
    CHECK(!queue.MarkPrinting(id, f.clock.Now()));

    auto unknown = queue.Enqueue(core::PrintRequest{"S012-K1-261122-9999"}, f.clock.Now());
    REQUIRE(!unknown);
    CHECK(unknown.error().code == ErrorCode::NotFound);
}

TEST_CASE("print queue: a job survives a restart; one interrupted while printing is given up, not reprinted") {
    Fixture f;
    std::int64_t waiting = 0, interrupted = 0;
    {
        auto db = Ok(storage::Database::Open(f.file));
        storage::PrintQueue queue(db);
        interrupted = Ok(queue.Enqueue(f.Request(), f.clock.Now()));
        waiting = Ok(queue.Enqueue(f.Request(), f.clock.Now()));
        Ok(queue.MarkPrinting(interrupted, f.clock.Now()));
    }
    auto db = Ok(storage::Database::Open(f.file));
    TestJobs jobs(db, f.clock);
    const std::filesystem::path out = f.dir.Path() / "printer.bin";
    auto transport = Ok(drivers::printer::OpenTransport("file://" + out.string()));
    std::vector<core::PrintJobUpdate> updates;
    drivers::printer::PrintWorker worker(jobs, *transport, [](const core::PrintRequest& r) { return JobBytes(r); });
    worker.OnUpdate([&](const core::PrintJobUpdate& u) { updates.push_back(u); });
    Ok(jobs.RecoverInterrupted());
    CHECK(Ok(jobs.queue.Find(interrupted)).state == PrintJobState::Failed);
    CHECK(Ok(worker.PrintNext()) == true);
    CHECK(Ok(worker.PrintNext()) == false);
    CHECK(Ok(jobs.queue.Find(waiting)).state == PrintJobState::Printed);
    CHECK(ReadText(out) == std::string("\x1B@") + f.ticket + "\n");

    // Staff reprint on purpose: a new job, marked as a reprint.
    const auto reprint = Ok(worker.Enqueue(f.Request(true)));
    CHECK(Ok(worker.PrintNext()) == true);
    CHECK(Ok(jobs.queue.Find(reprint)).request.reprint);
    REQUIRE(!updates.empty());
    CHECK(updates.back().state == PrintJobState::Printed);
}

TEST_CASE("print worker over TCP: paper out keeps the job queued until the printer is refilled") {
    Fixture f;
    FakeNetworkPrinter printer;
    auto db = Ok(storage::Database::Open(f.file));
    TestJobs jobs(db, f.clock);
    drivers::printer::TransportOptions options;
    options.timeout = std::chrono::milliseconds{500};
    auto transport = Ok(drivers::printer::OpenTransport(printer.Uri(), options));
    drivers::printer::PrintWorker worker(jobs, *transport, [](const core::PrintRequest& r) { return JobBytes(r); });
    const auto id = Ok(worker.Enqueue(f.Request()));

    printer.paperStatus = 0x72;  // paper out
    auto refused = worker.PrintNext();
    REQUIRE(!refused);
    CHECK(refused.error().message.find("paper out") != std::string::npos);
    CHECK(Ok(jobs.queue.Find(id)).state == PrintJobState::Queued);
    CHECK(printer.Received().empty());

    printer.paperStatus = 0x12;
    CHECK(Ok(worker.PrintNext()) == true);
    CHECK(Ok(jobs.queue.Find(id)).state == PrintJobState::Printed);
    CHECK(Ok(worker.PrintNext()) == false);
    CHECK(printer.Received() == std::string("\x1B@") + f.ticket + "\n");
}

TEST_CASE("print worker over TCP: a printer that never answers times out cleanly and the job stays queued") {
    Fixture f;
    FakeNetworkPrinter printer;
    printer.answer = false;
    auto db = Ok(storage::Database::Open(f.file));
    TestJobs jobs(db, f.clock);
    drivers::printer::TransportOptions options;
    options.timeout = std::chrono::milliseconds{200};
    auto transport = Ok(drivers::printer::OpenTransport(printer.Uri(), options));
    drivers::printer::PrintWorker worker(jobs, *transport, [](const core::PrintRequest& r) { return JobBytes(r); });
    const auto id = Ok(worker.Enqueue(f.Request()));
    auto result = worker.PrintNext();
    REQUIRE(!result);
    CHECK(result.error().code == ErrorCode::Unavailable);
    CHECK(result.error().message.find("no answer to DLE EOT 1") != std::string::npos);
    CHECK(Ok(jobs.queue.Find(id)).state == PrintJobState::Queued);
}

TEST_CASE("print worker thread prints queued jobs and retries when an unreachable printer comes back") {
    Fixture f;
    auto db = Ok(storage::Database::Open(f.file));
    TestJobs jobs(db, f.clock);
    const std::filesystem::path folder = f.dir.Path() / "missing" / "printer.bin";
    auto transport = Ok(drivers::printer::OpenTransport("file://" + folder.string()));
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<core::PrintJobUpdate> updates;
    drivers::printer::WorkerOptions options;
    options.retryInterval = std::chrono::milliseconds{50};
    drivers::printer::PrintWorker worker(jobs, *transport, [](const core::PrintRequest& r) { return JobBytes(r); }, options);
    worker.OnUpdate([&](const core::PrintJobUpdate& u) {
        const std::scoped_lock lock(mutex);
        updates.push_back(u);
        changed.notify_all();
    });
    Ok(worker.Start());
    const auto id = Ok(worker.Enqueue(f.Request()));
    auto seen = [&](PrintJobState state, const std::string& detail) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds{10}, [&] {
            for (const auto& u : updates) {
                if (u.jobId == id && u.state == state && u.detail.find(detail) != std::string::npos) return true;
            }
            return false;
        });
    };
    CHECK(seen(PrintJobState::Queued, "cannot be opened"));
    std::filesystem::create_directories(folder.parent_path());
    CHECK(seen(PrintJobState::Printed, ""));
    worker.Stop();
    CHECK(Ok(jobs.queue.Find(id)).state == PrintJobState::Printed);
}

// The kiosk's worker is the printer's one owner: a staff reprint queued by the admin store (another
// connection) prints as soon as the worker is woken, not at its next retry an hour away, and a test
// page goes out on the worker's own connection.
TEST_CASE("print worker: woken for a job another writer queued; a test page on its own connection") {
    Fixture f;
    FakeNetworkPrinter printer;
    auto db = Ok(storage::Database::Open(f.file));
    TestJobs jobs(db, f.clock);
    auto transport = Ok(drivers::printer::OpenTransport(printer.Uri()));
    drivers::printer::WorkerOptions options;
    options.retryInterval = std::chrono::hours{1};
    drivers::printer::PrintWorker worker(jobs, *transport, [](const core::PrintRequest& r) { return JobBytes(r); }, options);
    Ok(worker.Start());

    auto other = Ok(storage::Database::Open(f.file));
    storage::PrintQueue admin(other);
    const auto id = Ok(admin.Enqueue(f.Request(true), f.clock.Now()));
    worker.Wake();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
    while (Ok(admin.Find(id)).state != PrintJobState::Printed && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    CHECK(Ok(admin.Find(id)).state == PrintJobState::Printed);

    const std::string page = "\x1B@test page\n";
    Ok(worker.PrintPage(std::span(reinterpret_cast<const std::uint8_t*>(page.data()), page.size()), "printer-test"));
    worker.Stop();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{30};
    while (printer.Received().find("test page") == std::string::npos && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    CHECK_THAT(printer.Received(), Catch::Contains(f.ticket) && Catch::Contains("test page"));
    CHECK(printer.Connections() == 1);
}

namespace {

// A printer whose status answer can be held back (a printer that stalls: the worker waits inside
// Status) and that can run out of paper; it records the bytes of the jobs it takes.
class StallingPrinter final : public drivers::printer::Transport {
public:
    std::string Describe() const override { return "stalling test printer"; }
    core::Result<void> Connect() override { return {}; }
    core::Result<void> Send(std::span<const std::uint8_t> job, std::string_view label) override {
        const std::scoped_lock lock(m_mutex);
        m_received.emplace_back(std::string(label), std::string(job.begin(), job.end()));
        return {};
    }
    core::Result<core::PrinterStatus> Status() override {
        std::unique_lock lock(m_mutex);
        m_stalled = true;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return !m_hold; });
        m_stalled = false;
        core::PrinterStatus status;
        status.online = true;
        status.paperOut = m_paperOut;
        status.detail = m_paperOut ? "paper out" : "ready";
        return status;
    }
    void Disconnect() override {}

    void Hold() {
        const std::scoped_lock lock(m_mutex);
        m_hold = true;
    }
    void Release(bool outOfPaper) {
        const std::scoped_lock lock(m_mutex);
        m_paperOut = outOfPaper;
        m_hold = false;
        m_changed.notify_all();
    }
    void SetPaperOut(bool outOfPaper) {
        const std::scoped_lock lock(m_mutex);
        m_paperOut = outOfPaper;
    }
    // Waits (generously) until the worker is inside Status, held.
    bool WaitStalled() {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds{30}, [this] { return m_stalled; });
    }
    std::vector<std::pair<std::string, std::string>> Received() {
        const std::scoped_lock lock(m_mutex);
        return m_received;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_hold = false;
    bool m_stalled = false;
    bool m_paperOut = false;
    std::vector<std::pair<std::string, std::string>> m_received;
};

core::PrintRequest SlipRequest(const std::string& label) {
    core::PrintRequest r;
    r.kind = core::ReceiptKind::QueueSlip;
    r.language = core::Language::En;
    r.slipLabel = label;
    const std::string bytes = "\x1B@slip " + label + "\n\x1DV\x42";
    r.slipBytes.assign(bytes.begin(), bytes.end());
    return r;
}

// As the kiosk composes jobs: a slip prints the bytes it was queued with unless it is too old, a
// receipt is laid out now.
core::Result<std::vector<std::uint8_t>> SlipOrReceiptBytes(const core::PrintRequest& r, core::Timestamp now) {
    if (r.kind != core::ReceiptKind::QueueSlip) return JobBytes(r);
    if (auto fresh = storage::CheckQueueSlipAge(r, now); !fresh) return std::unexpected(fresh.error());
    return r.slipBytes;
}

}  // namespace

TEST_CASE("print queue: a queue slip is a job with no ticket, its label and bytes; slips go first, the newest first") {
    Fixture f;
    auto db = Ok(storage::Database::Open(f.file));
    storage::PrintQueue queue(db);
    const auto receipt = Ok(queue.Enqueue(f.Request(), f.clock.Now()));
    f.clock.Advance(std::chrono::seconds{5});
    const auto slip = Ok(queue.Enqueue(SlipRequest("A007"), f.clock.Now()));
    auto next = Ok(queue.NextPending());
    REQUIRE(next);
    CHECK(next->id == slip);
    CHECK(next->request.kind == core::ReceiptKind::QueueSlip);
    CHECK(next->request.ticketNumber.empty());
    CHECK(next->request.slipLabel == "A007");
    CHECK(next->request.slipBytes == SlipRequest("A007").slipBytes);
    REQUIRE(next->request.slipTakenAt);
    CHECK(*next->request.slipTakenAt == f.clock.Now());
    // A newer number's slip goes before the older one: its customer is the one at the kiosk.
    const auto newer = Ok(queue.Enqueue(SlipRequest("A008"), f.clock.Now()));
    CHECK(Ok(queue.NextPending())->id == newer);
    Ok(queue.MarkPrinting(newer, f.clock.Now()));
    CHECK(Ok(queue.NextPending())->id == slip);
    Ok(queue.MarkPrinting(slip, f.clock.Now()));
    CHECK(Ok(queue.NextPending())->id == receipt);

    core::PrintRequest empty = SlipRequest("A009");
    empty.slipBytes.clear();
    auto refused = queue.Enqueue(empty, f.clock.Now());
    REQUIRE(!refused);
    CHECK(refused.error().code == ErrorCode::InvalidInput);
}

TEST_CASE("print worker: a queue slip is queued at once while the printer stalls, then printed or reported") {
    Fixture f;
    auto db = Ok(storage::Database::Open(f.file));
    TestJobs jobs(db, f.clock);
    StallingPrinter printer;
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<core::PrintJobUpdate> updates;
    drivers::printer::WorkerOptions options;
    options.retryInterval = std::chrono::milliseconds{50};
    drivers::printer::PrintWorker worker(jobs, printer, [&f](const core::PrintRequest& r) { return SlipOrReceiptBytes(r, f.clock.Now()); },
                                         options);
    worker.OnUpdate([&](const core::PrintJobUpdate& u) {
        const std::scoped_lock lock(mutex);
        updates.push_back(u);
        changed.notify_all();
    });
    auto seen = [&](std::int64_t id, PrintJobState state, const std::string& detail) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds{30}, [&] {
            for (const auto& u : updates) {
                if (u.jobId == id && u.state == state && u.detail.find(detail) != std::string::npos) return true;
            }
            return false;
        });
    };

    // A receipt is being printed and the printer stalls: the worker waits inside its status.
    printer.Hold();
    Ok(worker.Start());
    const auto receipt = Ok(worker.Enqueue(f.Request()));
    REQUIRE(printer.WaitStalled());

    // Taking a number meanwhile: the slip is queued without waiting for the printer.
    auto queued = std::async(std::launch::async, [&] { return worker.Enqueue(SlipRequest("A001")); });
    REQUIRE(queued.wait_for(std::chrono::seconds{30}) == std::future_status::ready);
    const auto slip = Ok(queued.get());
    CHECK(Ok(jobs.queue.Find(slip)).state == PrintJobState::Queued);
    CHECK(seen(slip, PrintJobState::Queued, ""));

    // The printer answers: out of paper. The slip (first in line) is reported back with the reason.
    printer.Release(true);
    CHECK(seen(slip, PrintJobState::Queued, "paper out"));
    CHECK(printer.Received().empty());

    // Paper again: the slip prints with the bytes it was queued with, then the receipt.
    printer.SetPaperOut(false);
    CHECK(seen(slip, PrintJobState::Printed, ""));
    CHECK(seen(receipt, PrintJobState::Printed, ""));
    worker.Stop();
    const auto received = printer.Received();
    REQUIRE(received.size() == 2);
    CHECK(received[0].first == "queue-A001-job" + std::to_string(slip));
    CHECK(received[0].second == std::string("\x1B@slip A001\n\x1DV\x42"));
    CHECK(received[1].second == std::string("\x1B@") + f.ticket + "\n");
    CHECK(Ok(jobs.queue.Find(slip)).state == PrintJobState::Printed);
}

TEST_CASE("print worker: a queue slip the printer could not print for minutes is given up, not printed late") {
    Fixture f;
    auto db = Ok(storage::Database::Open(f.file));
    TestJobs jobs(db, f.clock);
    StallingPrinter printer;
    std::vector<core::PrintJobUpdate> updates;
    drivers::printer::PrintWorker worker(jobs, printer, [&f](const core::PrintRequest& r) { return SlipOrReceiptBytes(r, f.clock.Now()); });
    worker.OnUpdate([&](const core::PrintJobUpdate& u) { updates.push_back(u); });
    const auto slip = Ok(worker.Enqueue(SlipRequest("A002")));
    printer.SetPaperOut(true);
    CHECK(!worker.PrintNext());
    f.clock.Advance(storage::kQueueSlipMaxAge);
    CHECK(!worker.PrintNext());
    CHECK(Ok(jobs.queue.Find(slip)).state == PrintJobState::Queued);  // still for the customer at the kiosk

    // Staff refill the printer later: the slip is dropped rather than handed to whoever stands there.
    f.clock.Advance(std::chrono::seconds{1});
    printer.SetPaperOut(false);
    auto late = worker.PrintNext();
    REQUIRE(!late);
    CHECK(late.error().code == ErrorCode::InvalidInput);
    CHECK_THAT(late.error().message, Catch::Contains("A002") && Catch::Contains("too long ago"));
    const auto job = Ok(jobs.queue.Find(slip));
    CHECK(job.state == PrintJobState::Failed);
    CHECK(Ok(worker.PrintNext()) == false);
    CHECK(printer.Received().empty());
    REQUIRE(!updates.empty());
    CHECK(updates.back().jobId == slip);
    CHECK(updates.back().ticketNumber == "queue slip A002");
    CHECK(updates.back().state == PrintJobState::Failed);
}

TEST_CASE("printer URIs are checked before anything is opened") {
    for (const char* bad : {"printer", "tcp://", "tcp://host:port", "lp://relative", "usb://04b8", "usb://zzzz:0e15",
                            "ftp://x", "file://relative"}) {
        CAPTURE(bad);
        auto t = drivers::printer::OpenTransport(bad);
        REQUIRE(!t);
        CHECK(t.error().code == ErrorCode::InvalidInput);
    }
    CHECK(drivers::printer::OpenTransport("usb://04b8:0e15/ABC123"));
    CHECK(drivers::printer::OpenTransport("usb://auto"));
    CHECK(drivers::printer::OpenTransport("tcp://printer.local"));
    auto refused = Ok(drivers::printer::OpenTransport("tcp://127.0.0.1:1"));
    auto connected = refused->Connect();
    REQUIRE(!connected);
    CHECK(connected.error().code == ErrorCode::Unavailable);
}
