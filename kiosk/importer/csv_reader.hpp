// RFC 4180 records with the physical line each one starts on (libcsv does the quoting rules).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/error.hpp"

namespace kiosk::importer {

struct CsvRecord {
    int line = 0;
    std::vector<std::string> fields;
};

// Splits UTF-8 text into records. Blank lines are skipped; a byte-order mark is dropped. Fails with
// InvalidInput "SOURCE:LINE: what" on invalid UTF-8, a stray quote or an unterminated quoted field.
core::Result<std::vector<CsvRecord>> ReadCsv(std::string_view text, std::string_view source);

}  // namespace kiosk::importer
