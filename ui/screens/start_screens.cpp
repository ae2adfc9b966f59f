// The start of a visit: attract, language, and the ways to name the product.
#include "ui/screens/screens.hpp"

#include <cmath>

#include "ui/icons.hpp"
#include "ui/theme.hpp"

namespace kiosk::ui::screens {

std::string_view RemedyLabel(const Ui& ui, core::Remedy remedy) {
    switch (remedy) {
        case core::Remedy::Refund: return ui.T("Refund");
        case core::Remedy::Exchange: return ui.T("Exchange");
        case core::Remedy::Repair: return ui.T("Free repair");
        case core::Remedy::PaidRepair: return ui.T("Paid repair (estimate first)");
        case core::Remedy::Decline: return ui.T("No thanks, keep it as it is");
    }
    return {};
}

std::string_view RemedyId(core::Remedy remedy) { return core::ToString(remedy); }

std::string LocalTime(const ShellFacts& facts, core::Timestamp t) {
    return core::FormatLocalTime(t, facts.utcOffset);
}

void ScanPicture(Ui& ui, float height) {
    // A barcode card crossed by the scanner's red beam, and an arrow down to the scanner under the
    // screen: what to do, without words.
    const float width = ImGui::GetContentRegionAvail().x;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, height));
    const ThemeColors& c = CurrentTheme().color;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float cardH = height * 0.62f;
    const float cardW = std::min(width * 0.8f, cardH * 1.7f);
    const ImVec2 a(origin.x + (width - cardW) * 0.5f, origin.y);
    const ImVec2 b(a.x + cardW, a.y + cardH);
    draw->AddRectFilled(a, b, ImGui::GetColorU32(c.surface.Vec4()), cardH * 0.08f);
    draw->AddRect(a, b, ImGui::GetColorU32(c.border.Vec4()), cardH * 0.08f, 0, 2.0f);
    static constexpr int kBars[] = {2, 1, 1, 3, 1, 2, 1, 1, 3, 1, 2, 2, 1, 1, 3, 1, 1, 2, 1, 3, 2, 1, 1, 2};
    float units = 0.0f;
    for (int bar : kBars) units += static_cast<float>(bar) + 1.0f;
    const float unit = cardW * 0.8f / units;
    float x = a.x + cardW * 0.1f;
    const ImU32 ink = ImGui::GetColorU32(c.text.Vec4());
    for (int bar : kBars) {
        draw->AddRectFilled(ImVec2(x, a.y + cardH * 0.15f), ImVec2(x + unit * static_cast<float>(bar), b.y - cardH * 0.15f), ink);
        x += unit * (static_cast<float>(bar) + 1.0f);
    }
    const float beamY = a.y + cardH * 0.5f;
    draw->AddRectFilled(ImVec2(a.x - cardW * 0.06f, beamY - cardH * 0.07f), ImVec2(b.x + cardW * 0.06f, beamY + cardH * 0.07f),
                        ImGui::GetColorU32(c.focus.Vec4(0.25f)));
    draw->AddLine(ImVec2(a.x - cardW * 0.06f, beamY), ImVec2(b.x + cardW * 0.06f, beamY), ImGui::GetColorU32(c.focus.Vec4()),
                  std::max(3.0f, cardH * 0.03f));
    // The arrow, down toward the scanner.
    const float arrowTop = b.y + height * 0.06f;
    const float arrowBottom = origin.y + height;
    const float mid = origin.x + width * 0.5f;
    const float head = std::min((arrowBottom - arrowTop) * 0.55f, cardH * 0.3f);
    const ImU32 accent = ImGui::GetColorU32(c.accent.Vec4());
    draw->AddRectFilled(ImVec2(mid - head * 0.18f, arrowTop), ImVec2(mid + head * 0.18f, arrowBottom - head), accent);
    draw->AddTriangleFilled(ImVec2(mid - head * 0.6f, arrowBottom - head), ImVec2(mid + head * 0.6f, arrowBottom - head),
                            ImVec2(mid, arrowBottom), accent);
    const std::string_view label = ui.T("Scan here");
    ui.NeedGlyphs(label);
    ImFont* font = ui.Font().title;
    const float size = font->FontSize * ImGui::GetIO().FontGlobalScale;
    const float textW = font->CalcTextSizeA(size, FLT_MAX, 0.0f, label.data(), label.data() + label.size()).x;
    const float textX = mid + head * 0.9f;
    if (textX + textW <= origin.x + width) {
        draw->AddText(font, size, ImVec2(textX, arrowBottom - head * 0.5f - size * 0.5f), accent, label.data(),
                      label.data() + label.size());
    }
}

