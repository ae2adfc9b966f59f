// `kioskctl scan` over the committed barcode images, compared line by line with the expected JSON
// lines beside them (tests/data/barcodes/expected.jsonl): one line per code, an error line for an
// image without one.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kCorpus = fs::path(KIOSK_TEST_DATA_DIR) / "barcodes";

std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

std::string Slurp(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("kioskctl scan: the image corpus gives the expected lines", "[corpus]") {
    const std::vector<std::string> expected = Lines(Slurp(kCorpus / "expected.jsonl"));
    REQUIRE(expected.size() >= 6);
    // The images in the order the expected lines name them, each once.
    std::vector<std::string> images;
    std::size_t withoutCode = 0;
    for (const std::string& line : expected) {
        const Json j = Json::parse(line);
        const std::string image = j.at("image");
        REQUIRE(fs::exists(kCorpus / image));
        CHECK(fs::file_size(kCorpus / image) <= 10 * 1024);
        if (images.empty() || images.back() != image) images.push_back(image);
        if (j.contains("error")) ++withoutCode;
    }

    kiosk::testing::TempDir dir;
    // Relative names, run from the corpus folder, so the lines do not depend on where the tree is.
    std::string command = "cd '" + kCorpus.string() + "' && '" + std::string(KIOSKCTL_PATH) + "' scan";
    for (const std::string& image : images) command += " '" + image + "'";
    command += " >'" + dir.File("out.txt").string() + "' 2>'" + dir.File("err.txt").string() + "'";
    const int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    const std::string err = Slurp(dir.File("err.txt"));
    INFO(err);
    if (withoutCode > 0) {
        CHECK(WEXITSTATUS(status) != 0);
        CHECK(err.find(std::to_string(withoutCode) + " of " + std::to_string(images.size()) +
                       " images had no readable code") != std::string::npos);
    } else {
        CHECK(WEXITSTATUS(status) == 0);
    }

    const std::vector<std::string> actual = Lines(Slurp(dir.File("out.txt")));
    CHECK(actual.size() == expected.size());
    for (std::size_t i = 0; i < std::min(actual.size(), expected.size()); ++i) {
        INFO("line " << i + 1);
        CHECK(Json::parse(actual[i]) == Json::parse(expected[i]));
    }
}
