// Power cuts: kioskctl filing tickets, printing receipts to a file printer and syncing with a real head
// office, killed with SIGKILL at random moments; after each cut the kiosk's data must still hold.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "reliability_support.hpp"
#include "sync/sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::reliability;
using kiosk::sync::test::HeadOfficeProcess;
using kiosk::sync::test::Ok;

namespace {

constexpr const char* kReplayCommand = "build/default/tests/reliability_tests '[power]'";

enum class Operation { FileTicket, PrintReceipt, Sync };

constexpr const char* kNames[] = {"file a ticket", "print a receipt", "sync"};

struct Harness {
    std::filesystem::path dir;
    std::filesystem::path kioskDb;
    std::filesystem::path hoDb;
    std::filesystem::path printer;  // file:// printer: every job's ESC/POS bytes appended
    std::string hoUrl;

    ProgramRun Kioskctl(std::vector<std::string> args, std::optional<std::chrono::microseconds> killAfter = std::nullopt) const {
        args.insert(args.begin(), {KIOSKCTL_PATH, "--db", kioskDb.string()});
        return RunProgram(args, dir, killAfter);
    }
    std::vector<std::string> Command(Operation op, const std::string& tag, const std::string& ticket) const {
        switch (op) {
        case Operation::FileTicket:
            return {"ticket", "create", "--type", "complaint", "--description", tag, "--phone", "13800138000"};
        case Operation::PrintReceipt:
            return {"receipt", "print", ticket, "--printer", "file://" + printer.string()};
        case Operation::Sync:
            return {"sync", "run", "--once"};
        }
        return {};
    }
};

// "Ticket S012-K1-261122-0007 (complaint, new)" -> the number.
std::string TicketNumberFrom(const std::string& output) {
    const auto at = output.find("Ticket ");
    if (at == std::string::npos) return {};
    const auto end = output.find(' ', at + 7);
    return output.substr(at + 7, end - at - 7);
}

// The checks that hold at every moment, however the last run ended: acknowledged tickets exist once,
// no ticket was filed twice, the event chain verifies, and head office holds nothing the kiosk did
// not write, each record once and under the kiosk's own sequence number.
void CheckInvariants(const Harness& h, const std::vector<std::pair<std::string, std::string>>& acknowledged) {
    auto kiosk = Ok(storage::Database::Open(h.kioskDb));
    for (const auto& [number, tag] : acknowledged) {
        auto count = Ok(kiosk.Prepare("SELECT count(*) FROM tickets WHERE number = ?1 AND description = ?2"));
        count.Bind(1, number).Bind(2, tag);
        REQUIRE(Ok(count.Step()));
        INFO("acknowledged ticket " << number);
        CHECK(count.Int(0) == 1);
    }
    CHECK(Ok(kiosk.QueryInt("SELECT count(*) FROM (SELECT description FROM tickets GROUP BY description HAVING count(*) > 1)")) == 0);
    CHECK(Ok(kiosk.QueryInt("SELECT count(*) FROM (SELECT ticket_number FROM print_jobs WHERE kind = 'receipt' AND "
                            "reprint = 0 GROUP BY ticket_number HAVING count(*) > 1)")) == 0);

    const ProgramRun verify = h.Kioskctl({"verify"});
    INFO(verify.output);
    CHECK(verify.status == 0);

    auto ho = Ok(storage::Database::Open(h.hoDb));
    CHECK(Ok(ho.QueryInt("SELECT count(*) - count(DISTINCT seq) FROM records")) == 0);
    auto theirs = Ok(ho.Prepare("SELECT id, seq FROM records ORDER BY seq"));
    while (Ok(theirs.Step())) {
        auto mine = Ok(kiosk.Prepare("SELECT seq FROM outbox WHERE id = ?1"));
        mine.Bind(1, theirs.Text(0));
        INFO("head office record " << theirs.Text(0));
        REQUIRE(Ok(mine.Step()));
        CHECK(mine.Int(0) == theirs.Int(1));
    }
    // Everything the kiosk counts as sent really is at head office.
    const std::int64_t sent = Ok(kiosk.QueryInt("SELECT coalesce(max(seq), 0) FROM outbox WHERE sent_at IS NOT NULL"));
    CHECK(Ok(ho.QueryInt("SELECT count(*) FROM records WHERE seq <= " + std::to_string(sent))) == sent);
}

// Every trial's operation and cut moment follow from the seed and the operations' usual durations:
// the harness measures those once at the start, or takes them from KIOSK_POWER_CUT_USUAL
// ("file=US,print=US,sync=US", microseconds), which every failure prints with the seed. With
// KIOSK_POWER_CUT_UNTIL=N the run stops after trial N and checks the end state there.
std::map<Operation, std::chrono::microseconds> UsualFromEnvironment() {
    std::map<Operation, std::chrono::microseconds> usual;
    const char* value = std::getenv("KIOSK_POWER_CUT_USUAL");
    if (value == nullptr || *value == '\0') return usual;
    std::istringstream in(value);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto eq = item.find('=');
        REQUIRE(eq != std::string::npos);
        const std::string name = item.substr(0, eq);
        const std::chrono::microseconds us{std::stoll(item.substr(eq + 1))};
        if (name == "file") usual[Operation::FileTicket] = us;
        else if (name == "print") usual[Operation::PrintReceipt] = us;
        else if (name == "sync") usual[Operation::Sync] = us;
        else FAIL("KIOSK_POWER_CUT_USUAL: unknown operation \"" << name << "\" (file, print, sync)");
    }
    REQUIRE(usual.size() == 3);
    return usual;
}

}  // namespace

