// Scene names, finding scripts for a ticket or a keyword, and filling their placeholders.
#include "kiosk/core/scripts.hpp"

#include <algorithm>

namespace kiosk::core {

std::string_view ToString(ScriptScene scene) {
    switch (scene) {
        case ScriptScene::Greeting: return "greeting";
        case ScriptScene::WarrantyDecision: return "warranty_decision";
        case ScriptScene::Refusal: return "refusal";
        case ScriptScene::Delay: return "delay";
        case ScriptScene::ApprovalPending: return "approval_pending";
        case ScriptScene::ReadyForPickup: return "ready_for_pickup";
        case ScriptScene::Complaint: return "complaint";
        case ScriptScene::FollowUp: return "follow_up";
    }
    return "greeting";
}

std::optional<ScriptScene> ParseScriptScene(std::string_view text) {
    for (ScriptScene scene : kScriptScenes) {
        if (ToString(scene) == text) return scene;
    }
    return std::nullopt;
}

bool IsScriptPlaceholder(std::string_view name) {
    return std::find(kScriptPlaceholders.begin(), kScriptPlaceholders.end(), name) != kScriptPlaceholders.end();
}

const ServiceScript* ScriptLibrary::Find(std::string_view id) const {
    for (const ServiceScript& script : scripts) {
        if (script.id == id) return &script;
    }
    return nullptr;
}

namespace {

bool FitsOrEmpty(const std::vector<std::string>& allowed, std::string_view value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool Contains(const LocalizedText& text, std::string_view keyword) {
    return text.zhHans.find(keyword) != std::string::npos || text.zhHant.find(keyword) != std::string::npos ||
           text.en.find(keyword) != std::string::npos;
}

}  // namespace

std::vector<const ServiceScript*> ScriptLibrary::For(std::string_view ticketType, std::string_view status) const {
    std::vector<const ServiceScript*> out;
    for (const ServiceScript& script : scripts) {
        if (FitsOrEmpty(script.ticketTypes, ticketType) && FitsOrEmpty(script.states, status)) out.push_back(&script);
    }
    return out;
}

std::vector<const ServiceScript*> ScriptLibrary::InScene(ScriptScene scene) const {
    std::vector<const ServiceScript*> out;
    for (const ServiceScript& script : scripts) {
        if (script.scene == scene) out.push_back(&script);
    }
    return out;
}

std::vector<const ServiceScript*> ScriptLibrary::Search(std::string_view keyword) const {
    std::vector<const ServiceScript*> out;
    for (const ServiceScript& script : scripts) {
        const bool found = keyword.empty() || ToString(script.scene) == keyword || Contains(script.title, keyword) ||
                           std::any_of(script.keywords.begin(), script.keywords.end(),
                                       [&](const std::string& k) { return k.find(keyword) != std::string::npos; }) ||
                           std::any_of(script.steps.begin(), script.steps.end(),
                                       [&](const LocalizedText& step) { return Contains(step, keyword); });
        if (found) out.push_back(&script);
    }
    return out;
}

ScriptFields ScriptFieldsFor(const Ticket& ticket, std::string_view product, std::string_view due, std::string_view clause,
                             std::string_view staff) {
    return ScriptFields{{"ticket_number", ticket.number},
                        {"customer_phone", ticket.filed.customerPhone.empty() ? std::string() : MaskPhone(ticket.filed.customerPhone)},
                        {"product", std::string(product)},
                        {"due", std::string(due)},
                        {"clause", std::string(clause)},
                        {"staff", std::string(staff)}};
}

std::string RenderScriptText(std::string_view text, const ScriptFields& fields, std::string_view blank) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t open = text.find('{', at);
        if (open == std::string_view::npos) break;
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) break;
        out.append(text.substr(at, open - at));
        const auto found = fields.find(text.substr(open + 1, close - open - 1));
        out.append(found != fields.end() && !found->second.empty() ? std::string_view(found->second) : blank);
        at = close + 1;
    }
    // A stray "{" (refused at load) still never shows as a raw placeholder.
    for (char c : text.substr(std::min(at, text.size()))) {
        if (c != '{' && c != '}') out.push_back(c);
    }
    return out;
}

std::optional<std::vector<std::string>> ScriptPlaceholders(std::string_view text) {
    std::vector<std::string> names;
    std::size_t at = 0;
    while ((at = text.find_first_of("{}", at)) != std::string_view::npos) {
        if (text[at] == '}') return std::nullopt;
        const std::size_t close = text.find_first_of("{}", at + 1);
        if (close == std::string_view::npos || text[close] == '{') return std::nullopt;
        names.emplace_back(text.substr(at + 1, close - at - 1));
        at = close + 1;
    }
    return names;
}

}  // namespace kiosk::core
