// Feeds libcsv one physical line at a time so every record knows the line it starts on.
#include "kiosk/importer/csv_reader.hpp"

#include <csv.h>

namespace kiosk::importer {
namespace {

struct Collector {
    std::vector<CsvRecord> records;
    CsvRecord current;
    int rowStartLine = 1;
    bool rowEnded = false;
};

void OnField(void* data, std::size_t length, void* context) {
    auto* collector = static_cast<Collector*>(context);
    collector->current.fields.emplace_back(static_cast<const char*>(data), length);
}

void OnRowEnd(int, void* context) {
    auto* collector = static_cast<Collector*>(context);
    collector->current.line = collector->rowStartLine;
    collector->records.push_back(std::move(collector->current));
    collector->current = CsvRecord{};
    collector->rowEnded = true;
}

// The byte offset of the first invalid UTF-8 sequence in `line`, or npos.
std::size_t InvalidUtf8At(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size()) {
        const auto c = static_cast<unsigned char>(line[i]);
        std::size_t length = 0;
        unsigned minimum = 0;
        unsigned codepoint = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            length = 2, minimum = 0x80, codepoint = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3, minimum = 0x800, codepoint = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4, minimum = 0x10000, codepoint = c & 0x07u;
        } else {
            return i;
        }
        if (i + length > line.size()) return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(line[i + k]);
            if ((next & 0xC0) != 0x80) return i;
            codepoint = (codepoint << 6) | (next & 0x3Fu);
        }
        if (codepoint < minimum || codepoint > 0x10FFFF || (codepoint >= 0xD800 && codepoint <= 0xDFFF)) return i;
        i += length;
    }
    return std::string_view::npos;
}

// No catalog, sales or staff line comes near this; a longer one is a wrong or hostile file, refused
// before the parser copies it.
constexpr std::size_t kMaxLineBytes = 64 * 1024;

bool IsBlank(std::string_view line) {
    return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

core::Result<std::vector<CsvRecord>> ReadCsv(std::string_view text, std::string_view source) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        return core::Fail(core::ErrorCode::Storage, std::string(source) + ": cannot start the CSV reader");
    }
    // The parser grows its field buffer by this much at a time (128 bytes by default would copy a long
    // quoted field over and over).
    csv_set_blk_size(&parser, kMaxLineBytes);
    Collector collector;
    auto fail = [&](int line, const std::string& what) {
        csv_free(&parser);
        return core::Fail(core::ErrorCode::InvalidInput, std::string(source) + ":" + std::to_string(line) + ": " + what);
    };

    bool inRecord = false;
    int lineNumber = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t newline = text.find('\n', pos);
        const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
        const std::string_view line = text.substr(pos, end - pos);
        pos = end;
        ++lineNumber;

        if (line.size() > kMaxLineBytes) {
            return fail(lineNumber, "the line is " + std::to_string(line.size()) + " bytes long; at most " +
                                        std::to_string(kMaxLineBytes) + " are allowed");
        }
        if (const std::size_t bad = InvalidUtf8At(line); bad != std::string_view::npos) {
            return fail(lineNumber, "invalid UTF-8 at byte " + std::to_string(bad + 1) + " (save the file as UTF-8)");
        }
        if (!inRecord) {
            if (IsBlank(line)) continue;
            collector.rowStartLine = lineNumber;
        }
        collector.rowEnded = false;
        if (csv_parse(&parser, line.data(), line.size(), OnField, OnRowEnd, &collector) != line.size()) {
            return fail(lineNumber, std::string("malformed CSV: ") + csv_strerror(csv_error(&parser)) +
                                        " (a quote inside a field must be doubled, and the field quoted)");
        }
        // A line that ends inside a quoted field continues the same record on the next line.
        inRecord = !collector.rowEnded || (!line.ends_with('\n') && !line.ends_with('\r'));
    }
    if (csv_fini(&parser, OnField, OnRowEnd, &collector) != 0) {
        return fail(collector.rowStartLine, "a quoted field is never closed");
    }
    csv_free(&parser);
    return std::move(collector.records);
}

}  // namespace kiosk::importer
