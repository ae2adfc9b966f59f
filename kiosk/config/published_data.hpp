// The document data sets head office publishes (warranty policy, SLA targets, business calendar,
// self-help suggestions, service scripts, customer notifications),
// checked with the same parsers as the asset files they replace. Head office checks a file with it
// before publishing; the kiosk checks every version it receives before applying it.
#pragma once

#include <cstdint>
#include <string_view>

#include "kiosk/core/error.hpp"

namespace kiosk::config {

// Whether `dataset` is one of the documents this checks: policy, sla, calendar, faq, scripts, notifications.
bool IsPublishedDocument(std::string_view dataset);

// Parses `text` as `dataset` would be loaded; fails with InvalidInput carrying "SOURCE:LINE: what"
// (SOURCE is `sourceName`), or naming the data set when it is not a document data set.
core::Result<void> CheckPublishedDocument(std::string_view dataset, std::string_view text, std::string_view sourceName);

// The same for `version` as head office published it (the source is named "published DATASET vN"):
// what the kiosk's sync worker runs before it applies a document (sync::WorkerOptions::checkDocument).
core::Result<void> CheckPublishedVersion(std::string_view dataset, std::string_view text, std::int64_t version);

}  // namespace kiosk::config
