// The queue (ordered by SLA urgency, with filters and search) and one ticket with everything staff
// can do to it.
#include <algorithm>

#include "kiosk/core/admin/actions.hpp"
#include "ui/admin/admin_views.hpp"
#include "ui/screens/screens.hpp"

namespace kiosk::ui::admin {

namespace {

namespace ca = core::admin;

bool Running(const core::SlaClock& clock) {
    return clock.state == core::SlaState::OnTrack || clock.state == core::SlaState::AtRisk ||
           clock.state == core::SlaState::Breached;
}

std::string_view SlaLabel(const Ui& ui, core::SlaState state) {
    switch (state) {
        case core::SlaState::OnTrack: return ui.T("On track");
        case core::SlaState::AtRisk: return ui.T("At risk");
        case core::SlaState::Breached: return ui.T("Breached");
        case core::SlaState::Paused: return ui.T("Paused");
        case core::SlaState::MetOnTime: return ui.T("Met on time");
        case core::SlaState::MetLate: return ui.T("Met late");
        case core::SlaState::Stopped: return ui.T("Stopped");
    }
    return {};
}

void DueCell(const ViewContext& c, const ca::QueueItem& item) {
    if (item.paused) {
        ColouredText(UrgencyColour(ca::Urgency::Paused), c.ui.T("Paused"));
    } else if (item.nextDue) {
        ColouredText(UrgencyColour(item.urgency), Countdown(Left(*item.nextDue, c.now)));
    } else {
        ColouredText(UrgencyColour(ca::Urgency::None), "-");
    }
}

// A search box that opens the on-screen keyboard; the hardware keyboard types into it as well.
void SearchBox(ViewContext& c) {
    const ca::QueueFilter& filter = c.View().filter;
    const std::string shown = filter.search.empty() ? std::string(c.ui.T("Ticket number, phone or serial"))
                                                    : filter.search;
    if (!c.buffers.keyboardOpen) {
        if (c.ui.Button("search-open", Fill(c.ui.T("Search: {0}"), {shown}), 0.0f)) {
            c.buffers.keyboardOpen = true;
            c.buffers.text = filter.search;
        }
        return;
    }
    c.ui.Keyboard(c.buffers.text, 40);
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    if (c.ui.Button("search-go", c.ui.T("Search"), half)) {
        ca::QueueFilter next = filter;
        next.search = c.buffers.text;
        c.Emit(af::ApplyFilter{next});
    }
    ImGui::SameLine();
    if (c.ui.Button("search-clear", c.ui.T("Clear"), half)) {
        ca::QueueFilter next = filter;
        next.search.clear();
        c.Emit(af::ApplyFilter{next});
    }
}

void Filters(ViewContext& c) {
    const ca::QueueFilter& filter = c.View().filter;
    const float width = (ImGui::GetContentRegionAvail().x - 5.0f * ImGui::GetStyle().ItemSpacing.x) / 6.0f;
    if (c.ui.Toggle("filter-all", c.ui.T("All"), !filter.type, width)) {
        ca::QueueFilter next = filter;
        next.type.reset();
        c.Emit(af::ApplyFilter{next});
    }
    const std::pair<core::TicketType, const char*> types[] = {
        {core::TicketType::Repair, "filter-repair"},       {core::TicketType::Return, "filter-return"},
        {core::TicketType::Exchange, "filter-exchange"},   {core::TicketType::Complaint, "filter-complaint"},
        {core::TicketType::Inquiry, "filter-inquiry"}};
    for (const auto& [type, id] : types) {
        ImGui::SameLine();
        if (c.ui.Toggle(id, TypeLabel(c.ui, type), filter.type == type, width)) {
            ca::QueueFilter next = filter;
            next.type = type;
            c.Emit(af::ApplyFilter{next});
        }
    }
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
    if (c.ui.Toggle("filter-breached", c.ui.T("Breached only"), filter.breachedOnly, third)) {
        ca::QueueFilter next = filter;
        next.breachedOnly = !next.breachedOnly;
        c.Emit(af::ApplyFilter{next});
    }
    ImGui::SameLine();
    const std::string& me = c.View().session->actor.id;
    const bool mine = filter.assignee && *filter.assignee == me;
    if (c.ui.Toggle("filter-mine", c.ui.T("Assigned to me"), mine, third)) {
        ca::QueueFilter next = filter;
        next.assignee = mine ? std::nullopt : std::optional<std::string>(me);
        c.Emit(af::ApplyFilter{next});
    }
    ImGui::SameLine();
    if (c.ui.Toggle("filter-closed", c.ui.T("Include closed"), filter.includeClosed, third)) {
        ca::QueueFilter next = filter;
        next.includeClosed = !next.includeClosed;
        c.Emit(af::ApplyFilter{next});
    }
}

}  // namespace

void DrawQueue(ViewContext& c) {
    const af::AdminView& view = c.View();
    Filters(c);
    SearchBox(c);
    if (view.queue.empty()) {
        c.ui.TextMuted(c.ui.T("No tickets match."));
        return;
    }
    c.ui.TextMuted(Fill(c.ui.T("{0} tickets, most urgent first"), {std::to_string(view.queue.size())}));
    // Fewer columns on a narrow portrait screen: the number, the countdown and the status matter most.
    const bool wide = ImGui::GetContentRegionAvail().x > 1200.0f;
    const int columns = wide ? 7 : 4;
    if (!ImGui::BeginTable("queue", columns, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
    ImGui::TableSetupColumn(c.ui.T("Ticket").data(), ImGuiTableColumnFlags_WidthStretch, 2.2f);
    ImGui::TableSetupColumn(c.ui.T("Due in").data(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(c.ui.T("Type").data(), ImGuiTableColumnFlags_WidthStretch, 0.9f);
    ImGui::TableSetupColumn(c.ui.T("Status").data(), ImGuiTableColumnFlags_WidthStretch, 1.2f);
    if (wide) {
        ImGui::TableSetupColumn(c.ui.T("Customer").data(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn(c.ui.T("Assignee").data(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn(c.ui.T("Product").data(), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    }
    ImGui::TableHeadersRow();
    for (const ca::QueueItem& item : view.queue) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const std::string id = "open-" + item.number;
        if (c.ui.Button(id.c_str(), item.number, 0.0f, c.ui.Unit() * 0.8f)) c.Emit(af::OpenTicket{item.number});
        ImGui::TableNextColumn();
        DueCell(c, item);
        ImGui::TableNextColumn();
        c.ui.Text(TypeLabel(c.ui, item.type));
        ImGui::TableNextColumn();
        c.ui.Text(StatusLabel(c, item.status));
        if (item.pendingApproval) ColouredText(UrgencyColour(ca::Urgency::Amber), c.ui.T("Waiting for approval"));
        if (wide) {
            ImGui::TableNextColumn();
            c.ui.Text(item.maskedPhone.empty() ? std::string_view("-") : std::string_view(item.maskedPhone));
            c.ui.TextMuted(TierLabel(c.ui, item.tier));
            ImGui::TableNextColumn();
            c.ui.Text(item.assigneeName.empty() ? c.ui.T("Unassigned") : std::string_view(item.assigneeName));
            ImGui::TableNextColumn();
            c.ui.Text(item.productName);
        }
    }
    ImGui::EndTable();
}

namespace {

void Facts(ViewContext& c, const ca::TicketDetail& d) {
    const core::Ticket& t = d.ticket;
    auto row = [&c](std::string_view label, std::string_view value) {
        c.ui.TextMuted(label);
        ImGui::SameLine(ImGui::GetFontSize() * 9.0f);
        c.ui.Text(value.empty() ? std::string_view("-") : value);
    };
    row(c.ui.T("Type"), TypeLabel(c.ui, t.filed.type));
    row(c.ui.T("Customer"), d.maskedPhone + "  " + std::string(TierLabel(c.ui, t.filed.customerTier)));
    row(c.ui.T("Product"), d.productName);
    row(c.ui.T("Serial"), t.filed.serial);
    row(c.ui.T("Bought on"), t.filed.purchasedOn ? core::FormatDate(*t.filed.purchasedOn) : std::string());
    if (d.decision.proofToVerify) ColouredText(UrgencyColour(ca::Urgency::Amber), c.ui.T("Proof of purchase to verify"));
    row(c.ui.T("Decision"), d.decision.remedy ? screens::RemedyLabel(c.ui, *d.decision.remedy) : std::string_view());
    row(c.ui.T("Clause"), d.decision.clauseId);
    if (!d.decision.clauseText.In(c.ui.Language()).empty()) c.ui.TextMuted(d.decision.clauseText.In(c.ui.Language()));
    row(c.ui.T("Problem"), t.filed.problemCategory + (t.filed.description.empty() ? "" : ": " + t.filed.description));
    auto clock = [&](std::string_view label, const core::SlaClock& sla) {
        std::string text(SlaLabel(c.ui, sla.state));
        if (sla.due) text += "  " + LocalTime(c.facts, *sla.due);
        if (sla.due && Running(sla)) text += "  (" + Countdown(Left(*sla.due, c.now)) + ")";
        row(label, text);
    };
    clock(c.ui.T("First response"), d.sla.firstResponse);
    clock(c.ui.T("Resolution"), d.sla.resolution);
    row(c.ui.T("Channel"), t.channel ? ChannelLabel(c.ui, *t.channel) : std::string_view());
    if (d.csat) row(c.ui.T("Rating"), std::to_string(d.csat->score) + "/5 " + d.csat->comment);
}

// The customer signs; Done attaches the photos, the condition and the signature as one event.
void SignaturePanel(ViewContext& c) {
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
    c.ui.Text(c.ui.T("Please sign in the box."));
    c.ui.SignaturePad("sign-pad", c.buffers.signature, c.buffers.signatureStartedAt, ImGui::GetContentRegionAvail().x);
    if (c.ui.Button("sign-back", c.ui.T("Back to photos"), third)) c.Emit(af::BackToPhotos{});
    ImGui::SameLine();
    if (c.ui.Button("sign-clear", c.ui.T("Clear"), third)) c.buffers.signature.clear();
    ImGui::SameLine();
    ImGui::BeginDisabled(c.buffers.signature.empty());
    if (c.ui.Button("sign-done", c.ui.T("Done"), third)) {
        c.Emit(af::FinishIntake{c.buffers.text, c.buffers.signature});
        c.buffers.signature.clear();
    }
    ImGui::EndDisabled();
}

// Intake of a received item: photos (taken, retaken, dropped), the condition, then the signature.
void IntakePanel(ViewContext& c, const af::IntakeView& intake) {
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    c.ui.Title(c.ui.T("Intake"));
    if (intake.signing) return SignaturePanel(c);
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * spacing) / 3.0f;
    // The condition being typed: the keyboard needs the whole column.
    if (c.buffers.keyboardOpen) {
        c.ui.TextMuted(c.ui.T("Condition of the item (printed on the intake slip)"));
        c.ui.Keyboard(c.buffers.text, 300);
        if (c.ui.Button("intake-note-close", c.ui.T("Close keyboard"), third)) c.buffers.keyboardOpen = false;
        return;
    }
    for (std::size_t i = 0; i < intake.photos.size(); ++i) {
        const af::IntakePhoto& photo = intake.photos[i];
        if (i % 3 != 0) ImGui::SameLine();
        ImGui::BeginGroup();
        const ImTextureID texture =
            c.facts.photoTextureFor && photo.thumbnail.width > 0 ? c.facts.photoTextureFor(photo.thumbnail) : nullptr;
        if (texture != nullptr) {
            const float height = third * static_cast<float>(photo.thumbnail.height) / static_cast<float>(photo.thumbnail.width);
            ImGui::Image(texture, ImVec2(third, height));
        } else {
            c.ui.TextMuted(photo.file.sha256.substr(0, 12));
        }
        const float half = (third - spacing) * 0.5f;
        const std::string n = std::to_string(i + 1);
        if (c.ui.Button(("photo-retake-" + n).c_str(), c.ui.T("Retake"), half)) c.Emit(af::RetakePhoto{i});
        ImGui::SameLine();
        if (c.ui.Button(("photo-drop-" + n).c_str(), c.ui.T("Drop"), half)) c.Emit(af::DropPhoto{i});
        ImGui::EndGroup();
    }
    ImGui::BeginDisabled(intake.photos.size() >= af::kMaxIntakePhotos);
    const std::string take = Fill(c.ui.T("Take photo ({0}/{1})"),
                                  {std::to_string(intake.photos.size()), std::to_string(af::kMaxIntakePhotos)});
    if (c.ui.Button("take-photo", take, third)) c.Emit(af::TakePhoto{});
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (c.ui.Button("intake-sign", c.ui.T("Customer signs"), third)) c.Emit(af::StartSigning{});
    ImGui::SameLine();
    if (c.ui.Button("intake-cancel", c.ui.T("Cancel intake"), third)) {
        c.Emit(af::CancelIntake{});
        c.buffers.text.clear();
    }
    c.ui.TextMuted(c.ui.T("Condition of the item (printed on the intake slip)"));
    if (c.ui.Button("intake-note", c.buffers.text.empty() ? c.ui.T("Note the condition") : std::string_view(c.buffers.text))) {
        c.buffers.keyboardOpen = true;
    }
}

// The note being typed, with what can be done with it; the keyboard needs the whole column.
void NoteEditor(ViewContext& c) {
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
    c.ui.TextMuted(c.ui.T("Note (also sent with a move, or as the reason for an approval)"));
    c.ui.Keyboard(c.buffers.text, 300);
    ImGui::BeginDisabled(c.buffers.text.empty());
    if (c.ui.Button("note-save", c.ui.T("Save note"), third)) c.Emit(af::AddTicketNote{c.buffers.text});
    ImGui::SameLine();
    if (c.Can(ca::action::kApprovalRequest) && c.ui.Button("ask-approval", c.ui.T("Ask a supervisor"), third)) {
        c.Emit(af::AskApproval{ca::ApprovalKind::PolicyException, 0, c.buffers.text});
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (c.ui.Button("note-close", c.ui.T("Close keyboard"), third)) c.buffers.keyboardOpen = false;
}

void Moves(ViewContext& c, const ca::TicketDetail& d) {
    if (const auto& intake = c.View().intake) return IntakePanel(c, *intake);
    if (c.buffers.keyboardOpen) return NoteEditor(c);
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * spacing) / 3.0f;
    // Moves: every transition the role may make now; closing is the hand-back, which also asks the
    // customer for a rating.
    int placed = 0;
    for (const std::string& to : d.allowedTransitions) {
        if (to == "closed") continue;
        if (placed++ % 3 != 0) ImGui::SameLine();
        const std::string id = "to-" + to;
        if (c.ui.Button(id.c_str(), Fill(c.ui.T("Move to: {0}"), {StatusLabel(c, to)}), third)) {
            c.Emit(af::MoveTicket{to, c.buffers.text});
        }
    }
    const bool canClose = std::ranges::find(d.allowedTransitions, "closed") != d.allowedTransitions.end();
    if (canClose && c.Can(ca::action::kTicketHandBack)) {
        if (c.ui.Button("hand-back", c.ui.T("Hand back and close"))) c.Emit(af::HandBack{c.buffers.text});
    }
    if (d.ticket.status == "received" && c.View().intakeAvailable && c.Can(ca::action::kTicketNote)) {
        if (c.ui.Button("intake-open", c.ui.T("Photos and signature"))) c.Emit(af::OpenIntake{});
    }
    c.ui.TextMuted(c.ui.T("Note (also sent with a move, or as the reason for an approval)"));
    if (c.ui.Button("note-open", c.buffers.text.empty() ? c.ui.T("Write a note") : std::string_view(c.buffers.text))) {
        c.buffers.keyboardOpen = true;
    }
    if (c.Can(ca::action::kTicketReprint)) {
        const float quarter = (ImGui::GetContentRegionAvail().x - 3.0f * spacing) / 4.0f;
        if (c.ui.Button("reprint-receipt", c.ui.T("Reprint receipt"), quarter)) {
            c.Emit(af::Reprint{core::ReceiptKind::CustomerReceipt});
        }
        ImGui::SameLine();
        if (c.ui.Button("reprint-slip", c.ui.T("Print intake slip"), quarter)) {
            c.Emit(af::Reprint{core::ReceiptKind::IntakeSlip});
        }
        ImGui::SameLine();
        if (c.ui.Button("preview-receipt", c.ui.T("Preview receipt"), quarter)) {
            c.Emit(af::PreviewReceipt{core::ReceiptKind::CustomerReceipt});
        }
        ImGui::SameLine();
        if (c.ui.Button("preview-slip", c.ui.T("Preview slip"), quarter)) {
            c.Emit(af::PreviewReceipt{core::ReceiptKind::IntakeSlip});
        }
    }
}

// Where the work happens and who does it.
void Routing(ViewContext& c, const ca::TicketDetail& d) {
    const float third = (ImGui::GetContentRegionAvail().x - 2.0f * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
    if (c.Can(ca::action::kTicketChannel)) {
        c.ui.TextMuted(c.ui.T("Service channel"));
        const std::pair<core::ServiceChannel, const char*> channels[] = {
            {core::ServiceChannel::InStore, "channel-in_store"},
            {core::ServiceChannel::AuthorisedCentre, "channel-authorised_centre"},
            {core::ServiceChannel::ThirdParty, "channel-third_party"}};
        for (std::size_t i = 0; i < 3; ++i) {
            if (i > 0) ImGui::SameLine();
            const auto [channel, id] = channels[i];
            if (c.ui.Toggle(id, ChannelLabel(c.ui, channel), d.ticket.channel == channel, third)) {
                c.Emit(af::RouteTo{channel});
            }
        }
    }
    if (c.Can(ca::action::kTicketAssign) && !c.View().assignees.empty()) {
        c.ui.TextMuted(c.ui.T("Assign to"));
        int n = 0;
        for (const ca::StaffSummary& s : c.View().assignees) {
            if (n++ % 3 != 0) ImGui::SameLine();
            const std::string id = "assign-" + s.staffNo;
            const std::string label = s.name + " (" + std::to_string(s.openAssigned) + ")";
            if (c.ui.Toggle(id.c_str(), label, d.ticket.assignee == s.staffNo, third)) c.Emit(af::AssignTo{s.staffNo});
        }
    }
}

void Timeline(ViewContext& c, const ca::TicketDetail& d) {
    c.ui.TextMuted(c.ui.T("Timeline"));
    for (const core::TicketEvent& e : d.events) {
        std::string line = LocalTime(c.facts, e.at) + "  " + e.actor.id + "  ";
        switch (e.kind) {
            case core::EventKind::Created: line += std::string(c.ui.T("Ticket filed")); break;
            case core::EventKind::StatusChanged:
                line += std::string(StatusLabel(c, e.fromStatus)) + " -> " + std::string(StatusLabel(c, e.toStatus));
                break;
            case core::EventKind::NoteAdded: line += std::string(c.ui.T("Note")); break;
            case core::EventKind::Assigned: line += Fill(c.ui.T("Assigned to {0}"), {e.value}); break;
            case core::EventKind::ChannelSet: line += Fill(c.ui.T("Routed to {0}"), {e.value}); break;
            case core::EventKind::Rated: line += Fill(c.ui.T("Rated {0}/5"), {e.value}); break;
            case core::EventKind::ScriptUsed: line += Fill(c.ui.T("Script used: {0}"), {e.value}); break;
            case core::EventKind::Attached:
                line += Fill(c.ui.T("Files attached: {0}"), {std::to_string(e.attachments.size())});
                break;
        }
        if (!e.note.empty()) line += ": " + e.note;
        c.ui.Text(line);
    }
}

// The service scripts for the ticket's type and status, or those a keyword finds, in the customer's
// language and filled from the ticket; staff mark the one they read, which the ticket records.
void Scripts(ViewContext& c, const ca::TicketDetail& d) {
    if (c.facts.scripts == nullptr || c.facts.scripts->scripts.empty()) return;
    const core::ScriptLibrary& library = *c.facts.scripts;
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2.0f;
    const float quarter = (ImGui::GetContentRegionAvail().x - 3.0f * ImGui::GetStyle().ItemSpacing.x) / 4.0f;
    // Column-wide wrapping: in the wide layout the facts column sits to the right.
    const float wrapAt = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
    c.ui.TextMuted(c.ui.T("Scripts"));
    ImGui::SameLine();
    if (c.buffers.scriptKeyboardOpen) {
        c.ui.Keyboard(c.buffers.scriptSearch, 60);
        if (c.ui.Button("script-search-close", c.ui.T("Close keyboard"), half)) c.buffers.scriptKeyboardOpen = false;
    } else if (c.ui.Button("script-search", c.buffers.scriptSearch.empty() ? c.ui.T("Search scripts") : std::string_view(c.buffers.scriptSearch),
                           half)) {
        c.buffers.scriptKeyboardOpen = true;
    }
    if (!c.buffers.scriptSearch.empty()) {
        ImGui::SameLine();
        if (c.ui.Button("script-search-clear", c.ui.T("Clear search"), half)) c.buffers.scriptSearch.clear();
    }
    const auto shown = c.buffers.scriptSearch.empty()
                           ? library.For(core::ToString(d.ticket.filed.type), d.ticket.status)
                           : library.Search(c.buffers.scriptSearch);
    if (shown.empty()) c.ui.Text(c.ui.T("No script for this keyword."));
    const core::Language language = d.ticket.filed.language;
    const std::string due = d.sla.resolution.due ? LocalTime(c.facts, *d.sla.resolution.due) : std::string();
    const std::string clauseText = d.decision.clauseText.In(language);
    const std::string clause = clauseText.empty() ? d.decision.clauseId : d.decision.clauseId + " " + clauseText;
    const std::string staff = c.View().session ? c.View().session->name : std::string();
    const core::ScriptFields fields = core::ScriptFieldsFor(d.ticket, d.productName, due, clause, staff);
    const bool canMark = c.Can(ca::action::kTicketNote);
    for (const core::ServiceScript* script : shown) {
        const bool used = std::ranges::any_of(d.events, [&](const core::TicketEvent& e) {
            return e.kind == core::EventKind::ScriptUsed && e.value == script->id;
        });
        ImGui::Separator();
        // The button first, so the first script's stays on screen beside the ticket's moves.
        const std::string id = "script-used-" + script->id;
        if (canMark) {
            if (c.ui.Button(id.c_str(), c.ui.T("Mark as used"), quarter)) {
                c.Emit(af::MarkScriptUsed{script->id, std::string(core::ToString(script->scene))});
            }
            ImGui::SameLine();
        }
        c.ui.Text(script->title.In(language) + (used ? "  (" + std::string(c.ui.T("Used")) + ")" : std::string()));
        ImGui::PushTextWrapPos(wrapAt);
        for (const core::LocalizedText& step : script->steps) {
            const std::string text = core::RenderScriptText(step.In(language), fields);
            c.ui.NeedGlyphs(text);
            ImGui::TextUnformatted(text.data(), text.data() + text.size());
        }
        ImGui::PopTextWrapPos();
    }
}

void Preview(ViewContext& c) {
    const auto& preview = c.View().preview;
    if (!preview || !c.facts.textureFor || preview->width <= 0) return;
    const ImTextureID texture = c.facts.textureFor(*preview);
    if (texture == nullptr) return;
    c.ui.TextMuted(Fill(c.ui.T("Preview of {0}"), {preview->ticketNumber}));
    const float width = std::min(ImGui::GetContentRegionAvail().x, static_cast<float>(preview->width) * 0.75f);
    const float scale = width / static_cast<float>(preview->width);
    ImGui::Image(texture, ImVec2(width, static_cast<float>(preview->height) * scale));
}

}  // namespace

void DrawTicket(ViewContext& c) {
    const af::AdminView& view = c.View();
    if (!view.ticket) {
        c.ui.Text(c.ui.T("Open a ticket from the queue, or scan its receipt."));
        return;
    }
    const ca::TicketDetail& d = *view.ticket;
    // What was typed for an intake goes with it: a finished or cancelled intake leaves no note behind.
    if (c.buffers.intakeShown && !view.intake) {
        c.buffers.text.clear();
        c.buffers.signature.clear();
        c.buffers.keyboardOpen = false;
    }
    c.buffers.intakeShown = view.intake.has_value();
    c.ui.Title(Fill(c.ui.T("Ticket {0}"), {d.ticket.number}));
    std::string status(StatusLabel(c, d.ticket.status));
    const auto& sla = Running(d.sla.firstResponse) ? d.sla.firstResponse : d.sla.resolution;
    ColouredText(UrgencyColour(d.urgency),
                 sla.due && Running(sla) ? status + "  " + Countdown(Left(*sla.due, c.now)) : status);
    const bool wide = ImGui::GetContentRegionAvail().x > 1200.0f;
    if (wide && ImGui::BeginTable("ticket", 2)) {
        ImGui::TableNextColumn();
        Moves(c, d);
        Scripts(c, d);
        Preview(c);
        ImGui::TableNextColumn();
        Routing(c, d);
        Facts(c, d);
        Timeline(c, d);
        ImGui::EndTable();
    } else {
        Moves(c, d);
        Scripts(c, d);
        Routing(c, d);
        Facts(c, d);
        Timeline(c, d);
        Preview(c);
    }
}

}  // namespace kiosk::ui::admin
