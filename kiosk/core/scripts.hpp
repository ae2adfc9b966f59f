// The script library (话术库): standard wording per service scene, in the kiosk's three languages, with
// placeholders personalised from the ticket. Data from assets/scripts.toml or head office.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/language.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core {

// The scenes the service guide writes wording for.
enum class ScriptScene { Greeting, WarrantyDecision, Refusal, Delay, ApprovalPending, ReadyForPickup, Complaint, FollowUp };
inline constexpr std::array kScriptScenes{ScriptScene::Greeting,        ScriptScene::WarrantyDecision, ScriptScene::Refusal,
                                          ScriptScene::Delay,           ScriptScene::ApprovalPending,  ScriptScene::ReadyForPickup,
                                          ScriptScene::Complaint,       ScriptScene::FollowUp};
// "greeting", "warranty_decision", "refusal", "delay", "approval_pending", "ready_for_pickup",
// "complaint", "follow_up".
std::string_view ToString(ScriptScene scene);
std::optional<ScriptScene> ParseScriptScene(std::string_view text);

// The placeholders a script may use, written {name} in its text.
inline constexpr std::array<std::string_view, 6> kScriptPlaceholders{"customer_phone", "product", "due", "clause", "staff",
                                                                     "ticket_number"};
bool IsScriptPlaceholder(std::string_view name);

// What a placeholder that a ticket cannot fill shows: a blank for staff to fill aloud.
inline constexpr std::string_view kScriptBlank = "____";

struct ServiceScript {
    std::string id;
    ScriptScene scene = ScriptScene::Greeting;
    std::vector<std::string> ticketTypes;  // "repair", "complaint", ...; empty: every type
    std::vector<std::string> states;       // ticket statuses it fits; empty: any status
    std::vector<std::string> keywords;     // searched besides the title and text
    LocalizedText title;
    std::vector<LocalizedText> steps;      // read in order (a complaint: acknowledge, empathise, options, close)
};

struct ScriptLibrary {
    std::vector<ServiceScript> scripts;

    // nullptr when no script has this id.
    const ServiceScript* Find(std::string_view id) const;
    // The scripts for a ticket of `ticketType` in `status`, in file order.
    std::vector<const ServiceScript*> For(std::string_view ticketType, std::string_view status) const;
    std::vector<const ServiceScript*> InScene(ScriptScene scene) const;
    // Scripts whose keywords, title or steps (in any language) contain `keyword`; all when it is empty.
    std::vector<const ServiceScript*> Search(std::string_view keyword) const;
};

// Placeholder values from a ticket; a name without a value, or with an empty one, renders as a blank.
using ScriptFields = std::map<std::string, std::string, std::less<>>;

// The fields a ticket fills: its number, the masked customer phone and, from the caller, the product's
// name, the due time, the clause and the staff member's name (each may be empty: a blank).
ScriptFields ScriptFieldsFor(const Ticket& ticket, std::string_view product, std::string_view due, std::string_view clause,
                             std::string_view staff);

// `text` with each {name} replaced by its value, or by `blank`; never shows a raw {name}.
std::string RenderScriptText(std::string_view text, const ScriptFields& fields, std::string_view blank = kScriptBlank);

// The names of the {placeholders} in `text`, in order; a "{" without its "}" gives std::nullopt.
std::optional<std::vector<std::string>> ScriptPlaceholders(std::string_view text);

}  // namespace kiosk::core
