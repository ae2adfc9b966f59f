// `token add|list|revoke`: read-only API tokens for integrations, and the audit entry every
// command-line action of a head-office user writes.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/core/date.hpp"
#include "sync/headoffice/api_tokens.hpp"
#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/audit_log.hpp"
#include "sync/headoffice/ingest_service.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

std::int64_t CommandNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct TokenOptions {
    std::string name;
    bool revealPhone = false;
    bool json = false;
};

core::Result<void> AddToken(const std::string& db, const TokenOptions& o) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto lease = (*service)->Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto secret = AddApiToken(**lease, o.name, o.revealPhone, CommandNowMs());
    if (!secret) return std::unexpected(secret.error());
    if (auto ok = AuditCommand(**service, "token_add", o.name, o.revealPhone ? "reveal-phone" : ""); !ok) return ok;
    std::cout << *secret << "\n";
    std::cerr << "token " << o.name << " added" << (o.revealPhone ? " (sees whole phone numbers)" : "")
              << "; it is shown only now: send it as 'Authorization: Bearer TOKEN'\n";
    return {};
}

core::Result<void> ListTokens(const std::string& db, bool json) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto lease = (*service)->Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto tokens = ListApiTokens(**lease);
    if (!tokens) return std::unexpected(tokens.error());
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    const auto when = [](std::int64_t ms) {
        return core::FormatTimestamp(std::chrono::sys_seconds{std::chrono::seconds{ms / 1000}});
    };
    for (const ApiToken& t : *tokens) {
        if (json) {
            out.push_back({{"name", t.name}, {"reveal_phone", t.revealPhone}, {"created_ms", t.createdAtMs},
                           {"revoked_ms", t.revokedAtMs == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(t.revokedAtMs)}});
        } else {
            std::cout << t.name << "  " << (t.revokedAtMs != 0 ? "revoked " + when(t.revokedAtMs) : std::string("in force"))
                      << "  created " << when(t.createdAtMs) << (t.revealPhone ? "  reveal-phone" : "") << "\n";
        }
    }
    if (json) std::cout << out.dump() << "\n";
    return {};
}

core::Result<void> RevokeToken(const std::string& db, const std::string& name) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto lease = (*service)->Pool().Acquire();
    if (!lease) return std::unexpected(lease.error());
    if (auto ok = RevokeApiToken(**lease, name, CommandNowMs()); !ok) return ok;
    if (auto ok = AuditCommand(**service, "token_revoke", name, ""); !ok) return ok;
    std::cout << "token " << name << " revoked\n";
    return {};
}

}  // namespace

core::Result<void> AuditCommand(IngestService& service, std::string_view action, std::string subject, std::string detail) {
    return WriteAudit(service.Pool(), {CommandNowMs(), CommandLineActor(), std::string(action), std::move(subject), std::move(detail)});
}

void AddTokenCommands(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<TokenOptions>();
    auto* token = cli.add_subcommand("token", "read-only API tokens for integrations (/api/v1/)");
    token->require_subcommand(1);
    auto* add = token->add_subcommand("add", "add a token and print it (shown only this once)");
    add->add_option("NAME", options->name, "the integration it is for")->required();
    add->add_flag("--reveal-phone", options->revealPhone, "answers carry customers' whole phone numbers (masked otherwise)");
    add->callback([&env, options] { env.outcome = AddToken(env.db, *options); });
    auto* list = token->add_subcommand("list", "tokens, in force or revoked (never their secrets)");
    list->add_flag("--json", options->json);
    list->callback([&env, options] { env.outcome = ListTokens(env.db, options->json); });
    auto* revoke = token->add_subcommand("revoke", "refuse a token from now on");
    revoke->add_option("NAME", options->name)->required();
    revoke->callback([&env, options] { env.outcome = RevokeToken(env.db, options->name); });
}

}  // namespace kiosk::sync::headoffice::app
