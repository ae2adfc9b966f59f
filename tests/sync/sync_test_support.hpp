// Helpers for the sync tests: a head-office server in-process or as a child process on loopback,
// signed raw requests, and kiosk databases with tickets in their outbox.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "storage/storage_test_support.hpp"
#include "sync/codec.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/server.hpp"
#include "sync/http_client.hpp"
#include "sync/protocol.hpp"
#include "sync/worker.hpp"
#include "support/spawn_args.hpp"
#include "sync/wire/ids.hpp"

extern char** environ;

namespace kiosk::sync::test {

using storage::test::Ok;
using Json = nlohmann::json;

inline std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A head-office service with its HTTP server on 127.0.0.1, port chosen by the system.
struct LocalHeadOffice {
    std::unique_ptr<headoffice::IngestService> service;
    std::unique_ptr<headoffice::HttpServer> server;
    int port = 0;

    explicit LocalHeadOffice(const std::string& dbUrl, headoffice::ServiceLimits limits = {}, int fixedPort = 0) {
        service = Ok(headoffice::IngestService::Open(dbUrl, limits));
        server = std::make_unique<headoffice::HttpServer>(*service);
        port = Ok(server->Start("127.0.0.1", fixedPort));
    }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// Kiosk credentials taken straight from an enrolment answer.
struct Credentials {
    std::string kiosk;
    std::string secret;
    std::int64_t epoch = 0;
};

inline Credentials EnrolRaw(LocalHeadOffice& ho, const std::string& store, const std::string& kiosk, std::int64_t resumeAfter = 0) {
    const std::string token = Ok(ho.service->AddKiosk(store, kiosk));
    auto response = Ok(SendHttp("POST", ho.Url() + std::string(kEnrolPath), {},
                                EncodeEnrolRequest({token, Ok(wire::RandomUuid()), resumeAfter})));
    REQUIRE(response.status == 200);
    EnrolReply reply = Ok(ParseEnrolReply(response.body));
    return {reply.kiosk, reply.secret, reply.epoch};
}

// A batch of `count` records from `firstSeq`, each payload tagged with `tag` so a changed body can be made.
inline BatchRequest MakeBatch(const Credentials& who, std::int64_t firstSeq, int count, const std::string& tag = "a",
                              std::vector<std::string>* ids = nullptr) {
    BatchRequest batch{who.kiosk, who.epoch, Ok(wire::RandomUuid()), firstSeq, firstSeq + count - 1, count, {}, std::nullopt};
    for (int i = 0; i < count; ++i) {
        std::string id = ids != nullptr && static_cast<std::size_t>(i) < ids->size() ? (*ids)[static_cast<std::size_t>(i)]
                                                                                      : Ok(wire::RandomUuid());
        if (ids != nullptr && static_cast<std::size_t>(i) >= ids->size()) ids->push_back(id);
        batch.records.push_back({id, firstSeq + i, "ticket_event", NowMs(),
                                 Json{{"tag", tag}, {"n", firstSeq + i}}.dump()});
    }
    return batch;
}

inline HttpResponse PostBatch(const std::string& url, const Credentials& who, const BatchRequest& batch,
                              std::int64_t timeOffsetMs = 0, const std::string& secret = "") {
    const std::string body = Ok(ZstdCompress(Ok(EncodeBatch(batch))));
    Headers headers = Ok(SignRequest("POST", kBatchPath, who.kiosk, secret.empty() ? who.secret : secret,
                                     NowMs() + timeOffsetMs, body));
    headers.emplace_back(kHeaderIdempotencyKey, batch.batchKey);
    headers.emplace_back("Content-Encoding", "zstd");
    return Ok(SendHttp("POST", url + std::string(kBatchPath), headers, body));
}

// Counts in the head office's SQLite database.
inline std::int64_t HeadOfficeCount(const std::filesystem::path& file, const std::string& sql) {
    auto db = Ok(storage::Database::Open(file));
    return Ok(db.QueryInt(sql));
}

// A child process with its stdout on a pipe.
class Child {
public:
    Child(const std::vector<std::string>& args, const std::vector<std::string>& extraEnv = {}) {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        const kiosk::testing::SpawnArgs spawn(args, extraEnv);
        REQUIRE(posix_spawn(&m_pid, spawn.Argv()[0], &actions, nullptr, spawn.Argv(), spawn.Envp()) == 0);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        m_out = fdopen(fds[0], "r");
    }
    ~Child() {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            Wait();
        }
        if (m_out != nullptr) fclose(m_out);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    std::string ReadLine() {
        std::string line;
        for (int c = fgetc(m_out); c != EOF && c != '\n'; c = fgetc(m_out)) line.push_back(static_cast<char>(c));
        return line;
    }
    // The exit status, or 128 + signal number.
    int Wait() {
        int status = 0;
        waitpid(m_pid, &status, 0);
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    void Signal(int signal) const { kill(m_pid, signal); }

private:
    pid_t m_pid = -1;
    FILE* m_out = nullptr;
};

// `headoffice serve` as a child; its port is read from its first line of output.
struct HeadOfficeProcess {
    std::unique_ptr<Child> child;
    int port = 0;
    HeadOfficeProcess(const std::string& dbUrl, int fixedPort = 0, const std::vector<std::string>& env = {},
                      const std::vector<std::string>& extraArgs = {}) {
        std::vector<std::string> args{HEADOFFICE_PATH, "serve", "--db", dbUrl, "--listen", "127.0.0.1:" + std::to_string(fixedPort)};
        args.insert(args.end(), extraArgs.begin(), extraArgs.end());
        child = std::make_unique<Child>(args, env);
        const std::string line = child->ReadLine();
        const auto colon = line.rfind(':');
        REQUIRE(colon != std::string::npos);
        port = std::stoi(line.substr(colon + 1));
    }
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// A kiosk database (store S012, kiosk K1) with `tickets` complaints filed.
inline void FileTickets(const std::filesystem::path& file, int tickets, int startAt = 0) {
    auto store = storage::test::OpenStore(file);
    if (!store.Identity()) Ok(store.Initialize("S012", "K1", storage::test::At("2026-11-01T00:00:00Z")));
    for (int i = 0; i < tickets; ++i) {
        core::NewTicket request;
        request.type = core::TicketType::Complaint;
        request.description = "complaint " + std::to_string(startAt + i);
        Ok(store.CreateTicket(request, storage::test::kCustomer, storage::test::At("2026-11-22T02:00:00Z")));
    }
}

}  // namespace kiosk::sync::test
