// Two `headoffice serve` processes on one PostgreSQL behind a real HAProxy on loopback: kiosks sync
// through the balancer while each server in turn is killed mid-batch and restarted, and a dashboard
// session and the sign-in throttle hold whichever server answers. Exits with 77 (SKIP) when PostgreSQL
// or HAProxy is absent.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "reliability_support.hpp"
#include "sync/postgres_cluster.hpp"
#include "sync/sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::reliability;
using namespace kiosk::sync::test;

namespace {

const std::filesystem::path kHaproxy = "/usr/sbin/haproxy";
constexpr auto kDeadline = std::chrono::seconds{60};

void SkipWithoutPrograms() {
    if (!std::filesystem::exists(kPgBin / "initdb")) {
        WARN("SKIP: PostgreSQL 15 is not installed");
        std::exit(kSkip);
    }
    if (!std::filesystem::exists(kHaproxy)) {
        WARN("SKIP: haproxy is not installed");
        std::exit(kSkip);
    }
}

// A loopback port nobody listens on now (the system's choice, released for the program to take).
int FreePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    close(fd);
    return ntohs(address.sin_port);
}

// Waits for `condition` until the deadline; false when it never held.
template <typename Condition>
bool WaitFor(Condition condition, std::chrono::steady_clock::duration deadline = kDeadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    return true;
}

std::string PgScalarText(const std::string& url, const std::string& sql, const std::vector<sync::headoffice::SqlValue>& params = {}) {
    auto factory = Ok(sync::headoffice::SessionFactoryFor(url));
    auto session = Ok(factory());
    auto rows = Ok(session->Query(sql, params));
    return rows.at(0).at(0);
}

std::int64_t PgScalar(const std::string& url, const std::string& sql, const std::vector<sync::headoffice::SqlValue>& params = {}) {
    return std::stoll(PgScalarText(url, sql, params));
}

// A program with stdout and stderr in a file, killed when it goes out of scope.
class LoggedProcess {
public:
    LoggedProcess(const std::vector<std::string>& args, const std::filesystem::path& log) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        const kiosk::testing::SpawnArgs spawn(args, {});
        REQUIRE(posix_spawn(&m_pid, spawn.Argv()[0], &actions, nullptr, spawn.Argv(), spawn.Envp()) == 0);
        posix_spawn_file_actions_destroy(&actions);
    }
    ~LoggedProcess() {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    LoggedProcess(const LoggedProcess&) = delete;
    LoggedProcess& operator=(const LoggedProcess&) = delete;
    bool Running() const { return waitpid(m_pid, nullptr, WNOHANG) == 0; }

private:
    pid_t m_pid = -1;
};

// The production layout in small: servers "a" and "b" on one PostgreSQL, HAProxy in front with health
// checks on /healthz, retries and redispatch, round robin, and a header naming the server that answered.
struct BalancedHeadOffice {
    PostgresCluster cluster;
    storage::test::TempDir dir{"kiosk-ha"};
    std::array<int, 2> ports{FreePort(), FreePort()};
    int balancerPort = FreePort();
    // The test's kiosks send as fast as they can, beyond the default 50 requests a second per kiosk.
    std::vector<std::string> serveOptions{"--plain-http-cookies", "--login-failures", "3", "--rate", "1000", "--trusted-proxy", "127.0.0.1"};
    std::array<std::unique_ptr<HeadOfficeProcess>, 2> servers;
    std::unique_ptr<LoggedProcess> haproxy;

    BalancedHeadOffice() {
        for (std::size_t i = 0; i < servers.size(); ++i) Start(i);
        const auto config = dir.File("haproxy.cfg");
        std::ofstream(config) << "global\n"
                                 "    log stdout format raw local0\n"
                                 "    maxconn 256\n"
                                 "defaults\n"
                                 "    mode http\n"
                                 "    log global\n"
                                 "    log-format \"%b/%s %ST retries=%rc %HM %HP\"\n"
                                 "    timeout connect 1s\n"
                                 "    timeout client 30s\n"
                                 "    timeout server 30s\n"
                                 "    retries 3\n"
                                 "    option redispatch 1\n"
                                 "    retry-on conn-failure empty-response\n"
                                 "frontend headoffice\n"
                                 "    bind 127.0.0.1:"
                              << balancerPort
                              << "\n"
                                 "    option forwardfor\n"
                                 "    default_backend servers\n"
                                 "backend servers\n"
                                 "    balance roundrobin\n"
                                 "    option httpchk GET /healthz\n"
                                 "    http-check expect status 200\n"
                                 "    http-response set-header X-Served-By %[srv_name]\n"
                                 "    default-server inter 250ms fall 2 rise 2\n"
                                 "    server a 127.0.0.1:"
                              << ports[0] << " check\n    server b 127.0.0.1:" << ports[1] << " check\n";
        haproxy = std::make_unique<LoggedProcess>(std::vector<std::string>{kHaproxy.string(), "-db", "-f", config.string()},
                                                  dir.File("haproxy.log"));
        REQUIRE(WaitFor([&] { return ServedBy().size() == 2; }));
    }

