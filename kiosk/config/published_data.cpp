// Published documents through the asset files' parsers.
#include "kiosk/config/published_data.hpp"

#include <string>

#include "kiosk/config/faq_loader.hpp"
#include "kiosk/config/notification_loader.hpp"
#include "kiosk/config/policy_loader.hpp"
#include "kiosk/config/script_loader.hpp"
#include "kiosk/config/sla_loader.hpp"

namespace kiosk::config {

bool IsPublishedDocument(std::string_view dataset) {
    return dataset == "policy" || dataset == "sla" || dataset == "calendar" || dataset == "faq" || dataset == "scripts" ||
           dataset == "notifications";
}

core::Result<void> CheckPublishedDocument(std::string_view dataset, std::string_view text, std::string_view sourceName) {
    const auto checked = [](const auto& parsed) -> core::Result<void> {
        if (!parsed) return std::unexpected(parsed.error());
        return {};
    };
    if (dataset == "policy") return checked(ParsePolicy(text, sourceName));
    if (dataset == "sla") return checked(ParseSlaPolicy(text, sourceName));
    if (dataset == "calendar") return checked(ParseCalendar(text, sourceName));
    if (dataset == "faq") return checked(ParseFaq(text, sourceName));
    if (dataset == "scripts") return checked(ParseScripts(text, sourceName));
    if (dataset == "notifications") return checked(ParseNotifications(text, sourceName));
    return core::Fail(core::ErrorCode::InvalidInput, "'" + std::string(dataset) + "' is not a published document (policy, sla, calendar, faq, scripts, notifications)");
}

core::Result<void> CheckPublishedVersion(std::string_view dataset, std::string_view text, std::int64_t version) {
    return CheckPublishedDocument(dataset, text, "published " + std::string(dataset) + " v" + std::to_string(version));
}

}  // namespace kiosk::config
