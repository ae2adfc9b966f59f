// kioskctl: maintenance and automation on the kiosk's database (SPEC section 5).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/app/app_context.hpp"
#include "kiosk/app/json_views.hpp"
#include "kiosk/config/text_file.hpp"
#include "kiosk/core/claim.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/importer/csv_import.hpp"

namespace {

using namespace kiosk;
using Json = nlohmann::ordered_json;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct GlobalOptions {
    std::string configFile;
    std::string database;
    std::string assetDir;
    std::string now;
    bool json = false;
};

// A command's outcome: an error message for stderr, or nothing.
using Outcome = core::Result<void>;

std::string Describe(const core::Error& error) { return error.message; }

const core::Actor kToolActor{core::Role::System, "kioskctl"};

// ---------------------------------------------------------------------------------------------
// [SECTION] init, import, verify

struct InitOptions {
    std::string store;
    std::string kiosk;
};

Outcome RunInit(app::AppContext& ctx, const GlobalOptions& global, const InitOptions& options, core::Timestamp now) {
    if (auto opened = ctx.OpenStore(true); !opened) return opened;
    const std::string store = options.store.empty() ? ctx.config.storeCode : options.store;
    const std::string kiosk = options.kiosk.empty() ? ctx.config.kioskCode : options.kiosk;
    auto identity = ctx.store->Initialize(store, kiosk, now);
    if (!identity) return std::unexpected(identity.error());
    if (global.json) {
        std::cout << Json{{"database", ctx.config.database.string()},
                          {"store_code", identity->storeCode},
                          {"kiosk_code", identity->kioskCode},
                          {"kiosk_id", identity->kioskId},
                          {"epoch", identity->epoch}}
                         .dump()
                  << "\n";
    } else {
        std::cout << "Kiosk " << identity->storeCode << "-" << identity->kioskCode << " ready in "
                  << ctx.config.database.string() << " (id " << identity->kioskId << ")\n";
    }
    return {};
}

struct ImportOptions {
    std::string file;
    bool dryRun = false;
};

// Checks the catalog's categories against the loaded policy so a product never lands in the store
// with a category the warranty engine cannot decide for.
core::Result<void> CheckCategories(const std::vector<importer::Row<core::Product>>& rows, const core::PolicyTable& policy,
                                   const std::string& source) {
    std::string problems;
    int count = 0;
    for (const auto& row : rows) {
        const core::Product& p = row.value;
        std::string what;
        if (p.policyId != policy.id) {
            what = "policy_id '" + p.policyId + "' is not the loaded policy '" + policy.id + "'";
        } else if (policy.FindCategory(p.category) == nullptr) {
            std::string known;
            for (const auto& c : policy.categories) known += (known.empty() ? "" : ", ") + c.id;
            what = "category '" + p.category + "' is not in policy '" + policy.id + "' (" + known + ")";
        }
        if (!what.empty() && count++ < importer::kMaxReportedProblems) {
            problems += (problems.empty() ? "" : "\n") + source + ":" + std::to_string(row.line) + ": " + what;
        }
    }
    if (count == 0) return {};
    if (count > importer::kMaxReportedProblems) {
        problems += "\n... and " + std::to_string(count - importer::kMaxReportedProblems) + " more problems";
    }
    return core::Fail(core::ErrorCode::InvalidInput, problems + "\nnothing was imported from " + source);
}

template <class T>
std::vector<T> Values(std::vector<importer::Row<T>>& rows) {
    std::vector<T> values;
    values.reserve(rows.size());
    for (auto& row : rows) values.push_back(std::move(row.value));
    return values;
}

Outcome RunImport(app::AppContext& ctx, const GlobalOptions& global, const std::string& kind,
                  const ImportOptions& options, core::Timestamp now) {
    auto text = config::ReadTextFile(options.file);
    if (!text) return std::unexpected(text.error());

    std::size_t records = 0;
    core::Result<storage::ImportCounts> counts = storage::ImportCounts{};
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    if (kind == "catalog") {
        auto rows = importer::ParseCatalogCsv(*text, options.file);
        if (!rows) return std::unexpected(rows.error());
        if (auto ok = CheckCategories(*rows, ctx.policy, options.file); !ok) return ok;
        records = rows->size();
        if (!options.dryRun) counts = ctx.store->ImportProducts(Values(*rows), kToolActor, now);
    } else if (kind == "sales") {
        auto rows = importer::ParseSalesCsv(*text, options.file);
        if (!rows) return std::unexpected(rows.error());
        records = rows->size();
        if (!options.dryRun) counts = ctx.store->ImportSales(Values(*rows), kToolActor, now);
    } else {
        auto rows = importer::ParseStaffCsv(*text, options.file);
        if (!rows) return std::unexpected(rows.error());
        records = rows->size();
        if (!options.dryRun) counts = ctx.store->ImportStaff(Values(*rows), kToolActor, now);
    }
    if (!counts) return core::Fail(counts.error().code, counts.error().message + "\nnothing was imported from " + options.file);

    if (global.json) {
        std::cout << Json{{"kind", kind}, {"file", options.file}, {"records", records}, {"dry_run", options.dryRun},
                          {"inserted", counts->inserted}, {"updated", counts->updated}}
                         .dump()
                  << "\n";
    } else if (options.dryRun) {
        std::cout << options.file << ": " << records << " " << kind << " records, all valid (nothing written)\n";
    } else {
        std::cout << options.file << ": imported " << records << " " << kind << " records (" << counts->inserted
                  << " new, " << counts->updated << " updated)\n";
    }
    return {};
}

Outcome RunVerify(app::AppContext& ctx, const GlobalOptions& global) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto report = ctx.store->Verify();
    if (!report) return std::unexpected(report.error());
    if (global.json) {
        Json out{{"ok", report->ok}, {"events_checked", report->eventsChecked}, {"tickets_checked", report->ticketsChecked}};
        if (report->firstBreak) {
            out["first_break"] = Json{{"seq", report->firstBreak->seq}, {"event_id", report->firstBreak->eventId},
                                      {"ticket", report->firstBreak->ticketNumber}, {"reason", report->firstBreak->reason}};
        }
        Json mismatches = Json::array();
        for (const auto& m : report->mismatches) mismatches.push_back(Json{{"ticket", m.ticketNumber}, {"reason", m.reason}});
        out["projection_mismatches"] = mismatches;
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "Checked " << report->eventsChecked << " events of " << report->ticketsChecked << " tickets.\n";
        if (report->firstBreak) {
            const auto& b = *report->firstBreak;
            std::cout << "First broken link: event #" << b.seq << " (" << b.eventId << ") of ticket " << b.ticketNumber
                      << ": " << b.reason << "\n";
        }
        for (const auto& m : report->mismatches) {
            std::cout << "Ticket " << m.ticketNumber << " does not match its events: " << m.reason << "\n";
        }
        if (report->ok) std::cout << "Event chain and ticket projections are intact.\n";
    }
    if (!report->ok) return core::Fail(core::ErrorCode::Corrupt, "verification failed: the database has been altered");
    return {};
}

