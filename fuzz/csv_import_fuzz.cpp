// CSV imports: the RFC 4180 reader and the catalog, sales and staff parsers on arbitrary text.
#include <cstdlib>

#include "fuzz_input.hpp"
#include "kiosk/importer/csv_import.hpp"
#include "kiosk/importer/csv_reader.hpp"

namespace importer = kiosk::importer;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::FuzzInput input(data, size);
    const std::uint8_t mode = input.Byte() % 4;
    const std::string_view text = input.RestText();
    bool failedWithoutReason = false;
    switch (mode) {
    case 0: {
        auto rows = importer::ReadCsv(text, "fuzz.csv");
        failedWithoutReason = !rows && rows.error().message.empty();
        break;
    }
    case 1: {
        auto rows = importer::ParseCatalogCsv(text, "catalog.csv");
        failedWithoutReason = !rows && rows.error().message.empty();
        break;
    }
    case 2: {
        auto rows = importer::ParseSalesCsv(text, "sales.csv");
        failedWithoutReason = !rows && rows.error().message.empty();
        break;
    }
    default: {
        auto rows = importer::ParseStaffCsv(text, "staff.csv");
        failedWithoutReason = !rows && rows.error().message.empty();
        break;
    }
    }
    if (failedWithoutReason) std::abort();
    return 0;
}
