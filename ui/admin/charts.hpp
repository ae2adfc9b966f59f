// Report charts drawn with ImGui's draw lists: bars for counts by category, a line for a series over
// days. Both size to the width available and take the height they are given.
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

namespace kiosk::ui::admin {

struct ChartPoint {
    std::string label;
    double value = 0.0;
};

// Bars with their value above and their label below; nothing drawn for an empty series.
void BarChart(const char* id, const std::vector<ChartPoint>& points, float height, ImU32 colour);
// A polyline with a dot at each point, the first and last labels under the axis.
void LineChart(const char* id, const std::vector<ChartPoint>& points, float height, ImU32 colour);

}  // namespace kiosk::ui::admin
