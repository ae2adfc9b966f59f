// kioskctl end to end: the real binary on a real database file, as a store's scripts would use it.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

std::string Quote(const std::string& arg) {
    std::string quoted = "'";
    for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string Slurp(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A scratch directory with its own database, removed afterwards.
class Sandbox {
public:
    fs::path Path(const std::string& name) const { return m_dir.File(name); }
    fs::path Database() const { return Path("kiosk.db"); }

    // Runs kioskctl on this sandbox's database as of 2026-11-22 14:00 store time.
    RunResult Run(const std::vector<std::string>& args) const {
        std::string command = Quote(KIOSKCTL_PATH) + " --db " + Quote(Database().string()) +
                              " --now 2026-11-22T06:00:00Z";
        for (const std::string& arg : args) command += " " + Quote(arg);
        command += " >" + Quote(Path("out.txt").string()) + " 2>" + Quote(Path("err.txt").string());
        const int status = std::system(command.c_str());
        RunResult result;
        result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        result.out = Slurp(Path("out.txt"));
        result.err = Slurp(Path("err.txt"));
        return result;
    }

    Json RunJson(std::vector<std::string> args) const {
        args.insert(args.begin(), "--json");
        RunResult result = Run(args);
        INFO(result.err);
        REQUIRE(result.exitCode == 0);
        return Json::parse(result.out);
    }

    void Write(const std::string& name, const std::string& text) const { std::ofstream(Path(name)) << text; }

    // A database with the demo catalog, sales and staff.
    void InitDemo() const {
        REQUIRE(Run({"init", "--store", "S001", "--kiosk", "K1"}).exitCode == 0);
        for (const char* kind : {"catalog", "sales", "staff"}) {
            RunResult imported = Run({"import", kind, std::string(KIOSK_TEST_ASSET_DIR) + "/demo/" + kind + ".csv"});
            INFO(imported.err);
            REQUIRE(imported.exitCode == 0);
        }
    }

    int ExecuteSql(const std::string& sql) const {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(Database().c_str(), &db) == SQLITE_OK);
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
        const int changes = sqlite3_changes(db);
        sqlite3_close(db);
        if (rc != SQLITE_OK) throw std::runtime_error("SQL failed with code " + std::to_string(rc));
        return changes;
    }

private:
    kiosk::testing::TempDir m_dir{"kioskctl-test"};
};

}  // namespace

TEST_CASE("the demo data imports completely", "[kioskctl]") {
    Sandbox box;
    REQUIRE(box.Run({"init", "--store", "S001", "--kiosk", "K1"}).exitCode == 0);
    Json catalog = box.RunJson({"import", "catalog", std::string(KIOSK_TEST_ASSET_DIR) + "/demo/catalog.csv"});
    CHECK(catalog["records"].get<int>() >= 200);
    CHECK(catalog["inserted"] == catalog["records"]);
    Json sales = box.RunJson({"import", "sales", std::string(KIOSK_TEST_ASSET_DIR) + "/demo/sales.csv"});
    CHECK(sales["records"].get<int>() > 1000);
    Json staff = box.RunJson({"import", "staff", std::string(KIOSK_TEST_ASSET_DIR) + "/demo/staff.csv"});
    CHECK(staff["records"] == 8);
    // Importing the same file again updates instead of duplicating.
    Json again = box.RunJson({"import", "staff", std::string(KIOSK_TEST_ASSET_DIR) + "/demo/staff.csv"});
    CHECK(again["inserted"] == 0);
    CHECK(again["updated"] == 8);
}

