// The signature pad: strokes as the finger draws them, drawn back as they are recorded.
#include <algorithm>
#include <cmath>

#include "ui/ui.hpp"

namespace kiosk::ui {

void Ui::SignaturePad(const char* id, std::vector<core::admin_flow::PadStroke>& strokes, double& startedAt, float width) {
    const float height = width / 3.0f;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, ImVec2(width, height));
    Record(id);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const float x = std::clamp((mouse.x - origin.x) / width, 0.0f, 1.0f);
    const float y = std::clamp((mouse.y - origin.y) / height, 0.0f, 1.0f);
    if (ImGui::IsItemActivated()) {
        if (strokes.empty()) startedAt = ImGui::GetTime();
        strokes.emplace_back();
    }
    if (ImGui::IsItemActive() && !strokes.empty()) {
        core::admin_flow::PadStroke& stroke = strokes.back();
        const auto t = static_cast<std::int64_t>(std::llround((ImGui::GetTime() - startedAt) * 1000.0));
        // A point for every move of a few tenths of a millimetre: the path stays smooth and small.
        const bool moved = stroke.empty() || std::hypot(stroke.back().x - x, (stroke.back().y - y) / 3.0f) > 0.002f;
        if (moved) stroke.push_back({x, y, std::max<std::int64_t>(t, stroke.empty() ? 0 : stroke.back().t)});
    }

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 end(origin.x + width, origin.y + height);
    draw->AddRectFilled(origin, end, IM_COL32(255, 255, 255, 255));
    draw->AddRect(origin, end, ImGui::GetColorU32(ImGuiCol_Border), 0.0f, 0, 2.0f);
    // The line to sign on.
    draw->AddLine(ImVec2(origin.x + width * 0.05f, origin.y + height * 0.8f),
                  ImVec2(origin.x + width * 0.95f, origin.y + height * 0.8f), IM_COL32(160, 160, 160, 255), 1.0f);
    draw->PushClipRect(origin, end, true);
    const ImU32 ink = IM_COL32(0, 0, 0, 255);
    const float thickness = std::max(2.0f, width / 200.0f);
    std::vector<ImVec2> points;
    for (const core::admin_flow::PadStroke& stroke : strokes) {
        points.clear();
        for (const core::admin_flow::PadPoint& p : stroke) points.emplace_back(origin.x + p.x * width, origin.y + p.y * height);
        if (points.size() == 1) {
            draw->AddCircleFilled(points.front(), thickness, ink);
        } else if (!points.empty()) {
            draw->AddPolyline(points.data(), static_cast<int>(points.size()), ink, 0, thickness);
        }
    }
    draw->PopClipRect();
}

}  // namespace kiosk::ui
