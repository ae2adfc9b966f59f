// `warranty check`: the decision for a claim, with the dates of every window and the clause.
#include <cstdio>
#include <iostream>

#include "kiosk/app/commands/claim_options.hpp"
#include "kiosk/app/commands/commands.hpp"
#include "kiosk/app/json_views.hpp"

namespace kiosk::app {
namespace {

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

Outcome RunWarrantyCheck(AppContext& ctx, const GlobalOptions& global, const ClaimOptions& options,
                         core::Timestamp now) {
    if (options.gtin.empty() && options.serial.empty() && options.order.empty()) {
        return core::Fail(core::ErrorCode::InvalidInput, "give --gtin, --serial or --order");
    }
    // The store first: the policy and calendar in force may be head office's published ones.
    if (auto opened = ctx.OpenStore(false); !opened) return opened;
    auto facts = BuildFacts(options, core::LocalDate(now, ctx.calendar.utcOffset));
    if (!facts) return std::unexpected(facts.error());
    auto assessment = core::AssessClaim(*ctx.store, ctx.policy, *facts);
    if (!assessment) return std::unexpected(assessment.error());
    if (global.json) {
        Json out = ToJson(*assessment);
        out["policy_version"] = ctx.policy.version;
        std::cout << out.dump() << "\n";
    } else {
        PrintAssessment(*assessment, LanguageOf(ctx, options.language));
        std::cout << "Policy      " << ctx.policy.id << ", " << ctx.policy.version << "\n";
    }
    return {};
}

}  // namespace

void AddWarrantyCommands(CLI::App& cli, CommandEnv& env) {
    CLI::App* warranty = cli.add_subcommand("warranty", "Warranty decisions");
    warranty->require_subcommand(1);
    CLI::App* check = warranty->add_subcommand("check", "Decide a claim and print the clause it rests on");
    auto options = std::make_shared<ClaimOptions>();
    AddClaimOptions(check, *options);
    OnRun(check, env, [&env, options](AppContext& ctx, core::Timestamp now) {
        return RunWarrantyCheck(ctx, env.global, *options, now);
    });
}

}  // namespace kiosk::app