TEST_CASE("power cut: kioskctl killed at random points loses, duplicates and reprints nothing", "[reliability][power]") {
    const RunLength length = RunLength::FromEnvironment();
    int trials = length.Pick(20, 200);
    if (const char* until = std::getenv("KIOSK_POWER_CUT_UNTIL"); until != nullptr && *until != '\0') {
        trials = std::min(trials, std::stoi(until) + 1);
    }
    std::mt19937_64 random(length.seed);
    storage::test::TempDir temp;
    Harness h{temp.Path(), temp.File("kiosk.db"), temp.File("ho.db"), temp.File("printer.bin"), ""};
    h.hoUrl = "sqlite:" + h.hoDb.string();

    HeadOfficeProcess ho(h.hoUrl);
    REQUIRE(h.Kioskctl({"init", "--store", "S012", "--kiosk", "K1"}).status == 0);
    const ProgramRun add = RunProgram({HEADOFFICE_PATH, "--db", h.hoUrl, "kiosk", "add", "S012", "K1", "--qr", (h.dir / "qr.png").string()}, h.dir);
    REQUIRE(add.status == 0);
    const std::string token = add.output.substr(0, add.output.find('\n'));
    REQUIRE(h.Kioskctl({"enroll", ho.Url(), token}).status == 0);

    // Each operation once without a cut: how long it takes, and how many times a receipt carries its
    // ticket number (text and QR), so a receipt printed twice shows as twice that count.
    std::vector<std::pair<std::string, std::string>> acknowledged;
    std::map<Operation, std::chrono::microseconds> duration = UsualFromEnvironment();
    const bool given = !duration.empty();
    const ProgramRun first = h.Kioskctl(h.Command(Operation::FileTicket, "power-cut calibration", ""));
    REQUIRE(first.status == 0);
    acknowledged.emplace_back(TicketNumberFrom(first.output), "power-cut calibration");
    if (!given) duration[Operation::FileTicket] = first.elapsed;
    const ProgramRun print = h.Kioskctl(h.Command(Operation::PrintReceipt, "", acknowledged.front().first));
    REQUIRE(print.status == 0);
    if (!given) duration[Operation::PrintReceipt] = print.elapsed;
    const int perReceipt = CountOccurrences(ReadAll(h.printer), acknowledged.front().first);
    REQUIRE(perReceipt >= 1);
    const ProgramRun sync = h.Kioskctl(h.Command(Operation::Sync, "", ""));
    REQUIRE(sync.status == 0);
    if (!given) duration[Operation::Sync] = sync.elapsed;

    const std::string replay = "KIOSK_RELIABILITY_SEED=" + std::to_string(length.seed) +
                               (length.longRun ? " KIOSK_RELIABILITY_LONG=1" : "") + " KIOSK_POWER_CUT_USUAL=file=" +
                               std::to_string(duration[Operation::FileTicket].count()) +
                               ",print=" + std::to_string(duration[Operation::PrintReceipt].count()) +
                               ",sync=" + std::to_string(duration[Operation::Sync].count());
    WARN("power cut: " << trials << " trials; replay with " << replay << " " << kReplayCommand);
    INFO("replay the whole run: " << replay << " " << kReplayCommand);

    std::set<std::string> printAttempted{acknowledged.front().first};
    std::set<std::string> printAcknowledged{acknowledged.front().first};
    std::map<Operation, int> cuts;
    std::map<Operation, int> runs;
    std::discrete_distribution<int> pickOperation({50, 25, 25});
    for (int trial = 0; trial < trials; ++trial) {
        auto op = static_cast<Operation>(pickOperation(random));
        std::string ticket;
        if (op == Operation::PrintReceipt) {
            // Any ticket that was committed, acknowledged or not, whose receipt was never asked for.
            auto kiosk = Ok(storage::Database::Open(h.kioskDb));
            auto numbers = Ok(kiosk.Prepare("SELECT number FROM tickets ORDER BY number"));
            while (Ok(numbers.Step())) {
                if (!printAttempted.contains(numbers.Text(0))) ticket = numbers.Text(0);
            }
            if (ticket.empty()) op = Operation::FileTicket;
        }
        const std::string tag = "power-cut trial " + std::to_string(trial);
        // Half the cuts anywhere from the program's start to a little past its usual end, half around
        // its end, where the commits happen.
        const std::int64_t usual = duration[op].count();
        const std::chrono::microseconds killAfter{
            trial % 2 == 0 ? std::uniform_int_distribution<std::int64_t>(0, usual * 5 / 4)(random)
                           : std::uniform_int_distribution<std::int64_t>(usual * 4 / 5, usual * 6 / 5)(random)};
        if (op == Operation::PrintReceipt) printAttempted.insert(ticket);
        const ProgramRun run = h.Kioskctl(h.Command(op, tag, ticket), killAfter);
        ++runs[op];
        if (run.killed) ++cuts[op];
        INFO("trial " << trial << ": " << kNames[static_cast<int>(op)] << (ticket.empty() ? "" : " " + ticket) << ", cut after "
                      << killAfter.count() << " us" << (run.killed ? " (killed)" : " (ended first)")
                      << "; replay up to this trial: " << replay << " KIOSK_POWER_CUT_UNTIL=" << trial << " " << kReplayCommand);
        if (!run.killed) {
            INFO(run.output);
            CHECK(run.status == 0);
            if (op == Operation::FileTicket) acknowledged.emplace_back(TicketNumberFrom(run.output), tag);
            if (op == Operation::PrintReceipt) printAcknowledged.insert(ticket);
        }
        CheckInvariants(h, acknowledged);
    }

    // Power back for good: the backlog drains, and a last receipt prints every job still queued.
    const ProgramRun last = h.Kioskctl(h.Command(Operation::FileTicket, "power-cut final", ""));
    REQUIRE(last.status == 0);
    acknowledged.emplace_back(TicketNumberFrom(last.output), "power-cut final");
    REQUIRE(h.Kioskctl(h.Command(Operation::PrintReceipt, "", acknowledged.back().first)).status == 0);
    printAttempted.insert(acknowledged.back().first);
    printAcknowledged.insert(acknowledged.back().first);
    REQUIRE(h.Kioskctl(h.Command(Operation::Sync, "", "")).status == 0);
    CheckInvariants(h, acknowledged);

    auto kiosk = Ok(storage::Database::Open(h.kioskDb));
    auto headOffice = Ok(storage::Database::Open(h.hoDb));
    const std::int64_t outbox = Ok(kiosk.QueryInt("SELECT count(*) FROM outbox"));
    CHECK(Ok(kiosk.QueryInt("SELECT count(*) FROM outbox WHERE sent_at IS NULL")) == 0);
    CHECK(Ok(headOffice.QueryInt("SELECT count(*) FROM records")) == outbox);

    // Printing: a job is printed at most once; an acknowledged one exactly once; none is left queued
    // or half-printed (a job cut while printing is given up as failed, for staff to reprint).
    const std::string paper = ReadAll(h.printer);
    CHECK(Ok(kiosk.QueryInt("SELECT count(*) FROM print_jobs WHERE state IN ('queued', 'printing')")) == 0);
    int jobsChecked = 0;
    auto jobs = Ok(kiosk.Prepare("SELECT ticket_number, state FROM print_jobs"));
    while (Ok(jobs.Step())) {
        const std::string number = jobs.Text(0);
        const int copies = CountOccurrences(paper, number);
        INFO("ticket " << number << " job " << jobs.Text(1) << ": number printed " << copies << " times");
        CHECK(copies <= perReceipt);
        if (jobs.Text(1) == "printed") CHECK(copies == perReceipt);
        if (printAcknowledged.contains(number)) CHECK(jobs.Text(1) == "printed");
        ++jobsChecked;
    }
    for (const auto& [number, tag] : acknowledged) {
        if (!printAttempted.contains(number)) CHECK(CountOccurrences(paper, number) == 0);
    }
    CHECK(paper.find("13800138000") == std::string::npos);  // receipts show the phone masked

    const std::string secret = Ok(kiosk.QueryText("SELECT value FROM sync_state WHERE key = 'secret'"));
    REQUIRE(secret.size() >= 16);
    CHECK(ReadAll(h.dir / "all-runs.log").find(secret) == std::string::npos);

    WARN("power cut: " << runs[Operation::FileTicket] << "/" << runs[Operation::PrintReceipt] << "/" << runs[Operation::Sync]
                       << " runs (file/print/sync), " << cuts[Operation::FileTicket] << "/" << cuts[Operation::PrintReceipt]
                       << "/" << cuts[Operation::Sync] << " cut; " << acknowledged.size() << " acknowledged of "
                       << Ok(kiosk.QueryInt("SELECT count(*) FROM tickets")) << " committed tickets, "
                       << outbox << " outbox records and " << jobsChecked << " print jobs checked");
}