    std::string Url() const { return "http://127.0.0.1:" + std::to_string(balancerPort); }
    std::string BalancerLog() const { return ReadAll(dir.Path() / "haproxy.log"); }

    void Start(std::size_t i) {
        servers[i] = std::make_unique<HeadOfficeProcess>(cluster.Url(), ports[i], std::vector<std::string>{}, serveOptions);
    }
    void Kill(std::size_t i) {
        servers[i]->child->Signal(SIGKILL);
        servers[i]->child->Wait();
        servers[i].reset();
    }
    // Whether server i itself answers its health check with 200.
    bool Healthy(std::size_t i) const {
        httplib::Client client("127.0.0.1", ports[i]);
        const auto res = client.Get(std::string(sync::kHealthPath));
        return res && res->status == 200;
    }
    // The servers that answered a few health checks through the balancer.
    std::set<std::string> ServedBy() const {
        std::set<std::string> names;
        httplib::Client client("127.0.0.1", balancerPort);
        for (int i = 0; i < 4; ++i) {
            const auto res = client.Get(std::string(sync::kHealthPath));
            if (res && res->status == 200) names.insert(res->get_header_value("X-Served-By"));
        }
        return names;
    }
};

// Like FileTickets, for kiosk S012-`kiosk`: each kiosk its own identity, so its ticket numbers are its own.
void FileKioskTickets(const std::filesystem::path& file, const std::string& kiosk, int tickets, int startAt = 0) {
    auto store = storage::test::OpenStore(file, storage::StoreOptions{"S012", kiosk, std::chrono::minutes{8 * 60}});
    if (!store.Identity()) Ok(store.Initialize("S012", kiosk, storage::test::At("2026-11-01T00:00:00Z")));
    for (int i = 0; i < tickets; ++i) {
        core::NewTicket request;
        request.type = core::TicketType::Complaint;
        request.description = "complaint " + std::to_string(startAt + i);
        Ok(store.CreateTicket(request, storage::test::kCustomer, storage::test::At("2026-11-22T02:00:00Z")));
    }
}

std::string SessionCookie(const httplib::Result& res) {
    const std::string header = res->get_header_value("Set-Cookie");
    const auto end = header.find(';');
    return header.rfind("ho_session=", 0) == 0 ? header.substr(0, end) : std::string();
}

}  // namespace

