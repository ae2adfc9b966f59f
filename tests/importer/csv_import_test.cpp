// CSV imports: good files parse completely; a bad file names every bad line and yields nothing.
#include <catch2/catch.hpp>

#include "kiosk/importer/csv_import.hpp"
#include "kiosk/importer/csv_reader.hpp"

using namespace kiosk;

namespace {
const std::string kCatalogHeader =
    "gtin,sku,name_zh_hans,name_zh_hant,name_en,category,price,policy_id,serial_required,components\n";
}

TEST_CASE("records keep the line they start on, across quoted newlines and blank lines", "[csv]") {
    auto records = importer::ReadCsv("a,b\n\n\"multi\nline\",x\n\"say \"\"hi\"\"\",y\nlast,z", "t.csv");
    REQUIRE(records);
    REQUIRE(records->size() == 4);
    CHECK((*records)[0].line == 1);
    CHECK((*records)[1].line == 3);
    CHECK((*records)[1].fields == std::vector<std::string>{"multi\nline", "x"});
    CHECK((*records)[2].line == 5);
    CHECK((*records)[2].fields[0] == "say \"hi\"");
    CHECK((*records)[3].line == 6);
}

TEST_CASE("a byte-order mark and CRLF line ends are accepted", "[csv]") {
    auto records = importer::ReadCsv("\xEF\xBB\xBF" "a,b\r\n1,2\r\n", "t.csv");
    REQUIRE(records);
    REQUIRE(records->size() == 2);
    CHECK((*records)[0].fields == std::vector<std::string>{"a", "b"});
    CHECK((*records)[1].fields == std::vector<std::string>{"1", "2"});
}

TEST_CASE("broken quoting and invalid UTF-8 name their line", "[csv]") {
    CHECK_THAT(importer::ReadCsv("a,b\n1,\"open\n2,3\n", "t.csv").error().message,
               Catch::StartsWith("t.csv:2: a quoted field is never closed"));
    CHECK_THAT(importer::ReadCsv("a,b\n1,x\"y\n", "t.csv").error().message, Catch::StartsWith("t.csv:2: malformed CSV"));
    CHECK_THAT(importer::ReadCsv("a,b\n1,2\n\xE4\xB8,3\n", "t.csv").error().message,
               Catch::StartsWith("t.csv:3: invalid UTF-8 at byte 1"));
    CHECK_FALSE(importer::ReadCsv("a\n\xED\xA0\x80\n", "t.csv"));  // a UTF-16 surrogate encoded as UTF-8
}

TEST_CASE("a good catalog file parses every field", "[csv]") {
    auto rows = importer::ParseCatalogCsv(
        kCatalogHeader +
            "6901234567892,PH-X1,星河手机 X1,星河手機 X1,Galaxy Phone X1,phone,4999.00,sanbao,yes,body:12;battery:6\n"
            "96385074,KB-1,\"键盘, 有线\",\"鍵盤, 有線\",\"Keyboard, wired\",small_electronics,99.5,sanbao,no,\n",
        "catalog.csv");
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    const core::Product& phone = (*rows)[0].value;
    CHECK((*rows)[0].line == 2);
    CHECK(phone.gtin.Display() == "6901234567892");
    CHECK(phone.name.zhHant == "星河手機 X1");
    CHECK(phone.price == 499900);
    CHECK(phone.serialRequired);
    CHECK(phone.components == std::vector<core::Component>{{"body", 12}, {"battery", 6}});
    const core::Product& keyboard = (*rows)[1].value;
    CHECK(keyboard.name.en == "Keyboard, wired");
    CHECK(keyboard.price == 9950);
    CHECK_FALSE(keyboard.serialRequired);
    CHECK(keyboard.components.empty());
}

TEST_CASE("a catalog with bad lines reports each one with its line number", "[csv]") {
    auto rows = importer::ParseCatalogCsv(
        kCatalogHeader +
            "6901234567892,PH-X1,手机,手機,Phone,phone,4999.00,sanbao,yes,\n"
            "6901234567893,PH-X2,手机,手機,Phone,phone,4999.00,sanbao,yes,\n"  // check digit
            "6901234567892,PH-X3,手机,手機,Phone,phone,4999.00,sanbao,yes,\n"  // duplicate
            "96385074,KB-1,键盘,鍵盤,,small_electronics,12.345,sanbao,maybe,battery:0\n"
            "96385074,KB-1\n",
        "catalog.csv");
    REQUIRE_FALSE(rows);
    const std::string& message = rows.error().message;
    CHECK_THAT(message, Catch::Contains("catalog.csv:3: GTIN '6901234567893' has check digit 3, expected 2"));
    CHECK_THAT(message, Catch::Contains("catalog.csv:4: GTIN 6901234567892 already appears on line 2"));
    CHECK_THAT(message, Catch::Contains("catalog.csv:5: name_en is empty"));
    CHECK_THAT(message, Catch::Contains("catalog.csv:5: price '12.345'"));
    CHECK_THAT(message, Catch::Contains("catalog.csv:5: serial_required 'maybe'"));
    CHECK_THAT(message, Catch::Contains("catalog.csv:5: component 'battery:0'"));
    CHECK_THAT(message, Catch::Contains("catalog.csv:6: has 2 fields, the header has 10"));
    CHECK_THAT(message, Catch::EndsWith("nothing was imported from catalog.csv"));
}

