// What a scanned code means: a product, a serial, one of our receipts, a staff badge, an enrolment
// token, or nothing we know — decided from the text and the symbology alone, without I/O.
//
// The formats, tried in this order:
//   GS1 element string  AIM id ]C1 (GS1-128), ]d2 (GS1 DataMatrix), ]Q3 (GS1 QR) or ]e0 (GS1 DataBar),
//                       or data starting with GS, or "(01)09501101530003(17)260630(21)S1" in brackets.
//                       AIs as in gs1.hpp; variable fields end at GS (0x1D) or the end. Needs (01) to be
//                       a product; (21) is its serial, (10) batch, (11) produced, (17) expires.
//   staff badge         "BADGE:" + badge id (1-32 letters, digits, '-' or '_'), e.g. "BADGE:B-1001"
//   enrolment token     "KIOSK-ENROL:" + token (1-256 printable characters, no spaces)
//   sales receipt       "SO-" + store code + "-" + YYYYMMDD + "-" + 5 digits, e.g. SO-S001-20261122-00001
//   ticket receipt      a ticket number (STORE-KIOSK-YYMMDD-NNNN, ticket.hpp), or an http(s) URL whose
//                       last path segment is one (query and fragment ignored)
//   product GTIN        EAN-13 (13 digits), UPC-A (12, normalised to 14 digits by Gtin), EAN-8 (8) or
//                       UPC-E (8, expanded to its UPC-A), GS1 check digit verified; also GTIN-14 from
//                       ITF (]I...). From an EAN/UPC symbology (]E...) or no AIM id, a wrong check digit
//                       is rejected; from another symbology the digits are a serial.
//   serial / IMEI       15 digits passing the Luhn check is an IMEI; otherwise 4-40 letters, digits,
//                       '-', '.', '/' or '_'.
// Anything else, or text with control characters (other than GS in GS1 data), is an UnknownScan.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kiosk/core/date.hpp"
#include "kiosk/core/gs1.hpp"
#include "kiosk/core/gtin.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core {

// A code as a scanner or camera read it.
struct ScanInput {
    std::string text;     // as decoded; GS1 data carries FNC1 as the GS character (0x1D)
    std::string aimId;    // the AIM symbology identifier ("]E0", "]C1", "]Q1", ...), empty when unknown
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

// "product", "serial", "sales_receipt", "ticket_receipt", "staff_badge", "enrolment_token", "unknown".
std::string_view ScanKindName(const ScanMeaning& meaning);

// True for AIM ids whose data is a GS1 element string (]C1, ]d2, ]Q3, ]e0).
bool IsGs1SymbologyId(std::string_view aimId);

// True when the 15 digits pass the Luhn check an IMEI carries.
bool IsLuhnValid(std::string_view digits);

}  // namespace kiosk::core
