// Touch widgets: big buttons, keypads and text helpers built on public ImGui API only.
#include "ui/ui.hpp"

#include <algorithm>
#include <cfloat>

#include "ui/glyph_cache.hpp"
#include "ui/theme.hpp"

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
    SetFrameGlyphCache(m_glyphs);
    m_language = language;
    m_lastControls = std::move(m_controls);
    m_controls.clear();
    m_intents.clear();
}

void Ui::ScaleText(float scale) {
    ImGui::SetWindowFontScale(scale);
    const ImDrawCallback hook = scale != 1.0f ? m_scaledBegins : m_scaledEnds;
    if (hook != nullptr) ImGui::GetWindowDrawList()->AddCallback(hook, nullptr);
}

void Ui::NeedGlyphs(std::string_view text) {
    if (m_glyphs != nullptr) m_glyphs->Need(text);
}

float Ui::Unit() const { return std::max(ImGui::GetFontSize() * 2.2f, m_minTouch); }

void Ui::Record(const char* id) {
    // A control scrolled out of sight cannot be tapped, so scripts must not find it either.
    if (ImGui::IsItemVisible()) m_controls[id] = ControlRect{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
}

bool Ui::Button(const char* id, std::string_view label, float width, float height) {
    return Button(id, label, ButtonKind::Secondary, width, height);
}

namespace {

const ButtonColors& ColorsOf(ButtonKind kind) {
    const ThemeColors& c = CurrentTheme().color;
    switch (kind) {
        case ButtonKind::Primary: return c.primary;
        case ButtonKind::Secondary: return c.secondary;
        case ButtonKind::Danger: return c.danger;
        case ButtonKind::Tile: return c.tile;
        case ButtonKind::Key: return c.key;
    }
    return c.secondary;
}

// Pushes the five colours of a button; pop with ImGui::PopStyleColor(5).
void PushButtonColors(const ButtonColors& b) {
    ImGui::PushStyleColor(ImGuiCol_Button, b.fill.Vec4());
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, b.fill.Vec4());  // no hover on a touch screen
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, b.fillPressed.Vec4());
    ImGui::PushStyleColor(ImGuiCol_Text, b.text.Vec4());
    ImGui::PushStyleColor(ImGuiCol_Border, b.border.Vec4());
}

}  // namespace

bool Ui::Button(const char* id, std::string_view label, ButtonKind kind, float width, float height) {
    if (kind == ButtonKind::Tile) return Tile(id, {}, label, width, height);
    NeedGlyphs(label);
    const std::string text = std::string(label) + "##" + id;
    const float w = width > 0.0f ? width : ImGui::GetContentRegionAvail().x;
    PushButtonColors(ColorsOf(kind));
    const bool key = kind == ButtonKind::Key;
    if (key) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, CurrentTheme().size.keyBorderWidth);
    const bool pressed = ImGui::Button(text.c_str(), ImVec2(w, height > 0.0f ? height : Unit()));
    if (key) ImGui::PopStyleVar();
    ImGui::PopStyleColor(5);
    Record(id);
    return pressed;
}