// ---------------------------------------------------------------------------------------------
// [SECTION] warranty check

struct ClaimOptions {
    std::string gtin;
    std::string serial;
    std::string order;
    std::string purchased;
    std::string today;
    std::string fault = "performance";
    std::string component;
    std::vector<std::string> exclusions;
    int repairs = 0;
    int daysInRepair = 0;
    int openRepairDays = -1;
    bool awaitingParts = false;
    std::string exchangedOn;
    std::string language;
};

core::Result<core::ClaimFacts> BuildFacts(const ClaimOptions& o, core::Date today) {
    core::ClaimFacts facts;
    if (!o.gtin.empty()) {
        auto gtin = core::Gtin::Parse(o.gtin);
        if (!gtin) return std::unexpected(gtin.error());
        facts.gtin = *gtin;
    }
    facts.serial = o.serial;
    facts.orderNumber = o.order;
    if (!o.purchased.empty()) {
        auto date = core::ParseDate(o.purchased);
        if (!date) return core::Fail(core::ErrorCode::InvalidInput, "--purchased: " + date.error().message);
        facts.statedPurchase = *date;
    }
    facts.today = today;
    if (!o.today.empty()) {
        auto date = core::ParseDate(o.today);
        if (!date) return core::Fail(core::ErrorCode::InvalidInput, "--today: " + date.error().message);
        facts.today = *date;
    }
    facts.fault = o.fault;
    facts.component = o.component;
    facts.exclusions = o.exclusions;
    facts.history.failedRepairsSameFault = o.repairs;
    facts.history.daysInRepair = o.daysInRepair;
    if (o.openRepairDays >= 0) facts.history.openRepairDays = o.openRepairDays;
    facts.history.openRepairAwaitingParts = o.awaitingParts;
    if (!o.exchangedOn.empty()) {
        auto date = core::ParseDate(o.exchangedOn);
        if (!date) return core::Fail(core::ErrorCode::InvalidInput, "--exchanged-on: " + date.error().message);
        facts.history.exchangedOn = *date;
    }
    return facts;
}

