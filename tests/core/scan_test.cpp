// Scan classification: each meaning, and the reasons unknown scans are rejected.
#include <catch2/catch.hpp>

#include "kiosk/core/scan.hpp"

using namespace kiosk::core;

namespace {
const std::string kGroupSeparator = std::string(1, kGs1Separator);

// Returns a copy: the meaning is usually a temporary.
template <class T>
T As(const ScanMeaning& meaning) {
    INFO("classified as " << ScanKindName(meaning)
                          << (std::holds_alternative<UnknownScan>(meaning) ? ": " + std::get<UnknownScan>(meaning).reason
                                                                            : std::string()));
    REQUIRE(std::holds_alternative<T>(meaning));
    return std::get<T>(meaning);
}

std::string UnknownReason(const ScanInput& input) { return As<UnknownScan>(ClassifyScan(input)).reason; }
}  // namespace

TEST_CASE("EAN-13, UPC-A, EAN-8 and UPC-E are products with a normalised GTIN", "[scan]") {
    CHECK(As<ProductScan>(ClassifyScan({"6901234567892", "]E0"})).gtin.Digits14() == "06901234567892");
    CHECK(As<ProductScan>(ClassifyScan({"036000291452", "]E0"})).gtin.Digits14() == "00036000291452");
    CHECK(As<ProductScan>(ClassifyScan({"96385074", "]E4"})).gtin.Digits14() == "00000096385074");
    CHECK(As<ProductScan>(ClassifyScan({"6901234567892", ""})).gtin.Digits14() == "06901234567892");
    // UPC-E 04252614 abbreviates UPC-A 042100005264.
    CHECK(As<ProductScan>(ClassifyScan({"04252614", "]E0"})).gtin.Digits14() == "00042100005264");
    CHECK(As<ProductScan>(ClassifyScan({"10614141000415", "]I1"})).gtin.Digits14() == "10614141000415");
}

TEST_CASE("a wrong check digit on an EAN/UPC symbol is rejected", "[scan]") {
    CHECK_THAT(UnknownReason({"6901234567893", "]E0"}), Catch::Contains("check digit"));
    CHECK_THAT(UnknownReason({"6901234567893", ""}), Catch::Contains("check digit"));
}

TEST_CASE("GS1 element strings give a product with serial, batch and dates", "[scan]") {
    for (const ScanInput& input : {ScanInput{"0109501101530003" "17260600" "11250115" "10AB-123" + kGroupSeparator + "21SN42", "]C1"},
                                   ScanInput{"0109501101530003" "17260600" "11250115" "10AB-123" + kGroupSeparator + "21SN42", "]d2"},
                                   ScanInput{"0109501101530003" "17260600" "11250115" "10AB-123" + kGroupSeparator + "21SN42", "]Q3"},
                                   ScanInput{kGroupSeparator + "0109501101530003" "17260600" "11250115" "10AB-123" + kGroupSeparator + "21SN42", ""},
                                   ScanInput{"(01)09501101530003(17)260600(11)250115(10)AB-123(21)SN42", ""}}) {
        INFO(input.aimId);
        const auto& product = As<ProductScan>(ClassifyScan(input));
        CHECK(product.gtin.Digits14() == "09501101530003");
        CHECK(product.serial == "SN42");
        CHECK(product.batch == "AB-123");
        using namespace std::chrono;
        CHECK(product.expires == Date{year{2026}, June, day{30}});
        CHECK(product.produced == Date{year{2025}, January, day{15}});
        CHECK(product.elements.size() == 5);
    }
}

TEST_CASE("broken GS1 data is unknown with the parser's reason", "[scan]") {
    CHECK_THAT(UnknownReason({"010950110153", "]C1"}), Catch::Contains("truncated"));
    CHECK_THAT(UnknownReason({"0109501101530004", "]C1"}), Catch::Contains("check digit"));
    CHECK_THAT(UnknownReason({"0109501101530003" "9912", "]C1"}), Catch::Contains("unknown AI"));
    CHECK_THAT(UnknownReason({"0109501101530003" "10" + std::string(25, '7'), "]d2"}), Catch::Contains("overlong"));
    CHECK_THAT(UnknownReason({"00106141411234567897", "]C1"}), Catch::Contains("without a GTIN"));
}

