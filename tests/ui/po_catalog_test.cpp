// The .po reader: what gettext files look like in practice, what it rejects and where, and the shipped
// catalogs being complete.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "ui/i18n/po_catalog.hpp"
#include "ui/i18n/translations.hpp"

using kiosk::ui::PoCatalog;

namespace {

std::string CatalogErrorOf(std::string_view text) {
    auto parsed = PoCatalog::Parse(text, "bad.po");
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == kiosk::core::ErrorCode::InvalidInput);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("a well-formed catalog translates its entries and falls back to the msgid") {
    const char* text = "\xEF\xBB\xBF# header comment\n"
                       "msgid \"\"\n"
                       "msgstr \"\"\n"
                       "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                       "\n"
                       "#: ui/screens/start_screens.cpp:40\n"
                       "msgid \"Back\"\n"
                       "msgstr \"返回\"\n"
                       "\n"
                       "msgctxt \"button\"\n"
                       "msgid \"Back\"\n"
                       "msgstr \"后退\"\n"
                       "\n"
                       "msgid \"Untranslated\"\n"
                       "msgstr \"\"\n";
    auto catalog = PoCatalog::Parse(text, "good.po");
    REQUIRE(catalog.has_value());
    CHECK(catalog->Translate("Back") == "返回");
    CHECK(catalog->Has("button\x04" "Back"));
    CHECK(catalog->Translate("Untranslated") == "Untranslated");
    CHECK(catalog->Translate("Never seen") == "Never seen");
    CHECK_FALSE(catalog->Has(""));  // the header is not a translation
    CHECK(catalog->Size() == 2);
}

TEST_CASE("plural entries use their first form; escapes and continued strings are decoded") {
    const char* text = "msgid \"\"\n"
                       "\"Ticket \"\n"
                       "\"{0} of \"\n"
                       "  \"{1}\"\n"
                       "msgid_plural \"Tickets {0} of {1}\"\n"
                       "msgstr[0] \"工单 {0}/{1}\"\n"
                       "msgstr[1] \"工单们 {0}/{1}\"\n"
                       "\n"
                       "msgid \"Say \\\"hi\\\"\\tthen\\nwait \\\\ here\"\n"
                       "msgstr \"说\\\"你好\\\"\\t然后\\n等 \\\\ 这里\"\n";
    auto catalog = PoCatalog::Parse(text, "plural.po");
    REQUIRE(catalog.has_value());
    CHECK(catalog->Translate("Ticket {0} of {1}") == "工单 {0}/{1}");
    CHECK(catalog->Translate("Say \"hi\"\tthen\nwait \\ here") == "说\"你好\"\t然后\n等 \\ 这里");
    CHECK(catalog->Size() == 2);
}

TEST_CASE("fuzzy entries are skipped, as gettext does") {
    auto catalog = PoCatalog::Parse("#, fuzzy\nmsgid \"Back\"\nmsgstr \"返回\"\n\nmsgid \"OK\"\nmsgstr \"好\"\n", "f.po");
    REQUIRE(catalog.has_value());
    CHECK_FALSE(catalog->Has("Back"));
    CHECK(catalog->Translate("OK") == "好");
}

TEST_CASE("malformed catalogs are rejected with FILE:LINE of the first bad line") {
    CHECK(CatalogErrorOf("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\n") == "bad.po:4: msgid without msgstr");
    CHECK(CatalogErrorOf("msgid \"a\"\nmsgstr \"b\n") == "bad.po:2: expected a quoted string");
    CHECK(CatalogErrorOf("msgid \"a\"\nmsgstr \"b\\q\"\n") == "bad.po:2: unknown escape \\q");
    CHECK(CatalogErrorOf("# c\n\"orphan\"\n") == "bad.po:2: a string continues nothing");
    CHECK(CatalogErrorOf("msgid \"a\"\nmsgstr \"b\"\nmsgstring \"c\"\n") == "bad.po:3: unknown keyword 'msgstring'");
    CHECK(CatalogErrorOf("msgstr \"b\"\n") == "bad.po:1: msgstr without msgid");
    CHECK(CatalogErrorOf("msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n") == "bad.po:3: second msgstr in one entry");
    CHECK(CatalogErrorOf("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n") == "bad.po:4: msgid \"a\" appears twice");
    CHECK(CatalogErrorOf("msgid \"a\"\nmsgstr \"x\"y\"\n") == "bad.po:2: unescaped quote inside a string");
    CHECK(CatalogErrorOf("msgid \"a\"\nmsgstr[1] \"b\"\n") == "bad.po:2: msgstr[1] before msgstr[0]");
    CHECK(CatalogErrorOf("msgctxt \"x\"\n") == "bad.po:1: msgctxt without msgid");
}

TEST_CASE("a missing catalog file is NotFound") {
    auto loaded = PoCatalog::Load(std::filesystem::path(KIOSK_TEST_DATA_DIR) / "no-such.po");
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == kiosk::core::ErrorCode::NotFound);
}

TEST_CASE("every English text has a non-empty Simplified and Traditional Chinese translation") {
    const std::filesystem::path dir = std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "i18n";
    auto en = PoCatalog::Load(dir / "en.po");
    REQUIRE(en.has_value());
    REQUIRE(en->Size() > 50);
    for (const char* file : {"zh_CN.po", "zh_TW.po"}) {
        auto zh = PoCatalog::Load(dir / file);
        REQUIRE(zh.has_value());
        for (const auto& [msgid, english] : en->Entries()) {
            INFO(file << ": " << msgid);
            CHECK(zh->Has(msgid));  // Parse keeps only entries with a non-empty msgstr
            CHECK(zh->Translate(msgid) != english);
        }
    }
    CHECK(kiosk::ui::Translations::Load(dir).has_value());
}
