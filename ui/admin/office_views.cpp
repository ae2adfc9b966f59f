// Approvals waiting for a supervisor, the follow-up calls, the store's reports with charts, and the
// kiosk settings.
#include <algorithm>
#include <cstdio>

#include "kiosk/core/admin/actions.hpp"
#include "ui/admin/admin_views.hpp"
#include "ui/admin/charts.hpp"

namespace kiosk::ui::admin {

namespace {

namespace ca = core::admin;

std::string Percent(const std::optional<double>& value) {
    if (!value) return "-";
    char text[16];
    std::snprintf(text, sizeof text, "%.1f %%", *value);
    return text;
}

std::string Minutes(const std::optional<std::chrono::seconds>& value) {
    if (!value) return "-";
    return Countdown(*value);
}

std::vector<ChartPoint> Points(const std::vector<ca::CountRow>& rows) {
    std::vector<ChartPoint> points;
    for (const ca::CountRow& row : rows) points.push_back({row.label.empty() ? row.key : row.label, static_cast<double>(row.count)});
    return points;
}

}  // namespace

void DrawApprovals(ViewContext& c) {
    const af::AdminView& view = c.View();
    c.ui.Title(c.ui.T("Waiting for a supervisor"));
    if (view.approvals.empty()) {
        c.ui.TextMuted(c.ui.T("Nothing is waiting for approval."));
        return;
    }
    const bool canDecide = c.Can(ca::action::kApprovalDecide);
    if (!canDecide) c.ui.TextMuted(c.ui.T("Only a supervisor can approve or refuse."));
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
    for (const ca::Approval& a : view.approvals) {
        ImGui::PushID(a.id.c_str());
        ImGui::Separator();
        const std::string kind(a.kind == ca::ApprovalKind::Refund ? c.ui.T("Refund") : c.ui.T("Policy exception"));
        c.ui.Text(a.ticketNumber + "  " + kind + (a.amount > 0 ? "  " + Yuan(a.amount) : std::string()));
        c.ui.TextMuted(Fill(c.ui.T("Asked by {0} at {1}: {2}"), {a.requestedBy, LocalTime(c.facts, a.requestedAt), a.reason}));
        const auto left = Left(a.deadline, c.now);
        const ca::Urgency urgency = left.count() < 0 ? ca::Urgency::Red
                                    : left < std::chrono::minutes{10} ? ca::Urgency::Amber
                                                                      : ca::Urgency::Green;
        ColouredText(UrgencyColour(urgency), Fill(c.ui.T("Decide within {0}"), {Countdown(left)}));
        if (canDecide) {
            const std::string approveId = "approve-" + a.ticketNumber;
            const std::string refuseId = "refuse-" + a.ticketNumber;
            const std::string reasonId = "reason-" + a.ticketNumber;
            if (c.buffers.approvalId != a.id) {
                if (c.ui.Button(reasonId.c_str(), c.ui.T("Decide"), third)) {
                    c.buffers.approvalId = a.id;
                    c.buffers.text.clear();
                }
            } else {
                c.ui.TextMuted(c.ui.T("Reason (required)"));
                c.ui.Keyboard(c.buffers.text, 200);
                ImGui::BeginDisabled(c.buffers.text.empty());
                if (c.ui.Button(approveId.c_str(), c.ui.T("Approve"), third)) c.Emit(af::Decide{a.id, true, c.buffers.text});
                ImGui::SameLine();
                if (c.ui.Button(refuseId.c_str(), c.ui.T("Refuse"), third)) c.Emit(af::Decide{a.id, false, c.buffers.text});
                ImGui::EndDisabled();
            }
        }
        ImGui::PopID();
    }
}

void DrawFollowUp(ViewContext& c) {
    const af::AdminView& view = c.View();
    c.ui.Title(c.ui.T("Call back within 24 hours"));
    if (view.followUps.empty()) {
        c.ui.TextMuted(c.ui.T("No closed ticket is waiting for a call."));
        return;
    }
    const bool canRecord = c.Can(ca::action::kFollowUpRecord);
    const std::pair<ca::CallOutcome, const char*> outcomes[] = {
        {ca::CallOutcome::Reached, "reached"}, {ca::CallOutcome::NoAnswer, "no-answer"},
        {ca::CallOutcome::CallBack, "call-back"}, {ca::CallOutcome::WrongNumber, "wrong-number"},
        {ca::CallOutcome::Declined, "declined"}};
    auto outcomeLabel = [&c](ca::CallOutcome outcome) {
        switch (outcome) {
            case ca::CallOutcome::Reached: return c.ui.T("Reached");
            case ca::CallOutcome::NoAnswer: return c.ui.T("No answer");
            case ca::CallOutcome::CallBack: return c.ui.T("Call back later");
            case ca::CallOutcome::WrongNumber: return c.ui.T("Wrong number");
            case ca::CallOutcome::Declined: return c.ui.T("Declined");
        }
        return std::string_view();
    };
    const float fifth = (ImGui::GetContentRegionAvail().x - 4.0f * ImGui::GetStyle().ItemSpacing.x) / 5.0f;
    // The 24-hour follow-up wording, with what the queue knows filled in (the rest are blanks to fill).
    const core::ServiceScript* followUp = nullptr;
    if (c.facts.scripts != nullptr) {
        const auto scripts = c.facts.scripts->InScene(core::ScriptScene::FollowUp);
        if (!scripts.empty()) followUp = scripts.front();
    }
    const std::string staffName = view.session ? view.session->name : std::string();
    for (const ca::FollowUp& f : view.followUps) {
        ImGui::Separator();
        c.ui.Text(f.ticketNumber + "  " + std::string(TypeLabel(c.ui, f.type)) + "  " + f.phone);
        const auto left = Left(f.callBy, c.now);
        const ca::Urgency urgency = left.count() < 0 ? ca::Urgency::Red
                                    : left < std::chrono::hours{4} ? ca::Urgency::Amber
                                                                   : ca::Urgency::Green;
        ColouredText(UrgencyColour(urgency), Fill(c.ui.T("Closed {0}; call within {1}"),
                                                  {LocalTime(c.facts, f.closedAt), Countdown(left)}));
        if (followUp != nullptr) {
            // Read to the customer in the language they used at the kiosk, naming their product.
            const core::ScriptFields fields{{"ticket_number", f.ticketNumber}, {"customer_phone", f.maskedPhone}, {"staff", staffName},
                                            {"product", f.product.In(f.language)}};
            const core::LocalizedText autonym{"简体中文", "繁體中文", "English"};
            c.ui.TextMuted(followUp->title.In(c.ui.Language()) + " (" + autonym.In(f.language) + ")");
            ImGui::PushTextWrapPos(0.0f);
            for (const core::LocalizedText& step : followUp->steps) c.ui.Text(core::RenderScriptText(step.In(f.language), fields));
            ImGui::PopTextWrapPos();
        }
        for (const ca::FollowUpCall& call : f.calls) {
            c.ui.TextMuted(LocalTime(c.facts, call.at) + "  " + call.staffNo + "  " + std::string(outcomeLabel(call.outcome)));
        }
        if (!canRecord) continue;
        for (std::size_t i = 0; i < std::size(outcomes); ++i) {
            if (i > 0) ImGui::SameLine();
            const std::string id = std::string("call-") + outcomes[i].second + "-" + f.ticketNumber;
            if (c.ui.Button(id.c_str(), outcomeLabel(outcomes[i].first), fifth)) {
                c.Emit(af::RecordCall{f.ticketNumber, outcomes[i].first});
            }
        }
    }
}

void DrawReports(ViewContext& c) {
    const af::AdminView& view = c.View();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float quarter = (ImGui::GetContentRegionAvail().x - 3.0f * spacing) / 4.0f;
    const std::pair<ca::ReportPeriod, const char*> periods[] = {
        {ca::ReportPeriod::Today, "period-today"}, {ca::ReportPeriod::Week, "period-week"},
        {ca::ReportPeriod::Month, "period-month"}};
    const std::string_view labels[] = {c.ui.T("Today"), c.ui.T("This week"), c.ui.T("This month")};
    for (std::size_t i = 0; i < 3; ++i) {
        if (i > 0) ImGui::SameLine();
        if (c.ui.Toggle(periods[i].second, labels[i], view.period == periods[i].first, quarter)) {
            c.Emit(af::ShowPeriod{periods[i].first});
        }
    }
    if (c.Can(ca::action::kReportExport)) {
        ImGui::SameLine();
        if (c.ui.Button("export-csv", c.ui.T("Export CSV"), quarter)) c.Emit(af::ExportCsv{});
    }
    if (!view.report) return;
    const ca::Report& r = *view.report;
    const ImU32 blue = IM_COL32(41, 102, 199, 255);
    const ImU32 green = IM_COL32(26, 140, 51, 255);
    const bool wide = ImGui::GetContentRegionAvail().x > 1200.0f;
    const float chart = ImGui::GetFontSize() * 8.0f;
    if (ImGui::BeginTable("figures", wide ? 4 : 2)) {
        auto figure = [&c](std::string_view label, const std::string& value) {
            ImGui::TableNextColumn();
            c.ui.TextMuted(label);
            ImGui::PushFont(c.ui.Font().title);
            c.ui.Text(value);
            ImGui::PopFont();
        };
        figure(c.ui.T("Tickets"), std::to_string(r.ticketsCreated));
        figure(c.ui.T("SLA met"), Percent(r.slaCompliancePercent) + " (" + std::to_string(r.slaMet) + "/" +
                                      std::to_string(r.slaMeasured) + ")");
        figure(c.ui.T("First response (average)"), Minutes(r.firstResponse.average));
        figure(c.ui.T("Resolution (average)"), Minutes(r.resolution.average));
        char csat[32];
        std::snprintf(csat, sizeof csat, "%.2f", r.csatAverage.value_or(0.0));
        figure(c.ui.T("Satisfaction (average of 5)"), (r.csatAverage ? std::string(csat) : std::string("-")) + " (" +
                                                          std::to_string(r.csatCount) + ")");
        figure(c.ui.T("Solved by self-help"), Percent(r.deflectionPercent) + " (" + std::to_string(r.selfHelpSolved) +
                                                  "/" + std::to_string(r.selfHelpShown) + ")");
        ImGui::EndTable();
    }
    auto section = [&](std::string_view title, auto draw) {
        ImGui::TableNextColumn();
        c.ui.TextMuted(title);
        draw();
    };
    if (ImGui::BeginTable("charts", wide ? 2 : 1)) {
        section(c.ui.T("Tickets per day"), [&] {
            std::vector<ChartPoint> daily;
            for (const ca::DailyPoint& p : r.daily) daily.push_back({core::FormatDate(p.day).substr(5), static_cast<double>(p.created)});
            LineChart("daily", daily, chart, blue);
        });
        section(c.ui.T("By type"), [&] {
            std::vector<ChartPoint> points = Points(r.byType);
            for (std::size_t i = 0; i < points.size(); ++i) {
                if (auto type = core::ParseTicketType(r.byType[i].key)) points[i].label = TypeLabel(c.ui, *type);
            }
            BarChart("by-type", points, chart, blue);
        });
        section(c.ui.T("Satisfaction answers (1 to 5)"), [&] {
            std::vector<ChartPoint> faces;
            for (std::size_t i = 0; i < r.csatDistribution.size(); ++i) {
                faces.push_back({std::to_string(i + 1), static_cast<double>(r.csatDistribution[i])});
            }
            BarChart("csat", faces, chart, green);
        });
        section(c.ui.T("By status"), [&] {
            std::vector<ChartPoint> points = Points(r.byStatus);
            for (std::size_t i = 0; i < points.size(); ++i) points[i].label = StatusLabel(c, r.byStatus[i].key);
            BarChart("by-status", points, chart, blue);
        });
        section(c.ui.T("Most reported products"), [&] { BarChart("products", Points(r.topProducts), chart, blue); });
        section(c.ui.T("Most reported problems"), [&] { BarChart("categories", Points(r.topCategories), chart, blue); });
        ImGui::EndTable();
    }
    if (!r.staff.empty() && ImGui::BeginTable("staff", 5, ImGuiTableFlags_RowBg)) {
        ImGui::TableSetupColumn(c.ui.T("Staff").data());
        ImGui::TableSetupColumn(c.ui.T("Assigned").data());
        ImGui::TableSetupColumn(c.ui.T("Open").data());
        ImGui::TableSetupColumn(c.ui.T("Closed").data());
        ImGui::TableSetupColumn(c.ui.T("Satisfaction").data());
        ImGui::TableHeadersRow();
        for (const ca::StaffFigures& s : r.staff) {
            ImGui::TableNextColumn();
            c.ui.Text(s.name);
            ImGui::TableNextColumn();
            c.ui.Text(std::to_string(s.assigned));
            ImGui::TableNextColumn();
            c.ui.Text(std::to_string(s.open));
            ImGui::TableNextColumn();
            c.ui.Text(std::to_string(s.closed));
            ImGui::TableNextColumn();
            char text[32];
            std::snprintf(text, sizeof text, "%.2f (%d)", s.csatAverage.value_or(0.0), s.csatCount);
            c.ui.Text(s.csatAverage ? std::string(text) : std::string("-"));
        }
        ImGui::EndTable();
    }
}

namespace {

// A number edited with - and + buttons in `step`s between `low` and `high`.
template <class T>
void Stepper(ViewContext& c, const char* id, std::string_view label, T& value, T step, T low, T high,
             const std::string& shown) {
    ImGui::PushID(id);
    c.ui.TextMuted(label);
    const float unit = c.ui.Unit() * 1.6f;
    const std::string minus = std::string(id) + "-minus";
    const std::string plus = std::string(id) + "-plus";
    if (c.ui.Button(minus.c_str(), "-", unit) && value - step >= low) value -= step;
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    c.ui.Text(shown);
    ImGui::SameLine();
    if (c.ui.Button(plus.c_str(), "+", unit) && value + step <= high) value += step;
    ImGui::PopID();
}

void TextField(ViewContext& c, const char* id, std::string_view label, std::string& value) {
    c.ui.TextMuted(label);
    char buffer[256];
    const std::size_t n = std::min(value.size(), sizeof buffer - 1);
    value.copy(buffer, n);
    buffer[n] = '\0';
    const std::string hidden = std::string("##") + id;
    ImGui::SetNextItemWidth(-1.0f);
    if (ImGui::InputText(hidden.c_str(), buffer, sizeof buffer)) value = buffer;
}

}  // namespace

void DrawSettings(ViewContext& c) {
    const af::AdminView& view = c.View();
    if (!view.settings) return;
    if (!c.buffers.draftLoaded) {
        c.buffers.draft = *view.settings;
        c.buffers.draftLoaded = true;
    }
    ca::Settings& s = c.buffers.draft;
    const bool canEdit = c.Can(ca::action::kSettingsEdit);
    if (!canEdit) c.ui.TextMuted(c.ui.T("Only a supervisor can change the settings."));
    ImGui::BeginDisabled(!canEdit);
    for (const ca::FieldError& error : view.settingsErrors) {
        ColouredText(UrgencyColour(ca::Urgency::Red), error.field + ": " + error.message);
    }
    TextField(c, "store-name", c.ui.T("Store name"), s.storeName);
    TextField(c, "store-address", c.ui.T("Store address"), s.storeAddress);
    TextField(c, "store-phone", c.ui.T("Store phone"), s.storePhone);
    c.ui.TextMuted(c.ui.T("Default language"));
    const std::pair<core::Language, const char*> languages[] = {
        {core::Language::ZhHans, "default-zh-hans"}, {core::Language::ZhHant, "default-zh-hant"}, {core::Language::En, "default-en"}};
    const std::string_view names[] = {"简体中文", "繁體中文", "English"};
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
    for (std::size_t i = 0; i < 3; ++i) {
        if (i > 0) ImGui::SameLine();
        if (c.ui.Toggle(languages[i].second, names[i], s.defaultLanguage == languages[i].first, third)) {
            s.defaultLanguage = languages[i].first;
        }
    }
    using std::chrono::seconds;
    Stepper(c, "customer-timeout", c.ui.T("Customer screens time out after"), s.customerIdleTimeout, seconds{15},
            seconds{15}, seconds{600}, Countdown(s.customerIdleTimeout));
    Stepper(c, "admin-timeout", c.ui.T("Staff mode signs out after"), s.adminIdleTimeout, seconds{60}, seconds{60},
            seconds{3600}, Countdown(s.adminIdleTimeout));
    Stepper(c, "approval-window", c.ui.T("Supervisor approval within"), s.approvalWindow, std::chrono::minutes{5},
            std::chrono::minutes{5}, std::chrono::minutes{240}, Countdown(s.approvalWindow));
    Stepper(c, "threshold", c.ui.T("Refunds above this need a supervisor"), s.escalationThreshold, core::Money{10000},
            core::Money{0}, core::Money{100000000}, Yuan(s.escalationThreshold));
    TextField(c, "printer-uri", c.ui.T("Printer"), s.printerUri);
    TextField(c, "printer-profile", c.ui.T("Printer profile"), s.printerProfile);
    if (c.ui.Button("settings-save", c.ui.T("Save settings"))) c.Emit(af::SaveSettings{s});
    ImGui::EndDisabled();
}

}  // namespace kiosk::ui::admin
