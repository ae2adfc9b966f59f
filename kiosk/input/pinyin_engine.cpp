// libgooglepinyin behind PinyinEngine.
#include "kiosk/input/pinyin_engine.hpp"

#include <chrono>
#include <cstdio>

#include <pinyinime.h>

#include "kiosk/input/utf.hpp"

namespace kiosk::input {

namespace gp = ime_pinyin;

std::filesystem::path DefaultPinyinDictionary() {
    return "/usr/lib/x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat";
}

PinyinEngine::PinyinEngine(std::filesystem::path dictionary, std::filesystem::path userDictionary,
                           ToTraditional& traditional)
    : m_dictionary(std::move(dictionary)), m_userDictionary(std::move(userDictionary)), m_traditional(traditional) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(m_dictionary, ec)) {
        std::fprintf(stderr, "kiosk: pinyin input off, no dictionary at %s\n", m_dictionary.string().c_str());
        m_failed = true;
    }
}

PinyinEngine::~PinyinEngine() {
    if (m_open) gp::im_close_decoder();
}

bool PinyinEngine::Open() {
    if (m_open || m_failed) return m_open;
    const std::string user = m_userDictionary.empty() ? std::string("/dev/null") : m_userDictionary.string();
    if (!gp::im_open_decoder(m_dictionary.string().c_str(), user.c_str())) {
        std::fprintf(stderr, "kiosk: pinyin input off, cannot open the dictionary %s\n", m_dictionary.string().c_str());
        m_failed = true;
        return false;
    }
    gp::im_set_max_lens(kMaxPinyinLetters, kMaxPinyinLetters);
    m_open = true;
    return true;
}

void PinyinEngine::Clear() {
    m_letters.clear();
    m_count = 0;
    // What one customer wrote is not kept to predict from for the next.
    m_history.clear();
    m_predictions.clear();
    if (m_open) gp::im_reset_search();
}

bool PinyinEngine::AddLetter(char letter) {
    if (letter < 'a' || letter > 'z' || m_letters.size() >= kMaxPinyinLetters || !Open()) return false;
    m_predictions.clear();
    m_letters += letter;
    m_count = gp::im_search(m_letters.data(), m_letters.size());
    return true;
}

bool PinyinEngine::Back() {
    m_predictions.clear();
    if (m_letters.empty() || !m_open) return false;
    if (gp::im_get_fixed_len() > 0) {
        m_count = gp::im_cancel_last_choice();
        return true;
    }
    m_letters.pop_back();
    if (m_letters.empty()) {
        Clear();
    } else {
        m_count = gp::im_delsearch(m_letters.size(), false, false);
    }
    return true;
}

std::string PinyinEngine::RawCandidate(std::size_t index) const {
    gp::char16 buffer[64] = {};
    if (gp::im_get_candidate(index, buffer, 63) == nullptr) return {};
    return Utf16ToUtf8(buffer);
}

std::string PinyinEngine::InScript(std::string simplified) {
    return m_script == core::Script::Traditional ? m_traditional.Convert(simplified) : simplified;
}

void PinyinEngine::Predict() {
    m_predictions.clear();
    if (m_history.empty()) return;
    gp::char16 history[gp::kMaxPredictSize + 1] = {};
    const std::size_t keep = std::min<std::size_t>(m_history.size(), gp::kMaxPredictSize);
    std::copy(m_history.end() - static_cast<std::ptrdiff_t>(keep), m_history.end(), history);
    gp::char16(*predictions)[gp::kMaxPredictSize + 1] = nullptr;
    const std::size_t n = gp::im_get_predicts(history, predictions);
    for (std::size_t i = 0; i < n && predictions != nullptr; ++i) m_predictions.emplace_back(reinterpret_cast<const char16_t*>(predictions[i]));
}

std::string PinyinEngine::Choose(std::size_t index) {
    if (!m_predictions.empty()) {
        if (index >= m_predictions.size()) return {};
        const std::u16string chosen = m_predictions[index];
        m_history = chosen;
        Predict();
        return InScript(Utf16ToUtf8(chosen));
    }
    if (m_letters.empty() || index >= m_count) return {};
    m_count = gp::im_choose(index);
    std::size_t decoded = 0;
    gp::im_get_sps_str(&decoded);
    const gp::uint16* starts = nullptr;
    const std::size_t syllables = gp::im_get_spl_start_pos(starts);
    const std::size_t fixed = gp::im_get_fixed_len();
    if (fixed < syllables && starts[fixed] < decoded) return {};  // syllables left to choose
    // Complete: the whole sentence, and letters the dictionary could not spell stay as typed.
    std::string committed = RawCandidate(0) + m_letters.substr(std::min(decoded, m_letters.size()));
    m_letters.clear();
    m_count = 0;
    gp::im_reset_search();
    m_history = Utf8ToUtf16(committed);
    Predict();
    return InScript(std::move(committed));
}

std::string PinyinEngine::Preedit() const {
    if (m_letters.empty() || !m_open) return {};
    std::size_t decoded = 0;
    gp::im_get_sps_str(&decoded);
    const gp::uint16* starts = nullptr;
    const std::size_t syllables = gp::im_get_spl_start_pos(starts);
    const std::size_t fixed = std::min(gp::im_get_fixed_len(), syllables);
    std::string out;
    if (fixed > 0) {
        const std::u16string sentence = Utf8ToUtf16(RawCandidate(0));
        out = Utf16ToUtf8(sentence.substr(0, fixed));
    }
    for (std::size_t s = fixed; s < syllables; ++s) {
        if (s > fixed) out += '\'';
        out += m_letters.substr(starts[s], starts[s + 1] - starts[s]);
    }
    if (decoded < m_letters.size()) {
        if (syllables > fixed) out += '\'';
        out += m_letters.substr(decoded);
    }
    return out;
}

std::size_t PinyinEngine::CandidateCount() const {
    return m_predictions.empty() ? (m_letters.empty() ? 0 : m_count) : m_predictions.size();
}

std::vector<std::string> PinyinEngine::Candidates(std::size_t first, std::size_t count) {
    std::vector<std::string> out;
    const std::size_t total = CandidateCount();
    const std::size_t fixed = m_letters.empty() ? 0 : gp::im_get_fixed_len();
    for (std::size_t i = first; i < total && i < first + count; ++i) {
        std::string text;
        if (!m_predictions.empty()) {
            text = Utf16ToUtf8(m_predictions[i]);
        } else if (i == 0 && fixed > 0) {
            // The whole sentence begins with what was already chosen: offer only the rest.
            text = Utf16ToUtf8(Utf8ToUtf16(RawCandidate(0)).substr(fixed));
        } else {
            text = RawCandidate(i);
        }
        out.push_back(InScript(std::move(text)));
    }
    return out;
}

}  // namespace kiosk::input
