// Hostile input and the security checks: SQL metacharacters, huge and invalid UTF-8 text in every
// text field, another store's ticket, oversized and slow HTTP clients, a full disk, a corrupt
// database, the kiosk database's file mode, and whole phone numbers kept off every output.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>

#include "reliability_support.hpp"
#include "sync/sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::reliability;
using namespace kiosk::sync::test;

namespace {

const std::string kInjection = "x'); DROP TABLE tickets; --\" OR 1=1; /*";
const std::string kBadUtf8 = std::string("caf\xC3") + "\xFF\xFE" + std::string("\xE4\xB8", 2) + "!";

struct Kiosk {
    storage::test::TempDir dir;
    std::filesystem::path db = dir.File("kiosk.db");
    Kiosk() { REQUIRE(Run({"init", "--store", "S012", "--kiosk", "K1"}).status == 0); }
    ProgramRun Run(std::vector<std::string> args) const {
        args.insert(args.begin(), {KIOSKCTL_PATH, "--db", db.string()});
        return RunProgram(args, dir.Path());
    }
    std::string NumberFrom(const ProgramRun& run) const {
        const auto at = run.output.find("Ticket ");
        REQUIRE(at != std::string::npos);
        return run.output.substr(at + 7, run.output.find(' ', at + 7) - at - 7);
    }
};

int Connect(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    return fd;
}

}  // namespace

TEST_CASE("hostile input: SQL metacharacters and invalid UTF-8 in ticket fields are stored as text or refused",
          "[reliability][hostile]") {
    Kiosk k;
    const ProgramRun created = k.Run({"--json", "ticket", "create", "--type", "complaint", "--description", kInjection,
                                      "--serial", kInjection});
    INFO(created.output);
    REQUIRE(created.status == 0);
    const auto ticket = nlohmann::json::parse(created.output);
    const std::string number = ticket.at("number").get<std::string>();
    const ProgramRun shown = k.Run({"--json", "ticket", "show", number});
    REQUIRE(shown.status == 0);
    CHECK(shown.output.find("DROP TABLE tickets") != std::string::npos);

    const ProgramRun phone = k.Run({"ticket", "create", "--type", "complaint", "--description", "x", "--phone", kInjection});
    CHECK(phone.status == 1);
    CHECK_THAT(phone.output, Catch::Contains("phone"));

    const ProgramRun invalid = k.Run({"ticket", "create", "--type", "complaint", "--description", kBadUtf8});
    INFO(invalid.output);
    CHECK(invalid.status == 1);
    CHECK_THAT(invalid.output, Catch::Contains("UTF-8"));

    // As long as an argument may be (128 KiB), through the command line.
    const ProgramRun big = k.Run({"ticket", "create", "--type", "complaint", "--description", std::string(120 * 1024, 'x')});
    CHECK(big.status == 0);
    CHECK(k.Run({"verify"}).status == 0);
    auto db = Ok(storage::Database::Open(k.db));
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM tickets")) == 2);
}

TEST_CASE("hostile input: a 10 MB description through the store, and 10 MB fields in a CSV import", "[reliability][hostile]") {
    Kiosk k;
    {
        auto store = storage::test::OpenStore(k.db);
        core::NewTicket request;
        request.type = core::TicketType::Complaint;
        request.description = std::string(10 * 1024 * 1024, 'd');
        auto ticket = store.CreateTicket(request, storage::test::kCustomer, storage::test::At("2026-11-22T02:00:00Z"));
        WARN("a 10 MB description: " << (ticket ? std::string("stored") : "refused: " + ticket.error().message));
        if (!ticket) CHECK(ticket.error().code == core::ErrorCode::InvalidInput);
    }
    CHECK(k.Run({"verify"}).status == 0);

    const auto csv = k.dir.File("catalog.csv");
    {
        std::ofstream out(csv, std::ios::binary);
        out << "gtin,sku,name_zh_hans,name_zh_hant,name_en,category,price,policy_id,serial_required,components\n";
        out << "6910000000006,SKU-1," << std::string(10 * 1024 * 1024, 'n') << ",n,n,phones,1.00,sanbao,no,\n";
        out << "6910000000013,SKU-2," << kInjection << "," << kBadUtf8 << ",n,phones,1.00,sanbao,no,\n";
    }
    const ProgramRun imported = k.Run({"import", "catalog", csv.string()});
    INFO(imported.output.substr(0, 2000));
    CHECK(imported.status == 1);
    CHECK_THAT(imported.output, Catch::Contains("catalog.csv:"));
    CHECK(imported.output.size() < 64 * 1024);
    auto db = Ok(storage::Database::Open(k.db));
    CHECK(Ok(db.QueryInt("SELECT count(*) FROM products")) == 0);
}

