// The JSON shapes kioskctl prints with --json: stable field names for scripts and tests.
#pragma once

#include <nlohmann/json.hpp>

#include "kiosk/core/claim.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/sla.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::app {

nlohmann::ordered_json ToJson(const core::LocalizedText& text);
nlohmann::ordered_json ToJson(const core::ClaimAssessment& assessment);
// Phone numbers are masked unless `showPhone`.
nlohmann::ordered_json ToJson(const core::Ticket& ticket, bool showPhone);
nlohmann::ordered_json ToJson(const core::TicketEvent& event);
nlohmann::ordered_json ToJson(const core::SlaStatus& status);

}  // namespace kiosk::app
