// `receipt render|print` and `printer list|status|test`: receipts to pictures and to printers.
#include <iostream>
#include <memory>

#include "drivers/emulator/receipt_emulator.hpp"
#include "drivers/escpos/encoder.hpp"
#include "drivers/printer/print_worker.hpp"
#include "kiosk/app/commands/commands.hpp"
#include "kiosk/app/receipts.hpp"
#include "kiosk/storage/print_queue_owner.hpp"

namespace kiosk::app {
namespace {

namespace ep = drivers::escpos;
namespace pr = drivers::printer;

struct ReceiptOptions {
    std::string ticket;
    std::string out;
    std::string profile = "generic-80";
    std::string language;
    std::string printer;
    bool slip = false;
    bool reprint = false;
};

std::filesystem::path ProfileDir(const GlobalOptions& global) {
    return (global.assetDir.empty() ? DefaultAssetDir() : std::filesystem::path(global.assetDir)) / "printers";
}

core::Result<core::PrintRequest> RequestFrom(const AppContext& ctx, const ReceiptOptions& o) {
    core::PrintRequest request;
    request.ticketNumber = o.ticket;
    request.kind = o.slip ? core::ReceiptKind::IntakeSlip : core::ReceiptKind::CustomerReceipt;
    request.reprint = o.reprint;
    request.language = ctx.config.defaultLanguage;
    if (!o.language.empty()) {
        auto language = core::ParseLanguage(o.language);
        if (!language) return core::Fail(core::ErrorCode::InvalidInput, "unknown language \"" + o.language + "\" (zh-Hans, zh-Hant, en)");
        request.language = *language;
    }
    return request;
}

pr::TransportOptions TransportFor(const ep::PrinterProfile& profile) {
    pr::TransportOptions options;
    options.emulatorDots = profile.dots;
    if (profile.cjk != ep::CjkMode::None) options.emulatorCjk = profile.cjk;
    return options;
}

Outcome Render(AppContext& ctx, const GlobalOptions& global, const ReceiptOptions& o, core::Timestamp now) {
    auto profile = ep::LoadProfileByName(ProfileDir(global), o.profile);
    if (!profile) return std::unexpected(profile.error());
    auto request = RequestFrom(ctx, o);
    if (!request) return std::unexpected(request.error());
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto bytes = ComposeReceiptBytes(ctx, *request, *profile, now);
    if (!bytes) return std::unexpected(bytes.error());
    drivers::emulator::EmulatorOptions options;
    options.dots = profile->dots;
    if (profile->cjk != ep::CjkMode::None) options.cjk = profile->cjk;
    auto printout = drivers::emulator::Render(*bytes, options);
    if (!printout) return std::unexpected(printout.error());
    if (auto ok = drivers::emulator::WritePng(printout->paper, o.out); !ok) return ok;
    std::cout << o.out << ": " << printout->paper.width << "x" << printout->paper.height << " dots, " << bytes->size()
              << " bytes of ESC/POS for " << profile->id << "\n";
    return {};
}

Outcome Print(AppContext& ctx, const GlobalOptions& global, const ReceiptOptions& o, core::Timestamp now) {
    auto profile = ep::LoadProfileByName(ProfileDir(global), o.profile);
    if (!profile) return std::unexpected(profile.error());
    auto request = RequestFrom(ctx, o);
    if (!request) return std::unexpected(request.error());
    auto transport = pr::OpenTransport(o.printer, TransportFor(*profile));
    if (!transport) return std::unexpected(transport.error());
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto db = storage::Database::Open(ctx.config.database, storage::OpenOptions{.create = false});
    if (!db) return std::unexpected(db.error());
    // Only the queue's owner prints. While the kiosk runs, its print worker owns the queue: the job
    // is queued for it instead of opening a second connection to its printer.
    auto owner = storage::PrintQueueOwner::Acquire(ctx.config.database, std::chrono::seconds{2});
    core::SystemClock clock;
    QueueJobStore jobs(*db, clock);
    pr::WorkerOptions workerOptions;
    workerOptions.askStatus = profile->status;
    pr::PrintWorker worker(jobs, **transport,
                           [&](const core::PrintRequest& r) { return ComposeReceiptBytes(ctx, r, *profile, now); },
                           workerOptions);
    if (!owner) {
        if (owner.error().code != core::ErrorCode::Busy) return std::unexpected(owner.error());
        auto id = jobs.Add(*request);
        if (!id) return std::unexpected(id.error());
        return core::Fail(core::ErrorCode::Busy, "job " + std::to_string(*id) + " queued, not printed here: " + owner.error().message +
                                                     "; that process prints it");
    }
    // A job left printing belongs to an owner that died mid-job (a power cut): given up, never resent.
    if (auto interrupted = worker.RecoverInterrupted(); !interrupted) return std::unexpected(interrupted.error());
    auto id = worker.Enqueue(*request);
    if (!id) return std::unexpected(id.error());
    // Older jobs waiting for this printer go first, as the kiosk's worker would print them.
    while (true) {
        auto printed = worker.PrintNext();
        if (!printed) {
            return core::Fail(printed.error().code, "job " + std::to_string(*id) + " not printed, it stays queued: " +
                                                        printed.error().message);
        }
        auto job = jobs.Queue().Find(*id);
        if (!job) return std::unexpected(job.error());
        if (job->state == core::PrintJobState::Printed) break;
        if (!*printed) return core::Fail(core::ErrorCode::Conflict, "job " + std::to_string(*id) + " is " + std::string(storage::ToString(job->state)));
    }
    std::cout << "job " << *id << " printed: " << o.ticket << " on " << o.printer << "\n";
    return {};
}

Outcome PrinterList(const GlobalOptions& global) {
    std::cout << "profiles:\n";
    for (const std::string& name : ep::ListProfiles(ProfileDir(global))) {
        auto profile = ep::LoadProfileByName(ProfileDir(global), name);
        if (!profile) return std::unexpected(profile.error());
        std::cout << "  " << name << "  " << profile->name << " (" << profile->paperWidthMm << " mm, cjk "
                  << ep::ToString(profile->cjk) << ")\n";
    }
    std::cout << "usb printers:\n";
    auto usb = pr::ListUsbPrinters();
    if (!usb) {
        std::cout << "  (" << usb.error().message << ")\n";
        return {};
    }
    if (usb->empty()) std::cout << "  none\n";
    for (const auto& p : *usb) std::cout << "  " << p.uri << "  " << p.description << "\n";
    return {};
}

Outcome PrinterStatus(const std::string& uri) {
    auto transport = pr::OpenTransport(uri);
    if (!transport) return std::unexpected(transport.error());
    auto status = (*transport)->Status();
    if (!status) return std::unexpected(status.error());
    std::cout << uri << ": " << status->detail << "\n";
    if (!status->CanPrint()) return core::Fail(core::ErrorCode::Unavailable, uri + ": the printer cannot print now");
    return {};
}

Outcome PrinterTest(const GlobalOptions& global, const std::string& uri, const std::string& profileName) {
    auto profile = ep::LoadProfileByName(ProfileDir(global), profileName);
    if (!profile) return std::unexpected(profile.error());
    auto transport = pr::OpenTransport(uri, TransportFor(*profile));
    if (!transport) return std::unexpected(transport.error());
    ep::Document d;
    d.Text("Printer test / 打印测试", ep::TextStyle{.bold = true, .doubleHeight = true}, ep::Align::Center);
    d.Text(profile->name, {}, ep::Align::Center);
    d.Rule();
    d.Row({{"Paper", 0, ep::Align::Left}, {std::to_string(profile->paperWidthMm) + " mm", 0, ep::Align::Right}});
    d.Row({{"中文 CJK", 0, ep::Align::Left}, {std::string(ep::ToString(profile->cjk)), 0, ep::Align::Right}});
    d.Text("Bold", ep::TextStyle{.bold = true}).Text("Underline", ep::TextStyle{.underline = true});
    d.Text("Inverse", ep::TextStyle{.inverse = true}).Text("Font B", ep::TextStyle{.font = ep::Font::B});
    d.Add(ep::Code128{"TEST-128", 50, 2, true}).Add(ep::QrCode{"kiosk printer test", 5}).Add(ep::Cut{true});
    auto bytes = ep::Encode(d, *profile);
    if (!bytes) return std::unexpected(bytes.error());
    if (auto ok = (*transport)->Connect(); !ok) return ok;
    if (auto ok = (*transport)->Send(*bytes, "printer-test"); !ok) return ok;
    std::cout << uri << ": test page sent (" << bytes->size() << " bytes)\n";
    return {};
}

}  // namespace

void AddReceiptCommands(CLI::App& cli, CommandEnv& env) {
    CLI::App* receipt = cli.add_subcommand("receipt", "Receipts: draw one as a picture or print it");
    receipt->require_subcommand(1);
    auto o = std::make_shared<ReceiptOptions>();

    CLI::App* render = receipt->add_subcommand("render", "Draw a ticket's receipt to a PNG through the receipt emulator");
    render->add_option("ticket", o->ticket, "Ticket number")->required();
    render->add_option("--out", o->out, "PNG file to write")->required();
    render->add_option("--profile", o->profile, "Printer profile (assets/printers)");
    render->add_option("--lang", o->language, "zh-Hans, zh-Hant or en (default: the kiosk's)");
    render->add_flag("--slip", o->slip, "The staff intake slip instead of the customer receipt");
    OnRun(render, env, [&env, o](AppContext& ctx, core::Timestamp now) { return Render(ctx, env.global, *o, now); });

    CLI::App* print = receipt->add_subcommand("print", "Queue a ticket's receipt and print it");
    print->add_option("ticket", o->ticket, "Ticket number")->required();
    print->add_option("--printer", o->printer, "usb://auto, usb://VID:PID[/SERIAL], tcp://HOST:PORT, lp:///dev/usb/lp0, file:///PATH, emulator:///DIR")->required();
    print->add_option("--profile", o->profile, "Printer profile (assets/printers)");
    print->add_option("--lang", o->language, "zh-Hans, zh-Hant or en (default: the kiosk's)");
    print->add_flag("--slip", o->slip, "The staff intake slip instead of the customer receipt");
    print->add_flag("--reprint", o->reprint, "Another copy on purpose (marked as a reprint)");
    OnRun(print, env, [&env, o](AppContext& ctx, core::Timestamp now) { return Print(ctx, env.global, *o, now); });

    CLI::App* printer = cli.add_subcommand("printer", "Receipt printers");
    printer->require_subcommand(1);
    auto uri = std::make_shared<std::string>();
    auto profile = std::make_shared<std::string>("generic-80");
    CLI::App* list = printer->add_subcommand("list", "Printer profiles and the USB printers connected");
    list->callback([&env] { env.Finish(PrinterList(env.global)); });
    CLI::App* status = printer->add_subcommand("status", "Ask a printer for its real-time status");
    status->add_option("uri", *uri, "Printer URI")->required();
    status->callback([&env, uri] { env.Finish(PrinterStatus(*uri)); });
    CLI::App* test = printer->add_subcommand("test", "Print a test page");
    test->add_option("uri", *uri, "Printer URI")->required();
    test->add_option("--profile", *profile, "Printer profile (assets/printers)");
    test->callback([&env, uri, profile] { env.Finish(PrinterTest(env.global, *uri, *profile)); });
}

}  // namespace kiosk::app
