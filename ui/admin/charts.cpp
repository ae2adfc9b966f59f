// Bars and lines on the window's draw list, scaled to the largest value.
#include "ui/admin/charts.hpp"

#include <algorithm>
#include <cstdio>

#include "ui/glyph_cache.hpp"

namespace kiosk::ui::admin {

namespace {

std::string Short(double value) {
    char text[32];
    if (value == static_cast<double>(static_cast<long long>(value))) {
        std::snprintf(text, sizeof text, "%lld", static_cast<long long>(value));
    } else {
        std::snprintf(text, sizeof text, "%.1f", value);
    }
    return text;
}

double Largest(const std::vector<ChartPoint>& points) {
    double largest = 0.0;
    for (const ChartPoint& p : points) largest = std::max(largest, p.value);
    return largest > 0.0 ? largest : 1.0;
}

}  // namespace

void BarChart(const char* id, const std::vector<ChartPoint>& points, float height, ImU32 colour) {
    ImGui::PushID(id);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::Dummy(ImVec2(width, height));
    ImGui::PopID();
    if (points.empty()) return;
    for (const ChartPoint& p : points) NeedGlyphs(p.label);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    const float plotTop = origin.y + line;
    const float plotBottom = origin.y + height - line * 1.2f;
    const float slot = width / static_cast<float>(points.size());
    const double largest = Largest(points);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    draw->AddLine(ImVec2(origin.x, plotBottom), ImVec2(origin.x + width, plotBottom), ImGui::GetColorU32(ImGuiCol_Border));
    for (std::size_t i = 0; i < points.size(); ++i) {
        const float left = origin.x + slot * static_cast<float>(i) + slot * 0.15f;
        const float right = left + slot * 0.7f;
        const float top = plotBottom - static_cast<float>(points[i].value / largest) * (plotBottom - plotTop);
        draw->AddRectFilled(ImVec2(left, top), ImVec2(right, plotBottom), colour, 4.0f);
        const std::string value = Short(points[i].value);
        draw->AddText(ImVec2(left, top - line), text, value.c_str());
        // Labels are clipped to their slot so long product names do not run into each other.
        const ImVec4 clip(origin.x + slot * static_cast<float>(i), plotBottom, origin.x + slot * static_cast<float>(i + 1),
                          origin.y + height);
        draw->AddText(nullptr, 0.0f, ImVec2(left, plotBottom + line * 0.1f), text, points[i].label.c_str(), nullptr, 0.0f,
                      &clip);
    }
}

void LineChart(const char* id, const std::vector<ChartPoint>& points, float height, ImU32 colour) {
    ImGui::PushID(id);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::Dummy(ImVec2(width, height));
    ImGui::PopID();
    if (points.empty()) return;
    for (const ChartPoint& p : points) NeedGlyphs(p.label);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    const float plotTop = origin.y + line;
    const float plotBottom = origin.y + height - line * 1.2f;
    const double largest = Largest(points);
    // A single day sits in the middle rather than on the axis.
    const float step = points.size() > 1 ? width / static_cast<float>(points.size() - 1) : 0.0f;
    const float first = points.size() > 1 ? 0.0f : width * 0.5f;
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    draw->AddLine(ImVec2(origin.x, plotBottom), ImVec2(origin.x + width, plotBottom), ImGui::GetColorU32(ImGuiCol_Border));
    std::vector<ImVec2> at;
    for (std::size_t i = 0; i < points.size(); ++i) {
        at.emplace_back(origin.x + first + step * static_cast<float>(i),
                        plotBottom - static_cast<float>(points[i].value / largest) * (plotBottom - plotTop));
    }
    draw->AddPolyline(at.data(), static_cast<int>(at.size()), colour, ImDrawFlags_None, 3.0f);
    for (const ImVec2& p : at) draw->AddCircleFilled(p, 5.0f, colour);
    draw->AddText(ImVec2(origin.x, plotBottom + line * 0.1f), text, points.front().label.c_str());
    const ImVec2 lastSize = ImGui::CalcTextSize(points.back().label.c_str());
    draw->AddText(ImVec2(origin.x + width - lastSize.x, plotBottom + line * 0.1f), text, points.back().label.c_str());
    const std::string top = Short(largest);
    draw->AddText(ImVec2(origin.x, origin.y), text, top.c_str());
}

}  // namespace kiosk::ui::admin
