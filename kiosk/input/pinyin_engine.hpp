// Pinyin composition on libgooglepinyin (Android's PinyinIME engine).
//
// - The library keeps one decoder per process: create one PinyinEngine and share it between keyboards.
// - The dictionary is opened on first use (a few milliseconds), not at start-up.
// - Compositions are capped at kMaxLetters: the library overruns a buffer at 17 or more letters.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/core/input_method.hpp"
#include "kiosk/input/to_traditional.hpp"

namespace kiosk::input {

inline constexpr std::size_t kMaxPinyinLetters = 16;

// Where Debian's libgooglepinyin0 installs its system dictionary.
std::filesystem::path DefaultPinyinDictionary();

class PinyinEngine final : public core::PinyinInput {
public:
    // `userDictionary`: where learnt phrases are kept (empty: a file beside nothing, i.e. /dev/null).
    PinyinEngine(std::filesystem::path dictionary, std::filesystem::path userDictionary, ToTraditional& traditional);
    ~PinyinEngine() override;
    PinyinEngine(const PinyinEngine&) = delete;
    PinyinEngine& operator=(const PinyinEngine&) = delete;

    // Opens the dictionary now; false (logged once) when it cannot be opened.
    bool Open();

    bool Available() const override { return !m_failed; }
    std::size_t MaxLetters() const override { return kMaxPinyinLetters; }
    void SetScript(core::Script script) override { m_script = script; }
    void Clear() override;
    bool AddLetter(char letter) override;
    bool Back() override;
    std::string Choose(std::size_t index) override;
    bool Composing() const override { return !m_letters.empty(); }
    bool Predicting() const override { return !m_predictions.empty(); }
    std::string Preedit() const override;
    std::size_t CandidateCount() const override;
    std::vector<std::string> Candidates(std::size_t first, std::size_t count) override;

private:
    std::string InScript(std::string simplified);
    std::string RawCandidate(std::size_t index) const;  // Simplified, as the engine gives it
    void Predict();

    std::filesystem::path m_dictionary;
    std::filesystem::path m_userDictionary;
    ToTraditional& m_traditional;
    core::Script m_script = core::Script::Simplified;
    bool m_open = false;
    bool m_failed = false;
    std::string m_letters;                  // the spelling typed so far
    std::size_t m_count = 0;                // candidates of the composition
    std::u16string m_history;               // the last committed text, for predictions
    std::vector<std::u16string> m_predictions;
};

}  // namespace kiosk::input