TEST_CASE("several servers: kiosks sync through HAProxy while each server is killed mid-batch, every record once",
          "[reliability][postgres][haproxy]") {
    SkipWithoutPrograms();
    const RunLength length = RunLength::FromEnvironment();
    const int kiosks = 3;
    const int tickets = length.Pick(40, 200);
    std::mt19937_64 random(length.seed);
    WARN("ha servers: " << kiosks << " kiosks, two backlogs of " << tickets << " tickets each, seed " << length.seed);
    const auto started = std::chrono::steady_clock::now();

    BalancedHeadOffice ho;
    auto registry = Ok(sync::headoffice::IngestService::Open(ho.cluster.Url()));
    std::vector<std::filesystem::path> kioskDbs;
    for (int k = 1; k <= kiosks; ++k) {
        kioskDbs.push_back(ho.dir.File("kiosk-K" + std::to_string(k) + ".db"));
        FileKioskTickets(kioskDbs.back(), "K" + std::to_string(k), tickets);
        Ok(sync::Enrol(kioskDbs.back(), ho.Url(), Ok(registry->AddKiosk("S012", "K" + std::to_string(k)))));
    }
    const auto filed = [&] {
        std::int64_t sum = 0;
        for (const auto& db : kioskDbs) sum += Ok(Ok(storage::Database::Open(db)).QueryInt("SELECT count(*) FROM outbox"));
        return sum;
    };

    // Each kiosk drains in small batches until the kills are over and its backlog is empty.
    std::atomic<bool> killsDone{false};
    std::atomic<int> failedDrains{0};
    std::mutex errorsMutex;
    std::set<std::string> errors;  // what the failed drains said, for the summary
    std::atomic<bool> abandoned{false};
    std::vector<std::thread> workers;
    // A failed REQUIRE below still stops and joins the workers.
    struct JoinWorkers {
        std::vector<std::thread>& threads;
        std::atomic<bool>& abandoned;
        ~JoinWorkers() {
            abandoned = true;
            for (auto& t : threads) {
                if (t.joinable()) t.join();
            }
        }
    } joinWorkers{workers, abandoned};
    for (const auto& db : kioskDbs) {
        workers.emplace_back([&, db] {
            sync::WorkerOptions options;
            options.maxRecords = 2;
            options.timeouts.connect = std::chrono::milliseconds{2000};
            options.timeouts.total = std::chrono::milliseconds{5000};
            auto worker = Ok(sync::SyncWorker::Open(db, options));
            const auto until = std::chrono::steady_clock::now() + 2 * kDeadline;
            while (std::chrono::steady_clock::now() < until && !abandoned) {
                if (auto drained = worker.Drain(); !drained) {
                    ++failedDrains;
                    std::lock_guard lock(errorsMutex);
                    errors.insert(drained.error().message.substr(0, 160));
                }
                const auto status = worker.Status();
                if (status && status->backlog == 0) {
                    if (killsDone) return;
                    std::this_thread::sleep_for(std::chrono::milliseconds{20});
                }
            }
        });
    }

    // Server a is killed once a share of the backlog (from the seed) is in, and restarted; then the
    // kiosks file a second backlog and b is killed the same way. The record count at each kill, below
    // what the kiosks had filed, shows they were still sending.
    auto watch = Ok(Ok(sync::headoffice::SessionFactoryFor(ho.cluster.Url()))());
    const auto inserted = [&] { return std::stoll(Ok(watch->Query("SELECT count(*) FROM records")).at(0).at(0)); };
    std::vector<std::int64_t> atKill;
    std::vector<std::int64_t> filedAtKill;
    for (std::size_t server = 0; server < 2; ++server) {
        if (server == 1) {
            for (std::size_t k = 0; k < kioskDbs.size(); ++k) FileKioskTickets(kioskDbs[k], "K" + std::to_string(k + 1), tickets, tickets);
        }
        const std::int64_t before = inserted();
        const std::int64_t backlog = filed() - before;
        const std::int64_t threshold = before + backlog * std::uniform_int_distribution<int>(10, 40)(random) / 100;
        const auto until = std::chrono::steady_clock::now() + kDeadline;
        while (inserted() < threshold && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds{1});
        ho.Kill(server);
        atKill.push_back(inserted());
        filedAtKill.push_back(filed());
        ho.Start(server);
        REQUIRE(WaitFor([&] { return ho.Healthy(server); }));
    }
    killsDone = true;
    for (auto& w : workers) w.join();

    std::int64_t total = 0;
    const std::string url = ho.cluster.Url();
    for (std::size_t k = 0; k < kioskDbs.size(); ++k) {
        const std::string code = "S012-K" + std::to_string(k + 1);
        const std::int64_t outbox = Ok(Ok(storage::Database::Open(kioskDbs[k])).QueryInt("SELECT count(*) FROM outbox"));
        total += outbox;
        auto worker = Ok(sync::SyncWorker::Open(kioskDbs[k]));
        CHECK(Ok(worker.Status()).backlog == 0);
        CHECK(PgScalar(url, "SELECT count(*) FROM records WHERE kiosk = $1", {code}) == outbox);
        CHECK(PgScalar(url, "SELECT count(DISTINCT seq) FROM records WHERE kiosk = $1", {code}) == outbox);
        CHECK(PgScalar(url, "SELECT max(seq) FROM records WHERE kiosk = $1", {code}) == outbox);
        CHECK(PgScalar(url, "SELECT last_seq FROM cursors WHERE kiosk = $1", {code}) == outbox);
        // The same records, by id and sequence, as the kiosk's outbox.
        auto kiosk = Ok(storage::Database::Open(kioskDbs[k]));
        auto mine = Ok(kiosk.Prepare("SELECT id, seq FROM outbox"));
        while (Ok(mine.Step())) {
            CHECK(PgScalar(url, "SELECT count(*) FROM records WHERE id = $1 AND kiosk = $2 AND seq = $3",
                          {mine.Text(0), code, mine.Int(1)}) == 1);
        }
    }
    for (std::size_t i = 0; i < atKill.size(); ++i) CHECK(atKill[i] < filedAtKill[i]);

    // Both servers took batches, and the balancer re-sent some requests that met a dead server.
    const std::string log = ho.BalancerLog();
    if (const char* keep = std::getenv("KIOSK_HA_KEEP_LOG"); keep != nullptr) std::ofstream(keep) << log;
    const int byA = CountOccurrences(log, "servers/a 200");
    const int byB = CountOccurrences(log, "servers/b 200");
    CHECK(byA > 0);
    CHECK(byB > 0);
    // Requests that met a killed server were sent again to the other one.
    const int resent = CountOccurrences(log, "retries=+");
    CHECK(resent > 0);
    // Answers other than 200 (a refused replay, a database error on the server that took over) were
    // retried by the kiosks; counted for the summary.
    const int refused = CountOccurrences(log, " retries=") - byA - byB;
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    WARN("ha servers: " << total << " records from " << kiosks << " kiosks checked exactly once; 2 kills at " << atKill[0] << "/"
                        << filedAtKill[0] << " and " << atKill[1] << "/" << filedAtKill[1] << " records in/filed; " << failedDrains << " drains failed; " << byA << " answers by a, " << byB
                        << " by b, " << resent << " requests redispatched by the balancer, " << refused << " other answers; " << seconds << " s");
    for (const std::string& error : errors) WARN("ha servers: a drain failed: " << error);
}

