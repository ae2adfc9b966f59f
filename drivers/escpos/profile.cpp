// Profile loading: a small TOML schema with the same positioned errors as the kiosk's data files.
#include "drivers/escpos/profile.hpp"

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <toml++/toml.h>

namespace kiosk::drivers::escpos {
namespace {

using core::ErrorCode;
using core::Fail;

class Reader {
public:
    explicit Reader(std::string source) : m_source(std::move(source)) {}

    core::Error At(const toml::node& node, const std::string& message) const {
        const auto& begin = node.source().begin;
        std::string where = m_source;
        if (begin.line != 0) where += ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column);
        return core::Error{ErrorCode::InvalidInput, where + ": " + message};
    }

    Result<const toml::table*> Table(const toml::table& parent, std::string_view key) const {
        const toml::node* node = parent.get(key);
        if (node == nullptr) return std::unexpected(At(parent, "missing table [" + std::string(key) + "]"));
        if (!node->is_table()) return std::unexpected(At(*node, "'" + std::string(key) + "' must be a table"));
        return node->as_table();
    }

    Result<std::string> String(const toml::table& table, std::string_view key) const {
        const toml::node* node = table.get(key);
        if (node == nullptr) return std::unexpected(At(table, "missing '" + std::string(key) + "'"));
        if (auto value = node->value<std::string>()) return *value;
        return std::unexpected(At(*node, "'" + std::string(key) + "' must be a string"));
    }

    Result<int> Integer(const toml::table& table, std::string_view key, int low, int high) const {
        const toml::node* node = table.get(key);
        if (node == nullptr) return std::unexpected(At(table, "missing '" + std::string(key) + "'"));
        if (!node->is_integer()) return std::unexpected(At(*node, "'" + std::string(key) + "' must be an integer"));
        const std::int64_t value = node->as_integer()->get();
        if (value < low || value > high) {
            return std::unexpected(At(*node, "'" + std::string(key) + "' must be between " + std::to_string(low) +
                                                 " and " + std::to_string(high)));
        }
        return static_cast<int>(value);
    }

    Result<bool> Bool(const toml::table& table, std::string_view key) const {
        const toml::node* node = table.get(key);
        if (node == nullptr) return std::unexpected(At(table, "missing '" + std::string(key) + "'"));
        if (auto value = node->value<bool>()) return *value;
        return std::unexpected(At(*node, "'" + std::string(key) + "' must be true or false"));
    }

    Result<void> OnlyKeys(const toml::table& table, std::initializer_list<std::string_view> known) const {
        for (const auto& [key, node] : table) {
            if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
                return std::unexpected(At(node, "unknown key '" + std::string(key.str()) + "'"));
            }
        }
        return {};
    }

private:
    std::string m_source;
};