TEST_CASE("hostile input: a receipt barcode of another store's ticket is not found, nothing else matched", "[reliability][hostile]") {
    Kiosk k;
    REQUIRE(k.Run({"ticket", "create", "--type", "complaint", "--description", "mine"}).status == 0);
    const ProgramRun other = k.Run({"ticket", "show", "S999-K1-261122-0001"});
    CHECK(other.status == 1);
    CHECK_THAT(other.output, Catch::Contains("S999-K1-261122-0001"));
    const ProgramRun wildcard = k.Run({"ticket", "show", "%"});
    CHECK(wildcard.status != 0);
}

TEST_CASE("hostile input: a corrupt database is detected at start, said plainly, and left as it was", "[reliability][hostile]") {
    Kiosk k;
    REQUIRE(k.Run({"ticket", "create", "--type", "complaint", "--description", "before"}).status == 0);
    {
        std::fstream file(k.db, std::ios::binary | std::ios::in | std::ios::out);
        file.seekp(0);
        file << "this is not a database at all, it was overwritten";
    }
    const std::string before = ReadAll(k.db);
    for (const auto& command : std::vector<std::vector<std::string>>{
             {"ticket", "list"}, {"ticket", "create", "--type", "complaint", "--description", "after"}, {"verify"}}) {
        const ProgramRun run = k.Run(command);
        INFO(run.output);
        CHECK(run.status == 1);
        CHECK_THAT(run.output, Catch::Contains("database") || Catch::Contains("corrupt"));
    }
    CHECK(ReadAll(k.db) == before);
}

TEST_CASE("hostile input: a full disk refuses new tickets with a clear message and keeps the database whole",
          "[reliability][hostile]") {
    storage::test::TempDir dir;
    const auto mountPoint = dir.File("small");
    std::filesystem::create_directory(mountPoint);
    // A 2 MiB tmpfs when we may mount one (root); otherwise the file-size limit (ulimit -f) stands in.
    const bool mounted = mount("tmpfs", mountPoint.c_str(), "tmpfs", 0, "size=2m,mode=0700") == 0;
    WARN("full disk: " << (mounted ? "2 MiB tmpfs" : "file size limit (ulimit -f 2048)"));
    const auto db = mountPoint / "kiosk.db";
    auto kioskctl = [&](std::vector<std::string> args) {
        std::string command = std::string(mounted ? "" : "ulimit -f 2048; trap '' XFSZ; ") + "exec '" + KIOSKCTL_PATH +
                              "' --db '" + db.string() + "'";
        for (const auto& a : args) command += " '" + a + "'";
        return RunProgram({"/bin/bash", "-c", command}, dir.Path());
    };
    REQUIRE(kioskctl({"init", "--store", "S012", "--kiosk", "K1"}).status == 0);
    int filed = 0;
    ProgramRun refused;
    for (int i = 0; i < 200; ++i) {
        ProgramRun run = kioskctl({"ticket", "create", "--type", "complaint", "--description", std::string(60 * 1024, 'f')});
        if (run.status != 0) {
            refused = run;
            break;
        }
        ++filed;
    }
    INFO(refused.output);
    CHECK(filed > 0);
    CHECK(refused.status == 1);
    CHECK_THAT(refused.output, Catch::Contains("full") || Catch::Contains("space"));
    const ProgramRun verify = kioskctl({"verify"});
    CHECK(verify.status == 0);
    const ProgramRun list = kioskctl({"--json", "ticket", "list", "--limit", "1000"});
    CHECK(list.status == 0);
    CHECK(nlohmann::json::parse(list.output).size() == static_cast<std::size_t>(filed));
    if (mounted) umount2(mountPoint.c_str(), MNT_DETACH);
}

