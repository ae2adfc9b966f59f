// `queue take|call|recall|served|no-show|link|list`: queue numbers (取号) for staff and tests, on the
// same book the kiosk application hands numbers out from.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "drivers/escpos/encoder.hpp"
#include "drivers/printer/transport.hpp"
#include "kiosk/app/commands/commands.hpp"
#include "kiosk/app/receipts.hpp"
#include "kiosk/config/roles_loader.hpp"
#include "kiosk/storage/queue_book.hpp"

namespace kiosk::app {
namespace {

using QueueJson = nlohmann::ordered_json;

struct QueueOptions {
    std::string service;
    std::string label;
    std::string ticket;
    std::string by;  // the staff member acting
    std::string printer;  // take: print the slip on this printer URI
    std::string profile = "generic-80";
    std::string language;
};

// Prints the customer's slip straight to `o.printer`, on this command's own connection: a one-shot
// tool has no print worker to hand it to (the kiosk queues its slips for its worker). Returns the
// bytes sent.
core::Result<std::size_t> PrintQueueSlip(AppContext& ctx, const GlobalOptions& global, const QueueOptions& o,
                                         const core::TakenNumber& taken) {
    namespace ep = drivers::escpos;
    namespace pr = drivers::printer;
    core::Language language = ctx.config.defaultLanguage;
    if (!o.language.empty()) {
        auto parsed = core::ParseLanguage(o.language);
        if (!parsed) return core::Fail(core::ErrorCode::InvalidInput, "unknown language \"" + o.language + "\" (zh-Hans, zh-Hant, en)");
        language = *parsed;
    }
    const std::filesystem::path assets = global.assetDir.empty() ? DefaultAssetDir() : std::filesystem::path(global.assetDir);
    auto profile = ep::LoadProfileByName(assets / "printers", o.profile);
    if (!profile) return std::unexpected(profile.error());
    auto bytes = ep::Encode(ComposeQueueSlip(ctx, taken, language), *profile);
    if (!bytes) return std::unexpected(bytes.error());
    pr::TransportOptions transportOptions;
    transportOptions.emulatorDots = profile->dots;
    if (profile->cjk != ep::CjkMode::None) transportOptions.emulatorCjk = profile->cjk;
    auto transport = pr::OpenTransport(o.printer, transportOptions);
    if (!transport) return std::unexpected(transport.error());
    if (auto ok = (*transport)->Connect(); !ok) return std::unexpected(ok.error());
    if (auto ok = (*transport)->Send(*bytes, "queue-" + taken.ticket.label); !ok) return std::unexpected(ok.error());
    return bytes->size();
}

// What the queue commands work on: the roles table and their own connection to the kiosk database.
struct QueueSession {
    core::admin::RoleTable roles;
    storage::Database db;
};

core::Result<QueueSession> OpenQueueSession(AppContext& ctx, const GlobalOptions& global) {
    if (auto ok = ctx.OpenStore(false); !ok) return std::unexpected(ok.error());
    if (ctx.queue.services.empty()) {
        return core::Fail(core::ErrorCode::NotFound, "no queue services: " + ctx.config.queueFile.string() + " is missing");
    }
    const std::filesystem::path assets = global.assetDir.empty() ? DefaultAssetDir() : std::filesystem::path(global.assetDir);
    auto roles = config::LoadRolesFile(assets / "roles.toml");
    if (!roles) return std::unexpected(roles.error());
    storage::OpenOptions openOptions;
    openOptions.create = false;
    auto db = storage::Database::Open(ctx.config.database, openOptions);
    if (!db) return std::unexpected(db.error());
    return QueueSession{std::move(*roles), std::move(*db)};
}

// The staff member acting: they must exist and be active.
core::Result<core::Actor> QueueStaffActor(AppContext& ctx, const std::string& staffNo) {
    if (staffNo.empty()) return core::Fail(core::ErrorCode::InvalidInput, "--by STAFF_NO names who calls the numbers");
    auto staff = ctx.store->FindStaff(staffNo);
    if (!staff) return std::unexpected(staff.error());
    if (!*staff) return core::Fail(core::ErrorCode::NotFound, "no staff member " + staffNo + " (import staff first)");
    if (!(*staff)->active) return core::Fail(core::ErrorCode::Forbidden, "staff member " + staffNo + " is not active");
    return core::Actor{(*staff)->role, (*staff)->staffNo};
}

QueueJson TimeJson(const std::optional<core::Timestamp>& at) {
    return at ? QueueJson(core::FormatTimestamp(*at)) : QueueJson(nullptr);
}

QueueJson QueueTicketJson(const core::QueueTicket& t) {
    return {{"label", t.label},     {"service", t.service},         {"number", t.number},
            {"day", t.day},         {"state", core::ToString(t.state)}, {"takenAt", core::FormatTimestamp(t.takenAt)},
            {"calledAt", TimeJson(t.calledAt)}, {"finishedAt", TimeJson(t.finishedAt)}, {"calledBy", t.calledBy},
            {"calls", t.calls},     {"ticketNumber", t.ticketNumber}};
}

void PrintQueueTicket(const GlobalOptions& global, const core::QueueTicket& t) {
    if (global.json) {
        std::cout << QueueTicketJson(t).dump() << "\n";
    } else {
        std::cout << t.label << " " << t.service << " " << core::ToString(t.state)
                  << (t.ticketNumber.empty() ? "" : " ticket " + t.ticketNumber) << "\n";
    }
}

Outcome RunQueueTake(AppContext& ctx, const GlobalOptions& global, const QueueOptions& o, core::Timestamp now) {
    auto session = OpenQueueSession(ctx, global);
    if (!session) return std::unexpected(session.error());
    storage::QueueBook book(session->db, ctx.queue, session->roles, ctx.calendar.utcOffset);
    auto taken = book.Take(o.service, now);
    if (!taken) return std::unexpected(taken.error());
    // The number is taken whatever the printer does: a failed slip is reported, the number stands.
    std::optional<core::Result<std::size_t>> printed;
    if (!o.printer.empty()) printed = PrintQueueSlip(ctx, global, o, *taken);
    if (global.json) {
        QueueJson out = QueueTicketJson(taken->ticket);
        out["peopleAhead"] = taken->peopleAhead;
        if (printed && *printed) out["slipBytes"] = **printed;
        out["estimatedWaitSeconds"] = taken->estimatedWait ? QueueJson(taken->estimatedWait->count()) : QueueJson(nullptr);
        std::cout << out.dump() << "\n";
    } else {
        std::cout << taken->ticket.label << " " << taken->ticket.service << ", " << taken->peopleAhead << " ahead";
        if (taken->estimatedWait) std::cout << ", about " << (taken->estimatedWait->count() + 59) / 60 << " min";
        if (printed && *printed) std::cout << "; slip printed (" << **printed << " bytes)";
        std::cout << "\n";
    }
    if (printed && !*printed) {
        return core::Fail(printed->error().code, taken->ticket.label + " is taken, but its slip did not print: " + printed->error().message);
    }
    return {};
}

Outcome RunQueueStaff(AppContext& ctx, const GlobalOptions& global, const QueueOptions& o, core::Timestamp now,
                      std::string_view what) {
    auto session = OpenQueueSession(ctx, global);
    if (!session) return std::unexpected(session.error());
    auto actor = QueueStaffActor(ctx, o.by);
    if (!actor) return std::unexpected(actor.error());
    storage::QueueBook book(session->db, ctx.queue, session->roles, ctx.calendar.utcOffset);
    core::Result<core::QueueTicket> done = core::Fail(core::ErrorCode::InvalidInput, "unknown queue command");
    if (what == "call") done = book.CallNext(o.service, *actor, now);
    if (what == "recall") done = book.Recall(o.label, *actor, now);
    if (what == "served") done = book.Finish(o.label, core::QueueState::Served, *actor, now);
    if (what == "no-show") done = book.Finish(o.label, core::QueueState::NoShow, *actor, now);
    if (what == "link") done = book.Link(o.label, o.ticket, *actor, now);
    if (!done) return std::unexpected(done.error());
    PrintQueueTicket(global, *done);
    return {};
}

Outcome RunQueueList(AppContext& ctx, const GlobalOptions& global, core::Timestamp now) {
    auto session = OpenQueueSession(ctx, global);
    if (!session) return std::unexpected(session.error());
    storage::QueueBook book(session->db, ctx.queue, session->roles, ctx.calendar.utcOffset);
    auto board = book.Board(now);
    if (!board) return std::unexpected(board.error());
    auto today = book.Today(now);
    if (!today) return std::unexpected(today.error());
    if (global.json) {
        QueueJson services = QueueJson::array();
        for (const auto& row : *board) {
            services.push_back({{"service", row.service}, {"nowServing", row.nowServing}, {"waiting", row.waiting}});
        }
        QueueJson numbers = QueueJson::array();
        for (const auto& t : *today) numbers.push_back(QueueTicketJson(t));
        std::cout << QueueJson{{"services", services}, {"numbers", numbers}}.dump() << "\n";
        return {};
    }
    for (const auto& row : *board) {
        std::printf("%-12s now serving %-5s %d waiting\n", row.service.c_str(),
                    row.nowServing.empty() ? "-" : row.nowServing.c_str(), row.waiting);
    }
    for (const auto& t : *today) PrintQueueTicket(global, t);
    return {};
}

}  // namespace

void AddQueueCommands(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<QueueOptions>();
    CLI::App* queue = cli.add_subcommand("queue", "Queue numbers: take, call the next, mark served or no-show, link, list");
    queue->require_subcommand(1);

    CLI::App* take = queue->add_subcommand("take", "Take the next number of the day for a service");
    take->add_option("service", options->service, "The service id (assets/queue.toml)")->required();
    take->add_option("--printer", options->printer, "Print the slip: usb://auto, tcp://HOST:PORT, file:///PATH, emulator:///DIR, ...");
    take->add_option("--profile", options->profile, "Printer profile (assets/printers)");
    take->add_option("--language", options->language, "The slip's language: zh-Hans, zh-Hant, en");
    take->add_flag("--json", env.global.json, "Machine-readable output");
    OnRun(take, env, [&env, options](AppContext& ctx, core::Timestamp now) { return RunQueueTake(ctx, env.global, *options, now); });

    CLI::App* call = queue->add_subcommand("call", "Call the next waiting number of a service");
    call->add_option("service", options->service, "The service id")->required();
    for (auto [name, help] : {std::pair{"recall", "Call a called number again"}, std::pair{"served", "Mark a called number served"},
                              std::pair{"no-show", "Mark a called number as not come"},
                              std::pair{"link", "Link a called or served number to the ticket it was served under"}}) {
        CLI::App* sub = queue->add_subcommand(name, help);
        sub->add_option("label", options->label, "Today's number, e.g. A001")->required();
        if (std::string_view(name) == "link") sub->add_option("ticket", options->ticket, "The ticket number")->required();
        sub->add_option("--by", options->by, "The staff number of who does it")->required();
        sub->add_flag("--json", env.global.json, "Machine-readable output");
        OnRun(sub, env, [&env, options, what = std::string(name)](AppContext& ctx, core::Timestamp now) {
            return RunQueueStaff(ctx, env.global, *options, now, what);
        });
    }
    call->add_option("--by", options->by, "The staff number of who calls")->required();
    call->add_flag("--json", env.global.json, "Machine-readable output");
    OnRun(call, env, [&env, options](AppContext& ctx, core::Timestamp now) {
        return RunQueueStaff(ctx, env.global, *options, now, "call");
    });

    CLI::App* list = queue->add_subcommand("list", "Now serving and today's numbers per service");
    list->add_flag("--json", env.global.json, "Machine-readable output");
    OnRun(list, env, [&env](AppContext& ctx, core::Timestamp now) { return RunQueueList(ctx, env.global, now); });
}

}  // namespace kiosk::app