TEST_CASE("a wrong header is refused before any row", "[csv]") {
    auto rows = importer::ParseCatalogCsv("gtin,sku,name,price\n6901234567892,a,b,1\n", "c.csv");
    REQUIRE_FALSE(rows);
    CHECK_THAT(rows.error().message, Catch::StartsWith("c.csv:1: the header row lacks name_zh_hans"));
    CHECK_THAT(rows.error().message, Catch::Contains("unknown columns name"));
    CHECK_THAT(importer::ParseStaffCsv("", "s.csv").error().message, Catch::Contains("empty"));
}

TEST_CASE("only the first problems are listed, with a count of the rest", "[csv]") {
    std::string text = kCatalogHeader;
    for (int i = 0; i < 30; ++i) text += "123,PH,a,b,c,phone,1,sanbao,no,\n";
    auto rows = importer::ParseCatalogCsv(text, "c.csv");
    REQUIRE_FALSE(rows);
    CHECK_THAT(rows.error().message, Catch::Contains("c.csv:21:"));
    CHECK_THAT(rows.error().message, !Catch::Contains("c.csv:22:"));
    CHECK_THAT(rows.error().message, Catch::Contains("and 10 more problems"));
}

TEST_CASE("sales rows group into orders that must agree", "[csv]") {
    const std::string header = "order_number,store_code,sold_on,customer_phone,gtin,serial,price\n";
    auto rows = importer::ParseSalesCsv(header +
                                            "SO-1,S012,2026-11-20,138 1234 5678,6901234567892,IMEI1,4999\n"
                                            "SO-1,S012,2026-11-20,13812345678,96385074,,99.50\n"
                                            "SO-2,S012,2026-11-21,,96385074,,99.50\n",
                                        "sales.csv");
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    const core::Sale& first = (*rows)[0].value;
    CHECK(first.customerPhone == "13812345678");
    REQUIRE(first.lines.size() == 2);
    CHECK(first.lines[0].serial == "IMEI1");
    CHECK(first.lines[1].price == 9950);
    CHECK((*rows)[1].value.customerPhone.empty());

    auto bad = importer::ParseSalesCsv(header +
                                           "SO-1,S012,2026-11-20,13812345678,6901234567892,IMEI1,4999\n"
                                           "SO-1,S012,2026-11-21,13812345678,96385074,,99.50\n"
                                           "SO-3,S012,2026-02-30,1381234,96385074,,x\n",
                                       "sales.csv");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("sales.csv:3: order SO-1 has a different store, date or phone than on line 2"));
    CHECK_THAT(bad.error().message, Catch::Contains("sales.csv:4: sold_on: '2026-02-30' is not a calendar date"));
    CHECK_THAT(bad.error().message, Catch::Contains("sales.csv:4: phone number '1381234'"));
    CHECK_THAT(bad.error().message, Catch::Contains("sales.csv:4: price 'x'"));
}

TEST_CASE("staff rows check roles and unique numbers and badges", "[csv]") {
    const std::string header = "staff_no,name,role,badge,active\n";
    auto rows = importer::ParseStaffCsv(header + "E1001,王芳,supervisor,B-1001,yes\nE1002,李雷,technician,B-1002,no\n",
                                        "staff.csv");
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    CHECK((*rows)[0].value.role == core::Role::Supervisor);
    CHECK_FALSE((*rows)[1].value.active);

    auto bad = importer::ParseStaffCsv(header +
                                           "E1001,王芳,supervisor,B-1001,yes\n"
                                           "E1001,张三,clerk,B-1003,yes\n"
                                           "E1004,赵四,clerk,B-1001,yes\n"
                                           "E1005,钱五,boss,B-1005,yes\n"
                                           "E1006,孙六,customer,B-1006,yes\n",
                                       "staff.csv");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("staff.csv:3: staff_no E1001 already appears on line 2"));
    CHECK_THAT(bad.error().message, Catch::Contains("staff.csv:4: badge B-1001 already appears on line 2"));
    CHECK_THAT(bad.error().message, Catch::Contains("staff.csv:5: role 'boss'"));
    CHECK_THAT(bad.error().message, Catch::Contains("staff.csv:6: role 'customer'"));
}
