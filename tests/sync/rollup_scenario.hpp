// Randomised ingest for the rollup tests: kiosks of two stores send batches of ticket events (new
// tickets, status moves, assignments, channels, ratings, scripts used, a ticket filed twice, events
// before their ticket), CSAT answers, follow-up calls (some before their ticket), approvals and queue
// numbers (some stages arriving late) through the real ingest over HTTP, some batches sent twice; after
// each batch the rollups (service rollups included) must equal a recomputation from the raw rows, and
// the report figures read from them the figures of a scan of the raw rows over periods that do not
// start or end at midnight.
// KIOSK_ROLLUP_SEED=N replays a run.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sync/dashboard_fixture.hpp"
#include "sync/headoffice/reports.hpp"
#include "sync/headoffice/rollups.hpp"
#include "sync/headoffice/service_reports.hpp"
#include "sync/headoffice/stored_values.hpp"
#include "sync/headoffice/ticket_sla.hpp"
#include "sync/wire/ids.hpp"
#include "sync/wire/record_json.hpp"

namespace kiosk::sync::test {

// The totals of tickets created in [fromMs, toMs) counted straight from the ticket rows.
inline headoffice::QualityRow ScannedTotals(headoffice::SqlSession& db, std::int64_t fromMs, std::int64_t toMs, std::int64_t nowMs) {
    std::string sql = "SELECT count(*), sum(CASE WHEN " + headoffice::SlaMeasuredSql("$3") + " THEN 1 ELSE 0 END), sum(CASE WHEN " +
                      headoffice::SlaMetSql() +
                      " THEN 1 ELSE 0 END), count(t.first_response_at), coalesce(sum(t.first_response_at - t.created_at), 0), "
                      "count(t.resolved_at), coalesce(sum(t.resolved_at - t.created_at), 0), count(t.csat), coalesce(sum(t.csat), 0)";
    for (int score = 1; score <= 5; ++score) sql += ", sum(CASE WHEN t.csat = " + std::to_string(score) + " THEN 1 ELSE 0 END)";
    sql += ", sum(CASE WHEN t.type = 'complaint' THEN 1 ELSE 0 END) FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2";
    const headoffice::SqlRow r = Ok(db.Query(sql, {fromMs, toMs, nowMs})).front();
    headoffice::QualityRow row;
    std::size_t at = 0;
    for (std::int64_t* field : {&row.tickets, &row.slaCounted, &row.slaMet, &row.firstResponses, &row.firstResponseMsSum,
                                &row.resolved, &row.resolutionMsSum, &row.csatCount, &row.csatSum}) {
        *field = headoffice::ToInt(r[at++]);
    }
    for (std::int64_t& n : row.csatDistribution) n = headoffice::ToInt(r[at++]);
    row.complaints = headoffice::ToInt(r[at]);
    return row;
}

inline void CheckSameFigures(const headoffice::QualityRow& rolled, const headoffice::QualityRow& scanned) {
    CHECK(rolled.tickets == scanned.tickets);
    CHECK(rolled.slaCounted == scanned.slaCounted);
    CHECK(rolled.slaMet == scanned.slaMet);
    CHECK(rolled.firstResponses == scanned.firstResponses);
    CHECK(rolled.firstResponseMsSum == scanned.firstResponseMsSum);
    CHECK(rolled.resolved == scanned.resolved);
    CHECK(rolled.resolutionMsSum == scanned.resolutionMsSum);
    CHECK(rolled.csatCount == scanned.csatCount);
    CHECK(rolled.csatSum == scanned.csatSum);
    CHECK(rolled.csatDistribution == scanned.csatDistribution);
    CHECK(rolled.complaints == scanned.complaints);
}

class RollupScenario {
public:
    // `seed`: the run to repeat (another head office fed the same records); else KIOSK_ROLLUP_SEED or a
    // random one. `oneRecordPerBatch`: each batch's records are sent as batches of one, in order.
    explicit RollupScenario(LocalHeadOffice& ho, std::optional<std::uint64_t> seed = std::nullopt, bool oneRecordPerBatch = false)
        : m_ho(ho), m_oneRecordPerBatch(oneRecordPerBatch) {
        const char* replay = std::getenv("KIOSK_ROLLUP_SEED");
        m_seed = seed ? *seed : replay != nullptr ? std::strtoull(replay, nullptr, 10) : std::random_device{}();
        std::printf("rollup scenario seed %llu (KIOSK_ROLLUP_SEED=%llu replays it)\n", static_cast<unsigned long long>(m_seed),
                    static_cast<unsigned long long>(m_seed));
        m_random.seed(m_seed);
        ho.service->SetProjectionRules(TestProjectionRules());
        for (const auto& [store, kiosk] : {std::pair{"S001", "K1"}, {"S001", "K2"}, {"S002", "K1"}}) {
            m_kiosks.push_back({EnrolRaw(ho, store, kiosk), std::string(store) + "-" + kiosk, 1, std::string(kGenesis), 0});
        }
    }

