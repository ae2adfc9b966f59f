// Downstream data: publishing through the headoffice program (checked with the kiosk's parsers), the
// kiosk pulling deltas or snapshots and applying a pull in one transaction, versions at both ends.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "kiosk/importer/csv_import.hpp"
#include "kiosk/storage/downstream.hpp"
#include "sync/wire/datasets.hpp"
#include "sync_test_support.hpp"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::test;
using kiosk::sync::headoffice::kMaxDeltaVersions;

namespace {

const std::string kCatalogHeader =
    "gtin,sku,name_zh_hans,name_zh_hant,name_en,category,price,policy_id,serial_required,components\n";
const std::string kStaffHeader = "staff_no,name,role,badge,active\n";

void WriteFile(const std::filesystem::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

std::string ReadFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Runs `headoffice --db URL publish DATASET FILE`; returns the exit status, with stderr in `errors`.
int PublishCli(const std::string& dbUrl, const std::string& dataset, const std::filesystem::path& file, std::string& errors,
               const std::filesystem::path& scratch) {
    const auto errFile = scratch / "publish.err";
    const std::string command = std::string(HEADOFFICE_PATH) + " --db '" + dbUrl + "' publish " + dataset + " '" + file.string() +
                                "' >/dev/null 2>'" + errFile.string() + "'";
    const int status = std::system(command.c_str());
    errors = ReadFile(errFile);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string Product(const std::string& gtin, const std::string& price) {
    return gtin + ",SKU-" + gtin + ",产品,產品,Product " + gtin + ",phone," + price + ",sanbao,yes,\n";
}

std::int64_t KioskCount(const std::filesystem::path& file, const std::string& sql) {
    auto db = Ok(storage::Database::Open(file));
    return Ok(db.QueryInt(sql));
}

std::int64_t Version(const std::filesystem::path& file, const std::string& dataset) {
    return KioskCount(file, "SELECT coalesce(max(version), 0) FROM downstream_versions WHERE dataset = '" + dataset + "'");
}

std::int64_t HeadOfficeApplied(headoffice::IngestService& service, const std::string& kiosk, const std::string& dataset) {
    for (const auto& k : Ok(service.ListKiosks())) {
        if (k.code == kiosk) return k.datasets.contains(dataset) ? k.datasets.at(dataset) : 0;
    }
    return -1;
}

// A signed pull reporting `have`, as a kiosk sends it.
DownstreamReply Pull(const std::string& url, const Credentials& who, const std::map<std::string, std::int64_t>& have) {
    const std::string body = EncodeDownstreamRequest({who.kiosk, have, std::nullopt});
    Headers headers = Ok(SignRequest("POST", kDownstreamPath, who.kiosk, who.secret, NowMs(), body));
    HttpResponse response = Ok(SendHttp("POST", url + std::string(kDownstreamPath), headers, body));
    REQUIRE(response.status == 200);
    return Ok(ParseDownstreamReply(response.body));
}

std::string Items(const std::vector<core::Product>& products) { return Ok(wire::EncodeCatalogItems(products)); }

core::Product MakeProduct(const std::string& first12, core::Money price) {
    return core::Product{storage::test::MakeGtin(first12), "SKU-" + first12, {"产品", "產品", "Product"}, "phone", price, "sanbao",
                         false, {}};
}

}  // namespace

TEST_CASE("a bad catalog or policy file is refused with its line and nothing is published", "[sync][downstream]") {
    storage::test::TempDir dir;
    const std::string hoUrl = "sqlite:" + dir.File("ho.db").string();
    const auto bad = dir.File("catalog.csv");
    WriteFile(bad, kCatalogHeader + Product("6910000000006", "5659.00") + Product("6910000000013", "not-a-price"));
    std::string errors;
    CHECK(PublishCli(hoUrl, "catalog", bad, errors, dir.Path()) == 1);
    CHECK_THAT(errors, Catch::Contains(bad.string() + ":3") && Catch::Contains("nothing published"));

    const auto badPolicy = dir.File("policy.toml");
    WriteFile(badPolicy, ReadFile(std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "policy" / "sanbao.toml") + "\nnot toml at all [\n");
    CHECK(PublishCli(hoUrl, "policy", badPolicy, errors, dir.Path()) == 1);
    CHECK_THAT(errors, Catch::Contains(badPolicy.string() + ":"));

    auto service = Ok(headoffice::IngestService::Open(hoUrl));
    CHECK(Ok(service->CurrentVersions()).empty());
}

TEST_CASE("a published catalog is pulled and applied in one transaction, and a failure half-way keeps the old data",
          "[sync][downstream]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    const std::string hoUrl = "sqlite:" + dir.File("ho.db").string();
    FileTickets(kioskDb, 2);
    LocalHeadOffice ho(hoUrl);
    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));