bool Ui::Tile(const char* id, std::string_view icon, std::string_view label, float width, float height) {
    NeedGlyphs(label);
    const std::string hidden = std::string("##") + id;
    const float w = width > 0.0f ? width : ImGui::GetContentRegionAvail().x;
    const float h = height > 0.0f ? height : Unit() * CurrentTheme().size.tileHeight;
    const ButtonColors& colors = CurrentTheme().color.tile;
    PushButtonColors(colors);
    const bool pressed = ImGui::Button(hidden.c_str(), ImVec2(w, h));
    ImGui::PopStyleColor(5);
    Record(id);
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float scale = ImGui::GetIO().FontGlobalScale;
    const float pad = ImGui::GetStyle().FramePadding.x;
    const float centre = (min.x + max.x) * 0.5f;
    float iconSize = m_fonts.title->FontSize * scale * 1.25f;
    const bool withIcon = m_fonts.icons && !icon.empty();
    const float textSize = m_fonts.body->FontSize * scale;
    const float wrap = w - 2.0f * pad;
    // The label's lines, each centred under the pictogram; the block is centred in the tile.
    std::vector<std::pair<const char*, const char*>> lines;
    const char* s = label.data();
    const char* end = label.data() + label.size();
    while (s < end) {
        const char* brk = m_fonts.body->CalcWordWrapPositionA(textSize / m_fonts.body->FontSize, s, end, wrap);
        if (brk <= s) brk = end;
        lines.emplace_back(s, brk);
        s = brk;
        while (s < end && (*s == ' ' || *s == '\n')) ++s;
    }
    const ImU32 textColor = ImGui::GetColorU32(colors.text.Vec4());
    const ImU32 iconColor = ImGui::GetColorU32(CurrentTheme().color.accent.Vec4());
    float iconWidth =
        withIcon ? m_fonts.title->CalcTextSizeA(iconSize, FLT_MAX, 0.0f, icon.data(), icon.data() + icon.size()).x : 0.0f;
    // A wide, low tile (a list of choices) has its pictogram beside a one-line label instead of above.
    if (withIcon && lines.size() == 1 && h < iconSize + textSize * 1.6f + pad) {
        const float lineWidth = m_fonts.body->CalcTextSizeA(textSize, FLT_MAX, 0.0f, lines[0].first, lines[0].second).x;
        const float x = std::max(min.x + pad, centre - (iconWidth + pad + lineWidth) * 0.5f);
        const float mid = (min.y + max.y) * 0.5f;
        draw->AddText(m_fonts.title, iconSize, ImVec2(x, mid - iconSize * 0.5f - iconSize * 0.08f), iconColor, icon.data(),
                      icon.data() + icon.size());
        draw->AddText(m_fonts.body, textSize, ImVec2(x + iconWidth + pad, mid - textSize * 0.5f), textColor, lines[0].first,
                      lines[0].second);
        return pressed;
    }
    // A label of many lines shrinks the pictogram rather than push it out of the tile.
    const float text = textSize * static_cast<float>(lines.size());
    iconSize = std::max(textSize, std::min(iconSize, (h - pad - text - textSize * 0.3f) / 1.18f));
    iconWidth = withIcon ? m_fonts.title->CalcTextSizeA(iconSize, FLT_MAX, 0.0f, icon.data(), icon.data() + icon.size()).x : 0.0f;
    const float block = (withIcon ? iconSize + textSize * 0.3f : 0.0f) + text;
    float y = min.y + std::max(pad * 0.5f + (withIcon ? iconSize * 0.18f : 0.0f), (h - block) * 0.5f);
    if (withIcon) {
        // The merged glyph sits on the text baseline, lower than a glyph of its own font would.
        draw->AddText(m_fonts.title, iconSize, ImVec2(centre - iconWidth * 0.5f, y - iconSize * 0.18f), iconColor,
                      icon.data(), icon.data() + icon.size());
        y += iconSize + textSize * 0.3f;
    }
    draw->PushClipRect(min, max, true);
    for (const auto& [a, b] : lines) {
        const float lineWidth = m_fonts.body->CalcTextSizeA(textSize, FLT_MAX, 0.0f, a, b).x;
        draw->AddText(m_fonts.body, textSize, ImVec2(std::max(min.x + pad, centre - lineWidth * 0.5f), y), textColor, a, b);
        y += textSize;
    }
    draw->PopClipRect();
    return pressed;
}

bool Ui::Toggle(const char* id, std::string_view label, bool selected, float width) {
    if (!selected) return Button(id, label, ButtonKind::Secondary, width);
    NeedGlyphs(label);
    const std::string text = std::string(label) + "##" + id;
    const float w = width > 0.0f ? width : ImGui::GetContentRegionAvail().x;
    PushButtonColors(CurrentTheme().color.selected);
    const bool pressed = ImGui::Button(text.c_str(), ImVec2(w, Unit()));
    ImGui::PopStyleColor(5);
    Record(id);
    return pressed;
}

