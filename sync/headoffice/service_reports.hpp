// What head office makes of the service records kiosks send beside their ticket events: customers'
// CSAT answers by store and staff with their comments, approvals against their time limit, follow-up
// calls against the 24 hours after closing, self-help deflection by problem category, and CSAT and
// resolution of tickets served with a service script against those without.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

struct CsatByStaff {
    std::string store;
    std::string staff;  // who handed the ticket back; empty when nobody on staff moved it
    std::int64_t answers = 0;
    std::int64_t scoreSum = 0;
    std::array<std::int64_t, 5> distribution{};  // answers of 1..5
    double Average() const;                        // -1 when no answers
    bool operator==(const CsatByStaff&) const = default;
};

struct CsatComment {
    std::string ticket, store, staff, comment;
    std::int64_t score = 0;
    std::int64_t answeredAtMs = 0;
    bool operator==(const CsatComment&) const = default;
};

struct ApprovalFigures {
    std::string store;
    std::int64_t requested = 0;
    std::int64_t decided = 0;
    std::int64_t withinLimit = 0;      // decided by the deadline
    std::int64_t refused = 0;
    std::int64_t overdue = 0;          // still pending past the deadline
    std::int64_t decisionMsSum = 0;    // over decided ones
    double WithinLimitShare() const;   // of decided; -1 when none decided
    double AverageMinutes() const;     // -1 when none decided
    bool operator==(const ApprovalFigures&) const = default;
};

struct FollowUpFigures {
    std::string store;
    std::int64_t due = 0;            // closed with a phone number and no CSAT answer
    std::int64_t doneInTime = 0;     // ... with a concluding call (reached, wrong number, declined) within 24 h
    std::int64_t calls = 0;          // every call made for those tickets, attempts included
    double Completion() const;       // doneInTime / due; -1 when nothing was due
    bool operator==(const FollowUpFigures&) const = default;
};

struct DeflectionFigures {
    std::string category;
    std::int64_t offered = 0;
    std::int64_t solved = 0;
    double Deflection() const;  // -1 when nothing offered
    bool operator==(const DeflectionFigures&) const = default;
};

// Tickets served with or without a service script (话术): how many, their CSAT and how many resolved.
struct ScriptGroup {
    std::int64_t tickets = 0;
    std::int64_t csatAnswers = 0;
    std::int64_t csatSum = 0;
    std::int64_t resolved = 0;
    double CsatAverage() const;     // -1 when no answers
    double ResolutionRate() const;  // resolved / tickets; -1 when no tickets
    bool operator==(const ScriptGroup&) const = default;
};

struct ScriptUseFigures {
    std::string scene;     // "greeting", "complaint", ...; "" for a script of any scene
    ScriptGroup used;      // tickets where staff marked a script of the scene used
    ScriptGroup notUsed;   // any scene: tickets with no script at all; a scene: the other tickets it is for
                           // (complaints, product tickets resolved, closed tickets, ...) served without it
    bool operator==(const ScriptUseFigures&) const = default;
};

// Queue numbers (取号) taken in one store, for one service, in one local hour of the day: how many
// were taken, called, served and given up, how long customers waited to be called and how long they
// were served.
struct QueueFigures {
    std::string store;
    std::string service;
    std::int64_t hour = 0;        // 0..23, the store's local hour the numbers were taken in
    std::int64_t taken = 0;
    std::int64_t called = 0;      // called at least once (served and no-shows included)
    std::int64_t served = 0;
    std::int64_t noShows = 0;
    std::int64_t waitMsSum = 0;     // taken -> first call, over the called ones
    std::int64_t serviceMsSum = 0;  // first call -> served, over the served ones
    double AverageWaitMinutes() const;     // -1 when none was called
    double AverageServiceMinutes() const;  // -1 when none was served
    bool operator==(const QueueFigures&) const = default;
};

struct ServiceReport {
    std::vector<CsatByStaff> csat;       // by store, then staff
    std::vector<CsatComment> comments;   // newest first, at most 50, only answers with a comment
    std::vector<ApprovalFigures> approvals;  // by store, then the total (store "")
    std::vector<FollowUpFigures> followUps;  // by store, then the total (store "")
    std::vector<DeflectionFigures> deflection;  // by category, most offered first
    std::vector<ScriptUseFigures> scripts;  // any scene first, then by scene; over tickets created in the period
    std::vector<QueueFigures> queue;  // numbers taken in the period, by store, service and hour
    bool operator==(const ServiceReport&) const = default;
};

// Where the CSAT, follow-up, script and queue figures come from: the summaries kept at ingest
// (service_rollups.hpp), which the pages read; or a scan of the raw rows, the reference the tests and the
// bench hold the summaries to. Either gives the same report.
enum class ServiceSource { Summaries, RawRows };

// The report's tables, each loaded on its own.
enum class ServiceSection { Csat, Approvals, FollowUps, Deflection, Scripts, Queue };
inline constexpr ServiceSection kServiceSections[] = {ServiceSection::Csat,       ServiceSection::Approvals,
                                                      ServiceSection::FollowUps,  ServiceSection::Deflection,
                                                      ServiceSection::Scripts,    ServiceSection::Queue};
std::string_view ToString(ServiceSection section);  // "csat", "approvals", "follow_ups", ...

// Fills the section's table of `report` as LoadServiceReport does. Fails with the database's errors.
Result<void> LoadServiceSection(SqlSession& db, ServiceSection section, std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs,
                                ServiceReport& report, ServiceSource source = ServiceSource::Summaries);

// Answers given, approvals requested, tickets closed, queue numbers taken and self-help days in [fromMs, toMs) (self-help
// days are the kiosks' local dates, bounded by the period's UTC dates). `nowMs` decides which pending
// approvals are overdue.
Result<ServiceReport> LoadServiceReport(SqlSession& db, std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs,
                                        ServiceSource source = ServiceSource::Summaries);

}  // namespace kiosk::sync::headoffice
