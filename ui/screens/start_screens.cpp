// The start of a visit: attract, language, and the ways to name the product.
#include "ui/screens/screens.hpp"

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
    ImGui::Dummy(ImVec2(0, c.ui.Unit()));
    c.ui.Centered(c.ui.T("After-sales service"), c.ui.Font().title);
    c.ui.Centered(c.ui.T("Repairs, exchanges and returns: scan your product to begin."), c.ui.Font().body);
    ImGui::Dummy(ImVec2(0, c.ui.Unit() * 0.5f));
    if (c.ui.Button("start", c.ui.T("Touch here to start"), 0.0f, c.ui.Unit() * 2.0f)) c.ui.Emit(flow::Start{});
    if (c.ui.Button("check-ticket", c.ui.T("Check a ticket"))) c.ui.Emit(flow::OpenCheckTicket{});
    if (c.ui.Button("rate", c.ui.T("Rate our service"))) c.ui.Emit(flow::OpenRate{});
    if (c.ui.Button("feedback", c.ui.T("Complaint or feedback"))) c.ui.Emit(flow::OpenFeedback{});
}

void Draw(Context& c, const flow::ChooseLanguage&) {
    c.ui.Title(c.ui.T("Please choose your language"));
    if (c.ui.Button("language-zh-hans", "简体中文")) c.ui.Emit(flow::SetLanguage{core::Language::ZhHans});
    if (c.ui.Button("language-zh-hant", "繁體中文")) c.ui.Emit(flow::SetLanguage{core::Language::ZhHant});
    if (c.ui.Button("language-en", "English")) c.ui.Emit(flow::SetLanguage{core::Language::En});
}

void Draw(Context& c, const flow::ScanProduct&) {
    c.ui.Title(c.ui.T("Scan the barcode on your product or on your sales receipt"));
    c.ui.TextMuted(c.ui.T("Hold the code under the scanner below the screen."));
    ImGui::Dummy(ImVec2(0, c.ui.Unit() * 0.5f));
    c.ui.Text(c.ui.T("No barcode?"));
    if (c.ui.Button("keypad", c.ui.T("Type the barcode number"))) c.ui.Emit(flow::OpenKeypad{});
    if (c.ui.Button("search", c.ui.T("Search by name"))) c.ui.Emit(flow::OpenSearch{});
    if (c.ui.Button("browse", c.ui.T("Browse categories"))) c.ui.Emit(flow::OpenBrowse{});
}

void Draw(Context& c, const flow::EnterGtin& s) {
    c.ui.Title(c.ui.T("Type the number under the barcode"));
    if (s.invalid) c.ui.TextMuted(c.ui.T("This number is not valid. Please check it."));
    c.ui.Keypad(c.buffers.digits, 14);
    if (c.ui.Button("ok", c.ui.T("OK"))) c.ui.Emit(flow::SubmitGtin{c.buffers.digits});
}

void Draw(Context& c, const flow::SearchProduct& s) {
    c.ui.Title(c.ui.T("Search by name"));
    c.ui.Keyboard(c.buffers.text, 40);
    if (c.ui.Button("search-go", c.ui.T("Search"))) c.ui.Emit(flow::SearchFor{c.buffers.text});
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
    c.ui.TextMuted(c.ui.T("You can also scan your sales receipt now."));
    if (s.invalid) c.ui.TextMuted(c.ui.T("This date is not valid. Please check it."));
    c.ui.Keypad(c.buffers.digits, 8);
    if (c.ui.Button("ok", c.ui.T("OK"))) c.ui.Emit(flow::SubmitPurchaseDate{c.buffers.digits});
}

}  // namespace kiosk::ui::screens
