// The printer and scanner health with their tests, and the sync with head office.
#include "kiosk/core/admin/actions.hpp"
#include "ui/admin/admin_views.hpp"

namespace kiosk::ui::admin {

namespace {

namespace ca = core::admin;

void Flag(ViewContext& c, std::string_view label, bool good, std::string_view goodText, std::string_view badText) {
    c.ui.TextMuted(label);
    ImGui::SameLine(ImGui::GetFontSize() * 9.0f);
    ColouredText(UrgencyColour(good ? ca::Urgency::Green : ca::Urgency::Red), good ? goodText : badText);
}

}  // namespace

void DrawDevices(ViewContext& c) {
    const af::AdminView& view = c.View();
    c.ui.Title(c.ui.T("Receipt printer"));
    if (view.devices) {
        const af::DeviceHealth& d = *view.devices;
        c.ui.Text(d.printerUri);
        if (d.printer) {
            const core::PrinterStatus& p = *d.printer;
            Flag(c, c.ui.T("Printer"), p.online, c.ui.T("Online"), c.ui.T("Offline"));
            Flag(c, c.ui.T("Paper"), !p.paperOut, p.paperNearEnd ? c.ui.T("Running low") : c.ui.T("Working"), c.ui.T("Out of paper"));
            Flag(c, c.ui.T("Cover"), !p.coverOpen, c.ui.T("Closed"), c.ui.T("Open"));
            Flag(c, c.ui.T("Cutter"), !p.cutterError, c.ui.T("Working"), c.ui.T("Jammed"));
            if (!p.detail.empty()) c.ui.TextMuted(p.detail);
        } else {
            ColouredText(UrgencyColour(ca::Urgency::Red), d.printerError);
        }
        c.ui.Text(Fill(c.ui.T("Receipts waiting: {0}"), {std::to_string(d.printJobsWaiting)}));
    }
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    if (c.ui.Button("test-print", c.ui.T("Print a test page"), half)) c.Emit(af::TestPrint{});
    ImGui::Separator();
    c.ui.Title(c.ui.T("Scanner"));
    if (view.devices) {
        // Each configured source's own state, then what was wrong in the settings.
        for (const af::ScanSourceHealth& source : view.devices->scanSources) {
            c.ui.TextMuted(source.name);
            ImGui::SameLine(ImGui::GetFontSize() * 9.0f);
            ColouredText(UrgencyColour(source.working ? ca::Urgency::Green : ca::Urgency::Red),
                         source.working ? c.ui.T("Working") : c.ui.T("Not working"));
            if (!source.detail.empty()) c.ui.TextMuted(source.detail);
            if (!source.lastCode.empty() && source.lastAt) {
                c.ui.Text(Fill(c.ui.T("Last code: {0} at {1}"), {source.lastCode, LocalTime(c.facts, *source.lastAt)}));
            }
        }
        for (const std::string& problem : view.devices->scannerSettingsProblems) {
            ColouredText(UrgencyColour(ca::Urgency::Red), Fill(c.ui.T("Scanner settings: {0}"), {problem}));
        }
    }
    Flag(c, c.ui.T("Scanner"), view.scansSeen > 0, c.ui.T("Working"), c.ui.T("No scan since start"));
    if (view.lastScanAt) c.ui.Text(Fill(c.ui.T("Last scan: {0}"), {LocalTime(c.facts, *view.lastScanAt)}));
    if (view.testScanArmed) {
        ColouredText(UrgencyColour(ca::Urgency::Amber), c.ui.T("Scan any code now."));
    } else if (c.ui.Button("test-scan", c.ui.T("Test the scanner"), half)) {
        c.Emit(af::TestScan{});
    }
    if (view.testScanResult) c.ui.Text(Fill(c.ui.T("Read: {0}"), {*view.testScanResult}));
}

void DrawSync(ViewContext& c) {
    const af::AdminView& view = c.View();
    c.ui.Title(c.ui.T("Head office"));
    if (!view.sync) return;
    const af::SyncHealth& s = *view.sync;
    Flag(c, c.ui.T("Enrolled"), s.enrolled, c.ui.T("Yes"), c.ui.T("No"));
    if (!s.server.empty()) c.ui.Text(s.server);
    c.ui.Text(Fill(c.ui.T("Records waiting to be sent: {0}"), {std::to_string(s.backlog)}));
    c.ui.Text(Fill(c.ui.T("Last success: {0}"), {s.lastSuccess.empty() ? std::string(c.ui.T("never")) : s.lastSuccess}));
    if (!s.lastError.empty()) ColouredText(UrgencyColour(ca::Urgency::Red), Fill(c.ui.T("Last error: {0}"), {s.lastError}));
    for (const std::string& data : s.inForce) c.ui.Text(Fill(c.ui.T("In force: {0}"), {data}));
    for (const std::string& refused : s.refused) {
        ColouredText(UrgencyColour(ca::Urgency::Red), Fill(c.ui.T("Refused from head office: {0}"), {refused}));
    }
    if (s.draining) {
        const float done = s.drainStartBacklog > 0
                               ? 1.0f - static_cast<float>(s.backlog) / static_cast<float>(s.drainStartBacklog)
                               : 0.0f;
        ImGui::ProgressBar(done, ImVec2(-1.0f, 0.0f));
    } else if (c.ui.Button("sync-now", c.ui.T("Sync now"))) {
        c.Emit(af::SyncNow{});
    }
}

}  // namespace kiosk::ui::admin
