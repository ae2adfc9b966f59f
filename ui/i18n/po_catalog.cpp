// A line-oriented .po reader: one pass, keeping the entry being built until the next keyword.
#include "ui/i18n/po_catalog.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

namespace kiosk::ui {

namespace {

// Decodes one quoted C-style string, or says what is wrong with it.
std::optional<std::string> Unquote(std::string_view text, std::string& problem) {
    if (text.size() < 2 || text.front() != '"' || text.back() != '"') {
        problem = "expected a quoted string";
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        char c = text[i];
        if (c == '"') {
            problem = "unescaped quote inside a string";
            return std::nullopt;
        }
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i + 2 >= text.size()) {
            problem = "a string ends with a backslash";
            return std::nullopt;
        }
        switch (text[++i]) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            default:
                problem = std::string("unknown escape \\") + text[i];
                return std::nullopt;
        }
    }
    return out;
}

std::string_view Strip(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

enum class Field { None, Context, Id, IdPlural, Str, StrOther };

}  // namespace

core::Result<PoCatalog> PoCatalog::Parse(std::string_view text, std::string_view sourceName) {
    PoCatalog catalog;
    std::string context, id, str;
    bool haveId = false, haveStr = false, fuzzy = false, nextFuzzy = false;
    Field field = Field::None;
    int entryLine = 0;

    auto fail = [&](int line, std::string_view what) {
        return core::Fail(core::ErrorCode::InvalidInput,
                          std::string(sourceName) + ":" + std::to_string(line) + ": " + std::string(what));
    };
    // Closes the entry being built; an entry needs both an msgid and an msgstr.
    auto finish = [&](int line) -> core::Result<void> {
        if (!haveId && !haveStr) return {};
        if (!haveStr) return fail(entryLine, "msgid without msgstr");
        if (!haveId) return fail(line, "msgstr without msgid");
        if (!id.empty() && !fuzzy && !str.empty()) {
            std::string key = context.empty() ? id : context + '\x04' + id;
            if (catalog.m_entries.contains(key)) return fail(entryLine, "msgid \"" + id + "\" appears twice");
            catalog.m_entries.emplace(std::move(key), str);
        }
        context.clear();
        id.clear();
        str.clear();
        haveId = haveStr = false;
        field = Field::None;
        return {};
    };

    int lineNo = 0;
    std::size_t pos = 0;
    if (text.starts_with("\xEF\xBB\xBF")) pos = 3;
    while (pos <= text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = Strip(text.substr(pos, end - pos));
        pos = end + 1;
        ++lineNo;
        if (line.empty()) continue;
        if (line.front() == '#') {
            if (line.starts_with("#,") && line.find("fuzzy") != std::string_view::npos) nextFuzzy = true;
            continue;
        }
        std::string problem;
        if (line.front() == '"') {
            auto part = Unquote(line, problem);
            if (!part) return fail(lineNo, problem);
            switch (field) {
                case Field::Context: context += *part; break;
                case Field::Id: id += *part; break;
                case Field::Str: str += *part; break;
                case Field::IdPlural:
                case Field::StrOther: break;
                case Field::None: return fail(lineNo, "a string continues nothing");
            }
            continue;
        }
        const std::size_t space = line.find_first_of(" \t");
        if (space == std::string_view::npos) return fail(lineNo, "expected a keyword and a quoted string");
        const std::string_view keyword = line.substr(0, space);
        auto value = Unquote(Strip(line.substr(space)), problem);
        if (!value) return fail(lineNo, problem);

        if (keyword == "msgctxt" || (keyword == "msgid" && field != Field::Context)) {
            if (auto done = finish(lineNo); !done) return std::unexpected(done.error());
            fuzzy = std::exchange(nextFuzzy, false);
            entryLine = lineNo;
        }
        if (keyword == "msgctxt") {
            context = std::move(*value);
            field = Field::Context;
        } else if (keyword == "msgid") {
            if (haveId) return fail(lineNo, "second msgid in one entry");
            id = std::move(*value);
            haveId = true;
            field = Field::Id;
        } else if (keyword == "msgid_plural") {
            if (!haveId) return fail(lineNo, "msgid_plural without msgid");
            field = Field::IdPlural;
        } else if (keyword == "msgstr" || keyword == "msgstr[0]") {
            if (!haveId) return fail(lineNo, "msgstr without msgid");
            if (haveStr) return fail(lineNo, "second msgstr in one entry");
            str = std::move(*value);
            haveStr = true;
            field = Field::Str;
        } else if (keyword.starts_with("msgstr[")) {
            if (!haveStr) return fail(lineNo, std::string(keyword) + " before msgstr[0]");
            field = Field::StrOther;
        } else {
            return fail(lineNo, "unknown keyword '" + std::string(keyword) + "'");
        }
    }
    if (field == Field::Context) return fail(entryLine, "msgctxt without msgid");
    if (auto done = finish(lineNo); !done) return std::unexpected(done.error());
    return catalog;
}

core::Result<PoCatalog> PoCatalog::Load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::Fail(core::ErrorCode::NotFound, "cannot read translations " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return Parse(buffer.str(), path.string());
}

std::string_view PoCatalog::Translate(std::string_view msgid) const {
    const auto it = m_entries.find(msgid);
    return it == m_entries.end() ? msgid : std::string_view(it->second);
}

}  // namespace kiosk::ui
