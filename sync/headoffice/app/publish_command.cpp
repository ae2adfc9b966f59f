// `publish catalog|policy|sla|calendar|faq|scripts|staff|sales FILE`: checks the file with the parsers the kiosk itself
// uses, then stores it as the next version of the data set; a file with any bad line publishes nothing.
#include <nlohmann/json.hpp>

#include <iostream>
#include <vector>

#include "kiosk/config/published_data.hpp"
#include "kiosk/config/text_file.hpp"
#include "kiosk/importer/csv_import.hpp"
#include "sync/wire/datasets.hpp"
#include "sync/headoffice/app/commands.hpp"
#include "sync/headoffice/ingest_service.hpp"

namespace kiosk::sync::headoffice::app {
namespace {

template <class T>
std::vector<T> Values(std::vector<importer::Row<T>> rows) {
    std::vector<T> out;
    out.reserve(rows.size());
    for (auto& row : rows) out.push_back(std::move(row.value));
    return out;
}

}  // namespace

core::Result<CheckedUpload> CheckDataFile(std::string_view datasetName, std::string_view content, std::string_view fileName) {
    const std::string dataset(datasetName);
    const std::string file(fileName);
    const std::string text(content);
    const auto encoded = [](auto rows, auto encode) -> core::Result<CheckedUpload> {
        if (!rows) return std::unexpected(rows.error());
        auto values = Values(std::move(*rows));
        auto items = encode(values);
        if (!items) return std::unexpected(items.error());
        return CheckedUpload{std::move(*items), values.size()};
    };
    if (dataset == "catalog") return encoded(importer::ParseCatalogCsv(text, file), [](const auto& v) { return wire::EncodeCatalogItems(v); });
    if (dataset == "sales") return encoded(importer::ParseSalesCsv(text, file), [](const auto& v) { return wire::EncodeSalesItems(v); });
    if (dataset == "staff") return encoded(importer::ParseStaffCsv(text, file), [](const auto& v) { return wire::EncodeStaffItems(v); });
    if (config::IsPublishedDocument(dataset)) {
        if (auto ok = config::CheckPublishedDocument(dataset, text, file); !ok) return std::unexpected(ok.error());
    } else {
        return core::Fail(core::ErrorCode::InvalidInput, "unknown data set '" + dataset + "' (catalog, policy, sla, calendar, faq, scripts, notifications, staff or sales)");
    }
    return CheckedUpload{text, 1};
}

namespace {

// The file's content in publishable form, or the parser's "FILE:LINE: what" reasons.
core::Result<CheckedUpload> Check(const std::string& dataset, const std::string& file) {
    auto text = config::ReadTextFile(file);
    if (!text) return std::unexpected(text.error());
    return CheckDataFile(dataset, *text, file);
}

core::Result<void> Publish(const std::string& db, const std::string& dataset, const std::string& file, bool json) {
    auto checked = Check(dataset, file);
    if (!checked) {
        auto error = checked.error();
        error.message = "nothing published: " + error.message;
        return std::unexpected(std::move(error));
    }
    auto service = IngestService::Open(db);
    if (!service) return std::unexpected(service.error());
    auto version = (*service)->Publish(dataset, checked->content, file);
    if (!version) return std::unexpected(version.error());
    if (auto ok = AuditCommand(**service, "publish", dataset, "version " + std::to_string(*version) + " from " + file); !ok) return ok;
    if (json) {
        std::cout << nlohmann::ordered_json{{"dataset", dataset}, {"version", *version}, {"items", checked->count}}.dump() << "\n";
    } else {
        std::cout << "Published " << dataset << " version " << *version << " (" << checked->count
                  << (wire::IsDocumentDataset(dataset) ? " document" : " items") << ") from " << file << "\n";
    }
    return {};
}

struct PublishOptions {
    std::string dataset;
    std::string file;
    bool json = false;
};

}  // namespace

void AddPublishCommand(CLI::App& cli, CommandEnv& env) {
    auto options = std::make_shared<PublishOptions>();
    auto* publish = cli.add_subcommand("publish", "check a data file as the kiosk would and publish it as a new version");
    publish->add_option("DATASET", options->dataset, "catalog, policy, sla, calendar, faq, scripts, notifications, staff or sales")
        ->required()
        ->check(CLI::IsMember(std::vector<std::string>(wire::kDatasets.begin(), wire::kDatasets.end())));
    publish->add_option("FILE", options->file, "CSV (catalog, staff, sales) or TOML (policy, sla, calendar, faq, scripts, notifications)")->required();
    publish->add_flag("--json", options->json);
    publish->callback([&env, options] { env.outcome = Publish(env.db, options->dataset, options->file, options->json); });
}

}  // namespace kiosk::sync::headoffice::app