TEST_CASE("several servers: a dashboard session holds whichever server answers, and sign-in is throttled across them",
          "[reliability][postgres][haproxy]") {
    SkipWithoutPrograms();
    BalancedHeadOffice ho;
    const std::string password = "ha session password";
    {
        FILE* add = popen((std::string(HEADOFFICE_PATH) + " --db " + ho.cluster.Url() + " user add ana --role viewer >/dev/null").c_str(), "w");
        REQUIRE(add != nullptr);
        std::fputs((password + "\n").c_str(), add);
        REQUIRE(pclose(add) == 0);
    }
    httplib::Client client("127.0.0.1", ho.balancerPort);
    const auto signIn = [&](const std::string& pass) {
        return client.Post("/login", {{"Cookie", "ho_lang=en"}}, "user=ana&password=" + httplib::detail::encode_query_param(pass),
                           "application/x-www-form-urlencoded");
    };
    const auto login = signIn(password);
    REQUIRE(login);
    REQUIRE(login->status == 303);
    const std::string cookie = SessionCookie(login);
    REQUIRE_FALSE(cookie.empty());
    // Only the token's hash is kept, in the database both servers read.
    CHECK(PgScalar(ho.cluster.Url(), "SELECT count(*) FROM web_sessions WHERE name = 'ana'") == 1);

    std::map<std::string, int> answered;
    for (int i = 0; i < 6; ++i) {
        const auto page = client.Get("/fleet", {{"Cookie", cookie + "; ho_lang=en"}});
        REQUIRE(page);
        CHECK(page->status == 200);
        ++answered[page->get_header_value("X-Served-By")];
    }
    CHECK(answered["a"] >= 2);
    CHECK(answered["b"] >= 2);

    // With a gone, b alone answers the same cookie; with a back and b gone, a does.
    for (std::size_t down = 0; down < 2; ++down) {
        const std::size_t up = 1 - down;
        ho.Kill(down);
        for (int i = 0; i < 4; ++i) {
            const auto page = client.Get("/fleet", {{"Cookie", cookie + "; ho_lang=en"}});
            REQUIRE(page);
            CHECK(page->status == 200);
            CHECK(page->get_header_value("X-Served-By") == std::string(up == 0 ? "a" : "b"));
        }
        ho.Start(down);
        REQUIRE(WaitFor([&] { return ho.ServedBy().size() == 2; }));
    }

    // Three wrong passwords (--login-failures 3), answered by both servers, throttle the user on both.
    std::set<std::string> refusedBy;
    for (int i = 0; i < 3; ++i) {
        const auto wrong = signIn("not the password");
        REQUIRE(wrong);
        CHECK(wrong->status == 401);
        refusedBy.insert(wrong->get_header_value("X-Served-By"));
    }
    CHECK(refusedBy.size() == 2);
    std::set<std::string> throttledBy;
    for (int i = 0; i < 2; ++i) {
        const auto throttled = signIn(password);
        REQUIRE(throttled);
        CHECK(throttled->status == 429);
        throttledBy.insert(throttled->get_header_value("X-Served-By"));
    }
    CHECK(throttledBy.size() == 2);
    CHECK(PgScalar(ho.cluster.Url(), "SELECT count(*) FROM web_login_failures WHERE key = 'user:ana'") == 3);

    // Without PostgreSQL each server's /healthz answers 503, and the balancer, having no healthy
    // server left, answers 503 itself.
    const std::string dataDir = PgScalarText(ho.cluster.Url(), "SHOW data_directory");
    REQUIRE(RunAsPostgres((kPgBin / "pg_ctl").string() + " -D " + dataDir + " -m immediate -w stop") == 0);
    for (const int port : ho.ports) {
        const auto health = httplib::Client("127.0.0.1", port).Get(std::string(sync::kHealthPath));
        REQUIRE(health);
        CHECK(health->status == 503);
        CHECK(health->body == "database unavailable\n");
    }
    CHECK(WaitFor([&] {
        const auto health = client.Get(std::string(sync::kHealthPath));
        return health && health->status == 503 && health->get_header_value("X-Served-By").empty();
    }));
    WARN("ha servers: session answered by a " << answered["a"] << " and b " << answered["b"]
                                              << " times, and by each alone; sign-in throttled on both after 3 failures");
}
