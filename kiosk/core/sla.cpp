// SLA clocks: a ticket's events measured against its targets on the business calendar, pauses excluded.
#include "kiosk/core/sla.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

namespace kiosk::core {
namespace {

using std::chrono::seconds;

constexpr std::array kTicketTypes{TicketType::Return, TicketType::Exchange, TicketType::Repair,
                                  TicketType::Complaint, TicketType::Inquiry};
constexpr std::array kTiers{Tier::New, Tier::Returning, Tier::Vip};

// A stretch of time during which the SLA clocks ran: the ticket was open and not waiting.
struct RunningSpan {
    Timestamp from;
    Timestamp to;
};

// How one clock ended, if it has.
struct ClockEnd {
    std::optional<Timestamp> metAt;
    std::optional<Timestamp> stoppedAt;

    bool Ended() const { return metAt.has_value() || stoppedAt.has_value(); }
    void Settle(bool meets, bool terminal, Timestamp at) {
        if (Ended()) return;
        if (meets) {
            metAt = at;
        } else if (terminal) {
            stoppedAt = at;
        }
    }
};

std::string PairName(TicketType type, Tier tier) {
    return "(" + std::string(ToString(type)) + ", " + std::string(ToString(tier)) + ")";
}

seconds Counted(const BusinessCalendar& calendar, SlaBasis basis, Timestamp from, Timestamp to) {
    if (to <= from) return seconds{0};
    return basis == SlaBasis::Business ? calendar.OpenTimeBetween(from, to) : to - from;
}

// The instant `amount` of counted time has passed after `from`.
std::optional<Timestamp> Advance(const BusinessCalendar& calendar, SlaBasis basis, Timestamp from, seconds amount) {
    if (basis == SlaBasis::Business) return calendar.AddOpenTime(from, amount);
    return from + amount;
}

SlaClock EvaluateClock(const BusinessCalendar& calendar, SlaBasis basis, seconds target, double atRiskFraction,
                       std::span<const RunningSpan> running, bool pausedNow, const ClockEnd& end, Timestamp now) {
    SlaClock clock;
    clock.target = target;
    clock.metAt = end.metAt;
    const Timestamp until = end.metAt ? *end.metAt : end.stoppedAt ? *end.stoppedAt : now;

    std::optional<Timestamp> reached;  // when the counted time reached the target, if it has
    for (const RunningSpan& span : running) {
        const Timestamp to = std::min(span.to, until);
        if (span.from >= to) continue;
        const seconds counted = Counted(calendar, basis, span.from, to);
        if (!reached && clock.consumed + counted >= target) {
            reached = Advance(calendar, basis, span.from, target - clock.consumed);
        }
        clock.consumed += counted;
    }
    if (end.stoppedAt) {
        clock.state = SlaState::Stopped;
        return clock;
    }
    const bool paused = !end.metAt && pausedNow;
    // A met clock keeps the deadline it was measured against, as it stood when it was met.
    if (!reached && !paused) reached = Advance(calendar, basis, until, target - clock.consumed);
    if (reached) {
        // Calendar-basis deadlines falling while the store is closed move to the next opening: nobody
        // can hand over a repair at midnight. The moved instant is the deadline for breach and lateness.
        clock.due = basis == SlaBasis::Calendar ? calendar.NextOpenInstant(*reached).value_or(*reached) : *reached;
    }
    if (end.metAt) {
        const bool onTime = clock.consumed <= target || (clock.due && *end.metAt <= *clock.due);
        clock.state = onTime ? SlaState::MetOnTime : SlaState::MetLate;
        return clock;
    }
    // A breach that happened before a pause stays a breach: pausing must not hide it from the reports.
    if (clock.due && now >= *clock.due) {
        clock.state = SlaState::Breached;
        return clock;
    }
    if (paused) {
        clock.state = SlaState::Paused;
        clock.due.reset();
        return clock;
    }
    const seconds remaining = target - clock.consumed;
    const bool atRisk = remaining <= seconds{0} ||
                        static_cast<double>(remaining.count()) < atRiskFraction * static_cast<double>(target.count());
    clock.state = atRisk ? SlaState::AtRisk : SlaState::OnTrack;
    return clock;
}

}  // namespace

const SlaTarget* SlaPolicy::Find(TicketType type, Tier tier) const {
    auto it = std::ranges::find_if(targets, [&](const SlaTarget& t) { return t.type == type && t.tier == tier; });
    return it == targets.end() ? nullptr : &*it;
}

Result<void> ValidateSlaPolicy(const SlaPolicy& policy) {
    if (!(policy.atRiskFraction >= 0.0 && policy.atRiskFraction < 1.0)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", policy.atRiskFraction);
        return Fail(ErrorCode::InvalidInput,
                    std::string("the at-risk fraction must be at least 0 and below 1, not ") + buf);
    }
    for (TicketType type : kTicketTypes) {
        for (Tier tier : kTiers) {
            const auto count = std::ranges::count_if(
                policy.targets, [&](const SlaTarget& t) { return t.type == type && t.tier == tier; });
            if (count == 0) return Fail(ErrorCode::InvalidInput, "no SLA target for " + PairName(type, tier));
            if (count > 1) {
                return Fail(ErrorCode::InvalidInput,
                            std::to_string(count) + " SLA targets for " + PairName(type, tier) + "; give one");
            }
        }
    }
    for (const SlaTarget& target : policy.targets) {
        if (target.firstResponse <= std::chrono::minutes{0}) {
            return Fail(ErrorCode::InvalidInput,
                        "the first-response target for " + PairName(target.type, target.tier) + " must be positive");
        }
        if (target.resolution <= std::chrono::minutes{0}) {
            return Fail(ErrorCode::InvalidInput,
                        "the resolution target for " + PairName(target.type, target.tier) + " must be positive");
        }
    }
    return {};
}

bool SlaStatus::Breached() const {
    return std::ranges::any_of(std::array{firstResponse.state, resolution.state},
                               [](SlaState s) { return s == SlaState::Breached || s == SlaState::MetLate; });
}

std::string_view ToString(SlaState state) {
    switch (state) {
        case SlaState::OnTrack: return "on_track";
        case SlaState::AtRisk: return "at_risk";
        case SlaState::Breached: return "breached";
        case SlaState::Paused: return "paused";
        case SlaState::MetOnTime: return "met_on_time";
        case SlaState::MetLate: return "met_late";
        case SlaState::Stopped: return "stopped";
    }
    return "on_track";
}

Result<SlaStatus> EvaluateSla(const SlaPolicy& policy, const BusinessCalendar& calendar, const Lifecycle& lifecycle,
                              TicketType type, Tier tier, std::span<const TicketEvent> events, Timestamp now) {
    if (events.empty()) return Fail(ErrorCode::InvalidInput, "an SLA needs the ticket's events; none were given");
    const TicketEvent& created = events.front();
    if (created.kind != EventKind::Created) {
        return Fail(ErrorCode::InvalidInput, "ticket " + created.ticketNumber +
                                                 ": the first event is not its creation, so the SLA has no start");
    }
    const SlaTarget* target = policy.Find(type, tier);
    if (target == nullptr) return Fail(ErrorCode::NotFound, "no SLA target for " + PairName(type, tier));

    const Timestamp start = created.at;
    now = std::max(now, start);

    std::vector<RunningSpan> running;
    ClockEnd firstResponse;
    ClockEnd resolution;
    bool paused = false;
    Timestamp runningSince = start;
    auto enter = [&](std::string_view statusId, Timestamp at) {
        const StatusInfo* info = lifecycle.FindStatus(statusId);
        // An unknown status keeps the clock running: an SLA must not stop because of a table gap.
        const bool pauses = info != nullptr && info->pausesSla;
        if (pauses && !paused && runningSince < at) running.push_back({runningSince, at});
        if (!pauses && paused) runningSince = at;
        paused = pauses;
        if (info == nullptr) return;
        firstResponse.Settle(info->firstResponse || info->resolves, info->terminal, at);
        resolution.Settle(info->resolves, info->terminal, at);
    };

    enter(created.toStatus.empty() ? std::string_view(lifecycle.initialStatus) : std::string_view(created.toStatus),
          start);
    Timestamp previous = start;
    for (const TicketEvent& event : events.subspan(1)) {
        if (event.kind != EventKind::StatusChanged) continue;
        // Kiosk clocks can step back (NTP, a replaced battery); an event never counts before the one it
        // follows.
        const Timestamp at = std::max(event.at, previous);
        if (at > now) break;
        previous = at;
        enter(event.toStatus, at);
    }
    if (!paused && runningSince < now) running.push_back({runningSince, now});

    SlaStatus status;
    status.firstResponse = EvaluateClock(calendar, target->firstResponseBasis, target->firstResponse,
                                         policy.atRiskFraction, running, paused, firstResponse, now);
    status.resolution = EvaluateClock(calendar, target->resolutionBasis, target->resolution, policy.atRiskFraction,
                                      running, paused, resolution, now);
    return status;
}

}  // namespace kiosk::core
