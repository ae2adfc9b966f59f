// Queue numbers (取号): the services a customer can take a number for, a number's states and the
// moves between them, and the wait estimated from the day's recent service times. Pure: the
// numbering itself lives in storage, where a number is allocated inside a write transaction.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/language.hpp"

namespace kiosk::core {

// One service customers queue for (assets/queue.toml): "pickup" with prefix 'A' hands out A001, A002, ...
struct QueueService {
    std::string id;      // stored with every number and sent to head office
    char prefix = 'A';   // an upper-case letter, unique among the services
    LocalizedText name;
    // Minutes per customer for the estimate before anyone has been served today; nullopt: no estimate.
    std::optional<std::chrono::minutes> defaultPerCustomer;
};

struct QueueServices {
    std::vector<QueueService> services;  // in the order the customer sees them
    // nullptr for an unknown id.
    const QueueService* Find(std::string_view id) const;
};

enum class QueueState { Waiting, Called, Served, NoShow };

// "waiting", "called", "served", "no_show": the words stored and sent to head office.
std::string_view ToString(QueueState state);
std::optional<QueueState> ParseQueueState(std::string_view word);

// "A001": the prefix and the number, at least three digits.
std::string QueueLabel(char prefix, int number);

// Whether a number in `from` may move to `to`: waiting -> called; called -> served, no_show, or called
// again (a repeated call). Conflict naming the label and both states otherwise.
Result<void> CheckQueueMove(std::string_view label, QueueState from, QueueState to);

// How many of the day's latest service times the estimate looks at.
inline constexpr std::size_t kQueueEstimateSamples = 5;

// The wait for a customer with `peopleAhead` before them: the median of the latest service times
// (called -> served; at most kQueueEstimateSamples, newest last) times the people ahead; with no service
// time yet, the service's default per customer; nullopt when there is neither. Zero with nobody ahead.
std::optional<std::chrono::seconds> EstimateQueueWait(std::span<const std::chrono::seconds> recentServiceTimes,
                                                      int peopleAhead,
                                                      std::optional<std::chrono::minutes> defaultPerCustomer);

// A number as taken, with what happened to it since.
struct QueueTicket {
    std::string day;      // the kiosk's local date the number belongs to, "YYYY-MM-DD"
    std::string service;  // QueueService::id
    int number = 0;
    std::string label;    // "A001"
    QueueState state = QueueState::Waiting;
    Timestamp takenAt;
    std::optional<Timestamp> calledAt;
    std::optional<Timestamp> finishedAt;  // served or no-show
    std::string calledBy;                 // staff number
    std::string ticketNumber;             // the ticket the called customer was served under, if linked
    int calls = 0;                        // how many times it was called
};

// What a customer who just took a number is told, on the screen and on the slip.
struct TakenNumber {
    QueueTicket ticket;
    int peopleAhead = 0;
    std::optional<std::chrono::seconds> estimatedWait;
};

// "Now serving" for one service: the number called last today (empty when none) and how many wait.
struct QueueBoardRow {
    std::string service;
    std::string nowServing;
    int waiting = 0;
    friend bool operator==(const QueueBoardRow&, const QueueBoardRow&) = default;
};

}  // namespace kiosk::core