TEST_CASE("15 digits passing Luhn are an IMEI; other serials are serials", "[scan]") {
    const auto& imei = As<SerialScan>(ClassifyScan({"490154203237518", "]C0"}));
    CHECK(imei.imei);
    CHECK(imei.serial == "490154203237518");
    CHECK_FALSE(As<SerialScan>(ClassifyScan({"490154203237519", "]C0"})).imei);
    CHECK(As<SerialScan>(ClassifyScan({"C02XK1ABJG5J", "]C0"})).serial == "C02XK1ABJG5J");
    // Thirteen digits in Code 128 with no valid check digit: a serial, not a broken EAN.
    CHECK(As<SerialScan>(ClassifyScan({"1234567890123", "]C0"})).serial == "1234567890123");
}

TEST_CASE("our sales receipts are recognised and malformed ones explained", "[scan]") {
    CHECK(As<SalesReceiptScan>(ClassifyScan({"SO-S001-20261122-00001", "]C0"})).orderNumber == "SO-S001-20261122-00001");
    CHECK_THAT(UnknownReason({"SO-S001-20261322-00001", "]C0"}), Catch::Contains("date"));
    CHECK_THAT(UnknownReason({"SO-S001-20261122-0001", "]C0"}), Catch::Contains("sequence"));
    CHECK_THAT(UnknownReason({"SO-S0 1-20261122-00001", "]C0"}), Catch::Contains("store code"));
}

TEST_CASE("ticket receipts by number or by URL", "[scan]") {
    const auto expected = TicketNumber::Parse("S012-K1-261122-0007").value();
    CHECK(As<TicketReceiptScan>(ClassifyScan({"S012-K1-261122-0007", "]Q1"})).number == expected);
    CHECK(As<TicketReceiptScan>(ClassifyScan({"https://service.example.com/t/S012-K1-261122-0007?lang=en", "]Q1"})).number ==
          expected);
    CHECK(As<TicketReceiptScan>(ClassifyScan({"http://example.com/tickets/S012-K1-261122-0007/", "]Q1"})).number == expected);
    CHECK_THAT(UnknownReason({"https://example.com/about", "]Q1"}), Catch::Contains("ticket number"));
}

TEST_CASE("staff badges and enrolment tokens", "[scan]") {
    CHECK(As<StaffBadgeScan>(ClassifyScan({"BADGE:B-1001", "]C0"})).badge == "B-1001");
    CHECK_THAT(UnknownReason({"BADGE:", "]C0"}), Catch::Contains("badge"));
    CHECK_THAT(UnknownReason({"BADGE:B 1001", "]C0"}), Catch::Contains("badge"));
    CHECK(As<EnrolmentTokenScan>(ClassifyScan({"KIOSK-ENROL:abc.DEF-123_x", "]Q1"})).token == "abc.DEF-123_x");
    CHECK_THAT(UnknownReason({"KIOSK-ENROL:", "]Q1"}), Catch::Contains("token"));
}

TEST_CASE("control characters, empty and unplaceable text are unknown", "[scan]") {
    CHECK_THAT(UnknownReason({"", ""}), Catch::Contains("empty"));
    CHECK_THAT(UnknownReason({"ABC\x07" "DEF", ""}), Catch::Contains("control character at position 4"));
    CHECK_THAT(UnknownReason({"hello world", ""}), Catch::Contains("no known code format"));
    CHECK_THAT(UnknownReason({"ab", ""}), Catch::Contains("no known code format"));
}

TEST_CASE("every meaning has a kind name", "[scan]") {
    CHECK(ScanKindName(ClassifyScan({"BADGE:B-1", ""})) == "staff_badge");
    CHECK(ScanKindName(ClassifyScan({"", ""})) == "unknown");
    CHECK(IsLuhnValid("79927398713"));
    CHECK_FALSE(IsLuhnValid("79927398710"));
}