    std::uint64_t Seed() const { return m_seed; }

    // Sends `batches` batches; after each, the rollups are checked against the tickets.
    void Run(int batches) {
        INFO("KIOSK_ROLLUP_SEED=" << m_seed);
        auto db = Ok(m_ho.service->Pool().Acquire());
        for (int b = 0; b < batches; ++b) {
            Kiosk& kiosk = m_kiosks[Pick(m_kiosks.size())];
            BatchRequest batch = MakeEventBatch(kiosk, 1 + static_cast<int>(Pick(20)));
            Send(kiosk, batch);
            if (Pick(4) == 0) {
                const std::int64_t records = Count(*db, "SELECT count(*) FROM records");
                Send(kiosk, batch);  // sent again: adds nothing
                CHECK(Count(*db, "SELECT count(*) FROM records") == records);
            }
            const std::vector<std::string> differences = Ok(headoffice::CheckRollups(*db));
            INFO("after batch " << b);
            for (const std::string& line : differences) UNSCOPED_INFO(line);
            REQUIRE(differences.empty());
        }
        CheckPeriods(*db);
        // A rebuild recomputes the same rows.
        Ok(headoffice::RebuildRollups(*db));
        CHECK(Ok(headoffice::CheckRollups(*db)).empty());
        CheckPeriods(*db);
    }

    // What a long enough run exercised: tickets with met and open clocks, ratings and CSAT answers.
    void CheckCoverage() {
        INFO("KIOSK_ROLLUP_SEED=" << m_seed);
        auto db = Ok(m_ho.service->Pool().Acquire());
        CHECK(Count(*db, "SELECT count(*) FROM tickets") > 20);
        CHECK(Count(*db, "SELECT count(*) FROM tickets WHERE sla_resolution_state IN ('met_on_time', 'met_late')") > 0);
        CHECK(Count(*db, "SELECT count(*) FROM tickets WHERE sla_resolution_state IN ('on_track', 'at_risk', 'breached')") > 0);
        CHECK(Count(*db, "SELECT count(*) FROM tickets WHERE csat IS NOT NULL") > 0);
        CHECK(Count(*db, "SELECT count(*) FROM csat_answers") > 0);
        CHECK(Count(*db, "SELECT count(*) FROM ticket_rollups WHERE repeat_repairs > 0") > 0);
        CHECK(Count(*db, "SELECT count(*) FROM script_uses") > 0);
        CHECK(Count(*db, "SELECT count(*) FROM tickets WHERE status = 'closed' AND phone <> '' AND csat IS NULL") > 0);
        CHECK(Count(*db, "SELECT count(*) FROM followup_calls f JOIN tickets t ON t.number = f.ticket") > 0);
        CHECK(Count(*db, "SELECT count(*) FROM queue_numbers WHERE state = 'served'") > 0);
    }

private:
    static constexpr std::string_view kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