namespace {

void ProductList(Context& c, const std::vector<flow::ProductSummary>& products) {
    if (products.empty()) {
        c.ui.TextMuted(c.ui.T("No products found."));
        return;
    }
    for (std::size_t i = 0; i < products.size(); ++i) {
        const std::string id = "product-" + std::to_string(i);
        if (c.ui.Button(id.c_str(), products[i].name.In(c.ui.Language()))) {
            c.ui.Emit(flow::PickProduct{products[i].gtin.Digits14()});
        }
    }
}

}  // namespace

void Draw(Context& c, const flow::Attract&) {
    ImGui::Dummy(ImVec2(0, c.ui.Unit() * 0.3f));
    c.ui.Centered(c.ui.T("After-sales service"), c.ui.Font().title);
    c.ui.Centered(c.ui.T("Repairs, exchanges and returns: scan your product to begin."), c.ui.Font().body);
    ImGui::Dummy(ImVec2(0, c.ui.Unit() * 0.3f));
    const float tileHeight = c.ui.Unit() * CurrentTheme().size.tileHeight;
    const float startHeight = c.ui.Unit() * 1.6f;
    const float actions = startHeight + tileHeight + ImGui::GetStyle().ItemSpacing.y;
    // The picture takes the room the actions and the queue board leave, within reason.
    const float board = QueueBoardHeight(c);
    const float room = ImGui::GetContentRegionAvail().y - actions - board - ImGui::GetStyle().ItemSpacing.y * 2.0f;
    ScanPicture(c.ui, std::clamp(room, c.ui.Unit() * 2.5f, c.ui.Unit() * 8.0f));
    QueueBoard(c);
    c.ui.ActionRow(actions);
    ImGui::PushFont(c.ui.Font().title);
    const bool start = c.ui.Button("start", c.ui.WithIcon(icon::kTouch, c.ui.T("Touch here to start")), ButtonKind::Primary,
                                   0.0f, startHeight);
    ImGui::PopFont();
    if (start) c.ui.Emit(flow::Start{});
    const bool queue = !c.flow.QueueServiceList().empty();
    const float share = c.ui.Share(queue ? 4 : 3);
    if (queue) {
        if (c.ui.Tile("take-number", icon::kTimer, c.ui.T("Take a number"), share)) c.ui.Emit(flow::OpenQueue{});
        ImGui::SameLine();
    }
    if (c.ui.Tile("check-ticket", icon::kTicket, c.ui.T("Check a ticket"), share)) c.ui.Emit(flow::OpenCheckTicket{});
    ImGui::SameLine();
    if (c.ui.Tile("rate", icon::kRate, c.ui.T("Rate our service"), share)) c.ui.Emit(flow::OpenRate{});
    ImGui::SameLine();
    if (c.ui.Tile("feedback", icon::kComplaint, c.ui.T("Complaint or feedback"), share)) c.ui.Emit(flow::OpenFeedback{});
}

void Draw(Context& c, const flow::ChooseLanguage&) {
    c.ui.Title(c.ui.T("Please choose your language"));
    const float height = c.ui.Unit() * 1.6f;
    if (c.ui.Tile("language-zh-hans", icon::kLanguage, "简体中文", 0.0f, height)) c.ui.Emit(flow::SetLanguage{core::Language::ZhHans});
    if (c.ui.Tile("language-zh-hant", icon::kLanguage, "繁體中文", 0.0f, height)) c.ui.Emit(flow::SetLanguage{core::Language::ZhHant});
    if (c.ui.Tile("language-en", icon::kLanguage, "English", 0.0f, height)) c.ui.Emit(flow::SetLanguage{core::Language::En});
}

