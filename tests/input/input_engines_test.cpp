// The Chinese input engines against the real libgooglepinyin dictionary, OpenCC and the tegaki model.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "kiosk/input/handwriting_engine.hpp"
#include "kiosk/input/pinyin_engine.hpp"
#include "kiosk/input/to_traditional.hpp"

namespace {

using kiosk::core::InkStroke;
using kiosk::core::Script;
using namespace kiosk::input;

// One engine per process (libgooglepinyin keeps its decoder in globals).
PinyinEngine& Pinyin() {
    static ToTraditional traditional;
    static PinyinEngine engine(DefaultPinyinDictionary(), "", traditional);
    engine.SetScript(Script::Simplified);
    engine.Clear();
    return engine;
}

void Type(PinyinEngine& engine, std::string_view letters) {
    for (char c : letters) REQUIRE(engine.AddLetter(c));
}

struct Sample {
    std::string character;
    std::vector<InkStroke> strokes;
};

std::vector<Sample> Samples() {
    std::ifstream in(std::string(KIOSK_TEST_DATA_DIR) + "/handwriting/strokes.txt");
    REQUIRE(in);
    std::vector<Sample> samples;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        Sample sample;
        words >> sample.character;
        sample.strokes.emplace_back();
        std::string word;
        while (words >> word) {
            if (word == "|") {
                sample.strokes.emplace_back();
                continue;
            }
            const auto comma = word.find(',');
            sample.strokes.back().push_back({std::stof(word.substr(0, comma)), std::stof(word.substr(comma + 1))});
        }
        samples.push_back(std::move(sample));
    }
    return samples;
}

}  // namespace

TEST_CASE("pingmushanshuo gives 屏幕闪烁 first, and choosing it commits the sentence") {
    auto& engine = Pinyin();
    Type(engine, "pingmushanshuo");
    CHECK(engine.Preedit() == "ping'mu'shan'shuo");
    REQUIRE(engine.CandidateCount() > 0);
    CHECK(engine.Candidates(0, 6).front() == "屏幕闪烁");
    CHECK(engine.Choose(0) == "屏幕闪烁");
    CHECK_FALSE(engine.Composing());
    CHECK(engine.Predicting());
    CHECK(engine.CandidateCount() > 0);
}

TEST_CASE("pingmu then shanshuo, word by word, gives 屏幕 and 闪烁") {
    auto& engine = Pinyin();
    Type(engine, "pingmu");
    CHECK(engine.Candidates(0, 1).front() == "屏幕");
    CHECK(engine.Choose(0) == "屏幕");
    Type(engine, "shanshuo");
    CHECK_FALSE(engine.Predicting());
    CHECK(engine.Candidates(0, 1).front() == "闪烁");
    CHECK(engine.Choose(0) == "闪烁");
}

TEST_CASE("choosing part of a sentence keeps composing the rest, back un-chooses, then deletes letters") {
    auto& engine = Pinyin();
    Type(engine, "pingmushanshuo");
    const auto page = engine.Candidates(0, 6);
    const auto single = std::find(page.begin(), page.end(), "屏幕");
    REQUIRE(single != page.end());
    CHECK(engine.Choose(static_cast<std::size_t>(single - page.begin())).empty());
    CHECK(engine.Preedit() == "屏幕shan'shuo");
    CHECK(engine.Candidates(0, 1).front() == "闪烁");
    REQUIRE(engine.Back());
    CHECK(engine.Preedit() == "ping'mu'shan'shuo");
    REQUIRE(engine.Back());
    CHECK(engine.Preedit().ends_with("shu"));
    for (int i = 0; i < 13; ++i) REQUIRE(engine.Back());
    CHECK_FALSE(engine.Composing());
    CHECK_FALSE(engine.Back());
}

TEST_CASE("Traditional candidates: 屏幕闪烁 is written 屏幕閃爍") {
    auto& engine = Pinyin();
    engine.SetScript(Script::Traditional);
    Type(engine, "pingmushanshuo");
    CHECK(engine.Candidates(0, 1).front() == "屏幕閃爍");
    CHECK(engine.Choose(0) == "屏幕閃爍");
    ToTraditional traditional;
    CHECK(traditional.Convert("屏幕闪烁") == "屏幕閃爍");
}