std::string Ui::WithIcon(std::string_view icon, std::string_view label) const {
    if (!m_fonts.icons || icon.empty()) return std::string(label);
    return std::string(icon) + "  " + std::string(label);
}

void Ui::Steps(std::initializer_list<std::string_view> labels, std::size_t current) {
    const ThemeColors& c = CurrentTheme().color;
    const float gap = ImGui::GetStyle().ItemSpacing.x * 0.5f;
    const float count = static_cast<float>(labels.size());
    const float width = (ImGui::GetContentRegionAvail().x - gap * (count - 1.0f)) / count;
    const float height = ImGui::GetFontSize() * CurrentTheme().size.stepHeight;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(ImGui::GetContentRegionAvail().x, height));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const float pad = ImGui::GetStyle().FramePadding.x * 0.5f;
    std::size_t i = 0;
    for (std::string_view label : labels) {
        NeedGlyphs(label);
        const Rgb fill = i < current ? c.stepDone : i == current ? c.stepCurrent : c.stepTodo;
        const Rgb ink = i < current ? c.stepDoneText : i == current ? c.stepCurrentText : c.stepTodoText;
        const ImVec2 a(origin.x + (width + gap) * static_cast<float>(i), origin.y);
        const ImVec2 b(a.x + width, a.y + height);
        draw->AddRectFilled(a, b, ImGui::GetColorU32(fill.Vec4()), height * 0.5f);
        if (i != current) draw->AddRect(a, b, ImGui::GetColorU32(ink.Vec4()), height * 0.5f, 0, i < current ? 0.0f : 1.5f);
        const std::string text = std::to_string(i + 1) + " " + std::string(label);
        float size = ImGui::GetFontSize() * (i == current ? 1.0f : 0.85f);
        float textWidth = font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str()).x;
        if (textWidth > width - 2.0f * pad) {  // long words in narrow columns: smaller, never cut
            size *= (width - 2.0f * pad) / textWidth;
            textWidth = width - 2.0f * pad;
        }
        draw->AddText(font, size, ImVec2(a.x + (width - textWidth) * 0.5f, a.y + (height - size) * 0.5f),
                      ImGui::GetColorU32(ink.Vec4()), text.c_str());
        ++i;
    }
}

namespace {

bool Portrait() {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    return viewport->Size.y > viewport->Size.x;
}

constexpr ImGuiWindowFlags kColumnFlags = ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground;

}  // namespace

void Ui::BeginSplit(float share) {
    m_split = !Portrait();
    if (m_split) ImGui::BeginChild("split-first", ImVec2(ImGui::GetContentRegionAvail().x * share, 0.0f), false, kColumnFlags);
}

void Ui::SplitNext() {
    if (!m_split) return;
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("split-second", ImVec2(0.0f, 0.0f), false, kColumnFlags);
}

void Ui::EndSplit() {
    if (m_split) ImGui::EndChild();
    m_split = false;
}

void Ui::ActionRow(float height) {
    // The second column of a split ends with its actions too, under the thumb beside the keypad.
    if (!Portrait() && !m_split) return;
    const float bottom = ImGui::GetWindowContentRegionMax().y - (height > 0.0f ? height : Unit());
    if (ImGui::GetCursorPosY() < bottom) ImGui::SetCursorPosY(bottom);
}

float Ui::Share(int count) const {
    const float n = static_cast<float>(count);
    return (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * (n - 1.0f)) / n;
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
    float width = ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
    // A ticket number in the huge font is wider than a portrait panel: smaller, never cut off.
    const float avail = ImGui::GetContentRegionAvail().x;
    const bool shrink = width > avail && avail > 0.0f;
    if (shrink) {
        ScaleText(avail / width);
        width = avail;
    }
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), (ImGui::GetWindowWidth() - width) * 0.5f));
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    if (shrink) ScaleText(1.0f);
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
        if (Button(id.c_str(), label, ButtonKind::Key, keyWidth, Unit() * 0.8f)) {
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
