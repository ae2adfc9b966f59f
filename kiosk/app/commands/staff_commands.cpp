// `staff pin set|unlock`: staff PINs and lockouts, through the admin store so each change is audited.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "kiosk/app/commands/commands.hpp"
#include "kiosk/config/roles_loader.hpp"
#include "kiosk/storage/admin_store.hpp"

namespace kiosk::app {

core::Result<storage::AdminStore> OpenAdminStore(AppContext& ctx, const GlobalOptions& global) {
    if (auto ok = ctx.OpenStore(false); !ok) return std::unexpected(ok.error());
    const std::filesystem::path assets =
        global.assetDir.empty() ? DefaultAssetDir() : std::filesystem::path(global.assetDir);
    auto roles = config::LoadRolesFile(assets / "roles.toml");
    if (!roles) return std::unexpected(roles.error());
    storage::OpenOptions openOptions;
    openOptions.create = false;
    auto db = storage::Database::Open(ctx.config.database, openOptions);
    if (!db) return std::unexpected(db.error());
    storage::AdminStoreOptions options;
    options.utcOffset = ctx.calendar.utcOffset;
    options.policy = &ctx.policy;
    options.defaults.printerUri = ctx.config.printer;
    options.defaults.printerProfile = ctx.config.printerProfile;
    return storage::AdminStore::Open(std::move(*db), *ctx.store, *ctx.lifecycle, ctx.sla, ctx.calendar,
                                     std::move(*roles), options);
}

namespace {

// The actor for a staff number: the staff member must exist and be active.
core::Result<core::Actor> StaffActor(AppContext& ctx, const std::string& staffNo) {
    auto staff = ctx.store->FindStaff(staffNo);
    if (!staff) return std::unexpected(staff.error());
    if (!*staff) return core::Fail(core::ErrorCode::NotFound, "no staff member " + staffNo + " (import staff first)");
    if (!(*staff)->active) return core::Fail(core::ErrorCode::Forbidden, "staff member " + staffNo + " is not active");
    return core::Actor{(*staff)->role, (*staff)->staffNo};
}

struct StaffOptions {
    std::string staffNo;
    std::string by;  // who does it; empty: the staff member themself
};

Outcome Report(const GlobalOptions& global, std::string_view what, const std::string& staffNo, const core::Actor& by) {
    if (global.json) {
        nlohmann::ordered_json out = {{"staff", staffNo}, {"done", what}, {"by", by.id}};
        std::cout << out.dump() << "\n";
    } else {
        std::cout << staffNo << ": " << what << " (by " << by.id << ")\n";
    }
    return {};
}

Outcome RunPinSet(AppContext& ctx, const GlobalOptions& global, const StaffOptions& o, core::Timestamp now) {
    auto admin = OpenAdminStore(ctx, global);
    if (!admin) return std::unexpected(admin.error());
    auto actor = StaffActor(ctx, o.by.empty() ? o.staffNo : o.by);
    if (!actor) return std::unexpected(actor.error());
    // The PIN comes from stdin so it never shows in the process list or the shell history.
    std::string pin;
    if (!std::getline(std::cin, pin)) {
        return core::Fail(core::ErrorCode::InvalidInput, "no PIN on standard input (echo the PIN into the command)");
    }
    while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
    if (auto ok = admin->SetPin(*actor, o.staffNo, pin, now); !ok) return ok;
    return Report(global, "PIN set", o.staffNo, *actor);
}

Outcome RunUnlock(AppContext& ctx, const GlobalOptions& global, const StaffOptions& o, core::Timestamp now) {
    auto admin = OpenAdminStore(ctx, global);
    if (!admin) return std::unexpected(admin.error());
    auto actor = StaffActor(ctx, o.by);
    if (!actor) return std::unexpected(actor.error());
    if (auto ok = admin->Unlock(*actor, o.staffNo, now); !ok) return ok;
    return Report(global, "unlocked", o.staffNo, *actor);
}

}  // namespace

void AddStaffCommands(CLI::App& cli, CommandEnv& env) {
    CLI::App* staff = cli.add_subcommand("staff", "Staff PINs and lockouts");
    staff->require_subcommand(1);
    CLI::App* pin = staff->add_subcommand("pin", "Staff PINs");
    pin->require_subcommand(1);

    auto set = std::make_shared<StaffOptions>();
    CLI::App* setCommand = pin->add_subcommand("set", "Set a PIN (4-8 digits) read from standard input");
    setCommand->add_option("STAFFNO", set->staffNo, "Whose PIN")->required();
    setCommand->add_option("--staff", set->by, "Who sets it: a supervisor, or (default) the person themself");
    OnRun(setCommand, env, [&env, set](AppContext& ctx, core::Timestamp now) {
        return RunPinSet(ctx, env.global, *set, now);
    });

    auto unlock = std::make_shared<StaffOptions>();
    CLI::App* unlockCommand = staff->add_subcommand("unlock", "Clear a PIN lockout (a supervisor's action)");
    unlockCommand->add_option("STAFFNO", unlock->staffNo, "Whose lockout")->required();
    unlockCommand->add_option("--staff", unlock->by, "The supervisor who unlocks")->required();
    OnRun(unlockCommand, env, [&env, unlock](AppContext& ctx, core::Timestamp now) {
        return RunUnlock(ctx, env.global, *unlock, now);
    });
}

}  // namespace kiosk::app