    std::string errors;
    const auto catalog = dir.File("catalog.csv");
    WriteFile(catalog, kCatalogHeader + Product("6910000000006", "5659.00") + Product("6910000000013", "5129.00"));
    REQUIRE(PublishCli(hoUrl, "catalog", catalog, errors, dir.Path()) == 0);
    const auto staff = dir.File("staff.csv");
    WriteFile(staff, kStaffHeader + "E1001,王芳,supervisor,B-1001,yes\nE1002,李雷,technician,B-1002,yes\n");
    REQUIRE(PublishCli(hoUrl, "staff", staff, errors, dir.Path()) == 0);
    REQUIRE(PublishCli(hoUrl, "policy", std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "policy" / "sanbao.toml", errors,
                       dir.Path()) == 0);

    auto worker = Ok(SyncWorker::Open(kioskDb));
    DrainReport report = Ok(worker.Drain());
    CHECK(report.records == 2);
    CHECK(report.datasetsApplied == 3);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM products") == 2);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM staff WHERE active = 1") == 2);
    CHECK(Version(kioskDb, "catalog") == 1);
    CHECK(Version(kioskDb, "staff") == 1);
    {
        auto db = Ok(storage::Database::Open(kioskDb));
        auto policy = Ok(storage::DownstreamDocument(db, "policy"));
        REQUIRE(policy.has_value());
        CHECK(*policy == ReadFile(std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "policy" / "sanbao.toml"));
    }
    SyncStatus status = Ok(worker.Status());
    REQUIRE(status.datasets.size() == 3);
    CHECK(status.datasets[0].dataset == "catalog");
    CHECK(status.datasets[0].version == 1);
    // The follow-up pull reported the applied versions to head office.
    CHECK(HeadOfficeApplied(*ho.service, "S012-K1", "catalog") == 1);
    CHECK(HeadOfficeApplied(*ho.service, "S012-K1", "staff") == 1);

    // A local staff member holds badge B-9; the next staff version gives it to E1001. The catalog
    // change in the same pull is applied first, then the staff update fails: all of it rolls back.
    {
        auto store = storage::test::OpenStore(kioskDb);
        const core::Staff local{"L9", "本地", core::Role::Clerk, "B-9", true};
        Ok(store.ImportStaff(std::span(&local, 1), storage::test::kClerk, storage::test::At("2026-11-22T00:00:00Z")));
    }
    WriteFile(catalog, kCatalogHeader + Product("6910000000006", "4999.00"));
    REQUIRE(PublishCli(hoUrl, "catalog", catalog, errors, dir.Path()) == 0);
    WriteFile(staff, kStaffHeader + "E1001,王芳,supervisor,B-9,yes\n");
    REQUIRE(PublishCli(hoUrl, "staff", staff, errors, dir.Path()) == 0);
    auto failed = worker.Drain();
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == core::ErrorCode::Conflict);
    CHECK(KioskCount(kioskDb, "SELECT price FROM products WHERE gtin = '06910000000006'") == 565900);
    CHECK(Version(kioskDb, "catalog") == 1);
    CHECK(Version(kioskDb, "staff") == 1);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM audit_log WHERE action = 'downstream.apply'") == 3);

    // Head office publishes a fix: the kiosk takes both versions' changes as one delta each.
    WriteFile(staff, kStaffHeader + "E1001,王芳,supervisor,B-1001,yes\nE1003,张伟,technician,B-1003,yes\n");
    REQUIRE(PublishCli(hoUrl, "staff", staff, errors, dir.Path()) == 0);
    CHECK(Ok(worker.Drain()).datasetsApplied == 2);
    CHECK(KioskCount(kioskDb, "SELECT price FROM products WHERE gtin = '06910000000006'") == 499900);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM products") == 2);  // a delta keeps what it does not mention
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM staff WHERE active = 1") == 4);  // E1001-3 and L9
    CHECK(Version(kioskDb, "catalog") == 2);
    CHECK(Version(kioskDb, "staff") == 3);
    CHECK(HeadOfficeApplied(*ho.service, "S012-K1", "staff") == 3);
    CHECK(Ok(worker.Drain()).datasetsApplied == 0);
}

