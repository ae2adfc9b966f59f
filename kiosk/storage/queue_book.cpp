// Queue numbers in SQLite: allocation as max + 1 under the write lock, moves checked by the core,
// and a queue_event outbox record in the same transaction as each change.
#include "kiosk/storage/queue_book.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

#include "kiosk/core/admin/actions.hpp"
#include "kiosk/storage/ticket_log.hpp"

namespace kiosk::storage {

// Named, not anonymous: the unity build puts this file beside the other stores and their helpers.
namespace queue_book {

using core::ErrorCode;

constexpr std::string_view kColumns =
    "day, service, number, label, state, taken_at, called_at, finished_at, called_by, calls, ticket_number";

Result<core::QueueTicket> ReadRow(const Statement& row) {
    core::QueueTicket t;
    t.day = row.Text(0);
    t.service = row.Text(1);
    t.number = static_cast<int>(row.Int(2));
    t.label = row.Text(3);
    const auto state = core::ParseQueueState(row.Text(4));
    const auto taken = core::ParseTimestamp(row.Text(5));
    if (!state || !taken) return core::Fail(ErrorCode::Corrupt, "queue number " + t.day + " " + t.label + ": bad state or time");
    t.state = *state;
    t.takenAt = *taken;
    for (auto [column, field] : {std::pair{6, &t.calledAt}, std::pair{7, &t.finishedAt}}) {
        if (row.IsNull(column)) continue;
        auto at = core::ParseTimestamp(row.Text(column));
        if (!at) return core::Fail(ErrorCode::Corrupt, "queue number " + t.day + " " + t.label + ": bad time");
        *field = *at;
    }
    t.calledBy = row.Text(8);
    t.calls = static_cast<int>(row.Int(9));
    t.ticketNumber = row.Text(10);
    return t;
}

std::optional<std::string> OptionalTime(const std::optional<core::Timestamp>& at) {
    return at ? std::optional(core::FormatTimestamp(*at)) : std::nullopt;
}

nlohmann::json TimeOrNull(const std::optional<core::Timestamp>& at) {
    return at ? nlohmann::json(core::FormatTimestamp(*at)) : nlohmann::json(nullptr);
}

// The local hour (0-23) of an instant: head office groups numbers by the hour they were taken in the store.
int LocalHour(core::Timestamp t, std::chrono::minutes utcOffset) {
    const auto local = t.time_since_epoch() + utcOffset;
    const auto inDay = local - std::chrono::floor<std::chrono::days>(local);
    return static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(inDay).count());
}

Result<void> WriteRow(Database& db, const core::QueueTicket& t) {
    auto s = db.Cached(
        "UPDATE queue_numbers SET state = ?4, called_at = ?5, finished_at = ?6, called_by = ?7, calls = ?8, "
        "ticket_number = ?9 WHERE day = ?1 AND service = ?2 AND number = ?3");
    if (!s) return std::unexpected(std::move(s.error()));
    s->Bind(1, t.day)
        .Bind(2, t.service)
        .Bind(3, std::int64_t{t.number})
        .Bind(4, core::ToString(t.state))
        .BindOptional(5, OptionalTime(t.calledAt))
        .BindOptional(6, OptionalTime(t.finishedAt))
        .Bind(7, t.calledBy)
        .Bind(8, std::int64_t{t.calls})
        .Bind(9, t.ticketNumber);
    return s->Run();
}

}  // namespace queue_book

using queue_book::ReadRow;
using core::ErrorCode;

std::string QueueBook::Day(core::Timestamp now) const { return core::FormatDate(core::LocalDate(now, m_utcOffset)); }

