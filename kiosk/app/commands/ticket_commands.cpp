// `ticket create|list|show|transition|attach`: filing tickets under the policy and working them.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "kiosk/app/commands/claim_options.hpp"
#include "kiosk/app/commands/commands.hpp"
#include "kiosk/app/intake_files.hpp"
#include "kiosk/app/json_views.hpp"
#include "kiosk/storage/admin_store.hpp"

namespace kiosk::app {
namespace {

using Json = nlohmann::ordered_json;

struct CreateOptions {
    ClaimOptions claim;
    std::string type;
    std::string remedy;
    std::string phone;
    bool notify = false;
    std::string problem;
    std::string description;
    std::string staff;
};

// The actor for a staff number: the staff member must exist and be active.
core::Result<core::Actor> StaffActor(AppContext& ctx, const std::string& staffNo) {
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

Outcome RunTicketCreate(AppContext& ctx, const GlobalOptions& global, const CreateOptions& o, core::Timestamp now) {
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
    if (o.notify) {
        if (request.customerPhone.empty()) return core::Fail(core::ErrorCode::InvalidInput, "--notify needs --phone (where the messages go)");
        request.notify = true;
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
        request.policyVersion = ctx.policy.version;
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
        std::cout << ToJson(*ticket, false).dump() << "\n";
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

Outcome RunTicketList(AppContext& ctx, const GlobalOptions& global, const ListOptions& o) {
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
        for (const auto& t : *tickets) out.push_back(ToJson(t, false));
        std::cout << out.dump() << "\n";
        return {};
    }
    for (const auto& t : *tickets) PrintTicketLine(t, ctx.calendar.utcOffset);
    if (tickets->empty()) std::cout << "No tickets.\n";
    return {};
}

Outcome RunTicketShow(AppContext& ctx, const GlobalOptions& global, const std::string& number, core::Timestamp now) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto ticket = ctx.store->FindTicket(number);
    if (!ticket) return std::unexpected(ticket.error());
    if (!*ticket) return core::Fail(core::ErrorCode::NotFound, "no ticket " + number);
    auto events = ctx.store->EventsOf(number);
    if (!events) return std::unexpected(events.error());
    const core::Ticket& t = **ticket;
    auto sla = core::EvaluateSla(ctx.sla, ctx.calendar, *ctx.lifecycle, t.filed.type, t.filed.customerTier, *events, now);
    if (global.json) {
        Json out = ToJson(t, false);
        Json timeline = Json::array();
        for (const auto& e : *events) timeline.push_back(ToJson(e));
        out["events"] = timeline;
        out["sla"] = sla ? ToJson(*sla) : Json(nullptr);
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
        if (!t.filed.policyVersion.empty()) std::printf("Policy      %s\n", t.filed.policyVersion.c_str());
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

Outcome RunTicketTransition(AppContext& ctx, const GlobalOptions& global, const TransitionOptions& o,
                            core::Timestamp now) {
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto actor = StaffActor(ctx, o.staff);
    if (!actor) return std::unexpected(actor.error());
    auto ticket = ctx.store->TransitionTicket(o.number, o.status, *actor, o.note, now);
    if (!ticket) return std::unexpected(ticket.error());
    if (global.json) {
        std::cout << ToJson(*ticket, false).dump() << "\n";
    } else {
        std::cout << "Ticket " << ticket->number << " is now " << ticket->status << "\n";
    }
    return {};
}

struct AttachOptions {
    std::string number;
    std::vector<std::string> photos;
    std::string signatureStrokes;
    std::string note;
    std::string staff;
};

// A file's bytes, refused before reading when it is larger than an attachment may be.
core::Result<std::string> ReadAttachmentFile(const std::string& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return core::Fail(core::ErrorCode::NotFound, file + ": cannot read: " + ec.message());
    if (size > static_cast<std::uintmax_t>(core::kMaxAttachmentBytes)) {
        return core::Fail(core::ErrorCode::InvalidInput, file + ": " + std::to_string(size) + " bytes is too big (at most " +
                                                             std::to_string(core::kMaxAttachmentBytes) + ")");
    }
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return core::Fail(core::ErrorCode::NotFound, file + ": cannot read");
    return bytes;
}

// Everything is read and checked before the first file is stored; a failed attach takes the files
// it stored out again, so bad input leaves the database and the blob store as they were.
Outcome RunTicketAttach(AppContext& ctx, const GlobalOptions& global, const AttachOptions& o, core::Timestamp now) {
    if (o.photos.empty() && o.signatureStrokes.empty()) {
        return core::Fail(core::ErrorCode::InvalidInput, "give --photo FILE.jpg (up to " + std::to_string(kMaxIntakePhotos) +
                                                             ") or --signature-strokes FILE.json");
    }
    if (o.photos.size() > kMaxIntakePhotos) {
        return core::Fail(core::ErrorCode::InvalidInput, std::to_string(o.photos.size()) + " photos given; at most " +
                                                             std::to_string(kMaxIntakePhotos) + " are taken at intake");
    }
    auto admin = OpenAdminStore(ctx, global);
    if (!admin) return std::unexpected(admin.error());
    auto actor = StaffActor(ctx, o.staff);
    if (!actor) return std::unexpected(actor.error());
    auto ticket = ctx.store->FindTicket(o.number);
    if (!ticket) return std::unexpected(ticket.error());
    if (!*ticket) return core::Fail(core::ErrorCode::NotFound, "no ticket " + o.number + "; nothing was attached");

    std::vector<std::string> photos;
    for (const std::string& file : o.photos) {
        auto bytes = ReadAttachmentFile(file);
        if (!bytes) return std::unexpected(bytes.error());
        if (auto decoded = drivers::DecodeJpeg(*bytes); !decoded) {
            return core::Fail(core::ErrorCode::InvalidInput, file + ": " + decoded.error().message + "; nothing was attached");
        }
        photos.push_back(std::move(*bytes));
    }
    std::vector<drivers::escpos::SignatureStroke> strokes;
    if (!o.signatureStrokes.empty()) {
        auto text = ReadAttachmentFile(o.signatureStrokes);
        if (!text) return std::unexpected(text.error());
        auto parsed = drivers::escpos::SignatureStrokesFromJson(*text);
        if (!parsed) {
            return core::Fail(core::ErrorCode::InvalidInput,
                              o.signatureStrokes + ": " + parsed.error().message + "; nothing was attached");
        }
        strokes = std::move(*parsed);
    }

    IntakeFiles files(storage::BlobStore(storage::BlobStore::DirectoryFor(ctx.config.database)));
    std::vector<core::Attachment> attachments;
    auto stored = [&]() -> core::Result<void> {
        for (const std::string& photo : photos) {
            auto attachment = files.PutPhoto(photo);
            if (!attachment) return std::unexpected(attachment.error());
            attachments.push_back(*attachment);
        }
        if (!strokes.empty()) {
            auto signature = files.PutSignature(strokes);
            if (!signature) return std::unexpected(signature.error());
            attachments.insert(attachments.end(), signature->begin(), signature->end());
        }
        auto detail = admin->Attach(*actor, o.number, attachments, o.note, now);
        if (!detail) return std::unexpected(detail.error());
        return {};
    }();
    if (!stored) {
        files.DiscardAll();
        return core::Fail(stored.error().code, stored.error().message + "; nothing was attached");
    }
    if (global.json) {
        Json out{{"ticket", o.number}, {"photos", photos.size()}, {"signature", !strokes.empty()}};
        Json list = Json::array();
        for (const core::Attachment& a : attachments) {
            list.push_back(Json{{"sha256", a.sha256}, {"kind", a.kind}, {"media_type", a.mediaType}, {"bytes", a.bytes},
                                {"path", files.Blobs().PathOf(a.sha256).string()}});
        }
        out["attachments"] = list;
        std::cout << out.dump() << "\n";
    } else {
        std::cout << "Ticket " << o.number << ": attached " << photos.size() << (photos.size() == 1 ? " photo" : " photos")
                  << (strokes.empty() ? "" : " and the customer's signature") << "\n";
    }
    return {};
}

}  // namespace

void AddTicketCommands(CLI::App& cli, CommandEnv& env) {
    CLI::App* ticket = cli.add_subcommand("ticket", "Tickets");
    ticket->require_subcommand(1);

    auto create = std::make_shared<CreateOptions>();
    CLI::App* createCommand =
        ticket->add_subcommand("create", "File a ticket (the policy decides which remedies are allowed)");
    AddClaimOptions(createCommand, create->claim);
    createCommand->add_option("--type", create->type, "return, exchange, repair, complaint or inquiry");
    createCommand->add_option("--remedy", create->remedy, "refund, exchange, repair or paid_repair");
    createCommand->add_option("--phone", create->phone, "Customer's mobile number");
    createCommand->add_flag("--notify", create->notify, "The customer agreed to messages about the ticket (needs --phone)");
    createCommand->add_option("--problem", create->problem, "Problem category");
    createCommand->add_option("--description", create->description, "What is wrong, in the customer's words");
    createCommand->add_option("--staff", create->staff, "File as this staff member (default: the customer)");
    OnRun(createCommand, env, [&env, create](AppContext& ctx, core::Timestamp now) {
        return RunTicketCreate(ctx, env.global, *create, now);
    });

    auto list = std::make_shared<ListOptions>();
    CLI::App* listCommand = ticket->add_subcommand("list", "List tickets, newest first");
    listCommand->add_option("--type", list->type, "Only this ticket type");
    listCommand->add_option("--status", list->status, "Only this status");
    listCommand->add_option("--phone", list->phone, "Only this customer");
    listCommand->add_flag("--open", list->open, "Only tickets not closed, rejected or cancelled");
    listCommand->add_option("--limit", list->limit, "At most this many (0: all)")->check(CLI::NonNegativeNumber);
    OnRun(listCommand, env, [&env, list](AppContext& ctx, core::Timestamp) { return RunTicketList(ctx, env.global, *list); });

    auto number = std::make_shared<std::string>();
    CLI::App* show = ticket->add_subcommand("show", "A ticket with its events and SLA clocks");
    show->add_option("NUMBER", *number, "Ticket number")->required();
    OnRun(show, env, [&env, number](AppContext& ctx, core::Timestamp now) {
        return RunTicketShow(ctx, env.global, *number, now);
    });

    auto transition = std::make_shared<TransitionOptions>();
    CLI::App* transitionCommand = ticket->add_subcommand("transition", "Move a ticket to another status");
    transitionCommand->add_option("NUMBER", transition->number, "Ticket number")->required();
    transitionCommand->add_option("STATUS", transition->status, "New status")->required();
    transitionCommand->add_option("--staff", transition->staff, "Staff number of who does it")->required();
    transitionCommand->add_option("--note", transition->note, "Note for the timeline");
    OnRun(transitionCommand, env, [&env, transition](AppContext& ctx, core::Timestamp now) {
        return RunTicketTransition(ctx, env.global, *transition, now);
    });

    auto attach = std::make_shared<AttachOptions>();
    CLI::App* attachCommand =
        ticket->add_subcommand("attach", "Keep intake photos and the customer's signature with a ticket");
    attachCommand->add_option("NUMBER", attach->number, "Ticket number")->required();
    attachCommand->add_option("--photo", attach->photos, "JPEG photo of the item (up to 6)");
    attachCommand->add_option("--signature-strokes", attach->signatureStrokes,
                              "The customer's signature as JSON strokes of [x, y, t] points (x, y from 0 to 1)");
    attachCommand->add_option("--note", attach->note, "The item's condition, for the timeline");
    attachCommand->add_option("--staff", attach->staff, "Staff number of who does it")->required();
    OnRun(attachCommand, env, [&env, attach](AppContext& ctx, core::Timestamp now) {
        return RunTicketAttach(ctx, env.global, *attach, now);
    });
}

}  // namespace kiosk::app