core::Language LanguageOf(const app::AppContext& ctx, const std::string& tag) {
    if (auto parsed = core::ParseLanguage(tag)) return *parsed;
    return ctx.config.defaultLanguage;
}

void PrintAssessment(const core::ClaimAssessment& a, core::Language language) {
    const core::WarrantyDecision& d = a.decision;
    std::string remedies;
    for (core::Remedy r : d.remedies) remedies += (remedies.empty() ? "" : ", ") + std::string(core::ToString(r));
    std::printf("Product     %s (%s, %s)\n", a.product.name.In(language).c_str(), a.product.gtin.Display().c_str(),
                a.product.category.c_str());
    std::printf("Purchased   %s, day %d%s\n", core::FormatDate(a.purchasedOn).c_str(), d.daysSinceStart,
                a.sale ? (" (order " + a.sale->orderNumber + ")").c_str()
                       : " (no sale on record: proof to verify)");
    if (d.periodStart != a.purchasedOn) std::printf("Restarted   %s (exchange)\n", core::FormatDate(d.periodStart).c_str());
    if (a.serialMismatch) std::printf("Serial      on record for another product\n");
    std::printf("Component   %s, %d months\n", d.component.c_str(), d.componentMonths);
    std::printf("Windows     return until %s, exchange until %s, warranty until %s",
                core::FormatDate(d.returnEnds).c_str(), core::FormatDate(d.exchangeEnds).c_str(),
                core::FormatDate(d.warrantyEnds).c_str());
    if (d.extensionDays > 0) std::printf(" (extended %d days)", d.extensionDays);
    std::printf("\nDecision    %s: %s\n", d.covered ? "covered" : "not covered", remedies.c_str());
    std::printf("Clause      [%s] %s\n", d.clause.id.c_str(), d.clause.text.In(language).c_str());
}