TEST_CASE("warranty check answers every window with its clause", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    struct Case {
        const char* order;
        std::vector<std::string> extra;
        std::vector<std::string> remedies;
        const char* clause;
    };
    const std::vector<Case> cases{
        {"SO-S001-20261122-00001", {}, {"refund", "exchange", "repair", "decline"}, "return-window"},  // day 0
        {"SO-S001-20261115-00003", {}, {"refund", "exchange", "repair", "decline"}, "return-window"},  // day 7
        {"SO-S001-20261114-00004", {}, {"exchange", "repair", "decline"}, "exchange-window"},         // day 8
        {"SO-S001-20261107-00006", {}, {"exchange", "repair", "decline"}, "exchange-window"},         // day 15
        {"SO-S001-20261106-00007", {}, {"repair", "decline"}, "warranty-repair"},                     // day 16
        {"SO-S001-20260526-00010", {"--repairs", "2"}, {"exchange", "refund", "decline"}, "repeated-failure"},
        {"SO-S001-20260526-00010", {"--repairs", "1"}, {"repair", "decline"}, "warranty-repair"},
        {"SO-S001-20260526-00010", {"--open-repair-days", "31"}, {"exchange", "decline"}, "repair-delay"},
        {"SO-S001-20260526-00010", {"--open-repair-days", "31", "--awaiting-parts"}, {"repair", "decline"}, "warranty-repair"},
        {"SO-S001-20251123-00012", {"--component", "battery"}, {"paid_repair", "decline"}, "expired"},
        {"SO-S001-20251122-00013", {}, {"repair", "decline"}, "warranty-repair"},  // day 365: last day
        {"SO-S001-20251121-00014", {}, {"paid_repair", "decline"}, "expired"},      // day 366
        {"SO-S001-20261122-00001", {"--exclusion", "liquid_damage"}, {"paid_repair", "decline"}, "excluded-liquid-damage"},
        {"SO-S001-20261122-00001", {"--fault", "changed_mind"}, {"decline"}, "not-performance-fault"},
    };
    for (const Case& c : cases) {
        std::vector<std::string> args{"warranty", "check", "--order", c.order};
        args.insert(args.end(), c.extra.begin(), c.extra.end());
        INFO(c.order << " " << (c.extra.empty() ? "" : c.extra.front()));
        Json decision = box.RunJson(args);
        CHECK(decision["remedies"].get<std::vector<std::string>>() == c.remedies);
        CHECK(decision["clause"]["id"] == c.clause);
        for (const char* language : {"zh-Hans", "zh-Hant", "en"}) CHECK_FALSE(decision["clause"]["text"][language].get<std::string>().empty());
    }

    Json day7 = box.RunJson({"warranty", "check", "--order", "SO-S001-20261115-00003"});
    CHECK(day7["days_since_start"] == 7);
    CHECK(day7["windows"]["return_ends"] == "2026-11-22");
    CHECK(day7["windows"]["exchange_ends"] == "2026-11-30");
    CHECK(day7["windows"]["warranty_ends"] == "2027-11-15");

    // By serial, and with no sale on record (the stated date counts, to be verified).
    Json bySerial = box.RunJson({"warranty", "check", "--serial", "SN261122000010"});
    CHECK(bySerial["order_number"] == "SO-S001-20261122-00001");
    Json stated = box.RunJson({"warranty", "check", "--gtin", "6910000000006", "--purchased", "2026-11-10"});
    CHECK(stated["proof_to_verify"] == true);
    CHECK(stated["clause"]["id"] == "exchange-window");

    // The human-readable answer shows the clause in the chosen language.
    RunResult text = box.Run({"warranty", "check", "--order", "SO-S001-20261114-00004", "--lang", "zh-Hant"});
    CHECK(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("[exchange-window]"));
    CHECK_THAT(text.out, Catch::Contains("換"));
}

TEST_CASE("warranty check refuses what it cannot decide, with a reason", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    RunResult noDate = box.Run({"warranty", "check", "--gtin", "6910000000006"});
    CHECK(noDate.exitCode == 1);
    CHECK_THAT(noDate.err, Catch::Contains("purchase date must be stated"));
    RunResult badGtin = box.Run({"warranty", "check", "--gtin", "6910000000007", "--purchased", "2026-11-01"});
    CHECK(badGtin.exitCode == 1);
    CHECK_THAT(badGtin.err, Catch::Contains("check digit"));
    RunResult unknown = box.Run({"warranty", "check", "--order", "SO-NOPE"});
    CHECK_THAT(unknown.err, Catch::Contains("not in the sales on record"));
    RunResult future = box.Run({"warranty", "check", "--gtin", "6910000000006", "--purchased", "2026-12-01"});
    CHECK(future.exitCode == 1);
    RunResult usage = box.Run({"warranty", "check", "--repairs", "lots"});
    CHECK(usage.exitCode == 2);
}