    struct Kiosk {
        Credentials who;
        std::string prefix;  // "S001-K1"
        std::int64_t nextSeq = 1;
        std::string lastHash;
        std::int64_t chainSeq = 0;
    };
    struct Filed {
        std::string number;
        std::size_t kiosk = 0;
        std::int64_t createdMs = 0;
        std::string status = "submitted";
        std::int64_t closedMs = 0;  // of the last move to closed
        bool rated = false;
    };

    void Send(const Kiosk& kiosk, const BatchRequest& batch) {
        if (!m_oneRecordPerBatch) {
            REQUIRE(PostBatch(m_ho.Url(), kiosk.who, batch).status == 200);
            return;
        }
        for (const WireRecord& r : batch.records) {
            const BatchRequest one{batch.kiosk, batch.epoch, Ok(wire::RandomUuid()), r.seq, r.seq, 1, {r}, std::nullopt};
            // So many small batches meet the per-kiosk request limit: each is sent again as a kiosk would, after the wait asked.
            HttpResponse answer;
            for (int attempt = 0; attempt < 600; ++attempt) {
                answer = PostBatch(m_ho.Url(), kiosk.who, one);
                if (answer.status != 429) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            REQUIRE(answer.status == 200);
        }
    }

    std::size_t Pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_random); }

    static std::int64_t Count(headoffice::SqlSession& db, const std::string& sql) {
        return headoffice::ToInt(Ok(db.Query(sql)).front()[0]);
    }

    static std::string Iso(std::int64_t ms) { return core::FormatTimestamp(core::Timestamp{std::chrono::seconds{ms / 1000}}); }