void Draw(Context& c, const flow::ScanProduct&) {
    c.ui.Title(c.ui.T("Scan the barcode on your product or on your sales receipt"));
    c.ui.TextMuted(c.ui.T("Hold the code under the scanner below the screen."));
    const float tileHeight = c.ui.Unit() * CurrentTheme().size.tileHeight;
    const float actions = ImGui::GetFontSize() + tileHeight + ImGui::GetStyle().ItemSpacing.y;
    const float room = ImGui::GetContentRegionAvail().y - actions - ImGui::GetStyle().ItemSpacing.y * 2.0f;
    ScanPicture(c.ui, std::clamp(room, c.ui.Unit() * 2.0f, c.ui.Unit() * 7.0f));
    c.ui.ActionRow(actions);
    c.ui.Text(c.ui.T("No barcode?"));
    const float third = c.ui.Share(3);
    if (c.ui.Tile("keypad", icon::kKeypad, c.ui.T("Type the barcode number"), third)) c.ui.Emit(flow::OpenKeypad{});
    ImGui::SameLine();
    if (c.ui.Tile("search", icon::kSearch, c.ui.T("Search by name"), third)) c.ui.Emit(flow::OpenSearch{});
    ImGui::SameLine();
    if (c.ui.Tile("browse", icon::kBrowse, c.ui.T("Browse categories"), third)) c.ui.Emit(flow::OpenBrowse{});
}

void Draw(Context& c, const flow::EnterGtin& s) {
    c.ui.Title(c.ui.T("Type the number under the barcode"));
    c.ui.BeginSplit(0.55f);
    c.ui.Keypad(c.buffers.digits, 14);
    c.ui.SplitNext();
    if (s.invalid) c.ui.TextMuted(c.ui.T("This number is not valid. Please check it."));
    c.ui.ActionRow();
    if (c.ui.Button("ok", c.ui.WithIcon(icon::kCheck, c.ui.T("OK")), ButtonKind::Primary)) {
        c.ui.Emit(flow::SubmitGtin{c.buffers.digits});
    }
    c.ui.EndSplit();
}

void Draw(Context& c, const flow::SearchProduct& s) {
    c.ui.Title(c.ui.T("Search by name"));
    c.ui.Keyboard(c.buffers.text, 40);
    if (c.ui.Button("search-go", c.ui.WithIcon(icon::kSearch, c.ui.T("Search")), ButtonKind::Primary)) {
        c.ui.Emit(flow::SearchFor{c.buffers.text});
    }
    if (!s.query.empty()) ProductList(c, s.results);
}

void Draw(Context& c, const flow::BrowseCategories& s) {
    c.ui.Title(c.ui.T("Choose a category"));
    for (const std::string& id : s.categories) {
        const core::CategoryPolicy* category = c.flow.Policy().FindCategory(id);
        const std::string label = category != nullptr ? category->name.In(c.ui.Language()) : id;
        const std::string control = "category-" + id;
        if (c.ui.Button(control.c_str(), label)) c.ui.Emit(flow::PickCategory{id});
    }
}

void Draw(Context& c, const flow::BrowseProducts& s) {
    const core::CategoryPolicy* category = c.flow.Policy().FindCategory(s.category);
    c.ui.Title(category != nullptr ? std::string_view(category->name.In(c.ui.Language())) : c.ui.T("Choose your product"));
    ProductList(c, s.products);
}

void Draw(Context& c, const flow::PickFromSale& s) {
    c.ui.Title(c.ui.T("Which product on this receipt is it about?"));
    ProductList(c, s.lines);
}

void Draw(Context& c, const flow::EnterPurchaseDate& s) {
    const auto& product = c.flow.CurrentSession().product;
    if (product) c.ui.Text(product->name.In(c.ui.Language()));
    c.ui.Title(c.ui.T("When did you buy it? Type the date as year, month, day (e.g. 20261115)"));
    c.ui.BeginSplit(0.55f);
    c.ui.Keypad(c.buffers.digits, 8);
    c.ui.SplitNext();
    c.ui.TextMuted(c.ui.T("You can also scan your sales receipt now."));
    if (s.invalid) c.ui.TextMuted(c.ui.T("This date is not valid. Please check it."));
    c.ui.ActionRow();
    if (c.ui.Button("ok", c.ui.WithIcon(icon::kCheck, c.ui.T("OK")), ButtonKind::Primary)) {
        c.ui.Emit(flow::SubmitPurchaseDate{c.buffers.digits});
    }
    c.ui.EndSplit();
}

}  // namespace kiosk::ui::screens