TEST_CASE("a malformed CSV imports nothing and names the bad line", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    box.Write("bad.csv",
              "gtin,sku,name_zh_hans,name_zh_hant,name_en,category,price,policy_id,serial_required,components\n"
              "6920000000012,NEW-1,新手机,新手機,New phone,phone,100.00,sanbao,no,\n"
              "6920000000029,NEW-2,新手机,新手機,New phone,phone,abc,sanbao,no,\n"
              "6920000000036,NEW-3,新手机,新手機,New phone,toaster,100.00,sanbao,no,\n");
    RunResult bad = box.Run({"import", "catalog", box.Path("bad.csv").string()});
    CHECK(bad.exitCode == 1);
    CHECK_THAT(bad.err, Catch::Contains("bad.csv:3: price 'abc'"));
    CHECK_THAT(bad.err, Catch::Contains("nothing was imported"));
    // Line 2 was fine, and still did not land.
    RunResult lookup = box.Run({"warranty", "check", "--gtin", "6920000000012", "--purchased", "2026-11-20"});
    CHECK_THAT(lookup.err, Catch::Contains("not in the catalog"));

    // A category the policy does not know is caught after the syntax checks.
    box.Write("category.csv",
              "gtin,sku,name_zh_hans,name_zh_hant,name_en,category,price,policy_id,serial_required,components\n"
              "6920000000012,NEW-1,新手机,新手機,New phone,phone,100.00,sanbao,no,\n"
              "6920000000036,NEW-3,烤面包机,烤麵包機,Toaster,toaster,100.00,sanbao,no,\n");
    RunResult category = box.Run({"import", "catalog", box.Path("category.csv").string()});
    CHECK(category.exitCode == 1);
    CHECK_THAT(category.err, Catch::Contains("category.csv:3: category 'toaster'"));
    CHECK_THAT(box.Run({"warranty", "check", "--gtin", "6920000000012", "--purchased", "2026-11-20"}).err,
               Catch::Contains("not in the catalog"));
}

TEST_CASE("a ticket is filed, worked through its lifecycle and verified", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    Json ticket = box.RunJson({"ticket", "create", "--order", "SO-S001-20261106-00007", "--serial", "SN261106000070",
                               "--phone", "13769344675", "--description", "screen flickers"});
    const std::string number = ticket["number"];
    CHECK(number == "S001-K1-261122-0001");
    CHECK(ticket["type"] == "repair");
    CHECK(ticket["remedy"] == "repair");
    CHECK(ticket["clause_id"] == "warranty-repair");
    CHECK(ticket["customer_phone"] == "137****4675");
    CHECK(ticket["customer_tier"] == "returning");

    // A refund is not what the policy allows on day 16.
    RunResult refused = box.Run({"ticket", "create", "--order", "SO-S001-20261106-00007", "--serial",
                                 "SN261106000070", "--remedy", "refund"});
    CHECK(refused.exitCode == 1);
    CHECK_THAT(refused.err, Catch::Contains("does not allow refund") && Catch::Contains("[warranty-repair]"));
    // A serial-tracked product needs its serial.
    CHECK_THAT(box.Run({"ticket", "create", "--order", "SO-S001-20261106-00007"}).err, Catch::Contains("--serial"));

    CHECK(box.Run({"ticket", "transition", number, "received", "--staff", "E1004"}).exitCode == 0);
    RunResult forbidden = box.Run({"ticket", "transition", number, "diagnosing", "--staff", "E1004"});
    CHECK(forbidden.exitCode == 1);
    CHECK_THAT(forbidden.err, Catch::Contains("clerk may not"));
    CHECK(box.Run({"ticket", "transition", number, "diagnosing", "--staff", "E1002", "--note", "checked"}).exitCode == 0);
    RunResult skip = box.Run({"ticket", "transition", number, "closed", "--staff", "E1001"});
    CHECK_THAT(skip.err, Catch::Contains("cannot go from 'diagnosing' to 'closed'"));
    CHECK_THAT(box.Run({"ticket", "transition", number, "in_repair", "--staff", "E1008"}).err, Catch::Contains("not active"));

    Json shown = box.RunJson({"ticket", "show", number});
    CHECK(shown["status"] == "diagnosing");
    REQUIRE(shown["events"].size() == 3);
    CHECK(shown["events"][1]["actor"]["id"] == "E1004");
    CHECK(shown["sla"]["first_response"]["state"] == "met_on_time");

    Json second = box.RunJson({"ticket", "create", "--type", "complaint", "--description", "long wait"});
    CHECK(second["number"] == "S001-K1-261122-0002");
    CHECK(box.RunJson({"ticket", "list", "--open"}).size() == 2);
    CHECK(box.RunJson({"ticket", "list", "--type", "complaint"}).size() == 1);

    Json verified = box.RunJson({"verify"});
    CHECK(verified["ok"] == true);
    CHECK(verified["events_checked"] == 4);
}

