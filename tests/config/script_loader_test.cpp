// The script library: the shipped file loads, every script renders on a real ticket in the three
// languages with every placeholder filled (or blank, never a raw {name}), and bad files are refused
// with FILE:LINE.
#include <catch2/catch.hpp>

#include <set>

#include "kiosk/config/published_data.hpp"
#include "kiosk/config/script_loader.hpp"

namespace {

using kiosk::core::Language;
using kiosk::core::ScriptScene;
namespace config = kiosk::config;
namespace core = kiosk::core;

const char* const kScriptsPath = KIOSK_TEST_ASSET_DIR "/scripts.toml";

// A repair ticket as the kiosk files one: S001-K1, demo phone, awaiting parts.
core::Ticket RealTicket() {
    core::Ticket ticket;
    ticket.number = "S001-K1-261122-0007";
    ticket.filed.type = core::TicketType::Repair;
    ticket.filed.gtin = "06910000000006";
    ticket.filed.customerPhone = "13800138000";
    ticket.filed.clauseId = "sanbao-15d";
    ticket.status = "awaiting_parts";
    return ticket;
}

std::string RenderAll(const core::ServiceScript& script, Language language, const core::ScriptFields& fields) {
    std::string out;
    for (const core::LocalizedText& step : script.steps) out += core::RenderScriptText(step.In(language), fields) + "\n";
    return out;
}

std::string Error(std::string_view text) {
    auto parsed = config::ParseScripts(text, "bad.toml");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == core::ErrorCode::InvalidInput);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("the shipped script library has every scene in three languages") {
    auto library = config::LoadScriptsFile(kScriptsPath);
    REQUIRE(library);
    std::set<ScriptScene> scenes;
    for (const core::ServiceScript& script : library->scripts) scenes.insert(script.scene);
    CHECK(scenes.size() == core::kScriptScenes.size());
    CHECK(library->For("complaint", "in_progress").front()->scene == ScriptScene::Complaint);
    const auto waiting = library->For("repair", "awaiting_parts");
    CHECK(std::any_of(waiting.begin(), waiting.end(), [](const core::ServiceScript* s) { return s->scene == ScriptScene::Delay; }));
    CHECK(library->For("repair", "awaiting_approval").front()->scene == ScriptScene::ApprovalPending);
    REQUIRE(library->Search("投诉").size() == 1);
    CHECK(library->Search("投诉").front()->id == "complaint");
    CHECK(library->Search("parts").front()->id == "parts-delay");
    CHECK(library->Search("nothing like this").empty());
    CHECK(library->Search("").size() == library->scripts.size());
}

TEST_CASE("every placeholder renders from a real ticket in zh-Hans, zh-Hant and en") {
    auto library = config::LoadScriptsFile(kScriptsPath);
    REQUIRE(library);
    const core::ScriptFields fields =
        core::ScriptFieldsFor(RealTicket(), "Phone X1", "2026-11-25 18:00", "sanbao-15d 15 天内换货", "王芳");
    CHECK(fields.size() == core::kScriptPlaceholders.size());
    std::set<std::string> used;
    for (const core::ServiceScript& script : library->scripts) {
        for (const core::LocalizedText& step : script.steps) {
            const auto names = core::ScriptPlaceholders(step.zhHans);
            REQUIRE(names);
            used.insert(names->begin(), names->end());
        }
    }
    CHECK(used.size() == core::kScriptPlaceholders.size());  // the shipped file uses every placeholder

    const core::ServiceScript& complaint = *library->Find("complaint");
    const std::string zhHans = RenderAll(complaint, Language::ZhHans, fields);
    CHECK(zhHans.find("我是王芳，会全程跟进服务单S001-K1-261122-0007，处理完后打138****8000告诉您结果。") != std::string::npos);
    CHECK(zhHans.find("2026-11-25 18:00前给您结果") != std::string::npos);
    const std::string zhHant = RenderAll(*library->Find("warranty-decision"), Language::ZhHant, fields);
    CHECK(zhHant == "根據條款sanbao-15d 15 天内换货，您的Phone X1在保固範圍內。\n"
                    "您可以選擇A：換貨，當天辦理；或者B：維修，預計2026-11-25 18:00前完成。您比較傾向哪一種？\n");
    const std::string en = RenderAll(*library->Find("parts-delay"), Language::En, fields);
    CHECK(en == "I am sorry to keep you waiting: your Phone X1 is waiting for a part.\n"
                "Once it arrives we will finish by 2026-11-25 18:00 and call you on 138****8000.\n");
    for (const core::ServiceScript& script : library->scripts) {
        for (Language language : {Language::ZhHans, Language::ZhHant, Language::En}) {
            const std::string text = RenderAll(script, language, fields);
            INFO(script.id << " " << core::LanguageTag(language) << ": " << text);
            CHECK(text.find('{') == std::string::npos);
            CHECK(text.find(core::kScriptBlank) == std::string::npos);
        }
    }
}

TEST_CASE("placeholders a ticket cannot fill are blanks, never raw names") {
    core::Ticket ticket = RealTicket();
    ticket.filed.customerPhone.clear();
    const core::ScriptFields fields = core::ScriptFieldsFor(ticket, "", "", "", "");
    CHECK(core::RenderScriptText("Call {customer_phone} about {product} by {due}.", fields) ==
          "Call ____ about ____ by ____.");
    CHECK(core::RenderScriptText("单号{ticket_number}", fields) == "单号S001-K1-261122-0007");
    CHECK(core::RenderScriptText("{unknown} and {", {}) == "____ and ");
}

TEST_CASE("a bad script file is refused with FILE:LINE") {
    const std::string head = "[[script]]\nid = \"x\"\nscene = \"greeting\"\ntitle = { zh-Hans = \"问候\", zh-Hant = \"問候\", en = \"Hi\" }\n";
    CHECK(Error(head + "[[script.steps]]\nzh-Hans = \"您好{customer}\"\nzh-Hant = \"您好\"\nen = \"Hello\"\n")
              .starts_with("bad.toml:5:1: unknown placeholder {customer} in the zh-Hans text"));
    CHECK(Error(head + "[[script.steps]]\nzh-Hans = \"您好\"\nen = \"Hello\"\n").starts_with("bad.toml:5:1: missing zh-Hant translation"));
    CHECK(Error(head + "[[script.steps]]\nzh-Hans = \"您好\"\nzh-Hant = \"您好\"\nen = \"Hello {staff\"\n")
              .starts_with("bad.toml:5:1: unmatched { or } in the en text"));
    CHECK(Error("[[script]]\nid = \"x\"\nscene = \"chat\"\n").starts_with("bad.toml:1:1: script 'x' has no known scene"));
    CHECK(Error(head).starts_with("bad.toml:1:1: script 'x' without steps"));
    CHECK(Error("[[script]]\nid = \"x\"\nscene = \"greeting\"\ntitle = { zh-Hans = \"问候\", en = \"Hi\" }\n")
              .starts_with("bad.toml:4:9: missing zh-Hant translation"));
    // Head office checks a file to publish with the same parser.
    auto checked = config::CheckPublishedDocument("scripts", head + "[[script.steps]]\nzh-Hans = \"{x}\"\nzh-Hant = \"a\"\nen = \"a\"\n", "s.toml");
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message.starts_with("s.toml:5:1: unknown placeholder {x}"));
}