Outcome RunWarrantyCheck(app::AppContext& ctx, const GlobalOptions& global, const ClaimOptions& options,
                         core::Timestamp now) {
    if (options.gtin.empty() && options.serial.empty() && options.order.empty()) {
        return core::Fail(core::ErrorCode::InvalidInput, "give --gtin, --serial or --order");
    }
    auto facts = BuildFacts(options, core::LocalDate(now, ctx.calendar.utcOffset));
    if (!facts) return std::unexpected(facts.error());
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto assessment = core::AssessClaim(*ctx.store, ctx.policy, *facts);
    if (!assessment) return std::unexpected(assessment.error());
    if (global.json) {
        std::cout << app::ToJson(*assessment).dump() << "\n";
    } else {
        PrintAssessment(*assessment, LanguageOf(ctx, options.language));
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// [SECTION] tickets

struct CreateOptions {
    ClaimOptions claim;
    std::string type;
    std::string remedy;
    std::string phone;
    std::string problem;
    std::string description;
    std::string staff;
};

// The actor for a staff number: the staff member must exist and be active.
core::Result<core::Actor> StaffActor(app::AppContext& ctx, const std::string& staffNo) {
    auto staff = ctx.store->FindStaff(staffNo);
    if (!staff) return std::unexpected(staff.error());
    if (!*staff) return core::Fail(core::ErrorCode::NotFound, "no staff member " + staffNo + " (import staff first)");
    if (!(*staff)->active) return core::Fail(core::ErrorCode::Forbidden, "staff member " + staffNo + " is not active");
    return core::Actor{(*staff)->role, (*staff)->staffNo};
}

// Picks the remedy and ticket type: an explicit remedy must be one the decision allows.
core::Result<std::pair<core::TicketType, core::Remedy>> ChooseRemedy(const CreateOptions& o,
                                                                     const core::WarrantyDecision& d,
                                                                     core::Language language) {
    std::optional<core::Remedy> remedy;
    if (!o.remedy.empty()) {
        remedy = core::ParseRemedy(o.remedy);
        if (!remedy) {
            return core::Fail(core::ErrorCode::InvalidInput,
                              "--remedy '" + o.remedy + "' is not refund, exchange, repair, paid_repair or decline");
        }
    } else if (o.type == "return") {
        remedy = core::Remedy::Refund;
    } else if (o.type == "exchange") {
        remedy = core::Remedy::Exchange;
    } else {
        remedy = d.covered ? core::Remedy::Repair : core::Remedy::PaidRepair;
    }
    if (std::find(d.remedies.begin(), d.remedies.end(), *remedy) == d.remedies.end()) {
        std::string allowed;
        for (core::Remedy r : d.remedies) allowed += (allowed.empty() ? "" : ", ") + std::string(core::ToString(r));
        return core::Fail(core::ErrorCode::Conflict, "the policy does not allow " + std::string(core::ToString(*remedy)) +
                                                         " here (allowed: " + allowed + "): [" + d.clause.id + "] " +
                                                         d.clause.text.In(language));
    }
    auto type = core::TicketTypeFor(*remedy);
    if (!type) return core::Fail(core::ErrorCode::InvalidInput, "a declined remedy files no ticket");
    if (!o.type.empty() && o.type != core::ToString(*type)) {
        return core::Fail(core::ErrorCode::InvalidInput, "--type " + o.type + " does not match remedy " +
                                                             std::string(core::ToString(*remedy)));
    }
    return std::pair{*type, *remedy};
}

// "3d 4h", "2h 5m", "45m": an SLA amount as staff read it.
std::string FormatDuration(std::chrono::seconds amount) {
    const long minutes = static_cast<long>(amount.count() / 60);
    const long days = minutes / (24 * 60);
    const long hours = minutes / 60 % 24;
    const long rest = minutes % 60;
    std::string text;
    if (days > 0) text += std::to_string(days) + "d";
    if (hours > 0) text += (text.empty() ? "" : " ") + std::to_string(hours) + "h";
    if (rest > 0 && days == 0) text += (text.empty() ? "" : " ") + std::to_string(rest) + "m";
    return text.empty() ? "0m" : text;
}

void PrintTicketLine(const core::Ticket& t, std::chrono::minutes utcOffset) {
    std::printf("%-22s %-9s %-18s %-16s %s\n", t.number.c_str(), std::string(core::ToString(t.filed.type)).c_str(),
                t.status.c_str(), core::MaskPhone(t.filed.customerPhone).c_str(),
                core::FormatLocalTime(t.createdAt, utcOffset).c_str());
}

Outcome RunTicketCreate(app::AppContext& ctx, const GlobalOptions& global, const CreateOptions& o, core::Timestamp now) {
    const core::Language language = LanguageOf(ctx, o.claim.language);
    if (!o.type.empty() && !core::ParseTicketType(o.type)) {
        return core::Fail(core::ErrorCode::InvalidInput,
                          "--type '" + o.type + "' is not return, exchange, repair, complaint or inquiry");
    }
    if (auto opened = ctx.OpenStore(false); !opened) return opened;

    core::NewTicket request;
    request.language = language;
    request.problemCategory = o.problem;
    request.description = o.description;
    if (!o.phone.empty()) {
        auto phone = core::NormalizePhone(o.phone);
        if (!phone) return std::unexpected(phone.error());
        request.customerPhone = *phone;
        auto history = ctx.store->HistoryOf(*phone);
        if (!history) return std::unexpected(history.error());
        request.customerTier = core::DeriveTier(*history, ctx.config.tiers);
    }

    const bool aboutProduct = !o.claim.gtin.empty() || !o.claim.serial.empty() || !o.claim.order.empty();
    const bool feedback = o.type == "complaint" || o.type == "inquiry";
    if (feedback) {
        request.type = *core::ParseTicketType(o.type);
        if (!o.claim.gtin.empty()) {
            auto gtin = core::Gtin::Parse(o.claim.gtin);
            if (!gtin) return std::unexpected(gtin.error());
            request.gtin = gtin->Digits14();
        }
        request.serial = o.claim.serial;
        request.orderNumber = o.claim.order;
        if (o.description.empty()) {
            return core::Fail(core::ErrorCode::InvalidInput, "a " + o.type + " needs --description");
        }
    } else {
        if (!aboutProduct) return core::Fail(core::ErrorCode::InvalidInput, "give --gtin, --serial or --order");
        auto facts = BuildFacts(o.claim, core::LocalDate(now, ctx.calendar.utcOffset));
        if (!facts) return std::unexpected(facts.error());
        auto assessment = core::AssessClaim(*ctx.store, ctx.policy, *facts);
        if (!assessment) return std::unexpected(assessment.error());
        if (assessment->product.serialRequired && o.claim.serial.empty()) {
            return core::Fail(core::ErrorCode::InvalidInput,
                              "product " + assessment->product.gtin.Display() + " needs its serial number (--serial)");
        }
        auto chosen = ChooseRemedy(o, assessment->decision, language);
        if (!chosen) return std::unexpected(chosen.error());
        request.type = chosen->first;
        request.remedy = chosen->second;
        request.clauseId = assessment->decision.clause.id;
        request.gtin = assessment->product.gtin.Digits14();
        request.serial = o.claim.serial;
        request.orderNumber = assessment->sale ? assessment->sale->orderNumber : "";
        request.purchasedOn = assessment->purchasedOn;
        request.proofToVerify = assessment->proofToVerify;
        request.component = assessment->decision.component;
        request.fault = o.claim.fault;
    }

    core::Actor actor{core::Role::Customer, "customer"};
    if (!o.staff.empty()) {
        auto staffActor = StaffActor(ctx, o.staff);
        if (!staffActor) return std::unexpected(staffActor.error());
        actor = *staffActor;
    }
    auto ticket = ctx.store->CreateTicket(request, actor, now);
    if (!ticket) return std::unexpected(ticket.error());
    if (global.json) {
        std::cout << app::ToJson(*ticket, false).dump() << "\n";
    } else {
        std::cout << "Ticket " << ticket->number << " (" << core::ToString(ticket->filed.type) << ", "
                  << ticket->status << ")\n";
    }
    return {};
}

struct ListOptions {
    std::string type;
    std::string status;
    std::string phone;
    bool open = false;
    int limit = 50;
};

Outcome RunTicketList(app::AppContext& ctx, const GlobalOptions& global, const ListOptions& o) {
    core::TicketFilter filter;
    if (!o.type.empty()) {
        filter.type = core::ParseTicketType(o.type);
        if (!filter.type) return core::Fail(core::ErrorCode::InvalidInput, "--type '" + o.type + "' is not a ticket type");
    }
    if (!o.status.empty()) {
        if (ctx.lifecycle->FindStatus(o.status) == nullptr) {
            return core::Fail(core::ErrorCode::InvalidInput, "--status '" + o.status + "' is not a status");
        }
        filter.status = o.status;
    }
    if (!o.phone.empty()) {
        auto phone = core::NormalizePhone(o.phone);
        if (!phone) return std::unexpected(phone.error());
        filter.phone = *phone;
    }
    filter.openOnly = o.open;
    filter.limit = o.limit;
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto tickets = ctx.store->ListTickets(filter);
    if (!tickets) return std::unexpected(tickets.error());
    if (global.json) {
        Json out = Json::array();
        for (const auto& t : *tickets) out.push_back(app::ToJson(t, false));
        std::cout << out.dump() << "\n";
        return {};
    }
    for (const auto& t : *tickets) PrintTicketLine(t, ctx.calendar.utcOffset);
    if (tickets->empty()) std::cout << "No tickets.\n";
    return {};
}

Outcome RunTicketShow(app::AppContext& ctx, const GlobalOptions& global, const std::string& number, core::Timestamp now) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto ticket = ctx.store->FindTicket(number);
    if (!ticket) return std::unexpected(ticket.error());
    if (!*ticket) return core::Fail(core::ErrorCode::NotFound, "no ticket " + number);
    auto events = ctx.store->EventsOf(number);
    if (!events) return std::unexpected(events.error());
    const core::Ticket& t = **ticket;
    auto sla = core::EvaluateSla(ctx.sla, ctx.calendar, *ctx.lifecycle, t.filed.type, t.filed.customerTier, *events, now);
    if (global.json) {
        Json out = app::ToJson(t, false);
        Json timeline = Json::array();
        for (const auto& e : *events) timeline.push_back(app::ToJson(e));
        out["events"] = timeline;
        out["sla"] = sla ? app::ToJson(*sla) : Json(nullptr);
        std::cout << out.dump() << "\n";
        return {};
    }
    const core::Language language = ctx.config.defaultLanguage;
    const auto local = [&](core::Timestamp at) { return core::FormatLocalTime(at, ctx.calendar.utcOffset); };
    const core::StatusInfo* status = ctx.lifecycle->FindStatus(t.status);
    std::printf("Ticket      %s\n", t.number.c_str());
    std::printf("Type        %s, %s (%s)\n", std::string(core::ToString(t.filed.type)).c_str(), t.status.c_str(),
                status ? status->label.In(language).c_str() : "?");
    std::printf("Filed       %s\n", local(t.createdAt).c_str());
    if (!t.filed.gtin.empty()) {
        auto gtin = core::Gtin::Parse(t.filed.gtin);
        std::printf("Product     %s%s%s\n", gtin ? gtin->Display().c_str() : t.filed.gtin.c_str(),
                    t.filed.serial.empty() ? "" : ", serial ", t.filed.serial.c_str());
    }
    if (t.filed.purchasedOn) {
        std::printf("Purchased   %s%s\n", core::FormatDate(*t.filed.purchasedOn).c_str(),
                    t.filed.proofToVerify ? " (proof to verify)" : "");
    }
    if (t.filed.remedy) {
        std::printf("Remedy      %s [%s]\n", std::string(core::ToString(*t.filed.remedy)).c_str(), t.filed.clauseId.c_str());
    }
    std::printf("Customer    %s (%s)\n", core::MaskPhone(t.filed.customerPhone).c_str(),
                std::string(core::ToString(t.filed.customerTier)).c_str());
    if (!t.filed.description.empty()) std::printf("Description %s\n", t.filed.description.c_str());
    if (sla) {
        for (auto [name, clock] : {std::pair{"First resp.", &sla->firstResponse}, std::pair{"Resolution", &sla->resolution}}) {
            std::printf("%-11s %s, %s of %s used%s%s\n", name, std::string(core::ToString(clock->state)).c_str(),
                        FormatDuration(clock->consumed).c_str(), FormatDuration(clock->target).c_str(),
                        clock->due ? (", due " + local(*clock->due)).c_str() : "",
                        clock->metAt ? (", met " + local(*clock->metAt)).c_str() : "");
        }
    } else {
        std::printf("SLA         %s\n", sla.error().message.c_str());
    }
    std::printf("Events\n");
    for (const auto& e : *events) {
        std::printf("  %s  %-14s %-10s %-8s %s%s%s\n", local(e.at).c_str(),
                    std::string(core::ToString(e.kind)).c_str(), std::string(core::ToString(e.actor.role)).c_str(),
                    e.actor.id.c_str(), e.fromStatus.empty() ? "" : (e.fromStatus + " -> ").c_str(), e.toStatus.c_str(),
                    e.note.empty() ? "" : ("  \"" + e.note + "\"").c_str());
    }
    return {};
}

struct TransitionOptions {
    std::string number;
    std::string status;
    std::string staff;
    std::string note;
};

Outcome RunTicketTransition(app::AppContext& ctx, const GlobalOptions& global, const TransitionOptions& o,
                            core::Timestamp now) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto actor = StaffActor(ctx, o.staff);
    if (!actor) return std::unexpected(actor.error());
    auto ticket = ctx.store->TransitionTicket(o.number, o.status, *actor, o.note, now);
    if (!ticket) return std::unexpected(ticket.error());
    if (global.json) {
        std::cout << app::ToJson(*ticket, false).dump() << "\n";
    } else {
        std::cout << "Ticket " << ticket->number << " is now " << ticket->status << "\n";
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// [SECTION] command line

void AddClaimOptions(CLI::App* command, ClaimOptions& o) {
    command->add_option("--gtin", o.gtin, "Product GTIN (EAN-13, UPC-A, EAN-8)");
    command->add_option("--serial", o.serial, "Serial number or IMEI; finds the sale on record");
    command->add_option("--order", o.order, "Order number from the sales receipt");
    command->add_option("--purchased", o.purchased, "Purchase date YYYY-MM-DD when no sale is on record");
    command->add_option("--today", o.today, "Decide as of this date (default: today, store time)");
    command->add_option("--fault", o.fault, "Fault kind from the policy (default: performance)");
    command->add_option("--component", o.component, "Component (default: the main unit)");
    command->add_option("--exclusion", o.exclusions, "An exclusion that applies (repeatable)");
    command->add_option("--repairs", o.repairs, "Finished repairs of this fault that did not fix it")->check(CLI::Range(0, 1000));
    command->add_option("--days-in-repair", o.daysInRepair, "Days already spent in repair")->check(CLI::Range(0, 10000));
    command->add_option("--open-repair-days", o.openRepairDays, "Days the current repair has lasted")->check(CLI::Range(0, 10000));
    command->add_flag("--awaiting-parts", o.awaitingParts, "The current repair waits for parts");
    command->add_option("--exchanged-on", o.exchangedOn, "The product was exchanged on this date");
    command->add_option("--lang", o.language, "Language of the output: zh-Hans, zh-Hant, en");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"kioskctl: maintenance and automation for the service kiosk's database"};
    cli.require_subcommand(1);
    cli.set_version_flag("--version", std::string("kioskctl ") + KIOSK_VERSION);
    GlobalOptions global;
    cli.add_option("--config", global.configFile, "Kiosk settings (TOML)");
    cli.add_option("--db", global.database, "Database file (overrides the settings)");
    cli.add_option("--assets", global.assetDir, "Asset directory (policy, SLA, calendar, lifecycle)");
    cli.add_option("--now", global.now, "Act as if it were this UTC time (YYYY-MM-DDTHH:MM:SSZ)");
    cli.add_flag("--json", global.json, "Machine-readable output");

    InitOptions initOptions;
    CLI::App* init = cli.add_subcommand("init", "Create the database and record the kiosk's identity");
    init->add_option("--store", initOptions.store, "Store code (default: from the settings)");
    init->add_option("--kiosk", initOptions.kiosk, "Kiosk code (default: from the settings)");

    ImportOptions importOptions;
    CLI::App* import = cli.add_subcommand("import", "Import a CSV file; a file with any bad line imports nothing");
    import->require_subcommand(1);
    for (const char* kind : {"catalog", "sales", "staff"}) {
        CLI::App* sub = import->add_subcommand(kind, std::string("Import ") + kind + " from CSV");
        sub->add_option("FILE", importOptions.file, "CSV file (header row: see the README)")->required();
        sub->add_flag("--dry-run", importOptions.dryRun, "Check the file only");
    }

    ClaimOptions claimOptions;
    CLI::App* warranty = cli.add_subcommand("warranty", "Warranty decisions");
    warranty->require_subcommand(1);
    CLI::App* check = warranty->add_subcommand("check", "Decide a claim and print the clause it rests on");
    AddClaimOptions(check, claimOptions);

    CLI::App* ticket = cli.add_subcommand("ticket", "Tickets");
    ticket->require_subcommand(1);
    CreateOptions createOptions;
    CLI::App* create = ticket->add_subcommand("create", "File a ticket (the policy decides which remedies are allowed)");
    AddClaimOptions(create, createOptions.claim);
    create->add_option("--type", createOptions.type, "return, exchange, repair, complaint or inquiry");
    create->add_option("--remedy", createOptions.remedy, "refund, exchange, repair or paid_repair");
    create->add_option("--phone", createOptions.phone, "Customer's mobile number");
    create->add_option("--problem", createOptions.problem, "Problem category");
    create->add_option("--description", createOptions.description, "What is wrong, in the customer's words");
    create->add_option("--staff", createOptions.staff, "File as this staff member (default: the customer)");
    ListOptions listOptions;
    CLI::App* list = ticket->add_subcommand("list", "List tickets, newest first");
    list->add_option("--type", listOptions.type, "Only this ticket type");
    list->add_option("--status", listOptions.status, "Only this status");
    list->add_option("--phone", listOptions.phone, "Only this customer");
    list->add_flag("--open", listOptions.open, "Only tickets not closed, rejected or cancelled");
    list->add_option("--limit", listOptions.limit, "At most this many (0: all)")->check(CLI::NonNegativeNumber);
    std::string showNumber;
    CLI::App* show = ticket->add_subcommand("show", "A ticket with its events and SLA clocks");
    show->add_option("NUMBER", showNumber, "Ticket number")->required();
    TransitionOptions transitionOptions;
    CLI::App* transition = ticket->add_subcommand("transition", "Move a ticket to another status");
    transition->add_option("NUMBER", transitionOptions.number, "Ticket number")->required();
    transition->add_option("STATUS", transitionOptions.status, "New status")->required();
    transition->add_option("--staff", transitionOptions.staff, "Staff number of who does it")->required();
    transition->add_option("--note", transitionOptions.note, "Note for the timeline");

    CLI::App* verify = cli.add_subcommand("verify", "Check the event hash chain and every ticket's projection");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = cli.exit(error);
        return code == 0 ? 0 : kExitUsage;
    }

    auto fail = [](const core::Error& error) {
        std::cerr << "kioskctl: " << Describe(error) << "\n";
        return kExitFailure;
    };

    app::LoadOptions loadOptions;
    if (!global.configFile.empty()) loadOptions.configFile = global.configFile;
    if (!global.database.empty()) loadOptions.database = global.database;
    loadOptions.assetDir = global.assetDir.empty() ? app::DefaultAssetDir() : std::filesystem::path(global.assetDir);
    core::Timestamp now = core::SystemClock{}.Now();
    if (!global.now.empty()) {
        auto parsed = core::ParseTimestamp(global.now);
        if (!parsed) return fail(core::Error{parsed.error().code, "--now: " + parsed.error().message});
        now = *parsed;
    }
    auto context = app::AppContext::Load(loadOptions);
    if (!context) return fail(context.error());

    Outcome outcome;
    if (init->parsed()) {
        outcome = RunInit(*context, global, initOptions, now);
    } else if (import->parsed()) {
        for (CLI::App* sub : import->get_subcommands()) {
            outcome = RunImport(*context, global, sub->get_name(), importOptions, now);
        }
    } else if (check->parsed()) {
        outcome = RunWarrantyCheck(*context, global, claimOptions, now);
    } else if (create->parsed()) {
        outcome = RunTicketCreate(*context, global, createOptions, now);
    } else if (list->parsed()) {
        outcome = RunTicketList(*context, global, listOptions);
    } else if (show->parsed()) {
        outcome = RunTicketShow(*context, global, showNumber, now);
    } else if (transition->parsed()) {
        outcome = RunTicketTransition(*context, global, transitionOptions, now);
    } else if (verify->parsed()) {
        outcome = RunVerify(*context, global);
    }
    if (!outcome) return fail(outcome.error());
    return 0;
}