TEST_CASE("verify finds a tampered event and names the first broken link", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    const std::string number =
        box.RunJson({"ticket", "create", "--type", "complaint", "--description", "rude staff"})["number"];
    REQUIRE(box.Run({"ticket", "transition", number, "in_progress", "--staff", "E1004", "--note", "calling back"}).exitCode == 0);
    REQUIRE(box.RunJson({"verify"})["ok"] == true);

    // The schema refuses edits to events; someone holding the file can still drop that guard.
    CHECK_THROWS_AS(box.ExecuteSql("UPDATE ticket_events SET note = 'x'"), std::runtime_error);
    box.ExecuteSql("DROP TRIGGER ticket_events_no_update");
    REQUIRE(box.ExecuteSql("UPDATE ticket_events SET note = 'nothing to see' WHERE note = 'calling back'") == 1);
    RunResult verify = box.Run({"verify"});
    CHECK(verify.exitCode == 1);
    CHECK_THAT(verify.out, Catch::Contains("First broken link: event #2"));
    CHECK_THAT(verify.err, Catch::Contains("verification failed"));
}

TEST_CASE("commands on a missing database say how to create it", "[kioskctl]") {
    Sandbox box;
    RunResult missing = box.Run({"ticket", "list"});
    CHECK(missing.exitCode == 1);
    CHECK_THAT(missing.err, Catch::Contains("kioskctl init"));
    CHECK_FALSE(fs::exists(box.Database()));
    CHECK(box.Run({"--version"}).exitCode == 0);
    CHECK(box.Run({"frobnicate"}).exitCode == 2);
}

// A `receipt print` cut between "printing" and "printed" (a power cut) leaves its job printing; the next
// owner of the queue gives it up as failed (it may have come out) and never sends it again.
TEST_CASE("receipt print gives up a job a cut run left printing, and leaves the kiosk's printer alone", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    const std::string first = box.RunJson({"ticket", "create", "--type", "complaint", "--description", "first"})["number"];
    const std::string second = box.RunJson({"ticket", "create", "--type", "complaint", "--description", "second"})["number"];
    const std::string paper = "file://" + box.Path("paper.bin").string();
    REQUIRE(box.Run({"receipt", "print", first, "--printer", paper}).exitCode == 0);
    // The state a SIGKILL after MarkPrinting leaves behind.
    REQUIRE(box.ExecuteSql("UPDATE print_jobs SET state = 'printing', printed_at = NULL WHERE ticket_number = '" + first + "'") == 1);

    RunResult printed = box.Run({"receipt", "print", second, "--printer", paper});
    INFO(printed.err);
    REQUIRE(printed.exitCode == 0);
    // Each UPDATE that changes nothing counts the rows in that state.
    const auto jobsIn = [&](const std::string& ticket, const std::string& state) {
        return box.ExecuteSql("UPDATE print_jobs SET state = state WHERE ticket_number = '" + ticket + "' AND state = '" + state + "'");
    };
    CHECK(jobsIn(first, "failed") == 1);
    CHECK(jobsIn(first, "printing") == 0);
    CHECK(jobsIn(second, "printed") == 1);
    const std::string bytes = Slurp(box.Path("paper.bin"));
    CHECK(bytes.find(second) != std::string::npos);

    // While another process owns the queue (the kiosk's print worker), kioskctl only queues the job.
    const std::string lock = box.Database().string() + ".print-owner";
    const int held = ::open(lock.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0664);
    REQUIRE(held >= 0);
    REQUIRE(::flock(held, LOCK_EX | LOCK_NB) == 0);
    RunResult queued = box.Run({"receipt", "print", first, "--printer", paper, "--reprint"});
    ::close(held);
    CHECK(queued.exitCode != 0);
    CHECK_THAT(queued.err, Catch::Contains("queued, not printed here") && Catch::Contains("that process prints it"));
    CHECK(jobsIn(first, "queued") == 1);
}

