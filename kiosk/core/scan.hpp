// What a scanned code means: a product, a serial, one of our receipts, a staff badge, an enrolment
// token, or nothing we know — decided from the text and the symbology alone, without I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/gtin.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core {

// A code as a scanner or camera read it.
struct ScanInput {
    std::string text;     // as decoded; GS1 data carries FNC1 as the GS character (0x1D)
    std::string aimId;    // the AIM symbology identifier ("]E0", "]C1", "]Q1", ...), empty when unknown
};

// One GS1 Application Identifier and its value, in the order they appeared.
struct Gs1Element {
    std::string ai;       // "01", "10", "17", "21", ...
    std::string value;
};

struct ProductScan {
    Gtin gtin;
    std::string serial;              // AI (21), when the code carried one
    std::string batch;               // AI (10)
    std::optional<Date> produced;    // AI (11)
    std::optional<Date> expires;     // AI (17)
    std::vector<Gs1Element> elements;  // everything the GS1 string held; empty for a plain EAN/UPC
};
struct SerialScan { std::string serial; bool imei = false; };       // an IMEI passes the Luhn check
struct SalesReceiptScan { std::string orderNumber; };
struct TicketReceiptScan { TicketNumber number; };
struct StaffBadgeScan { std::string badge; };
struct EnrolmentTokenScan { std::string token; };
struct UnknownScan { std::string reason; };  // why it was rejected, for logs and staff

using ScanMeaning = std::variant<ProductScan, SerialScan, SalesReceiptScan, TicketReceiptScan, StaffBadgeScan,
                                 EnrolmentTokenScan, UnknownScan>;

// Classifies a scan. Never fails: what it cannot place is an UnknownScan with the reason.
ScanMeaning ClassifyScan(const ScanInput& scan);

}  // namespace kiosk::core
