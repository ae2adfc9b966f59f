// Classification of scanned text into what it means for the kiosk; see scan.hpp for the formats.
#include "kiosk/core/scan.hpp"

#include <algorithm>
#include <array>

namespace kiosk::core {
namespace {

constexpr std::string_view kBadgePrefix = "BADGE:";
constexpr std::string_view kEnrolPrefix = "KIOSK-ENROL:";
constexpr std::string_view kSalesPrefix = "SO-";
constexpr std::size_t kMaxBadgeLength = 32;
constexpr std::size_t kMaxTokenLength = 256;
constexpr std::size_t kMinSerialLength = 4;
constexpr std::size_t kMaxSerialLength = 40;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool AllDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }
bool IsControl(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

UnknownScan Unknown(std::string reason) { return UnknownScan{std::move(reason)}; }

std::vector<std::string_view> Split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t at = text.find(separator, start);
        if (at == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, at - start));
        start = at + 1;
    }
}

const std::string* FindAi(const std::vector<Gs1Element>& elements, std::string_view ai) {
    for (const Gs1Element& e : elements) {
        if (e.ai == ai) return &e.value;
    }
    return nullptr;
}

ScanMeaning FromGs1(Result<std::vector<Gs1Element>> parsed) {
    if (!parsed) return Unknown(parsed.error().message);
    const std::string* gtinText = FindAi(*parsed, "01");
    if (gtinText == nullptr) return Unknown("GS1 data without a GTIN (01): " + FormatGs1HumanReadable(*parsed));
    auto gtin = Gtin::Parse(*gtinText);
    if (!gtin) return Unknown(gtin.error().message);
    ProductScan product{*gtin, {}, {}, {}, {}, *parsed};
    if (const std::string* serial = FindAi(*parsed, "21")) product.serial = *serial;
    if (const std::string* batch = FindAi(*parsed, "10")) product.batch = *batch;
    // The parser has validated the dates already.
    if (const std::string* produced = FindAi(*parsed, "11")) product.produced = ParseGs1Date(*produced).value();
    if (const std::string* expires = FindAi(*parsed, "17")) product.expires = ParseGs1Date(*expires).value();
    return product;
}

// UPC-E's eight digits expanded to the UPC-A they abbreviate, or empty when they are not UPC-E.
std::string ExpandUpcE(std::string_view upce) {
    if (upce.size() != 8 || (upce[0] != '0' && upce[0] != '1')) return {};
    const std::string_view d = upce.substr(1, 6);
    std::string body;
    switch (d[5]) {
        case '0': case '1': case '2':
            body = std::string(d.substr(0, 2)) + d[5] + "0000" + std::string(d.substr(2, 3));
            break;
        case '3': body = std::string(d.substr(0, 3)) + "00000" + std::string(d.substr(3, 2)); break;
        case '4': body = std::string(d.substr(0, 4)) + "00000" + d[4]; break;
        default: body = std::string(d.substr(0, 5)) + "0000" + d[5]; break;
    }
    return upce[0] + body + upce[7];
}

std::optional<ScanMeaning> AsProductCode(std::string_view text, std::string_view aimId) {
    const bool upcEanSymbology = aimId.starts_with("]E");
    const bool itf = aimId.starts_with("]I");
    const bool strict = upcEanSymbology || aimId.empty();
    std::string digits(text);
    if (text.size() == 8 && aimId == "]E0") {
        digits = ExpandUpcE(text);
        if (digits.empty()) return Unknown("UPC-E '" + std::string(text) + "' must start with 0 or 1");
    } else if (text.size() == 8 && aimId.empty() && !Gtin::Parse(text)) {
        if (std::string upca = ExpandUpcE(text); !upca.empty() && Gtin::Parse(upca)) digits = upca;
    }
    const bool gtinLength = digits.size() == 8 || digits.size() == 12 || digits.size() == 13 ||
                            (digits.size() == 14 && itf);
    if (!gtinLength) return std::nullopt;
    auto gtin = Gtin::Parse(digits);
    if (gtin) return ProductScan{*gtin, {}, {}, {}, {}, {}};
    if (strict || itf) return Unknown(gtin.error().message);
    return std::nullopt;
}

std::optional<ScanMeaning> AsSalesReceipt(std::string_view text) {
    if (!text.starts_with(kSalesPrefix)) return std::nullopt;
    auto bad = [&](std::string_view why) {
        return Unknown("sales order number '" + std::string(text) + "' " + std::string(why) +
                       " (expected SO-STORE-YYYYMMDD-NNNNN)");
    };
    const auto parts = Split(text, '-');
    if (parts.size() != 4) return bad("does not have four parts");
    if (!ValidateStoreCode(parts[1])) return bad("has an invalid store code");
    if (parts[2].size() != 8 || !AllDigits(parts[2])) return bad("has an invalid date");
    const std::string iso = std::string(parts[2].substr(0, 4)) + "-" + std::string(parts[2].substr(4, 2)) + "-" +
                            std::string(parts[2].substr(6, 2));
    if (!ParseDate(iso)) return bad("has an invalid date");
    if (parts[3].size() != 5 || !AllDigits(parts[3])) return bad("has an invalid sequence");
    return SalesReceiptScan{std::string(text)};
}