TEST_CASE("head office answers deltas since the kiosk's version, a snapshot when it is new, too far behind or ahead",
          "[sync][downstream]") {
    storage::test::TempDir dir;
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    Credentials k1 = EnrolRaw(ho, "S012", "K1");
    CHECK(Pull(ho.Url(), k1, {}).updates.empty());  // nothing published yet

    CHECK(Ok(ho.service->Publish("catalog", Items({MakeProduct("691000000001", 100), MakeProduct("691000000002", 200)}), "v1")) == 1);
    for (int v = 2; v <= 13; ++v) {
        CHECK(Ok(ho.service->Publish("catalog", Items({MakeProduct("691000000001", 100 + v)}), "v")) == v);
    }
    const auto only = [](const DownstreamReply& reply) {
        REQUIRE(reply.updates.size() == 1);
        return reply.updates.front();
    };
    wire::DatasetUpdate fresh = only(Pull(ho.Url(), k1, {}));
    CHECK(fresh.snapshot);
    CHECK(fresh.toVersion == 13);
    CHECK(Json::parse(fresh.items).size() == 2);
    CHECK(Json::parse(fresh.items)[0]["price"] == 113);

    wire::DatasetUpdate delta = only(Pull(ho.Url(), k1, {{"catalog", 5}}));
    CHECK_FALSE(delta.snapshot);
    CHECK(delta.fromVersion == 5);
    CHECK(delta.toVersion == 13);
    CHECK(Json::parse(delta.items).size() == 1);  // only what changed after version 5, merged

    CHECK(only(Pull(ho.Url(), k1, {{"catalog", 13 - kMaxDeltaVersions}})).snapshot == false);
    CHECK(only(Pull(ho.Url(), k1, {{"catalog", 13 - kMaxDeltaVersions - 1}})).snapshot);
    CHECK(only(Pull(ho.Url(), k1, {{"catalog", 40}})).snapshot);  // head office restored from an older backup
    CHECK(Pull(ho.Url(), k1, {{"catalog", 13}}).updates.empty());
    CHECK(HeadOfficeApplied(*ho.service, "S012-K1", "catalog") == 13);
}

TEST_CASE("a kiosk far behind takes a snapshot that replaces the catalog, and staff and sales arrive as deltas",
          "[sync][downstream]") {
    storage::test::TempDir dir;
    const auto kioskDb = dir.File("kiosk.db");
    FileTickets(kioskDb, 0);
    LocalHeadOffice ho("sqlite:" + dir.File("ho.db").string());
    Ok(Enrol(kioskDb, ho.Url(), Ok(ho.service->AddKiosk("S012", "K1"))));
    const std::filesystem::path demo = std::filesystem::path(KIOSK_TEST_ASSET_DIR) / "demo";
    std::vector<core::Sale> sales;
    for (auto& row : Ok(importer::ParseSalesCsv(ReadFile(demo / "sales.csv"), "sales.csv"))) sales.push_back(row.value);
    std::vector<core::Staff> staff;
    for (auto& row : Ok(importer::ParseStaffCsv(ReadFile(demo / "staff.csv"), "staff.csv"))) staff.push_back(row.value);
    REQUIRE(sales.size() >= 3);
    REQUIRE(staff.size() >= 2);

    Ok(ho.service->Publish("catalog", Items({MakeProduct("691000000001", 100)}), "v1"));
    Ok(ho.service->Publish("sales", Ok(wire::EncodeSalesItems(std::span(sales).first(2))), "s1"));
    Ok(ho.service->Publish("staff", Ok(wire::EncodeStaffItems(staff)), "t1"));
    auto worker = Ok(SyncWorker::Open(kioskDb));
    CHECK(Ok(worker.Drain()).datasetsApplied == 3);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM sales") == 2);

    // Offline for a while: the catalog moves on by more than kMaxDeltaVersions versions, and a product
    // known only locally is not in head office's catalog any more.
    {
        auto store = storage::test::OpenStore(kioskDb);
        const core::Product local = MakeProduct("691000000099", 5);
        Ok(store.ImportProducts(std::span(&local, 1), storage::test::kClerk, storage::test::At("2026-11-22T00:00:00Z")));
    }
    for (int v = 2; v <= 3 + kMaxDeltaVersions; ++v) {
        Ok(ho.service->Publish("catalog", Items({MakeProduct("691000000002", 100 * v)}), "v"));
    }
    // Staff: one person leaves; sales: a new order.
    core::Staff leaver = staff.front();
    leaver.active = false;
    Ok(ho.service->Publish("staff", Ok(wire::EncodeStaffItems(std::span(&leaver, 1))), "t2"));
    Ok(ho.service->Publish("sales", Ok(wire::EncodeSalesItems(std::span(sales).subspan(2, 1))), "s2"));

    CHECK(Ok(worker.Drain()).datasetsApplied == 3);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM products") == 2);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM products WHERE gtin LIKE '%69100000009%'") == 0);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM audit_log WHERE action = 'downstream.apply' AND entity = 'catalog' "
                              "AND json_extract(after, '$.snapshot') = 1") == 2);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM audit_log WHERE action = 'downstream.apply' AND entity = 'staff' "
                              "AND json_extract(after, '$.snapshot') = 0") == 1);
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM sales") == 3);
    CHECK(KioskCount(kioskDb, "SELECT active FROM staff WHERE staff_no = '" + leaver.staffNo + "'") == 0);
    const auto active = std::count_if(staff.begin(), staff.end(), [](const core::Staff& s) { return s.active; });
    CHECK(KioskCount(kioskDb, "SELECT count(*) FROM staff WHERE active = 1") == active - (staff.front().active ? 1 : 0));
    CHECK(Version(kioskDb, "catalog") == 3 + kMaxDeltaVersions);
    CHECK(Version(kioskDb, "sales") == 2);
    CHECK(HeadOfficeApplied(*ho.service, "S012-K1", "sales") == 2);
}
