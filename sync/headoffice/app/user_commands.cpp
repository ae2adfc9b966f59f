// `user add|list|passwd`: the head-office users who sign in to the web dashboard. Passwords are read
// from standard input (one line), never from the command line where `ps` would show them.
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/headoffice/web_auth.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

struct UserOptions {
    std::string name;
    std::string role = "viewer";
    bool json = false;
};

std::string ReadPassword() {
    if (isatty(STDIN_FILENO) != 0) std::cerr << "password: " << std::flush;
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

core::Result<WebAuth> OpenAuth(const std::string& db, std::unique_ptr<IngestService>& holder) {
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    holder = std::move(*service);
    return WebAuth::Open(holder->Pool(), {});
}

core::Result<void> Add(const std::string& db, const UserOptions& o) {
    const auto role = ParseWebRole(o.role);
    if (!role) return core::Fail(core::ErrorCode::InvalidInput, "--role must be viewer or admin, got '" + o.role + "'");
    std::unique_ptr<IngestService> service;
    auto auth = OpenAuth(db, service);
    if (!auth) return std::unexpected(auth.error());
    if (auto ok = auth->AddUser(o.name, ReadPassword(), *role); !ok) return ok;
    if (auto ok = AuditCommand(*service, "user_add", o.name, o.role); !ok) return ok;
    std::cout << "user " << o.name << " added (" << o.role << ")\n";
    return {};
}

core::Result<void> List(const std::string& db, bool json) {
    std::unique_ptr<IngestService> service;
    auto auth = OpenAuth(db, service);
    if (!auth) return std::unexpected(auth.error());
    auto users = auth->ListUsers();
    if (!users) return std::unexpected(users.error());
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const WebUser& u : *users) {
        if (json) {
            out.push_back({{"name", u.name}, {"role", ToString(u.role)}, {"created_ms", u.createdAtMs}});
        } else {
            std::cout << u.name << "  " << ToString(u.role) << "\n";
        }
    }
    if (json) std::cout << out.dump() << "\n";
    return {};
}

core::Result<void> Passwd(const std::string& db, const std::string& name) {
    std::unique_ptr<IngestService> service;
    auto auth = OpenAuth(db, service);
    if (!auth) return std::unexpected(auth.error());
    if (auto ok = auth->SetPassword(name, ReadPassword()); !ok) return ok;
    if (auto ok = AuditCommand(*service, "user_passwd", name, ""); !ok) return ok;
    std::cout << "password of " << name << " changed; their sessions have ended\n";
    return {};
}

}  // namespace

void AddUserCommands(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<UserOptions>();
    auto* user = cli.add_subcommand("user", "head-office users of the web dashboard");
    user->require_subcommand(1);
    auto* add = user->add_subcommand("add", "add a user; the password (at least 10 characters) is read from standard input");
    add->add_option("NAME", options->name)->required();
    add->add_option("--role", options->role, "viewer (reads everything) or admin (also publishes)");
    add->callback([&env, options] { env.outcome = Add(env.db, *options); });
    auto* list = user->add_subcommand("list", "users and their roles");
    list->add_flag("--json", options->json);
    list->callback([&env, options] { env.outcome = List(env.db, options->json); });
    auto* passwd = user->add_subcommand("passwd", "set a new password read from standard input; ends the user's sessions");
    passwd->add_option("NAME", options->name)->required();
    passwd->callback([&env, options] { env.outcome = Passwd(env.db, options->name); });
}

}  // namespace kiosk::sync::headoffice::app
