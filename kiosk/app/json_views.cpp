// JSON views of claims, tickets, events and SLA clocks.
#include "kiosk/app/json_views.hpp"

namespace kiosk::app {
namespace {

using Json = nlohmann::ordered_json;

Json OptionalTime(const std::optional<core::Timestamp>& t) {
    return t ? Json(core::FormatTimestamp(*t)) : Json(nullptr);
}

Json ToJson(const core::SlaClock& clock) {
    return Json{{"state", core::ToString(clock.state)},
                {"target_minutes", clock.target.count() / 60},
                {"consumed_minutes", clock.consumed.count() / 60},
                {"due", OptionalTime(clock.due)},
                {"met_at", OptionalTime(clock.metAt)}};
}

}  // namespace

Json ToJson(const core::LocalizedText& text) {
    return Json{{"zh-Hans", text.zhHans}, {"zh-Hant", text.zhHant}, {"en", text.en}};
}

Json ToJson(const core::ClaimAssessment& a) {
    const core::WarrantyDecision& d = a.decision;
    Json remedies = Json::array();
    for (core::Remedy r : d.remedies) remedies.push_back(core::ToString(r));
    return Json{{"product", {{"gtin", a.product.gtin.Display()},
                             {"sku", a.product.sku},
                             {"name", ToJson(a.product.name)},
                             {"category", a.product.category}}},
                {"order_number", a.sale ? Json(a.sale->orderNumber) : Json(nullptr)},
                {"purchased_on", core::FormatDate(a.purchasedOn)},
                {"proof_to_verify", a.proofToVerify},
                {"serial_mismatch", a.serialMismatch},
                {"component", d.component},
                {"component_months", d.componentMonths},
                {"period_start", core::FormatDate(d.periodStart)},
                {"days_since_start", d.daysSinceStart},
                {"windows", {{"return_ends", core::FormatDate(d.returnEnds)},
                             {"exchange_ends", core::FormatDate(d.exchangeEnds)},
                             {"warranty_ends", core::FormatDate(d.warrantyEnds)},
                             {"extension_days", d.extensionDays}}},
                {"covered", d.covered},
                {"remedies", remedies},
                {"clause", {{"id", d.clause.id}, {"text", ToJson(d.clause.text)}}}};
}

Json ToJson(const core::Ticket& t, bool showPhone) {
    const core::NewTicket& f = t.filed;
    Json notes = Json::array();
    for (const std::string& n : t.notes) notes.push_back(n);
    return Json{{"number", t.number},
                {"type", core::ToString(f.type)},
                {"status", t.status},
                {"gtin", f.gtin},
                {"serial", f.serial},
                {"order_number", f.orderNumber},
                {"purchased_on", f.purchasedOn ? Json(core::FormatDate(*f.purchasedOn)) : Json(nullptr)},
                {"proof_to_verify", f.proofToVerify},
                {"customer_phone", showPhone ? f.customerPhone : core::MaskPhone(f.customerPhone)},
                {"notify", f.notify},
                {"customer_tier", core::ToString(f.customerTier)},
                {"remedy", f.remedy ? Json(core::ToString(*f.remedy)) : Json(nullptr)},
                {"clause_id", f.clauseId},
                {"policy_version", f.policyVersion},
                {"component", f.component},
                {"fault", f.fault},
                {"problem_category", f.problemCategory},
                {"description", f.description},
                {"language", core::LanguageTag(f.language)},
                {"assignee", t.assignee},
                {"channel", t.channel ? Json(core::ToString(*t.channel)) : Json(nullptr)},
                {"notes", notes},
                {"created_at", core::FormatTimestamp(t.createdAt)},
                {"updated_at", core::FormatTimestamp(t.updatedAt)},
                {"first_response_at", OptionalTime(t.firstResponseAt)},
                {"resolved_at", OptionalTime(t.resolvedAt)},
                {"event_count", t.eventCount}};
}

Json ToJson(const core::TicketEvent& e) {
    return Json{{"id", e.id},
                {"kind", core::ToString(e.kind)},
                {"at", core::FormatTimestamp(e.at)},
                {"actor", {{"role", core::ToString(e.actor.role)}, {"id", e.actor.id}}},
                {"from", e.fromStatus},
                {"to", e.toStatus},
                {"note", e.note},
                {"value", e.value}};
}

Json ToJson(const core::SlaStatus& status) {
    return Json{{"first_response", ToJson(status.firstResponse)}, {"resolution", ToJson(status.resolution)}};
}

}  // namespace kiosk::app
