// `kiosk add|revoke|list`: the kiosk register, with each kiosk's link state and applied data versions.
#include <nlohmann/json.hpp>

#include <iostream>

#include "kiosk/core/date.hpp"
#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/enrol_qr.hpp"
#include "sync/headoffice/ingest_service.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

core::Result<void> AddKiosk(const std::string& db, const std::string& store, const std::string& kiosk, const std::string& qr) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto token = (*service)->AddKiosk(store, kiosk);
    if (!token) return std::unexpected(token.error());
    const std::string text = std::string(kEnrolPrefix) + *token;
    const std::string file = qr.empty() ? "enrol-" + store + "-" + kiosk + ".png" : qr;
    if (auto ok = WriteQrPng(text, file); !ok) return ok;
    if (auto ok = AuditCommand(**service, "kiosk_add", store + "-" + kiosk, ""); !ok) return ok;
    std::cout << text << "\n";
    std::cerr << "QR code written to " << file << "\n";
    return {};
}

core::Result<void> ListKiosks(const std::string& db, bool json) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto kiosks = (*service)->ListKiosks();
    if (!kiosks) return std::unexpected(kiosks.error());
    auto published = (*service)->CurrentVersions();
    if (!published) return std::unexpected(published.error());
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const KioskInfo& k : *kiosks) {
        if (json) {
            nlohmann::ordered_json datasets = nlohmann::ordered_json::object();
            for (const auto& [dataset, version] : *published) {
                datasets[dataset] = {{"applied", k.datasets.contains(dataset) ? k.datasets.at(dataset) : 0}, {"published", version}};
            }
            out.push_back({{"kiosk", k.code}, {"enrolled", k.enrolled}, {"revoked", k.revoked}, {"epoch", k.epoch},
                           {"last_seq", k.lastSeq}, {"last_seen_ms", k.lastSeenMs}, {"backlog", k.backlog},
                           {"records", k.records}, {"dead_letters", k.deadLetters}, {"datasets", datasets}});
            continue;
        }
        std::cout << k.code << (k.revoked ? "  revoked" : k.enrolled ? "  enrolled" : "  awaiting enrolment") << "  epoch "
                  << k.epoch << "  seq " << k.lastSeq << "  backlog " << k.backlog << "  records " << k.records
                  << "  dead letters " << k.deadLetters << "  last seen "
                  << (k.lastSeenMs == 0 ? std::string("never")
                                        : core::FormatTimestamp(std::chrono::sys_seconds{std::chrono::seconds{k.lastSeenMs / 1000}}));
        // applied/published per data set, e.g. "catalog 3/5": the kiosk is two versions behind.
        for (const auto& [dataset, version] : *published) {
            std::cout << "  " << dataset << " " << (k.datasets.contains(dataset) ? k.datasets.at(dataset) : 0) << "/" << version;
        }
        std::cout << "\n";
    }
    if (json) std::cout << out.dump() << "\n";
    return {};
}

struct KioskOptions {
    std::string store, kiosk, qr, revokeCode;
    bool json = false;
};

}  // namespace

void AddKioskCommands(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<KioskOptions>();
    auto* kioskCmd = cli.add_subcommand("kiosk", "enrol, revoke and list kiosks");
    kioskCmd->require_subcommand(1);
    auto* add = kioskCmd->add_subcommand("add", "register a kiosk and print its enrolment token (and QR code PNG)");
    add->add_option("STORE", options->store)->required();
    add->add_option("KIOSK", options->kiosk)->required();
    add->add_option("--qr", options->qr, "PNG file for the QR code (default enrol-STORE-KIOSK.png)");
    add->callback([&env, options] { env.outcome = AddKiosk(env.db, options->store, options->kiosk, options->qr); });
    auto* revoke = kioskCmd->add_subcommand("revoke", "refuse every later request of a kiosk");
    revoke->add_option("KIOSK", options->revokeCode, "STORE-KIOSK")->required();
    revoke->callback([&env, options] {
        auto service = IngestService::Open(env.db);
        env.outcome = service ? (*service)->RevokeKiosk(options->revokeCode) : core::Result<void>(std::unexpected(service.error()));
        if (env.outcome) env.outcome = AuditCommand(**service, "kiosk_revoke", options->revokeCode, "");
        if (env.outcome) std::cout << "kiosk " << options->revokeCode << " revoked\n";
    });
    auto* list = kioskCmd->add_subcommand(
        "list", "kiosks with last seen, reported backlog, sequence and applied/published version of each data set");
    list->add_flag("--json", options->json);
    list->callback([&env, options] { env.outcome = ListKiosks(env.db, options->json); });
}

}  // namespace kiosk::sync::headoffice::app
