// Touch widgets: big buttons, keypads and text helpers built on public ImGui API only.
#include "ui/ui.hpp"

#include <algorithm>

#include "ui/glyph_cache.hpp"

namespace kiosk::ui {

std::string Fill(std::string_view pattern, std::initializer_list<std::string_view> args) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const bool slot = pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
                          pattern[i + 1] >= '0' && pattern[i + 1] <= '9';
        const auto index = slot ? static_cast<std::size_t>(pattern[i + 1] - '0') : args.size();
        if (slot && index < args.size()) {
            out += *(args.begin() + index);
            i += 2;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

void Ui::BeginFrame(core::Language language) {
    m_language = language;
    m_lastControls = std::move(m_controls);
    m_controls.clear();
    m_intents.clear();
}

void Ui::NeedGlyphs(std::string_view text) {
    if (m_glyphs != nullptr) m_glyphs->Need(text);
}

float Ui::Unit() const { return ImGui::GetFontSize() * 2.2f; }

void Ui::Record(const char* id) {
    // A control scrolled out of sight cannot be tapped, so scripts must not find it either.
    if (ImGui::IsItemVisible()) m_controls[id] = ControlRect{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
}

bool Ui::Button(const char* id, std::string_view label, float width, float height) {
    NeedGlyphs(label);
    const std::string text = std::string(label) + "##" + id;
    const float w = width > 0.0f ? width : ImGui::GetContentRegionAvail().x;
    const bool pressed = ImGui::Button(text.c_str(), ImVec2(w, height > 0.0f ? height : Unit()));
    Record(id);
    return pressed;
}

bool Ui::Toggle(const char* id, std::string_view label, bool selected, float width) {
    if (selected) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    const bool pressed = Button(id, label, width);
    if (selected) ImGui::PopStyleColor();
    return pressed;
}

void Ui::Title(std::string_view text) {
    NeedGlyphs(text);
    ImGui::PushFont(m_fonts.title);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    ImGui::Spacing();
}

void Ui::Text(std::string_view text) {
    NeedGlyphs(text);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
}

void Ui::TextMuted(std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    Text(text);
    ImGui::PopStyleColor();
}

void Ui::Centered(std::string_view text, ImFont* font) {
    NeedGlyphs(text);
    ImGui::PushFont(font);
    const float width = ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), (ImGui::GetWindowWidth() - width) * 0.5f));
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopFont();
}

void Ui::Keypad(std::string& value, std::size_t maxDigits) {
    ImGui::PushFont(m_fonts.title);
    const std::string shown = value.empty() ? std::string(" ") : value;
    ImGui::BeginChild("keypad-value", ImVec2(0, ImGui::GetFontSize() * 2.2f), true);
    ImGui::TextUnformatted(shown.c_str());
    ImGui::EndChild();
    ImGui::PopFont();
    const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", ""};
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = std::min(ImGui::GetContentRegionAvail().x, Unit() * 9.0f);
    const float keyWidth = (width - 2.0f * spacing) / 3.0f;
    for (int i = 0; i < 12; ++i) {
        if (i % 3 != 0) ImGui::SameLine();
        const std::string key = keys[i];
        if (key.empty()) {
            ImGui::Dummy(ImVec2(keyWidth, Unit()));
            continue;
        }
        const std::string id = "key-" + key;
        const std::string label = key == "del" ? std::string(T("Delete")) : key;
        if (Button(id.c_str(), label, keyWidth, Unit() * 0.8f)) {
            if (key == "del") {
                if (!value.empty()) value.pop_back();
            } else if (value.size() < maxDigits) {
                value += key;
            }
        }
    }
}

void Ui::Qr(const QrModules& qr, float side) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(side, side));
    if (qr.size <= 0) return;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // White quiet zone of four modules around the code, so phones can read a photo of the screen.
    const float module = side / static_cast<float>(qr.size + 8);
    draw->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32(255, 255, 255, 255));
    for (int y = 0; y < qr.size; ++y) {
        for (int x = 0; x < qr.size; ++x) {
            if (!qr.dark[static_cast<std::size_t>(y * qr.size + x)]) continue;
            const ImVec2 a(origin.x + module * static_cast<float>(x + 4), origin.y + module * static_cast<float>(y + 4));
            draw->AddRectFilled(a, ImVec2(a.x + module, a.y + module), IM_COL32(0, 0, 0, 255));
        }
    }
}

}  // namespace kiosk::ui