std::optional<ScanMeaning> AsTicketReceipt(std::string_view text) {
    std::string_view candidate = text;
    const bool url = text.starts_with("https://") || text.starts_with("http://");
    if (url) {
        candidate = candidate.substr(candidate.find("//") + 2);
        candidate = candidate.substr(0, candidate.find_first_of("?#"));
        while (candidate.ends_with('/')) candidate.remove_suffix(1);
        const std::size_t slash = candidate.rfind('/');
        if (slash == std::string_view::npos) return Unknown("URL '" + std::string(text) + "' has no path");
        candidate = candidate.substr(slash + 1);
    }
    auto number = TicketNumber::Parse(candidate);
    if (number) return TicketReceiptScan{*number};
    if (url) return Unknown("URL '" + std::string(text) + "' does not end in a ticket number");
    return std::nullopt;
}

std::optional<ScanMeaning> AsSerial(std::string_view text) {
    if (text.size() == 15 && AllDigits(text) && IsLuhnValid(text)) return SerialScan{std::string(text), true};
    if (text.size() < kMinSerialLength || text.size() > kMaxSerialLength) return std::nullopt;
    const bool serialChars = std::all_of(text.begin(), text.end(), [](char c) {
        return IsAlnum(c) || c == '-' || c == '.' || c == '/' || c == '_';
    });
    if (!serialChars || !std::any_of(text.begin(), text.end(), IsAlnum)) return std::nullopt;
    return SerialScan{std::string(text), false};
}

}  // namespace

bool IsGs1SymbologyId(std::string_view aimId) {
    return aimId == "]C1" || aimId == "]d2" || aimId == "]Q3" || aimId == "]e0";
}

bool IsLuhnValid(std::string_view digits) {
    if (!AllDigits(digits)) return false;
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int d = *it - '0';
        if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

ScanMeaning ClassifyScan(const ScanInput& scan) {
    const std::string_view text = scan.text;
    if (text.empty()) return Unknown("empty scan");
    const bool gs1Data = IsGs1SymbologyId(scan.aimId) || text.front() == kGs1Separator;
    if (gs1Data) return FromGs1(ParseGs1ElementString(text));
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (IsControl(text[i])) {
            return Unknown("control character at position " + std::to_string(i + 1) + " of a " +
                           std::to_string(text.size()) + "-character scan");
        }
    }
    if (text.front() == '(' && text.size() > 1 && IsDigit(text[1])) return FromGs1(ParseGs1HumanReadable(text));

    if (text.starts_with(kBadgePrefix)) {
        const std::string_view badge = text.substr(kBadgePrefix.size());
        const bool ok = !badge.empty() && badge.size() <= kMaxBadgeLength &&
                        std::all_of(badge.begin(), badge.end(), [](char c) { return IsAlnum(c) || c == '-' || c == '_'; });
        if (!ok) return Unknown("badge id '" + std::string(badge) + "' must be 1-32 letters, digits, '-' or '_'");
        return StaffBadgeScan{std::string(badge)};
    }
    if (text.starts_with(kEnrolPrefix)) {
        const std::string_view token = text.substr(kEnrolPrefix.size());
        const bool ok = !token.empty() && token.size() <= kMaxTokenLength &&
                        std::all_of(token.begin(), token.end(), [](char c) {
                            const auto byte = static_cast<unsigned char>(c);
                            return byte > 0x20 && byte < 0x7F;
                        });
        if (!ok) return Unknown("enrolment token must be 1-256 printable characters without spaces");
        return EnrolmentTokenScan{std::string(token)};
    }
    if (auto sale = AsSalesReceipt(text)) return *sale;
    if (auto ticket = AsTicketReceipt(text)) return *ticket;
    if (AllDigits(text)) {
        if (auto product = AsProductCode(text, scan.aimId)) return *product;
    }
    if (auto serial = AsSerial(text)) return *serial;
    return Unknown("'" + std::string(text.substr(0, 64)) + "' matches no known code format");
}

std::string_view ScanKindName(const ScanMeaning& meaning) {
    constexpr std::array<std::string_view, 7> kNames{"product",     "serial",          "sales_receipt", "ticket_receipt",
                                                     "staff_badge", "enrolment_token", "unknown"};
    static_assert(std::variant_size_v<ScanMeaning> == kNames.size());
    return kNames[meaning.index()];
}

}  // namespace kiosk::core
