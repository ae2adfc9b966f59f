// The on-screen keyboard: Latin letters and digits, punctuation, pinyin with a candidate bar, and a
// handwriting pad. The engines come through the core's input ports; this file only draws and routes taps.
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <span>
#include <string>

#include "ui/ui.hpp"

namespace kiosk::ui {

namespace {

constexpr std::size_t kCandidatesShown = 6;
constexpr std::size_t kHandCandidates = 12;
constexpr const char* kCandidateIds[kCandidatesShown] = {"cand-0", "cand-1", "cand-2", "cand-3", "cand-4", "cand-5"};

void DeleteLastCharacter(std::string& value) {
    if (value.empty()) return;
    // A whole UTF-8 character.
    do {
        value.pop_back();
    } while (!value.empty() && (static_cast<unsigned char>(value.back()) & 0xC0U) == 0x80U);
}

void Append(std::string& value, std::string_view text, std::size_t maxBytes) {
    if (value.size() + text.size() <= maxBytes) value += text;
}

}  // namespace

void Ui::ReleaseInputs() {
    if (m_inputs.pinyin != nullptr) m_inputs.pinyin->Clear();
    if (m_inputs.handwriting != nullptr) m_inputs.handwriting->Release();
}

void Ui::KeyboardStart() {
    KeyboardState& k = m_keyboard;
    const core::Script script = m_language == core::Language::ZhHant ? core::Script::Traditional : core::Script::Simplified;
    if (m_inputs.pinyin != nullptr) m_inputs.pinyin->SetScript(script);
    if (m_inputs.handwriting != nullptr) m_inputs.handwriting->SetScript(script);
    const bool pinyin = m_inputs.pinyin != nullptr && m_inputs.pinyin->Available();
    const int frame = ImGui::GetFrameCount();
    // A keyboard that was not on the previous frame is a new one: start over in the language's default.
    if (k.lastFrame != frame - 1 || k.language != m_language) {
        k = KeyboardState{};
        k.language = m_language;
        k.mode = m_language != core::Language::En && pinyin ? KeyboardMode::Pinyin : KeyboardMode::Abc;
        ReleaseInputs();
    }
    k.lastFrame = frame;
    // An engine that failed since (its data unreadable) leaves the customer with letters.
    const bool hand = m_inputs.handwriting != nullptr && m_inputs.handwriting->Available();
    if ((k.mode == KeyboardMode::Pinyin && !pinyin) || (k.mode == KeyboardMode::Hand && !hand)) {
        k.mode = KeyboardMode::Abc;
        k.candidates.clear();
        k.strokes.clear();
    }
}

void Ui::KeyboardRefresh() {
    KeyboardState& k = m_keyboard;
    if (k.mode == KeyboardMode::Pinyin && m_inputs.pinyin != nullptr) {
        k.candidates = m_inputs.pinyin->Candidates(k.page, kCandidatesShown);
    }
}

void Ui::KeyboardCandidateBar(std::string& value, std::size_t maxBytes, float keyWidth) {
    KeyboardState& k = m_keyboard;
    const bool hand = k.mode == KeyboardMode::Hand;
    core::PinyinInput* pinyin = hand ? nullptr : m_inputs.pinyin;
    const bool composing = pinyin != nullptr && pinyin->Composing();
    const std::size_t total = hand ? k.candidates.size() : (pinyin != nullptr ? pinyin->CandidateCount() : 0);
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float top = ImGui::GetCursorPosY();
    if (total == 0) {
        // The bar keeps its height, so the keys do not jump while composing.
        if (composing) {
            TextMuted(T("No characters match this spelling"));
            Record("no-candidates");
        } else if (hand) {
            TextMuted(k.strokes.empty() ? T("Write one character in the box") : T("No character recognised, write it again"));
        }
        ImGui::SetCursorPosY(top);
        ImGui::Dummy(ImVec2(1.0f, Unit()));
        return;
    }
    std::vector<std::string> shown;
    if (hand) {
        for (std::size_t i = k.page; i < k.candidates.size() && shown.size() < kCandidatesShown; ++i) shown.push_back(k.candidates[i]);
    } else {
        shown = k.candidates;
    }
    const float candidateWidth = (keyWidth * 8.0f + spacing * 7.0f - spacing * 5.0f) / 6.0f;
    std::optional<std::size_t> chosen;
    bool paged = false;
    ImGui::BeginDisabled(k.page == 0);
    if (Button("cand-prev", "<", ButtonKind::Key, keyWidth)) {
        k.page -= std::min(k.page, kCandidatesShown);
        paged = true;
    }
    ImGui::EndDisabled();
    for (std::size_t i = 0; i < kCandidatesShown; ++i) {
        ImGui::SameLine();
        if (i < shown.size()) {
            if (Button(kCandidateIds[i], shown[i], ButtonKind::Key, candidateWidth)) chosen = k.page + i;
        } else {
            ImGui::Dummy(ImVec2(candidateWidth, Unit()));
        }
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(k.page + kCandidatesShown >= total);
    if (Button("cand-next", ">", ButtonKind::Key, keyWidth)) {
        k.page += kCandidatesShown;
        paged = true;
    }
    ImGui::EndDisabled();
    if (chosen && hand) {
        Append(value, k.candidates[*chosen], maxBytes);
        k.strokes.clear();
        k.candidates.clear();
        k.page = 0;
    } else if (chosen && pinyin != nullptr) {
        // Completes the composition (then predictions follow) or fixes its first syllables.
        Append(value, pinyin->Choose(*chosen), maxBytes);
        k.page = 0;
        k.full = false;
    }
    if (chosen || paged) KeyboardRefresh();
}

void Ui::KeyboardPad(float keyWidth) {
    KeyboardState& k = m_keyboard;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float rows = Unit() * 4.0f + style.ItemSpacing.y * 3.0f;  // as tall as the letter rows
    const float side = std::min(rows, ImGui::GetContentRegionAvail().x - keyWidth * 2.0f - style.ItemSpacing.x);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("hand-pad", ImVec2(side, side));
    Record("hand-pad");
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const core::InkPoint at{(mouse.x - origin.x) / side, (mouse.y - origin.y) / side};
    if (ImGui::IsItemActivated()) k.strokes.emplace_back();
    if (ImGui::IsItemActive() && !k.strokes.empty()) {
        core::InkStroke& stroke = k.strokes.back();
        const bool moved = stroke.empty() || std::hypot(stroke.back().x - at.x, stroke.back().y - at.y) > 0.004f;
        if (moved) stroke.push_back(at);
    }
    const auto recognise = [&] {
        k.candidates = k.strokes.empty() ? std::vector<std::string>{} : m_inputs.handwriting->Recognize(k.strokes, kHandCandidates);
        k.page = 0;
    };
    if (ImGui::IsItemDeactivated()) recognise();

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 end(origin.x + side, origin.y + side);
    const ImU32 guide = ImGui::GetColorU32(ImGuiCol_Border);
    draw->AddRectFilled(origin, end, ImGui::GetColorU32(ImGuiCol_FrameBg));
    draw->AddRect(origin, end, guide, 0.0f, 0, 2.0f);
    // The 田字格 guides a child learns to write in.
    draw->AddLine(ImVec2(origin.x + side * 0.5f, origin.y), ImVec2(origin.x + side * 0.5f, end.y), guide);
    draw->AddLine(ImVec2(origin.x, origin.y + side * 0.5f), ImVec2(end.x, origin.y + side * 0.5f), guide);
    draw->PushClipRect(origin, end, true);
    const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
    const float thickness = std::max(3.0f, side / 80.0f);
    std::vector<ImVec2> points;
    for (const core::InkStroke& stroke : k.strokes) {
        points.clear();
        for (const core::InkPoint& p : stroke) points.emplace_back(origin.x + p.x * side, origin.y + p.y * side);
        if (points.size() == 1) {
            draw->AddCircleFilled(points.front(), thickness, ink);
        } else if (!points.empty()) {
            draw->AddPolyline(points.data(), static_cast<int>(points.size()), ink, 0, thickness);
        }
    }
    draw->PopClipRect();

    ImGui::SameLine();
    ImGui::BeginGroup();
    if (Button("hand-undo", T("Undo"), keyWidth * 2.0f + style.ItemSpacing.x)) {
        if (!k.strokes.empty()) k.strokes.pop_back();
        recognise();
    }
    if (Button("hand-clear", T("Clear"), keyWidth * 2.0f + style.ItemSpacing.x)) {
        k.strokes.clear();
        recognise();
    }
    ImGui::EndGroup();
}

void Ui::Keyboard(std::string& value, std::size_t maxBytes) {
    KeyboardStart();
    KeyboardState& k = m_keyboard;
    core::PinyinInput* pinyin = k.mode == KeyboardMode::Pinyin ? m_inputs.pinyin : nullptr;

    // The text so far, then what is being composed in the accent colour.
    // One line high without a scrollbar: a text longer than a line shows its last line, where the
    // customer is writing.
    ImGui::BeginChild("keyboard-value", ImVec2(0, Unit() * 1.3f), true, ImGuiWindowFlags_NoScrollbar);
    const std::string preedit = pinyin != nullptr && pinyin->Composing() ? pinyin->Preedit() : std::string();
    if (!value.empty() || preedit.empty()) Text(value.empty() ? std::string_view(" ") : std::string_view(value));
    if (!preedit.empty()) {
        if (!value.empty()) ImGui::SameLine(0.0f, 0.0f);
        NeedGlyphs(preedit);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_CheckMark));
        ImGui::TextUnformatted(preedit.data(), preedit.data() + preedit.size());
        ImGui::PopStyleColor();
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        ImGui::GetWindowDrawList()->AddLine(ImVec2(min.x, max.y), max, ImGui::GetColorU32(ImGuiCol_CheckMark), 2.0f);
        if (k.full) {
            ImGui::SameLine();
            const std::string note = Fill(T("(at most {0} letters)"), {std::to_string(pinyin->MaxLetters())});
            TextMuted(note);
        }
    }
    ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();

    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float keyWidth = (ImGui::GetContentRegionAvail().x - 9.0f * spacing) / 10.0f;
    if (k.mode == KeyboardMode::Pinyin || k.mode == KeyboardMode::Hand) KeyboardCandidateBar(value, maxBytes, keyWidth);

