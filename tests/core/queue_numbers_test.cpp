// Queue numbers' pure rules: labels, the moves between states and the wait estimate.
#include <catch2/catch.hpp>

#include <vector>

#include "kiosk/core/queue_numbers.hpp"

using namespace kiosk::core;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_CASE("queue labels are the service letter and at least three digits", "[core][queue]") {
    CHECK(QueueLabel('A', 1) == "A001");
    CHECK(QueueLabel('C', 42) == "C042");
    CHECK(QueueLabel('B', 999) == "B999");
}

TEST_CASE("a queue number is called before it is served or given up, and stays finished", "[core][queue]") {
    CHECK(CheckQueueMove("A001", QueueState::Waiting, QueueState::Called));
    CHECK(CheckQueueMove("A001", QueueState::Called, QueueState::Called));
    CHECK(CheckQueueMove("A001", QueueState::Called, QueueState::Served));
    CHECK(CheckQueueMove("A001", QueueState::Called, QueueState::NoShow));
    const auto early = CheckQueueMove("A001", QueueState::Waiting, QueueState::NoShow);
    REQUIRE_FALSE(early);
    CHECK(early.error().code == ErrorCode::Conflict);
    CHECK(early.error().message == "A001 is waiting: it cannot be marked no_show before it is called");
    CHECK_FALSE(CheckQueueMove("A001", QueueState::Served, QueueState::Called));
    CHECK_FALSE(CheckQueueMove("A001", QueueState::NoShow, QueueState::Served));
    for (QueueState s : {QueueState::Waiting, QueueState::Called, QueueState::Served, QueueState::NoShow}) {
        CHECK(ParseQueueState(ToString(s)) == s);
    }
    CHECK_FALSE(ParseQueueState("gone"));
}

TEST_CASE("the wait estimate is the median of the latest service times times the people ahead", "[core][queue]") {
    const std::vector<seconds> times{seconds{600}, seconds{120}, seconds{300}};
    CHECK(EstimateQueueWait(times, 2, std::nullopt) == seconds{600});  // median 300 s
    CHECK(EstimateQueueWait(times, 0, std::nullopt) == seconds{0});
    // An even count takes the middle two; only the latest five count.
    const std::vector<seconds> many{seconds{9000}, seconds{60}, seconds{120}, seconds{180}, seconds{240}, seconds{300}};
    CHECK(EstimateQueueWait(many, 1, std::nullopt) == seconds{180});
    const std::vector<seconds> four{seconds{60}, seconds{120}, seconds{180}, seconds{240}};
    CHECK(EstimateQueueWait(four, 1, std::nullopt) == seconds{150});
    // Nobody served yet: the service's default, or no estimate at all.
    CHECK(EstimateQueueWait({}, 3, minutes{5}) == minutes{15});
    CHECK_FALSE(EstimateQueueWait({}, 3, std::nullopt));
}
