// Queue number labels, moves and the wait estimate.
#include "kiosk/core/queue_numbers.hpp"

#include <algorithm>
#include <cstdio>

namespace kiosk::core {

const QueueService* QueueServices::Find(std::string_view id) const {
    for (const QueueService& service : services) {
        if (service.id == id) return &service;
    }
    return nullptr;
}

std::string_view ToString(QueueState state) {
    switch (state) {
        case QueueState::Waiting: return "waiting";
        case QueueState::Called: return "called";
        case QueueState::Served: return "served";
        case QueueState::NoShow: return "no_show";
    }
    return "waiting";
}

std::optional<QueueState> ParseQueueState(std::string_view word) {
    for (QueueState state : {QueueState::Waiting, QueueState::Called, QueueState::Served, QueueState::NoShow}) {
        if (ToString(state) == word) return state;
    }
    return std::nullopt;
}

std::string QueueLabel(char prefix, int number) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%03d", number);
    return std::string(1, prefix) + digits;
}

Result<void> CheckQueueMove(std::string_view label, QueueState from, QueueState to) {
    const bool allowed = (from == QueueState::Waiting && to == QueueState::Called) ||
                         (from == QueueState::Called &&
                          (to == QueueState::Called || to == QueueState::Served || to == QueueState::NoShow));
    if (allowed) return {};
    std::string why = std::string(label) + " is " + std::string(ToString(from)) + ": it cannot be marked " +
                      std::string(ToString(to));
    if (from == QueueState::Waiting) why += " before it is called";
    if (from == QueueState::Served || from == QueueState::NoShow) why += " any more";
    return Fail(ErrorCode::Conflict, why);
}

std::optional<std::chrono::seconds> EstimateQueueWait(std::span<const std::chrono::seconds> recentServiceTimes,
                                                      int peopleAhead,
                                                      std::optional<std::chrono::minutes> defaultPerCustomer) {
    if (peopleAhead <= 0) return std::chrono::seconds{0};
    std::chrono::seconds perCustomer{0};
    if (!recentServiceTimes.empty()) {
        const std::size_t take = std::min(recentServiceTimes.size(), kQueueEstimateSamples);
        std::vector<std::chrono::seconds> latest(recentServiceTimes.end() - static_cast<std::ptrdiff_t>(take),
                                                 recentServiceTimes.end());
        std::sort(latest.begin(), latest.end());
        const std::size_t mid = latest.size() / 2;
        perCustomer = latest.size() % 2 == 1 ? latest[mid] : (latest[mid - 1] + latest[mid]) / 2;
    } else if (defaultPerCustomer) {
        perCustomer = *defaultPerCustomer;
    } else {
        return std::nullopt;
    }
    return perCustomer * peopleAhead;
}

}  // namespace kiosk::core
