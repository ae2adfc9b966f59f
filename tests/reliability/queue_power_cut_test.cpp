// Power cuts while queue numbers are handed out: `kioskctl queue take` and `queue call` killed with
// SIGKILL at random moments, across a local midnight. After every cut no number is on record twice,
// every number a customer was given is on record as theirs, numbering goes on from the last number
// committed, and every number has exactly one "taken" record queued for head office.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "reliability_support.hpp"
#include "sync/sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::reliability;
using kiosk::sync::test::Ok;

namespace {

struct QueueHarness {
    std::filesystem::path dir;
    std::filesystem::path kioskDb;

    ProgramRun Kioskctl(std::vector<std::string> args, std::optional<std::chrono::microseconds> killAfter = std::nullopt) const {
        args.insert(args.begin(), {KIOSKCTL_PATH, "--db", kioskDb.string()});
        return RunProgram(args, dir, killAfter);
    }
};

// "A007 pickup, 2 ahead, about 6 min" -> "A007".
std::string QueueLabelFrom(const std::string& output) { return output.substr(0, output.find(' ')); }

// Holds after any cut: per day and service the numbers on record are 1..n without a gap or a repeat,
// each given label is on record once with its service, and each number has one "taken" record queued.
void CheckQueueInvariants(const QueueHarness& h, const std::map<std::string, std::set<std::string>>& given) {
    auto kiosk = Ok(storage::Database::Open(h.kioskDb));
    CHECK(Ok(kiosk.QueryInt("SELECT count(*) FROM (SELECT day, service FROM queue_numbers GROUP BY day, service "
                            "HAVING max(number) <> count(*) OR count(DISTINCT label) <> count(*))")) == 0);
    for (const auto& [day, labels] : given) {
        for (const std::string& label : labels) {
            auto found = Ok(kiosk.Prepare("SELECT count(*) FROM queue_numbers WHERE day = ?1 AND label = ?2"));
            found.Bind(1, day).Bind(2, label);
            REQUIRE(Ok(found.Step()));
            INFO("number " << label << " given on " << day);
            CHECK(found.Int(0) == 1);
        }
    }
    std::map<std::string, int> taken;
    auto records = Ok(kiosk.Prepare("SELECT payload FROM outbox WHERE record_type = 'queue_event'"));
    while (Ok(records.Step())) {
        const auto payload = nlohmann::json::parse(records.Text(0));
        if (payload["kind"] == "taken") ++taken[payload["day"].get<std::string>() + " " + payload["label"].get<std::string>()];
    }
    auto rows = Ok(kiosk.Prepare("SELECT day || ' ' || label FROM queue_numbers"));
    std::size_t numbers = 0;
    while (Ok(rows.Step())) {
        ++numbers;
        INFO("queue number " << rows.Text(0));
        CHECK(taken[rows.Text(0)] == 1);
    }
    CHECK(taken.size() == numbers);
}

}  // namespace

TEST_CASE("power cut: queue numbers killed while being taken or called are never handed out twice and continue after restart",
          "[reliability][power][queue]") {
    const RunLength length = RunLength::FromEnvironment();
    const int trials = length.Pick(24, 200);
    std::mt19937_64 random(length.seed);
    storage::test::TempDir temp;
    QueueHarness h{temp.Path(), temp.File("kiosk.db")};
    REQUIRE(h.Kioskctl({"init", "--store", "S012", "--kiosk", "K1"}).status == 0);
    REQUIRE(h.Kioskctl({"import", "staff", KIOSK_TEST_ASSET_DIR "/demo/staff.csv"}).status == 0);

    // The store is at UTC+8: the first half of the trials on 2026-12-06, the second half after its midnight.
    const std::string dayOne = "2026-12-06T15:00:00Z";
    const std::string dayTwo = "2026-12-06T16:30:00Z";
    // Three takes without a cut: the longest is the usual run time the cuts are spread around, so that
    // some land before the commit, some after it and some while the number is printed.
    std::map<std::string, std::set<std::string>> given;
    std::chrono::microseconds usual{0};
    for (const char* expected : {"A001", "A002", "A003"}) {
        const ProgramRun calibration = h.Kioskctl({"--now", dayOne, "queue", "take", "pickup"});
        REQUIRE(calibration.status == 0);
        REQUIRE(QueueLabelFrom(calibration.output) == expected);
        given["2026-12-06"].insert(expected);
        usual = std::max(usual, calibration.elapsed);
    }
    WARN("queue power cut: " << trials << " trials, seed " << length.seed << ", a take runs " << usual.count() << " us");

    int cuts = 0;
    for (int trial = 0; trial < trials; ++trial) {
        const bool secondDay = trial >= trials / 2;
        const std::string& now = secondDay ? dayTwo : dayOne;
        const std::string day = secondDay ? "2026-12-07" : "2026-12-06";
        const bool call = trial % 4 == 3;
        const std::string service = trial % 3 == 0 ? "question" : "pickup";
        std::vector<std::string> args{"--now", now, "queue"};
        if (call) {
            args.insert(args.end(), {"call", service, "--by", "E1004"});
        } else {
            args.insert(args.end(), {"take", service});
        }
        // Half the cuts anywhere in the run, half around and well past its usual end (a busy machine
        // stretches runs), where the commit and the printed number are.
        const std::int64_t span = usual.count();
        const std::chrono::microseconds killAfter{
            trial % 2 == 0 ? std::uniform_int_distribution<std::int64_t>(0, span * 3 / 2)(random)
                           : std::uniform_int_distribution<std::int64_t>(span * 4 / 5, span * 3)(random)};
        const ProgramRun run = h.Kioskctl(args, killAfter);
        if (run.killed) ++cuts;
        INFO("trial " << trial << ": queue " << (call ? "call " : "take ") << service << " at " << now << ", cut after "
                      << killAfter.count() << " us" << (run.killed ? " (killed)" : " (ended first)"));
        if (!run.killed) {
            INFO(run.output);
            // A call with nobody waiting is refused, and that is fine.
            if (!call || run.output.find("nobody is waiting") == std::string::npos) CHECK(run.status == 0);
            if (!call && run.status == 0) {
                const std::string label = QueueLabelFrom(run.output);
                CHECK(given[day].insert(label).second);  // never the same number twice
            }
        }
        CheckQueueInvariants(h, given);
    }

    // Power back: numbering continues from the last number committed, on the second day from 1 upwards.
    auto kiosk = Ok(storage::Database::Open(h.kioskDb));
    const std::int64_t last = Ok(kiosk.QueryInt("SELECT coalesce(max(number), 0) FROM queue_numbers "
                                                "WHERE day = '2026-12-07' AND service = 'pickup'"));
    const ProgramRun after = h.Kioskctl({"--now", dayTwo, "queue", "take", "pickup", "--json"});
    REQUIRE(after.status == 0);
    CHECK(nlohmann::json::parse(after.output)["number"] == last + 1);
    CheckQueueInvariants(h, given);
    CHECK(Ok(kiosk.QueryInt("SELECT min(number) FROM queue_numbers WHERE day = '2026-12-07'")) == 1);
    WARN("queue power cut: " << cuts << " of " << trials << " runs cut, " << trials - cuts << " ended first; "
                             << Ok(kiosk.QueryInt("SELECT count(*) FROM queue_numbers")) << " numbers on record");
}