TEST_CASE("hostile input: head office refuses an oversized body and keeps serving while slow clients hang on",
          "[reliability][hostile]") {
    storage::test::TempDir dir;
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const Credentials who = EnrolRaw(ho, "S012", "K1");

    const std::string huge(20 * 1024 * 1024, 'z');
    sync::Headers headers = Ok(sync::SignRequest("POST", sync::kBatchPath, who.kiosk, who.secret, NowMs(), huge));
    const auto oversized = Ok(sync::SendHttp("POST", ho.Url() + std::string(sync::kBatchPath), headers, huge));
    CHECK(oversized.status == 413);
    const std::string body = Ok(sync::ZstdCompress(Ok(sync::EncodeBatch(MakeBatch(who, 1, 1)))));
    const auto anonymous = Ok(sync::SendHttp("POST", ho.Url() + std::string(sync::kBatchPath), {{"Content-Encoding", "zstd"}}, body));
    CHECK(anonymous.status == 401);

    // Slow clients: each sends half a request line and then nothing.
    std::vector<int> slow;
    for (int i = 0; i < 24; ++i) {
        slow.push_back(Connect(ho.port));
        const std::string partial = "POST /v1/batches HTTP/1.1\r\nHost: x\r\n";
        REQUIRE(send(slow.back(), partial.data(), partial.size(), MSG_NOSIGNAL) > 0);
    }
    const auto started = std::chrono::steady_clock::now();
    const auto batch = PostBatch(ho.Url(), who, MakeBatch(who, 1, 3));
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    WARN("a batch beside 24 stalled clients was answered in " << waited.count() << " ms");
    CHECK(batch.status == 200);
    // Answered while every stalled client was still held open, not after the server gave up on them.
    for (int fd : slow) {
        char byte = 0;
        const ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT);
        CHECK((n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)));
        close(fd);
    }
}

TEST_CASE("security: the kiosk database holding the credentials is readable by the kiosk user only", "[reliability][security]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    const ProgramRun init = RunProgram({KIOSKCTL_PATH, "--db", kioskDb.string(), "init", "--store", "S012", "--kiosk", "K1"},
                                       dir.Path());
    REQUIRE(init.status == 0);
    const std::string token = Ok(ho.service->AddKiosk("S012", "K1"));
    const ProgramRun enroll = RunProgram({KIOSKCTL_PATH, "--db", kioskDb.string(), "enroll", ho.Url(), token}, dir.Path());
    REQUIRE(enroll.status == 0);
    auto db = Ok(storage::Database::Open(kioskDb));
    const std::string secret = Ok(db.QueryText("SELECT value FROM sync_state WHERE key = 'secret'"));
    CHECK(enroll.output.find(secret) == std::string::npos);
    for (const auto& file : {kioskDb, std::filesystem::path(kioskDb.string() + "-wal")}) {
        if (!std::filesystem::exists(file)) continue;
        struct stat info {};
        REQUIRE(stat(file.c_str(), &info) == 0);
        INFO(file << " mode " << std::oct << (info.st_mode & 0777));
        CHECK((info.st_mode & 0077) == 0);
    }
}

TEST_CASE("security: kioskctl and the receipt never show a customer's whole phone number",
          "[reliability][security]") {
    Kiosk k;
    const ProgramRun created = k.Run({"ticket", "create", "--type", "complaint", "--description", "noisy fan", "--phone",
                                      "13812345678"});
    REQUIRE(created.status == 0);
    const std::string number = k.NumberFrom(created);
    CHECK(created.output.find("13812345678") == std::string::npos);
    for (const bool json : {false, true}) {
        std::vector<std::string> args{"ticket", "list"};
        if (json) args.insert(args.begin(), "--json");
        const ProgramRun list = k.Run(args);
        REQUIRE(list.status == 0);
        CHECK(list.output.find(number) != std::string::npos);
        CHECK(list.output.find("13812345678") == std::string::npos);
    }
    for (const bool json : {false, true}) {
        std::vector<std::string> args{"ticket", "show", number};
        if (json) args.insert(args.begin(), "--json");
        const ProgramRun detail = k.Run(args);
        REQUIRE(detail.status == 0);
        CHECK(detail.output.find("138****5678") != std::string::npos);
        CHECK(detail.output.find("13812345678") == std::string::npos);
    }
    const auto printer = k.dir.File("printer.bin");
    REQUIRE(k.Run({"receipt", "print", number, "--printer", "file://" + printer.string()}).status == 0);
    const std::string paper = ReadAll(printer);
    CHECK(paper.find(number) != std::string::npos);
    CHECK(paper.find("13812345678") == std::string::npos);
}