// Global options go where users type them: before the command or after it, in kioskctl and headoffice.
TEST_CASE("global options are accepted after the subcommand as well as before", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    box.RunJson({"ticket", "create", "--type", "complaint", "--description", "options after"});
    const std::string db = Quote(box.Database().string());
    const auto run = [&](const std::string& program, const std::string& args) {
        const std::string command = Quote(program) + " " + args + " >" + Quote(box.Path("out.txt").string()) + " 2>" +
                                    Quote(box.Path("err.txt").string());
        const int status = std::system(command.c_str());
        RunResult result;
        result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        result.out = Slurp(box.Path("out.txt"));
        result.err = Slurp(box.Path("err.txt"));
        return result;
    };

    // The same command with its options before and after the subcommand: both succeed, same output.
    const auto either = [&](const std::string& program, const std::string& before, const std::string& after) {
        const RunResult first = run(program, before);
        const RunResult second = run(program, after);
        INFO(second.err);
        REQUIRE(first.exitCode == 0);
        REQUIRE(second.exitCode == 0);
        CHECK(second.out == first.out);
        return second.out;
    };
    CHECK(Json::parse(either(KIOSKCTL_PATH, "--db " + db + " --json ticket list", "ticket list --json --db " + db)).size() == 1);
    const RunResult mixed = run(KIOSKCTL_PATH, "--db " + db + " warranty check --order SO-S001-20261115-00003 --json --now 2026-11-22T06:00:00Z");
    INFO(mixed.err);
    CHECK(mixed.exitCode == 0);
    CHECK_NOTHROW(Json::parse(mixed.out));
    // An option no command knows is still an error, named.
    const RunResult unknown = run(KIOSKCTL_PATH, "ticket list --jsn --db " + db);
    CHECK(unknown.exitCode == 2);
    CHECK_THAT(unknown.err, Catch::Contains("--jsn"));

    const std::string ho = Quote("sqlite:" + box.Path("ho.db").string());
    REQUIRE(run(HEADOFFICE_PATH, "--db " + ho + " kiosk add S001 K1 --qr " + Quote(box.Path("qr.png").string())).exitCode == 0);
    CHECK_THAT(either(HEADOFFICE_PATH, "--db " + ho + " kiosk list", "kiosk list --db " + ho), Catch::Contains("S001"));
}

// The receipt promises a message only to a customer who asked for one, and only while head office sends
// them (the notifications in force).
TEST_CASE("the receipt promises a message only when the customer asked and messages are on", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    const auto receipt = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args{"ticket", "create", "--type", "complaint", "--description", "noisy fan", "--lang", "en",
                                      "--phone", "13800138000"};
        args.insert(args.end(), extra.begin(), extra.end());
        const std::string number = box.RunJson(args)["number"];
        const std::string paper = "file://" + box.Path(number + ".bin").string();
        REQUIRE(box.Run({"receipt", "print", number, "--printer", paper, "--lang", "en"}).exitCode == 0);
        return Slurp(box.Path(number + ".bin"));
    };
    const std::string promise = "we will text you";
    CHECK(receipt({"--notify"}).find(promise) != std::string::npos);
    const std::string quiet = receipt({});
    CHECK(quiet.find(promise) == std::string::npos);
    CHECK(quiet.find("number or the QR code.") != std::string::npos);  // the receipt wraps its lines at 48 characters
    CHECK(box.Run({"ticket", "create", "--type", "complaint", "--description", "x", "--notify"}).exitCode == 1);

    // Head office switched messages off: nobody is promised one.
    CHECK(box.ExecuteSql("INSERT INTO downstream_versions (dataset, version, document, applied_at) VALUES ('notifications', 1, "
                         "'enabled = false\nutc_offset = \"+08:00\"\n', '2026-11-22T00:00:00Z')") == 1);
    CHECK(receipt({"--notify"}).find(promise) == std::string::npos);
}

namespace {

const std::string kFrames = std::string(KIOSK_TEST_ASSET_DIR) + "/demo/frames/";
const std::string kStrokes = std::string(KIOSK_TEST_DATA_DIR) + "/signature/strokes.json";

std::vector<std::string> FilesIn(const fs::path& directory) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(directory, ec)) names.push_back(entry.path().filename().string());
    return names;
}

}  // namespace

