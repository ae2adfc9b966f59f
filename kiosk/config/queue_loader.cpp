// The queue services TOML file: [[service]] tables with an id, a letter prefix, names in three
// languages and an optional default service time.
#include "kiosk/config/queue_loader.hpp"

#include <set>
#include <string>

#include "kiosk/config/toml_reader.hpp"

namespace kiosk::config {

core::Result<core::QueueServices> LoadQueueServicesFile(const std::filesystem::path& path) {
    auto text = ReadTextFile(path);
    if (!text) return std::unexpected(text.error());
    return ParseQueueServices(*text, path.string());
}

core::Result<core::QueueServices> ParseQueueServices(std::string_view tomlText, std::string_view sourceName) {
    auto parsed = ParseToml(tomlText, sourceName);
    if (!parsed) return std::unexpected(parsed.error());
    const TomlReader reader{std::string(sourceName)};
    if (auto ok = reader.OnlyKeys(*parsed, {"service"}); !ok) return std::unexpected(ok.error());
    auto tables = reader.Tables(*parsed, "service");
    if (!tables) return std::unexpected(tables.error());
    if (tables->empty()) {
        return core::Fail(core::ErrorCode::InvalidInput, std::string(sourceName) + ": no [[service]] to take a number for");
    }
    core::QueueServices services;
    std::set<std::string> ids;
    std::set<char> prefixes;
    for (const toml::table* table : *tables) {
        if (auto ok = reader.OnlyKeys(*table, {"id", "prefix", "name", "minutes_per_customer"}); !ok) {
            return std::unexpected(ok.error());
        }
        core::QueueService service;
        auto id = reader.String(*table, "id");
        if (!id) return std::unexpected(id.error());
        if (id->empty()) return std::unexpected(reader.ErrorAt(*table, "a service with an empty id"));
        if (!ids.insert(*id).second) return std::unexpected(reader.ErrorAt(*table, "service '" + *id + "' appears twice"));
        service.id = *id;
        auto prefix = reader.String(*table, "prefix");
        if (!prefix) return std::unexpected(prefix.error());
        if (prefix->size() != 1 || (*prefix)[0] < 'A' || (*prefix)[0] > 'Z') {
            return std::unexpected(reader.ErrorAt(*table->get("prefix"), "service '" + *id + "': prefix '" + *prefix +
                                                                              "' is not one upper-case letter A-Z"));
        }
        if (!prefixes.insert((*prefix)[0]).second) {
            return std::unexpected(reader.ErrorAt(*table->get("prefix"), "service '" + *id + "': prefix " + *prefix +
                                                                              " is another service's already"));
        }
        service.prefix = (*prefix)[0];
        auto name = reader.Localized(*table, "name");
        if (!name) return std::unexpected(name.error());
        service.name = std::move(*name);
        if (const toml::node* minutes = table->get("minutes_per_customer")) {
            auto value = reader.Integer(*table, "minutes_per_customer");
            if (!value) return std::unexpected(value.error());
            if (*value < 1 || *value > 240) {
                return std::unexpected(reader.ErrorAt(*minutes, "service '" + *id + "': minutes_per_customer " +
                                                                    std::to_string(*value) + " is not within 1..240"));
            }
            service.defaultPerCustomer = std::chrono::minutes{*value};
        }
        services.services.push_back(std::move(service));
    }
    return services;
}

}  // namespace kiosk::config