Result<PrinterProfile> FromTable(const toml::table& root, const Reader& r) {
    PrinterProfile p;
    if (auto ok = r.OnlyKeys(root, {"id", "name", "usb", "paper", "fonts", "features"}); !ok) {
        return std::unexpected(ok.error());
    }
    auto id = r.String(root, "id");
    if (!id) return std::unexpected(id.error());
    p.id = *id;
    auto name = r.String(root, "name");
    if (!name) return std::unexpected(name.error());
    p.name = *name;
    if (const toml::node* usb = root.get("usb")) {
        const toml::array* list = usb->as_array();
        if (list == nullptr) return std::unexpected(r.At(*usb, "'usb' must be an array of \"VID:PID\" strings"));
        for (const toml::node& item : *list) {
            auto text = item.value<std::string>();
            if (!text || text->size() != 9 || (*text)[4] != ':') {
                return std::unexpected(r.At(item, "'usb' entries must look like \"04b8:0e15\""));
            }
            p.usbIds.push_back(*text);
        }
    }

    auto paper = r.Table(root, "paper");
    if (!paper) return std::unexpected(paper.error());
    if (auto ok = r.OnlyKeys(**paper, {"width_mm", "dots"}); !ok) return std::unexpected(ok.error());
    auto widthMm = r.Integer(**paper, "width_mm", 40, 120);
    if (!widthMm) return std::unexpected(widthMm.error());
    auto dots = r.Integer(**paper, "dots", 128, 1024);
    if (!dots) return std::unexpected(dots.error());
    if (*dots % 8 != 0) return std::unexpected(r.At(*(*paper)->get("dots"), "'dots' must be a multiple of 8"));
    p.paperWidthMm = *widthMm;
    p.dots = *dots;

    auto fonts = r.Table(root, "fonts");
    if (!fonts) return std::unexpected(fonts.error());
    if (auto ok = r.OnlyKeys(**fonts, {"a_columns", "b_columns"}); !ok) return std::unexpected(ok.error());
    auto a = r.Integer(**fonts, "a_columns", 16, p.dots / 12);
    if (!a) return std::unexpected(a.error());
    auto b = r.Integer(**fonts, "b_columns", 16, p.dots / 9);
    if (!b) return std::unexpected(b.error());
    p.columnsFontA = *a;
    p.columnsFontB = *b;

    auto features = r.Table(root, "features");
    if (!features) return std::unexpected(features.error());
    if (auto ok = r.OnlyKeys(**features, {"native_qr", "native_code128", "cutter", "status", "cjk"}); !ok) {
        return std::unexpected(ok.error());
    }
    auto qr = r.Bool(**features, "native_qr");
    if (!qr) return std::unexpected(qr.error());
    auto code128 = r.Bool(**features, "native_code128");
    if (!code128) return std::unexpected(code128.error());
    auto cutter = r.Bool(**features, "cutter");
    if (!cutter) return std::unexpected(cutter.error());
    auto status = r.Bool(**features, "status");
    if (!status) return std::unexpected(status.error());
    auto cjk = r.String(**features, "cjk");
    if (!cjk) return std::unexpected(cjk.error());
    p.nativeQr = *qr;
    p.nativeCode128 = *code128;
    p.cutter = *cutter;
    p.status = *status;
    if (*cjk == "none") {
        p.cjk = CjkMode::None;
    } else if (*cjk == "gb18030") {
        p.cjk = CjkMode::Gb18030;
    } else if (*cjk == "big5") {
        p.cjk = CjkMode::Big5;
    } else {
        return std::unexpected(r.At(*(*features)->get("cjk"), "'cjk' must be \"gb18030\", \"big5\" or \"none\""));
    }
    return p;
}

}  // namespace

std::string_view ToString(CjkMode mode) {
    switch (mode) {
        case CjkMode::Gb18030: return "gb18030";
        case CjkMode::Big5: return "big5";
        case CjkMode::None: break;
    }
    return "none";
}

Result<PrinterProfile> ParseProfile(std::string_view text, std::string_view sourceName) {
    toml::table root;
    try {
        root = toml::parse(text, sourceName);
    } catch (const toml::parse_error& error) {
        const auto& where = error.source().begin;
        return Fail(ErrorCode::InvalidInput, std::string(sourceName) + ":" + std::to_string(where.line) + ":" +
                                                 std::to_string(where.column) + ": " +
                                                 std::string(error.description()));
    }
    return FromTable(root, Reader(std::string(sourceName)));
}

Result<PrinterProfile> LoadProfile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Fail(ErrorCode::NotFound, file.string() + ": no such printer profile");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return Fail(ErrorCode::Storage, file.string() + ": read error");
    auto profile = ParseProfile(text.str(), file.string());
    if (profile && profile->id != file.stem().string()) {
        return Fail(ErrorCode::InvalidInput,
                    file.string() + ": id \"" + profile->id + "\" differs from the file name");
    }
    return profile;
}

Result<PrinterProfile> LoadProfileByName(const std::filesystem::path& directory, std::string_view name) {
    const std::vector<std::string> known = ListProfiles(directory);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        return Fail(ErrorCode::NotFound, "unknown printer profile \"" + std::string(name) + "\" (known: " +
                                             (list.empty() ? "none in " + directory.string() : list) + ")");
    }
    return LoadProfile(directory / (std::string(name) + ".toml"));
}

std::vector<std::string> ListProfiles(const std::filesystem::path& directory) {
    std::vector<std::string> names;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".toml") names.push_back(it->path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace kiosk::drivers::escpos
