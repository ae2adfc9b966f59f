// Claim options: parsing the command line into the facts the warranty engine decides on.
#include "kiosk/app/commands/claim_options.hpp"

namespace kiosk::app {

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

core::Language LanguageOf(const AppContext& ctx, const std::string& tag) {
    if (auto parsed = core::ParseLanguage(tag)) return *parsed;
    return ctx.config.defaultLanguage;
}

}  // namespace kiosk::app
