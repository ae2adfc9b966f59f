// Chinese input benchmark: a pinyin keystroke through our engine (look-up and the candidate page the
// keyboard shows, Simplified and Traditional) against a bare libgooglepinyin search of the same
// letters; handwriting recognition of the test samples against a bare zinnia classification; and the
// time to open the pinyin dictionary and the handwriting model.
#include <pinyinime.h>
#include <zinnia.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/input/handwriting_engine.hpp"
#include "kiosk/input/pinyin_engine.hpp"
#include "kiosk/input/to_traditional.hpp"

using namespace kiosk;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRounds = 20;
constexpr std::size_t kPage = 6;

// What customers write at an after-sales counter, as typed (whole sentences, at most 16 letters).
const char* const kSpellings[] = {
    "pingmushanshuo", "dianchibunaiyong", "chongbujindian", "kaijihenman",   "shoujifare",
    "lanyalianbushang", "pingmusuile",    "wufakaiji",      "shengyinxiao",  "xiangtoumohu",
    "zhiwenshibie",     "wifiduanlian",   "chongdianqi",    "huaping",       "sixuanxiang",
};

double Micros(Clock::time_point since) { return std::chrono::duration<double, std::micro>(Clock::now() - since).count(); }

struct Row {
    const char* what;
    std::vector<double> micros;
};

void Print(const std::vector<Row>& rows) {
    std::printf("%-58s %8s %10s %10s\n", "", "samples", "p50 µs", "p99 µs");
    for (Row row : rows) {
        std::sort(row.micros.begin(), row.micros.end());
        const auto at = [&](double q) { return row.micros[std::min(row.micros.size() - 1, static_cast<std::size_t>(q * static_cast<double>(row.micros.size())))]; };
        std::printf("%-58s %8zu %10.1f %10.1f\n", row.what, row.micros.size(), at(0.50), at(0.99));
    }
}

std::vector<std::vector<core::InkStroke>> Samples() {
    std::ifstream in(KIOSK_BENCH_HANDWRITING);
    std::vector<std::vector<core::InkStroke>> samples;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string word;
        words >> word;  // the character
        samples.emplace_back(1);
        while (words >> word) {
            if (word == "|") {
                samples.back().emplace_back();
                continue;
            }
            const auto comma = word.find(',');
            samples.back().back().push_back({std::stof(word.substr(0, comma)), std::stof(word.substr(comma + 1))});
        }
    }
    return samples;
}

}  // namespace