    // Totals over periods that start and end inside a day, and whole months, against a scan.
    void CheckPeriods(headoffice::SqlSession& db) {
        const std::int64_t now = Ms("2026-12-10T00:00:00Z");
        std::vector<std::pair<std::int64_t, std::int64_t>> periods{{Ms("2026-11-01T00:00:00Z"), Ms("2026-12-01T00:00:00Z")},
                                                                   {Ms("2026-11-03T13:00:00Z"), Ms("2026-11-03T17:00:00Z")}};
        for (int i = 0; i < 6; ++i) {
            const std::int64_t from = Ms("2026-10-30T00:00:00Z") + static_cast<std::int64_t>(Pick(30 * 24)) * 3'600'000;
            periods.emplace_back(from, from + static_cast<std::int64_t>(1 + Pick(20 * 24)) * 3'600'000 + 61'000);
        }
        for (const auto& [from, to] : periods) {
            INFO("period " << Iso(from) << " .. " << Iso(to));
            const headoffice::QualityRow scanned = ScannedTotals(db, from, to, now);
            CheckSameFigures(Ok(headoffice::LoadTotals(db, from, to, now)), scanned);
            for (headoffice::Dimension by : {headoffice::Dimension::Store, headoffice::Dimension::Staff}) {
                const headoffice::QualityReport report = Ok(headoffice::LoadQualityReport(db, by, from, to, now));
                CheckSameFigures(report.total, scanned);
            }
            const auto rolled = Ok(headoffice::LoadServiceReport(db, from, to, now));
            const auto raw = Ok(headoffice::LoadServiceReport(db, from, to, now, headoffice::ServiceSource::RawRows));
            CHECK(rolled.csat == raw.csat);
            CHECK(rolled.followUps == raw.followUps);
            CHECK(rolled.scripts == raw.scripts);
            CHECK(rolled.queue == raw.queue);
            CHECK(rolled == raw);
        }
    }

    BatchRequest MakeEventBatch(Kiosk& kiosk, int count) {
        const std::size_t kioskIndex = static_cast<std::size_t>(&kiosk - m_kiosks.data());
        BatchRequest batch{kiosk.who.kiosk, kiosk.who.epoch, Ok(wire::RandomUuid()), kiosk.nextSeq, kiosk.nextSeq + count - 1, count,
                           {}, std::nullopt};
        std::vector<std::size_t> own;
        for (std::size_t i = 0; i < m_tickets.size(); ++i) {
            if (m_tickets[i].kiosk == kioskIndex) own.push_back(i);
        }
        for (int i = 0; i < count; ++i) {
            if (Pick(8) == 0) {
                batch.records.push_back(QueueRecord(kiosk, kioskIndex));
                continue;
            }
            const std::size_t choice = own.empty() ? 0 : Pick(10);
            if (choice <= 2) {
                own.push_back(m_tickets.size());
                m_tickets.push_back(NewTicket(kiosk, kioskIndex));
                batch.records.push_back(EventRecord(kiosk, Created(m_tickets.back())));
            } else if (choice == 3 && Pick(3) == 0) {
                // A ticket filed again (the record resent under another id): its row takes the new details.
                Filed& t = m_tickets[own[Pick(own.size())]];
                batch.records.push_back(EventRecord(kiosk, Created(t)));
            } else if (choice == 3) {
                // An event for a ticket head office has not seen yet: it touches nothing.
                core::TicketEvent e = Event(kiosk.prefix + "-261130-9" + std::to_string(Pick(1000)), core::EventKind::Assigned,
                                            Ms("2026-11-20T00:00:00Z"));
                e.value = "E2001";
                batch.records.push_back(EventRecord(kiosk, e));
            } else {
                batch.records.push_back(Later(kiosk, m_tickets[own[Pick(own.size())]]));
            }
        }
        for (WireRecord& r : batch.records) r.seq = kiosk.nextSeq++;
        return batch;
    }

    Filed NewTicket(const Kiosk& kiosk, std::size_t kioskIndex) {
        Filed t;
        char number[64];
        std::snprintf(number, sizeof number, "%s-261101-%04d", kiosk.prefix.c_str(), ++m_filed);
        t.number = number;
        t.kiosk = kioskIndex;
        t.createdMs = Ms("2026-11-01T00:00:00Z") + static_cast<std::int64_t>(Pick(28 * 24 * 60)) * 60'000 + 17'000;
        return t;
    }

    core::TicketEvent Event(const std::string& number, core::EventKind kind, std::int64_t atMs) {
        core::TicketEvent e;
        e.id = Ok(wire::RandomUuid());
        e.ticketNumber = number;
        e.kind = kind;
        e.actor = {core::Role::Technician, "E10" + std::to_string(Pick(4))};
        e.at = core::Timestamp{std::chrono::seconds{atMs / 1000}};
        return e;
    }

    core::TicketEvent Created(const Filed& t) {
        core::TicketEvent e = Event(t.number, core::EventKind::Created, t.createdMs);
        e.actor = {core::Role::Customer, "customer"};
        e.toStatus = "submitted";
        core::NewTicket filed;
        const core::TicketType types[] = {core::TicketType::Repair, core::TicketType::Return, core::TicketType::Exchange,
                                          core::TicketType::Complaint};
        filed.type = types[Pick(4)];
        filed.gtin = filed.type == core::TicketType::Complaint ? "" : "0690123456789" + std::to_string(Pick(3));
        filed.serial = filed.type == core::TicketType::Complaint ? "" : "SN-" + std::to_string(Pick(6));
        filed.customerPhone = Pick(4) == 0 ? "" : "1380000" + std::to_string(1000 + Pick(9000));
        filed.notify = !filed.customerPhone.empty() && Pick(2) == 0;  // messages about the ticket's moves
        const core::Tier tiers[] = {core::Tier::New, core::Tier::Returning, core::Tier::Vip};
        filed.customerTier = tiers[Pick(3)];
        filed.problemCategory = Pick(2) == 0 ? "battery" : "screen";
        if (filed.type == core::TicketType::Return) filed.remedy = core::Remedy::Refund;
        filed.description = "randomised";
        e.created = filed;
        return e;
    }

    WireRecord Later(Kiosk& kiosk, Filed& t) {
        const std::int64_t at = t.createdMs + static_cast<std::int64_t>(1 + Pick(20 * 24 * 60)) * 60'000;
        const std::size_t kind = Pick(10);
        if (kind < 5) {
            // Closed thrice as often as the others: closed tickets are those due a follow-up call.
            const char* statuses[] = {"received", "diagnosing", "awaiting_parts", "in_repair", "ready_for_pickup", "in_progress",
                                      "resolved", "closed",     "closed",         "closed",    "cancelled"};
            core::TicketEvent e = Event(t.number, core::EventKind::StatusChanged, at);
            e.fromStatus = t.status;
            e.toStatus = t.status = statuses[Pick(std::size(statuses))];
            if (t.status == "closed") t.closedMs = at;
            return EventRecord(kiosk, e);
        }
        if (kind == 5) {
            core::TicketEvent e = Event(t.number, core::EventKind::Assigned, at);
            e.value = "E20" + std::to_string(Pick(3));
            return EventRecord(kiosk, e);
        }
        if (kind == 6) {
            core::TicketEvent e = Event(t.number, core::EventKind::ChannelSet, at);
            const char* channels[] = {"in_store", "authorised_centre", "third_party"};
            e.value = channels[Pick(3)];
            return EventRecord(kiosk, e);
        }
        if (kind == 8 && Pick(2) == 0) {
            core::TicketEvent e = Event(t.number, core::EventKind::ScriptUsed, at);
            const char* scenes[] = {"greeting", "complaint", "ready_for_pickup", "follow_up", "warranty_decision", "delay"};
            e.value = "script-" + std::to_string(Pick(3));
            e.note = scenes[Pick(std::size(scenes))];
            return EventRecord(kiosk, e);
        }
        if (kind == 9) return ServiceRecord(t, at);
        if (kind == 7 && !t.rated) {
            t.rated = true;
            const int score = 1 + static_cast<int>(Pick(5));
            const nlohmann::json answer = {{"ticketNumber", t.number}, {"score", score}, {"comment", Pick(2) == 0 ? "" : "ok"},
                                           {"answeredAt", Iso(at)}, {"handedBackBy", "E1001"}};
            return {Ok(wire::RandomUuid()), 0, "csat_answer", NowMs(), answer.dump()};
        }
        core::TicketEvent e = Event(t.number, core::EventKind::Rated, at);
        e.actor = {core::Role::Customer, "customer"};
        e.value = std::to_string(1 + Pick(5));
        return EventRecord(kiosk, e);
    }

    // A queue number taken, called, served or given up; now and then a stage it already passed, sent
    // again after a later one.
    WireRecord QueueRecord(const Kiosk& kiosk, std::size_t kioskIndex) {
        std::vector<std::size_t> own;
        for (std::size_t i = 0; i < m_queue.size(); ++i) {
            if (m_queue[i].kiosk == kioskIndex) own.push_back(i);
        }
        if (own.empty() || Pick(3) == 0) {
            QueueNumber q;
            q.kiosk = kioskIndex;
            q.service = Pick(2) == 0 ? "repair" : "returns";
            q.number = static_cast<std::int64_t>(m_queue.size() + 1);
            const std::int64_t dayIndex = static_cast<std::int64_t>(Pick(28));
            q.day = "2026-11-" + std::string(dayIndex < 9 ? "0" : "") + std::to_string(dayIndex + 1);
            q.hour = 8 + static_cast<std::int64_t>(Pick(12));
            q.takenMs = Ms("2026-11-01T00:00:00Z") + dayIndex * 86'400'000 + (q.hour - 8) * 3'600'000 +
                        static_cast<std::int64_t>(Pick(60)) * 60'000;
            own.push_back(m_queue.size());
            m_queue.push_back(q);
        }
        QueueNumber& q = m_queue[own[Pick(own.size())]];
        const bool stale = q.stage > 0 && Pick(4) == 0;
        if (!stale && q.stage < 2) {
            ++q.stage;
            if (q.stage == 1) q.calledMs = q.takenMs + static_cast<std::int64_t>(1 + Pick(90)) * 60'000;
            if (q.stage == 2) {
                q.finishedMs = q.calledMs + static_cast<std::int64_t>(1 + Pick(30)) * 60'000;
                q.state = Pick(4) == 0 ? "no_show" : "served";
            } else {
                q.state = "called";
            }
        }
        const int stage = stale ? static_cast<int>(Pick(static_cast<std::size_t>(q.stage))) : q.stage;
        nlohmann::json event = {{"day", q.day}, {"service", q.service}, {"number", q.number}, {"hour", q.hour},
                                {"takenAt", Iso(q.takenMs)}, {"store", kiosk.prefix.substr(0, 4)},
                                {"label", "A" + std::to_string(q.number)}, {"ticketNumber", ""},
                                {"state", stage == 0 ? "waiting" : stage == 1 ? "called" : q.state}};
        if (stage >= 1) event["calledAt"] = Iso(q.calledMs);
        if (stage == 2) event["finishedAt"] = Iso(q.finishedMs);
        return {Ok(wire::RandomUuid()), 0, "queue_event", NowMs(), event.dump()};
    }

    // A follow-up call (now and then for a ticket head office has not seen yet) or an approval.
    WireRecord ServiceRecord(const Filed& t, std::int64_t at) {
        if (Pick(4) == 0) {
            const char* states[] = {"pending", "approved", "refused"};
            const std::string state = states[Pick(3)];
            nlohmann::json approval = {{"id", "A-" + t.number + "-" + std::to_string(Pick(3))}, {"ticketNumber", t.number},
                                       {"kind", "refund"}, {"amount", 1000}, {"reason", "r"}, {"requestedBy", "E1001"},
                                       {"requestedAt", Iso(at)}, {"deadline", Iso(at + 7'200'000)}, {"state", state},
                                       {"decidedBy", state == "pending" ? "" : "E9001"}, {"decisionReason", ""}};
            if (state != "pending") approval["decidedAt"] = Iso(at + static_cast<std::int64_t>(Pick(4)) * 3'600'000);
            return {Ok(wire::RandomUuid()), 0, "approval", NowMs(), approval.dump()};
        }
        const char* outcomes[] = {"reached", "no_answer", "wrong_number", "declined", "busy"};
        const std::string number = Pick(8) == 0 ? t.number.substr(0, t.number.size() - 1) + "9" : t.number;
        // Calls for a closed ticket fall within the day after closing or later (those count for nothing).
        const std::int64_t callAt = t.closedMs > 0 ? t.closedMs + static_cast<std::int64_t>(Pick(48 * 60)) * 60'000 : at;
        const nlohmann::json call = {{"ticketNumber", number}, {"at", Iso(callAt)}, {"staffNo", "E1002"},
                                     {"outcome", outcomes[Pick(std::size(outcomes))]}, {"note", ""}};
        return {Ok(wire::RandomUuid()), 0, "followup_call", NowMs(), call.dump()};
    }

    WireRecord EventRecord(Kiosk& kiosk, const core::TicketEvent& event) {
        const wire::EventRow row = wire::ToEventRow(event);
        const std::string hash = Ok(wire::ChainHash(kiosk.lastHash, row));
        wire::Json payload = wire::CanonicalEvent(row);
        payload["seq"] = ++kiosk.chainSeq;
        payload["prevHash"] = kiosk.lastHash;
        payload["hash"] = hash;
        kiosk.lastHash = hash;
        return {event.id, 0, "ticket_event", NowMs(), payload.dump()};
    }

    struct QueueNumber {
        std::size_t kiosk = 0;
        std::string day, service, state = "waiting";
        std::int64_t number = 0, hour = 0, takenMs = 0, calledMs = 0, finishedMs = 0;
        int stage = 0;
    };

    LocalHeadOffice& m_ho;
    bool m_oneRecordPerBatch = false;
    std::uint64_t m_seed = 0;
    std::mt19937_64 m_random;
    std::vector<Kiosk> m_kiosks;
    std::vector<Filed> m_tickets;
    std::vector<QueueNumber> m_queue;
    int m_filed = 0;
};

}  // namespace kiosk::sync::test