TEST_CASE("ticket attach keeps photos and the signature, verify rehashes them and names an edited photo", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    const std::string number =
        box.RunJson({"ticket", "create", "--type", "complaint", "--description", "scratched lid"})["number"];
    Json attached = box.RunJson({"ticket", "attach", number, "--photo", kFrames + "counter-1.jpg", "--photo",
                                 kFrames + "counter-2.jpg", "--signature-strokes", kStrokes, "--note",
                                 "scratch on the lid", "--staff", "E1004"});
    REQUIRE(attached["attachments"].size() == 4);
    CHECK(attached["attachments"][0]["kind"] == "photo");
    CHECK(attached["attachments"][2]["kind"] == "signature");
    CHECK(attached["attachments"][2]["media_type"] == "image/png");
    CHECK(attached["attachments"][3]["kind"] == "signature_strokes");
    for (const Json& a : attached["attachments"]) CHECK(fs::exists(a["path"].get<std::string>()));
    CHECK(FilesIn(box.Path("kiosk.db.blobs")).size() == 4);

    Json shown = box.RunJson({"ticket", "show", number});
    REQUIRE(shown["events"].size() == 2);
    CHECK(shown["events"][1]["kind"] == "attached");
    CHECK(shown["events"][1]["note"] == "scratch on the lid");

    Json verified = box.RunJson({"verify"});
    CHECK(verified["ok"] == true);
    CHECK(verified["files_checked"] == 4);

    SECTION("a photo edited on disk fails verify, naming the ticket, the file and why") {
        const std::string photo = attached["attachments"][1]["path"];
        {
            std::fstream file(photo, std::ios::binary | std::ios::in | std::ios::out);
            file.seekp(600);
            file.put('\x42');
        }
        RunResult verify = box.Run({"verify"});
        CHECK(verify.exitCode == 1);
        CHECK_THAT(verify.out, Catch::Contains("Ticket " + number + ", photo " +
                                               attached["attachments"][1]["sha256"].get<std::string>().substr(0, 12)));
        CHECK_THAT(verify.out, Catch::Contains(photo + " has changed"));
        CHECK_THAT(verify.err, Catch::Contains("verification failed"));
        Json report = Json::parse(box.Run({"--json", "verify"}).out);
        CHECK(report["ok"] == false);
        REQUIRE(report["attachment_problems"].size() == 1);
        CHECK(report["attachment_problems"][0]["ticket"] == number);
        CHECK(report["attachment_problems"][0]["path"] == photo);
    }
    SECTION("a missing signature fails verify") {
        fs::remove(attached["attachments"][2]["path"].get<std::string>());
        RunResult verify = box.Run({"verify"});
        CHECK(verify.exitCode == 1);
        CHECK_THAT(verify.out, Catch::Contains("signature") && Catch::Contains("is missing"));
    }
}

TEST_CASE("ticket attach refuses bad input and writes nothing", "[kioskctl]") {
    Sandbox box;
    box.InitDemo();
    const std::string number =
        box.RunJson({"ticket", "create", "--type", "complaint", "--description", "scratched lid"})["number"];
    const std::string good = kFrames + "counter-1.jpg";
    {
        std::ofstream big(box.Path("big.jpg"), std::ios::binary);
        big << std::ifstream(good, std::ios::binary).rdbuf();
        big << std::string(5 * 1024 * 1024, '\0');
    }
    box.Write("bad-strokes.json", "[[[0.5, 1.5, 0]]]");

    struct Case {
        std::vector<std::string> args;
        std::string error;
    };
    const std::vector<Case> cases{
        {{number, "--photo", good, "--photo", std::string(KIOSK_TEST_DATA_DIR) + "/barcodes/ean13-product.png"},
         "not a JPEG"},
        {{number, "--photo", box.Path("big.jpg").string()}, "too big"},
        {{number, "--photo", box.Path("missing.jpg").string()}, "missing.jpg"},
        {{"S001-K1-261122-0099", "--photo", good}, "no ticket S001-K1-261122-0099"},
        {{number, "--photo", good, "--photo", good, "--photo", good, "--photo", good, "--photo", good, "--photo", good,
          "--photo", good},
         "at most 6"},
        {{number, "--photo", good, "--signature-strokes", box.Path("bad-strokes.json").string()}, "off the pad"},
        {{number}, "--photo"},
    };
    for (const Case& c : cases) {
        std::vector<std::string> args{"ticket", "attach"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        args.insert(args.end(), {"--staff", "E1004"});
        RunResult result = box.Run(args);
        INFO(c.error);
        CHECK(result.exitCode == 1);
        CHECK_THAT(result.err, Catch::Contains(c.error));
        CHECK(FilesIn(box.Path("kiosk.db.blobs")).empty());
    }
    CHECK(box.RunJson({"ticket", "show", number})["events"].size() == 1);
    CHECK(box.RunJson({"verify"})["ok"] == true);
}