int main() {
    const std::string dictionary = input::DefaultPinyinDictionary().string();
    const std::string model = input::DefaultHandwritingModel().string();
    std::vector<Row> rows;

    // Opening the dictionary: bare, then through the engine (which also checks the file).
    Row bareOpen{"pinyin dictionary open, bare im_open_decoder", {}};
    for (int i = 0; i < kRounds; ++i) {
        const auto start = Clock::now();
        if (!ime_pinyin::im_open_decoder(dictionary.c_str(), "/dev/null")) {
            std::fprintf(stderr, "input_bench: cannot open %s\n", dictionary.c_str());
            return 1;
        }
        bareOpen.micros.push_back(Micros(start));
        ime_pinyin::im_close_decoder();
    }
    rows.push_back(bareOpen);
    input::ToTraditional traditional;
    traditional.Convert("预热");  // OpenCC's dictionaries load on first use; timed separately below
    Row engineOpen{"pinyin dictionary open, PinyinEngine (construct + Open)", {}};
    for (int i = 0; i < kRounds; ++i) {
        const auto start = Clock::now();
        input::PinyinEngine engine(dictionary, "", traditional);
        engine.Open();
        engineOpen.micros.push_back(Micros(start));
    }
    rows.push_back(engineOpen);

    // A keystroke: bare = im_search of the letters so far and six candidates fetched; ours = AddLetter
    // and the page of six the keyboard draws.
    Row bareKey{"keystroke, bare im_search + 6 im_get_candidate", {}};
    ime_pinyin::im_open_decoder(dictionary.c_str(), "/dev/null");
    for (int round = 0; round < kRounds; ++round) {
        for (const char* spelling : kSpellings) {
            ime_pinyin::im_reset_search();
            const std::string letters(spelling);
            for (std::size_t n = 1; n <= letters.size(); ++n) {
                const auto start = Clock::now();
                const std::size_t count = ime_pinyin::im_search(letters.data(), n);
                ime_pinyin::char16 buffer[64];
                for (std::size_t i = 0; i < std::min(count, kPage); ++i) ime_pinyin::im_get_candidate(i, buffer, 63);
                bareKey.micros.push_back(Micros(start));
            }
        }
    }
    ime_pinyin::im_close_decoder();
    rows.push_back(bareKey);
    {
        input::PinyinEngine engine(dictionary, "", traditional);
        engine.Open();
        for (const auto script : {core::Script::Simplified, core::Script::Traditional}) {
            engine.SetScript(script);
            Row ours{script == core::Script::Simplified ? "keystroke, PinyinEngine AddLetter + page of 6 (Simplified)"
                                                        : "keystroke, PinyinEngine AddLetter + page of 6 (Traditional)",
                     {}};
            for (int round = 0; round < kRounds; ++round) {
                for (const char* spelling : kSpellings) {
                    engine.Clear();
                    for (const char* c = spelling; *c != '\0'; ++c) {
                        const auto start = Clock::now();
                        engine.AddLetter(*c);
                        const auto page = engine.Candidates(0, kPage);
                        ours.micros.push_back(Micros(start));
                    }
                }
            }
            rows.push_back(ours);
        }
        Row choose{"choose the first candidate (commit + predictions)", {}};
        engine.SetScript(core::Script::Simplified);
        for (int round = 0; round < kRounds; ++round) {
            for (const char* spelling : kSpellings) {
                engine.Clear();
                for (const char* c = spelling; *c != '\0'; ++c) engine.AddLetter(*c);
                const auto start = Clock::now();
                const std::string committed = engine.Choose(0);
                const auto page = engine.Candidates(0, kPage);
                choose.micros.push_back(Micros(start));
            }
        }
        rows.push_back(choose);
    }

    // Handwriting: the model's open, then each sample recognised (10 candidates).
    const auto samples = Samples();
    if (samples.empty()) {
        std::fprintf(stderr, "input_bench: no handwriting samples in %s\n", KIOSK_BENCH_HANDWRITING);
        return 1;
    }
    Row modelOpen{"handwriting model open, bare zinnia_recognizer_open", {}};
    zinnia_recognizer_t* recognizer = nullptr;
    for (int i = 0; i < 5; ++i) {
        if (recognizer != nullptr) zinnia_recognizer_destroy(recognizer);
        const auto start = Clock::now();
        recognizer = zinnia_recognizer_new();
        if (zinnia_recognizer_open(recognizer, model.c_str()) == 0) {
            std::fprintf(stderr, "input_bench: cannot open %s\n", model.c_str());
            return 1;
        }
        modelOpen.micros.push_back(Micros(start));
    }
    rows.push_back(modelOpen);
    Row bareHand{"recognise a character, bare zinnia classify (10)", {}};
    for (int round = 0; round < kRounds; ++round) {
        for (const auto& strokes : samples) {
            const auto start = Clock::now();
            zinnia_character_t* character = zinnia_character_new();
            zinnia_character_set_width(character, 1000);
            zinnia_character_set_height(character, 1000);
            for (std::size_t s = 0; s < strokes.size(); ++s) {
                for (const auto& p : strokes[s]) zinnia_character_add(character, s, static_cast<int>(p.x * 1000), static_cast<int>(p.y * 1000));
            }
            zinnia_result_t* result = zinnia_recognizer_classify(recognizer, character, 10);
            zinnia_result_destroy(result);
            zinnia_character_destroy(character);
            bareHand.micros.push_back(Micros(start));
        }
    }
    zinnia_recognizer_destroy(recognizer);
    rows.push_back(bareHand);
    input::HandwritingEngine hand(model, traditional);
    hand.Open();
    for (const auto script : {core::Script::Simplified, core::Script::Traditional}) {
        hand.SetScript(script);
        Row ours{script == core::Script::Simplified ? "recognise a character, HandwritingEngine (10, Simplified)"
                                                    : "recognise a character, HandwritingEngine (10, Traditional)",
                 {}};
        for (int round = 0; round < kRounds; ++round) {
            for (const auto& strokes : samples) {
                const auto start = Clock::now();
                const auto candidates = hand.Recognize(strokes, 10);
                ours.micros.push_back(Micros(start));
            }
        }
        rows.push_back(ours);
    }
    Row opencc{"OpenCC s2tw first use (dictionaries load)", {}};
    for (int i = 0; i < 5; ++i) {
        input::ToTraditional fresh;
        const auto start = Clock::now();
        fresh.Convert("屏幕闪烁");
        opencc.micros.push_back(Micros(start));
    }
    rows.push_back(opencc);
    Print(rows);
    return 0;
}