Result<core::TakenNumber> QueueBook::Take(std::string_view serviceId, core::Timestamp now) {
    const core::QueueService* service = m_services->Find(serviceId);
    if (service == nullptr) {
        std::string known;
        for (const auto& s : m_services->services) known += (known.empty() ? "" : ", ") + s.id;
        return core::Fail(ErrorCode::InvalidInput, "no queue service '" + std::string(serviceId) + "' (known: " + known + ")");
    }
    const std::string day = Day(now);
    auto tx = Transaction::Begin(*m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    // Under the write lock nobody else can take the same max + 1; the primary key would refuse it anyway.
    auto next = m_db->Cached("SELECT coalesce(max(number), 0) + 1 FROM queue_numbers WHERE day = ?1 AND service = ?2");
    if (!next) return std::unexpected(std::move(next.error()));
    next->Bind(1, day).Bind(2, service->id);
    auto row = next->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    const int number = static_cast<int>(next->Int(0));
    if (auto done = next->Run(); !done) return std::unexpected(std::move(done.error()));
    if (number > 999) {
        return core::Fail(ErrorCode::Conflict, "queue " + service->id + ": the 999 numbers of " + day + " are all taken");
    }
    core::TakenNumber taken;
    core::QueueTicket& t = taken.ticket;
    t.day = day;
    t.service = service->id;
    t.number = number;
    t.label = core::QueueLabel(service->prefix, number);
    t.takenAt = now;
    auto insert = m_db->Cached(
        "INSERT INTO queue_numbers (day, service, number, label, state, taken_at) VALUES (?1, ?2, ?3, ?4, 'waiting', ?5)");
    if (!insert) return std::unexpected(std::move(insert.error()));
    insert->Bind(1, day).Bind(2, t.service).Bind(3, std::int64_t{number}).Bind(4, t.label).Bind(5, core::FormatTimestamp(now));
    if (auto ok = insert->Run(); !ok) return std::unexpected(std::move(ok.error()));

    auto ahead = m_db->Cached(
        "SELECT count(*) FROM queue_numbers WHERE day = ?1 AND service = ?2 AND state = 'waiting' AND number < ?3");
    if (!ahead) return std::unexpected(std::move(ahead.error()));
    ahead->Bind(1, day).Bind(2, t.service).Bind(3, std::int64_t{number});
    if (auto r = ahead->Step(); !r) return std::unexpected(std::move(r.error()));
    taken.peopleAhead = static_cast<int>(ahead->Int(0));
    if (auto done = ahead->Run(); !done) return std::unexpected(std::move(done.error()));

    // The day's latest service times, oldest first, for the estimate.
    auto recent = m_db->Cached(
        "SELECT called_at, finished_at FROM queue_numbers WHERE day = ?1 AND service = ?2 AND state = 'served' "
        "ORDER BY finished_at DESC, number DESC LIMIT ?3");
    if (!recent) return std::unexpected(std::move(recent.error()));
    recent->Bind(1, day).Bind(2, t.service).Bind(3, static_cast<std::int64_t>(core::kQueueEstimateSamples));
    std::vector<std::chrono::seconds> times;
    while (true) {
        auto r = recent->Step();
        if (!r) return std::unexpected(std::move(r.error()));
        if (!*r) break;
        const auto called = core::ParseTimestamp(recent->Text(0));
        const auto finished = core::ParseTimestamp(recent->Text(1));
        if (called && finished && *finished >= *called) times.push_back(*finished - *called);
    }
    std::ranges::reverse(times);
    taken.estimatedWait = core::EstimateQueueWait(times, taken.peopleAhead, service->defaultPerCustomer);

    if (auto ok = Announce(t, "taken", "", now); !ok) return std::unexpected(std::move(ok.error()));
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return taken;
}

Result<core::QueueTicket> QueueBook::CallNext(std::string_view serviceId, const core::Actor& actor, core::Timestamp now) {
    if (auto ok = core::admin::Require(*m_roles, actor, core::admin::action::kQueueCall); !ok) return std::unexpected(ok.error());
    if (m_services->Find(serviceId) == nullptr) {
        return core::Fail(ErrorCode::InvalidInput, "no queue service '" + std::string(serviceId) + "'");
    }
    const std::string day = Day(now);
    auto tx = Transaction::Begin(*m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto s = m_db->Cached("SELECT " + std::string(queue_book::kColumns) +
                          " FROM queue_numbers WHERE day = ?1 AND service = ?2 AND state = 'waiting' ORDER BY number LIMIT 1");
    if (!s) return std::unexpected(std::move(s.error()));
    s->Bind(1, day).Bind(2, serviceId);
    auto row = s->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return core::Fail(ErrorCode::NotFound, "nobody is waiting for " + std::string(serviceId) + " today");
    auto t = ReadRow(*s);
    if (!t) return t;
    if (auto done = s->Run(); !done) return std::unexpected(std::move(done.error()));
    auto called = Move(t->label, core::QueueState::Called, actor, now);
    if (!called) return called;
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return called;
}

Result<core::QueueTicket> QueueBook::Recall(std::string_view label, const core::Actor& actor, core::Timestamp now) {
    if (auto ok = core::admin::Require(*m_roles, actor, core::admin::action::kQueueCall); !ok) return std::unexpected(ok.error());
    auto tx = Transaction::Begin(*m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto moved = Move(label, core::QueueState::Called, actor, now);
    if (!moved) return moved;
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return moved;
}

Result<core::QueueTicket> QueueBook::Finish(std::string_view label, core::QueueState outcome, const core::Actor& actor,
                                            core::Timestamp now) {
    if (auto ok = core::admin::Require(*m_roles, actor, core::admin::action::kQueueCall); !ok) return std::unexpected(ok.error());
    if (outcome != core::QueueState::Served && outcome != core::QueueState::NoShow) {
        return core::Fail(ErrorCode::InvalidInput, "a queue number is finished as served or no_show, not " +
                                                        std::string(core::ToString(outcome)));
    }
    auto tx = Transaction::Begin(*m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto moved = Move(label, outcome, actor, now);
    if (!moved) return moved;
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return moved;
}

Result<core::QueueTicket> QueueBook::Link(std::string_view label, std::string_view ticketNumber, const core::Actor& actor,
                                          core::Timestamp now) {
    if (auto ok = core::admin::Require(*m_roles, actor, core::admin::action::kQueueCall); !ok) return std::unexpected(ok.error());
    auto tx = Transaction::Begin(*m_db);
    if (!tx) return std::unexpected(std::move(tx.error()));
    auto t = Find(Day(now), label);
    if (!t) return t;
    if (t->state != core::QueueState::Called && t->state != core::QueueState::Served) {
        return core::Fail(ErrorCode::Conflict, t->label + " is " + std::string(core::ToString(t->state)) +
                                                   ": only a called or served number is linked to a ticket");
    }
    auto exists = m_db->Cached("SELECT count(*) FROM tickets WHERE number = ?1");
    if (!exists) return std::unexpected(std::move(exists.error()));
    exists->Bind(1, ticketNumber);
    if (auto r = exists->Step(); !r) return std::unexpected(std::move(r.error()));
    const bool known = exists->Int(0) > 0;
    if (auto done = exists->Run(); !done) return std::unexpected(std::move(done.error()));
    if (!known) return core::Fail(ErrorCode::NotFound, "no ticket " + std::string(ticketNumber) + " to link " + t->label + " to");
    const std::string before = t->ticketNumber;
    t->ticketNumber = std::string(ticketNumber);
    if (auto ok = queue_book::WriteRow(*m_db, *t); !ok) return std::unexpected(std::move(ok.error()));
    if (auto ok = WriteAudit(*m_db, {actor, now, "queue.link", "queue_number", t->day + " " + t->label,
                                     nlohmann::json(before).dump(), nlohmann::json(t->ticketNumber).dump()});
        !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = Announce(*t, "linked", actor.id, now); !ok) return std::unexpected(std::move(ok.error()));
    if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
    return t;
}

Result<core::QueueTicket> QueueBook::Find(std::string_view day, std::string_view label) {
    const core::QueueService* service = nullptr;
    int number = 0;
    if (label.size() >= 2) {
        for (const auto& s : m_services->services) {
            if (s.prefix == label[0]) service = &s;
        }
        const auto digits = label.substr(1);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
        if (ec != std::errc{} || end != digits.data() + digits.size() || number < 1) service = nullptr;
    }
    if (service == nullptr) {
        return core::Fail(ErrorCode::InvalidInput, "'" + std::string(label) + "' is not a queue number (a service letter and digits, A001)");
    }
    auto s = m_db->Cached("SELECT " + std::string(queue_book::kColumns) +
                          " FROM queue_numbers WHERE day = ?1 AND service = ?2 AND number = ?3");
    if (!s) return std::unexpected(std::move(s.error()));
    s->Bind(1, day).Bind(2, service->id).Bind(3, std::int64_t{number});
    auto row = s->Step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return core::Fail(ErrorCode::NotFound, "queue number " + std::string(label) + " was not taken on " + std::string(day));
    auto t = ReadRow(*s);
    if (auto done = s->Run(); !done) return std::unexpected(std::move(done.error()));
    return t;
}

Result<core::QueueTicket> QueueBook::Move(std::string_view label, core::QueueState to, const core::Actor& actor,
                                          core::Timestamp now) {
    auto t = Find(Day(now), label);
    if (!t) return t;
    if (auto ok = core::CheckQueueMove(t->label, t->state, to); !ok) return std::unexpected(ok.error());
    const std::string before(core::ToString(t->state));
    if (to == core::QueueState::Called) {
        if (!t->calledAt) t->calledAt = now;  // the wait ends at the first call
        t->calledBy = actor.id;
        ++t->calls;
    } else {
        t->finishedAt = now;
    }
    t->state = to;
    if (auto ok = queue_book::WriteRow(*m_db, *t); !ok) return std::unexpected(std::move(ok.error()));
    const std::string_view action = to == core::QueueState::Called ? "queue.call" : "queue.finish";
    if (auto ok = WriteAudit(*m_db, {actor, now, action, "queue_number", t->day + " " + t->label,
                                     nlohmann::json(before).dump(), nlohmann::json(core::ToString(to)).dump()});
        !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = Announce(*t, core::ToString(to), actor.id, now); !ok) return std::unexpected(std::move(ok.error()));
    return t;
}

Result<void> QueueBook::Announce(const core::QueueTicket& t, std::string_view kind, std::string_view staff,
                                 core::Timestamp now) {
    const std::string store = [&] {
        auto code = m_db->QueryText("SELECT store_code FROM meta WHERE id = 1");
        return code ? *code : std::string();
    }();
    const nlohmann::json record = {{"kind", std::string(kind)},
                                   {"store", store},
                                   {"day", t.day},
                                   {"service", t.service},
                                   {"number", t.number},
                                   {"label", t.label},
                                   {"state", std::string(core::ToString(t.state))},
                                   {"hour", queue_book::LocalHour(t.takenAt, m_utcOffset)},
                                   {"takenAt", core::FormatTimestamp(t.takenAt)},
                                   {"calledAt", queue_book::TimeOrNull(t.calledAt)},
                                   {"finishedAt", queue_book::TimeOrNull(t.finishedAt)},
                                   {"calls", t.calls},
                                   {"ticketNumber", t.ticketNumber},
                                   {"staff", std::string(staff)},
                                   {"at", core::FormatTimestamp(now)}};
    return QueueRecord(*m_db, "queue_event", record, now);
}

Result<std::vector<core::QueueTicket>> QueueBook::Today(core::Timestamp now) {
    auto s = m_db->Cached("SELECT " + std::string(queue_book::kColumns) + " FROM queue_numbers WHERE day = ?1 ORDER BY number");
    if (!s) return std::unexpected(std::move(s.error()));
    s->Bind(1, Day(now));
    std::vector<core::QueueTicket> all;
    while (true) {
        auto row = s->Step();
        if (!row) return std::unexpected(std::move(row.error()));
        if (!*row) break;
        auto t = ReadRow(*s);
        if (!t) return std::unexpected(std::move(t.error()));
        all.push_back(std::move(*t));
    }
    // Services in the file's order; a service no longer in the file last.
    const auto rank = [this](const std::string& id) {
        const auto& list = m_services->services;
        const auto found = std::ranges::find(list, id, &core::QueueService::id);
        return static_cast<std::size_t>(found - list.begin());
    };
    std::ranges::stable_sort(all, [&](const core::QueueTicket& a, const core::QueueTicket& b) {
        return rank(a.service) < rank(b.service);
    });
    return all;
}

Result<std::vector<core::QueueBoardRow>> QueueBook::Board(core::Timestamp now) {
    const std::string day = Day(now);
    std::vector<core::QueueBoardRow> board;
    for (const core::QueueService& service : m_services->services) {
        core::QueueBoardRow row{service.id, "", 0};
        auto waiting =
            m_db->Cached("SELECT count(*) FROM queue_numbers WHERE day = ?1 AND service = ?2 AND state = 'waiting'");
        if (!waiting) return std::unexpected(std::move(waiting.error()));
        waiting->Bind(1, day).Bind(2, service.id);
        if (auto r = waiting->Step(); !r) return std::unexpected(std::move(r.error()));
        row.waiting = static_cast<int>(waiting->Int(0));
        auto serving = m_db->Cached(
            "SELECT label FROM queue_numbers WHERE day = ?1 AND service = ?2 AND called_at IS NOT NULL "
            "ORDER BY called_at DESC, number DESC LIMIT 1");
        if (!serving) return std::unexpected(std::move(serving.error()));
        serving->Bind(1, day).Bind(2, service.id);
        auto r = serving->Step();
        if (!r) return std::unexpected(std::move(r.error()));
        if (*r) row.nowServing = serving->Text(0);
        board.push_back(std::move(row));
    }
    return board;
}

}  // namespace kiosk::storage