TEST_CASE("a spelling without characters gives no candidates and choosing does nothing") {
    auto& engine = Pinyin();
    Type(engine, "vvvv");
    CHECK(engine.Composing());
    CHECK(engine.CandidateCount() == 0);
    CHECK(engine.Candidates(0, 6).empty());
    CHECK(engine.Choose(0).empty());
    CHECK(engine.Composing());
}

TEST_CASE("300 letters are capped at the composition's limit without a crash") {
    auto& engine = Pinyin();
    std::size_t accepted = 0;
    for (int i = 0; i < 300; ++i) accepted += engine.AddLetter("shanshuo"[i % 8]) ? 1U : 0U;
    CHECK(accepted == kMaxPinyinLetters);
    CHECK(engine.CandidateCount() > 0);
    CHECK_FALSE(engine.Candidates(0, 6).empty());
    CHECK_FALSE(engine.Choose(0).empty());
}

TEST_CASE("a missing dictionary leaves pinyin unavailable, not crashed") {
    ToTraditional traditional;
    PinyinEngine engine("/nonexistent/dict_pinyin.dat", "", traditional);
    CHECK_FALSE(engine.Available());
    CHECK_FALSE(engine.AddLetter('a'));
    CHECK(engine.Candidates(0, 6).empty());
}

TEST_CASE("handwritten samples are recognised among the first 10 candidates") {
    ToTraditional traditional;
    HandwritingEngine engine(DefaultHandwritingModel(), traditional);
    REQUIRE(engine.Open());
    for (const auto& sample : Samples()) {
        INFO("sample " << sample.character);
        const auto candidates = engine.Recognize(sample.strokes, 10);
        CHECK(std::find(candidates.begin(), candidates.end(), sample.character) != candidates.end());
    }
}

namespace {

// Whether the process maps the handwriting model (recognition reads all of it: 26 MB resident).
bool ModelMapped() {
    std::ifstream maps("/proc/self/maps");
    const std::string name = DefaultHandwritingModel().filename().string();
    std::string line;
    while (std::getline(maps, line)) {
        if (line.find(name) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("releasing the recogniser unmaps the model, and the next strokes open it again") {
    ToTraditional traditional;
    HandwritingEngine engine(DefaultHandwritingModel(), traditional);
    const auto samples = Samples();
    REQUIRE_FALSE(samples.empty());
    CHECK_FALSE(engine.Recognize(samples.front().strokes, 10).empty());
    CHECK(ModelMapped());
    engine.Release();
    CHECK_FALSE(ModelMapped());
    const auto again = engine.Recognize(samples.front().strokes, 10);
    CHECK(std::find(again.begin(), again.end(), samples.front().character) != again.end());
    CHECK(ModelMapped());
}

TEST_CASE("strokes outside the pad are dropped, no strokes give no candidates") {
    ToTraditional traditional;
    HandwritingEngine engine(DefaultHandwritingModel(), traditional);
    CHECK(engine.Recognize({}, 10).empty());
    CHECK(engine.Recognize({InkStroke{{-3.0f, 5.0f}, {2.0f, -1.0f}}}, 10).empty());
    const InkStroke across{{0.1f, 0.5f}, {0.5f, 0.5f}, {0.9f, 0.5f}};
    const InkStroke outside{{1.5f, 1.5f}, {4.0f, 9.0f}};
    const auto candidates = engine.Recognize({across, outside}, 10);
    REQUIRE_FALSE(candidates.empty());
    CHECK(candidates.front() == "一");
}

TEST_CASE("a missing model leaves handwriting unavailable, not crashed") {
    ToTraditional traditional;
    HandwritingEngine engine("/nonexistent/handwriting.model", traditional);
    CHECK_FALSE(engine.Available());
    CHECK(engine.Recognize({InkStroke{{0.1f, 0.5f}, {0.9f, 0.5f}}}, 10).empty());
}

TEST_CASE("clearing forgets the composition, the predictions and what they were made from") {
    auto& engine = Pinyin();
    Type(engine, "pingmu");
    REQUIRE(engine.Choose(0) == "屏幕");
    REQUIRE(engine.Predicting());
    engine.Clear();
    CHECK_FALSE(engine.Predicting());
    CHECK_FALSE(engine.Composing());
    CHECK(engine.CandidateCount() == 0);
    CHECK_FALSE(engine.Back());
}
