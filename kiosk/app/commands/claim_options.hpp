// The command-line facts of a warranty claim, shared by `warranty check` and `ticket create`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "kiosk/app/app_context.hpp"
#include "kiosk/core/claim.hpp"

namespace kiosk::app {

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

void AddClaimOptions(CLI::App* command, ClaimOptions& options);
// The claim's facts; `today` is used unless --today says otherwise. Fails with InvalidInput naming the option.
core::Result<core::ClaimFacts> BuildFacts(const ClaimOptions& options, core::Date today);
// --lang if given and known, else the configured default language.
core::Language LanguageOf(const AppContext& ctx, const std::string& tag);

}  // namespace kiosk::app
