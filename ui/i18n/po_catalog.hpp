// Translations from gettext .po files, read by our own small reader at start-up.
//
// - Supported: comments, `#, fuzzy` (such entries are skipped, as gettext does), msgctxt, msgid,
//   msgid_plural with msgstr[N] (the first form is used), strings continued over several lines, and the
//   escapes \n \t \" \\.
// - A missing or empty translation falls back to the msgid, so an untranslated text shows in English.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <map>

#include "kiosk/core/error.hpp"

namespace kiosk::ui {

class PoCatalog {
public:
    // Fails with InvalidInput "SOURCE:LINE: what" for a malformed file, naming the first bad line.
    static core::Result<PoCatalog> Parse(std::string_view text, std::string_view sourceName);
    // Fails with NotFound when the file cannot be read, else as Parse.
    static core::Result<PoCatalog> Load(const std::filesystem::path& path);

    // The translation of `msgid`, or `msgid` itself when there is none.
    std::string_view Translate(std::string_view msgid) const;
    bool Has(std::string_view msgid) const { return m_entries.contains(msgid); }
    std::size_t Size() const { return m_entries.size(); }
    const std::map<std::string, std::string, std::less<>>& Entries() const { return m_entries; }

private:
    std::map<std::string, std::string, std::less<>> m_entries;  // ordered: with a hash map GCC 12 -O2 warns falsely (-Wfree-nonheap-object)
};

}  // namespace kiosk::ui