    // Space, or a digit or a sign while composing, first commits the composition as the first
    // candidate shows it (or as spelled when nothing matches).
    const auto commitComposition = [&] {
        if (pinyin == nullptr) return;
        for (std::size_t i = 0; i < pinyin->MaxLetters() && pinyin->Composing() && pinyin->CandidateCount() > 0; ++i) {
            Append(value, pinyin->Choose(0), maxBytes);
        }
        if (pinyin->Composing()) {
            std::string spelled = pinyin->Preedit();
            std::erase(spelled, '\'');
            Append(value, spelled, maxBytes);
        }
        pinyin->Clear();
        k.page = 0;
        k.full = false;
        KeyboardRefresh();
    };
    const auto press = [&](std::string_view key) {
        const bool letter = key.size() == 1 && key[0] >= 'a' && key[0] <= 'z';
        if (pinyin != nullptr && letter) {
            const bool added = pinyin->AddLetter(key[0]);
            k.full = !added && pinyin->Composing();
            if (!added && !pinyin->Available()) Append(value, key, maxBytes);
            k.page = 0;
            KeyboardRefresh();
            return;
        }
        commitComposition();
        Append(value, key, maxBytes);
    };
    const auto keyRow = [&](std::span<const std::string_view> keys, std::string_view idPrefix, bool numbered) {
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (i != 0) ImGui::SameLine();
            const std::string id = std::string(idPrefix) + (numbered ? std::to_string(i) : std::string(keys[i]));
            if (Button(id.c_str(), keys[i], ButtonKind::Key, keyWidth)) press(keys[i]);
        }
    };
    const auto letters = [](std::string_view row) {
        std::vector<std::string_view> keys;
        for (std::size_t i = 0; i < row.size(); ++i) keys.push_back(row.substr(i, 1));
        return keys;
    };
    if (k.mode == KeyboardMode::Hand) {
        KeyboardPad(keyWidth);
    } else {
        keyRow(letters("1234567890"), "key-", false);
        if (k.mode == KeyboardMode::Digits) {
            constexpr std::array<std::string_view, 10> kSigns = {"-", "/", ":", ";", "(", ")", "@", ".", ",", "?"};
            constexpr std::array<std::string_view, 10> kChineseSigns = {"，", "。", "？", "！", "、", "：", "；", "“", "”", "…"};
            keyRow(kSigns, "key-sign-", true);
            keyRow(kChineseSigns, "key-zh-sign-", true);
        } else {
            for (std::string_view row : {"qwertyuiop", "asdfghjkl", "zxcvbnm"}) keyRow(letters(row), "key-", false);
        }
    }

    // The ways of writing, then space and delete.
    struct ModeKey {
        KeyboardMode mode;
        const char* id;
        std::string_view label;
    };
    std::vector<ModeKey> modes;
    if (m_inputs.pinyin != nullptr && m_inputs.pinyin->Available()) modes.push_back({KeyboardMode::Pinyin, "mode-pinyin", T("Pinyin")});
    modes.push_back({KeyboardMode::Abc, "mode-abc", "ABC"});
    modes.push_back({KeyboardMode::Digits, "mode-123", "123"});
    if (m_inputs.handwriting != nullptr && m_inputs.handwriting->Available()) {
        modes.push_back({KeyboardMode::Hand, "mode-hand", T("Handwriting")});
    }
    for (std::size_t i = 0; i < modes.size(); ++i) {
        if (i != 0) ImGui::SameLine();
        if (Toggle(modes[i].id, modes[i].label, k.mode == modes[i].mode, keyWidth) && k.mode != modes[i].mode) {
            if (k.mode == KeyboardMode::Hand) ReleaseInputs();
            if (m_inputs.pinyin != nullptr) m_inputs.pinyin->Clear();
            k.mode = modes[i].mode;
            k.candidates.clear();
            k.strokes.clear();
            k.page = 0;
            k.full = false;
        }
    }
    const float spaceKeys = 8.0f - static_cast<float>(modes.size());
    ImGui::SameLine();
    if (Button("key-space", T("Space"), ButtonKind::Key, keyWidth * spaceKeys + spacing * (spaceKeys - 1.0f))) {
        if (pinyin != nullptr && pinyin->Composing()) {
            commitComposition();
        } else {
            if (pinyin != nullptr) pinyin->Clear();  // predictions end with a space
            k.candidates.clear();
            Append(value, " ", maxBytes);
        }
    }
    ImGui::SameLine();
    if (Button("key-del", T("Delete"), ButtonKind::Key, keyWidth * 2.0f + spacing)) {
        k.full = false;
        if (pinyin != nullptr && pinyin->Back()) {
            k.page = 0;
        } else {
            DeleteLastCharacter(value);
        }
        KeyboardRefresh();
    }
}

}  // namespace kiosk::ui
