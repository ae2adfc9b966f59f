// Receipt layouts in the customer's language: what the customer keeps and what staff attach to the item.
#include "kiosk/app/receipts.hpp"

#include <optional>

#include "drivers/escpos/encoder.hpp"
#include "drivers/escpos/signature.hpp"
#include "kiosk/core/customer.hpp"
#include "kiosk/core/gtin.hpp"
#include "kiosk/core/sla.hpp"
#include "kiosk/storage/blob_store.hpp"

namespace kiosk::app {
namespace {

namespace ep = drivers::escpos;
using core::Language;

struct Labels {
    const char* title;
    const char* slipTitle;
    const char* reprint;
    const char* store;
    const char* printedAt;
    const char* ticket;
    const char* product;
    const char* serial;
    const char* purchased;
    const char* decision;
    const char* clause;
    const char* due;
    const char* phone;
    const char* fault;
    const char* nextSteps;       // with the promise of a message when it is ready
    const char* keep;
    const char* nextStepsQuiet;  // without it: the customer asked for no messages, or none are sent
    const char* condition;       // the item's condition noted at intake
    const char* photos;
    const char* signature;
};

const Labels& LabelsFor(Language language) {
    static const Labels zhHans{"售后服务受理单", "工单标签（员工联）", "补打", "门店", "打印时间", "工单号", "商品",
                               "序列号", "购买日期", "处理方式", "依据条款", "预计完成", "手机", "故障描述",
                               "请保留本单据，凭工单号或扫描二维码查询进度。我们完成后将短信通知您。",
                               "取件时请出示本单据", "请保留本单据，凭工单号或扫描二维码查询进度。", "外观状况",
                               "照片", "顾客签名"};
    static const Labels zhHant{"售後服務受理單", "工單標籤（員工聯）", "補印", "門市", "列印時間", "工單號", "商品",
                               "序號", "購買日期", "處理方式", "依據條款", "預計完成", "手機", "故障描述",
                               "請保留本單據，憑工單號或掃描QR碼查詢進度。完成後將以簡訊通知您。",
                               "取件時請出示本單據", "請保留本單據，憑工單號或掃描QR碼查詢進度。", "外觀狀況",
                               "照片", "顧客簽名"};
    static const Labels en{"After-sales service receipt", "Intake slip (staff copy)", "REPRINT", "Store", "Printed",
                           "Ticket", "Product", "Serial", "Purchased", "Remedy", "Clause", "Due by", "Phone", "Fault",
                           "Keep this receipt. Track your ticket with its number or the QR code; we will text you "
                           "when it is ready.",
                           "Show this receipt when you collect", "Keep this receipt. Track your ticket with its number or the QR code.",
                           "Condition", "Photos", "Customer signature"};
    switch (language) {
        case Language::ZhHant: return zhHant;
        case Language::En: return en;
        case Language::ZhHans: break;
    }
    return zhHans;
}

std::string RemedyText(std::optional<core::Remedy> remedy, Language language) {
    if (!remedy) return "-";
    static const core::LocalizedText kRefund{"退货退款", "退貨退款", "Refund"};
    static const core::LocalizedText kExchange{"换货", "換貨", "Exchange"};
    static const core::LocalizedText kRepair{"免费维修", "免費維修", "Free repair"};
    static const core::LocalizedText kPaid{"付费维修", "付費維修", "Paid repair"};
    static const core::LocalizedText kDecline{"不予受理", "不予受理", "Declined"};
    switch (*remedy) {
        case core::Remedy::Refund: return kRefund.In(language);
        case core::Remedy::Exchange: return kExchange.In(language);
        case core::Remedy::Repair: return kRepair.In(language);
        case core::Remedy::PaidRepair: return kPaid.In(language);
        case core::Remedy::Decline: return kDecline.In(language);
    }
    return "-";
}

void Field(ep::Document& d, const char* label, const std::string& value) {
    d.Row({{label, 10, ep::Align::Left}, {value, 0, ep::Align::Right}});
}

// What intake recorded with the ticket's attached events: the condition notes, the photos and the
// newest signature.
struct IntakeRecord {
    bool any = false;
    std::string condition;
    int photos = 0;
    std::optional<core::Attachment> signature;
};

IntakeRecord ReadIntakeRecord(const std::vector<core::TicketEvent>& events) {
    IntakeRecord record;
    for (const core::TicketEvent& e : events) {
        if (e.kind != core::EventKind::Attached) continue;
        record.any = true;
        if (!e.note.empty()) record.condition += (record.condition.empty() ? "" : "; ") + e.note;
        for (const core::Attachment& a : e.attachments) {
            if (a.kind == "photo") ++record.photos;
            if (a.kind == "signature") record.signature = a;
        }
    }
    return record;
}

// The signature as the slip prints it: from its PNG in the blob store, as wide as 58 mm paper prints.
core::Result<ep::Bitmap> SignatureForSlip(const AppContext& ctx, const core::Attachment& signature) {
    const storage::BlobStore blobs(storage::BlobStore::DirectoryFor(ctx.config.database));
    auto png = blobs.Read(signature.sha256);
    if (!png) return std::unexpected(png.error());
    auto picture = ep::DecodeGreyImage(*png);
    if (!picture) return std::unexpected(picture.error());
    return ep::FitWidth(*picture, 384);
}

}  // namespace

core::Result<ep::Document> ComposeReceipt(AppContext& ctx, const core::PrintRequest& request, core::Timestamp now) {
    if (request.kind == core::ReceiptKind::QueueSlip) {
        return core::Fail(core::ErrorCode::InvalidInput, "queue slip " + request.slipLabel + " is stored encoded, not as a layout");
    }
    if (!ctx.store) return core::Fail(core::ErrorCode::Unavailable, "the kiosk database is not open");
    auto found = ctx.store->FindTicket(request.ticketNumber);
    if (!found) return std::unexpected(found.error());
    if (!*found) return core::Fail(core::ErrorCode::NotFound, "no ticket " + request.ticketNumber);
    const core::Ticket& ticket = **found;
    const core::NewTicket& filed = ticket.filed;
    const Labels& l = LabelsFor(request.language);
    const std::chrono::minutes offset = ctx.calendar.utcOffset;

    std::string product = filed.gtin.empty() ? "-" : filed.gtin;
    if (auto gtin = core::Gtin::Parse(filed.gtin)) {
        if (auto p = ctx.store->FindProduct(*gtin); p && *p) product = (*p)->name.In(request.language);
    }
    std::string due = "-";
    IntakeRecord intake;
    if (auto events = ctx.store->EventsOf(ticket.number); events && !events->empty()) {
        auto sla = core::EvaluateSla(ctx.sla, ctx.calendar, *ctx.lifecycle, filed.type, filed.customerTier, *events, now);
        if (sla && sla->resolution.due) due = core::FormatLocalTime(*sla->resolution.due, offset).substr(0, 16);
        intake = ReadIntakeRecord(*events);
    }
    const std::string printedAt = core::FormatLocalTime(now, offset).substr(0, 16);

    ep::Document d;
    const bool slip = request.kind == core::ReceiptKind::IntakeSlip;
    d.Text(slip ? l.slipTitle : l.title, ep::TextStyle{.bold = true, .doubleHeight = true}, ep::Align::Center);
    if (request.reprint) d.Text(std::string("** ") + l.reprint + " **", ep::TextStyle{.bold = true}, ep::Align::Center);
    d.Rule();
    Field(d, l.store, ctx.config.storeCode + " / " + ctx.config.kioskCode);
    Field(d, l.printedAt, printedAt);
    d.Text(ticket.number, ep::TextStyle{.bold = true, .doubleHeight = slip}, ep::Align::Center);
    d.Add(ep::Code128{ticket.number, 60, 2, false});
    d.Rule();
    Field(d, l.product, product);
    if (!filed.serial.empty()) Field(d, l.serial, filed.serial);
    if (filed.purchasedOn) Field(d, l.purchased, core::FormatDate(*filed.purchasedOn));
    Field(d, l.decision, RemedyText(filed.remedy, request.language));
    Field(d, l.due, due);
    if (!filed.customerPhone.empty()) Field(d, l.phone, core::MaskPhone(filed.customerPhone));
    if (slip) {
        if (!filed.description.empty()) d.Text(std::string(l.fault) + ": " + filed.description);
        d.Text(ticket.status + (ticket.assignee.empty() ? "" : " -> " + ticket.assignee));
        if (intake.any) {
            d.Rule();
            if (!intake.condition.empty()) d.Text(std::string(l.condition) + ": " + intake.condition);
            Field(d, l.photos, std::to_string(intake.photos));
        }
        if (intake.signature) {
            // A signature file missing or altered on disk prints as "?" rather than stopping the slip;
            // `kioskctl verify` names the file.
            auto picture = SignatureForSlip(ctx, *intake.signature);
            d.Text(std::string(l.signature) + (picture ? "" : ": ?"));
            if (picture) d.Add(ep::Image{std::move(*picture), ep::Align::Center, ep::Dither::Threshold});
        }
    } else {
        if (const core::Clause* clause = ctx.policy.FindClause(filed.clauseId)) {
            d.Text(std::string(l.clause) + " " + clause->id, ep::TextStyle{.bold = true});
            d.Text(clause->text.In(request.language), ep::TextStyle{.font = ep::Font::B});
        }
        d.Rule();
        d.Text(filed.notify && ctx.notifications.Promises("ready_for_pickup") ? l.nextSteps : l.nextStepsQuiet);
        d.Add(ep::QrCode{ticket.number, 6});
        d.Text(l.keep, {}, ep::Align::Center);
    }
    d.Add(ep::Cut{true});
    return d;
}

core::Result<std::vector<std::uint8_t>> ComposeReceiptBytes(AppContext& ctx, const core::PrintRequest& request,
                                                            const ep::PrinterProfile& profile, core::Timestamp now) {
    if (request.kind == core::ReceiptKind::QueueSlip) {
        if (request.slipBytes.empty()) return core::Fail(core::ErrorCode::InvalidInput, "queue slip " + request.slipLabel + " has no bytes");
        if (auto fresh = storage::CheckQueueSlipAge(request, now); !fresh) return std::unexpected(fresh.error());
        return request.slipBytes;
    }
    auto document = ComposeReceipt(ctx, request, now);
    if (!document) return std::unexpected(document.error());
    return ep::Encode(*document, profile);
}

ep::Document ComposeQueueSlip(AppContext& ctx, const core::TakenNumber& taken, core::Language language) {
    struct SlipWords {
        const char* title;
        const char* service;
        const char* taken;
        const char* ahead;
        const char* wait;
        const char* minutes;
        const char* unknown;
        const char* note;
    };
    static const SlipWords zhHans{"排队号", "服务", "取号时间", "前面等候", "预计等候", "分钟", "-", "请留意叫号，过号需重新取号。"};
    static const SlipWords zhHant{"排隊號碼", "服務", "取號時間", "前面等候", "預計等候", "分鐘", "-", "請留意叫號，過號需重新取號。"};
    static const SlipWords en{"Your number", "Service", "Taken", "People ahead", "Estimated wait", "min", "-",
                              "Please listen for your number; a missed number must be taken again."};
    const SlipWords& w = language == Language::En ? en : language == Language::ZhHant ? zhHant : zhHans;
    const core::QueueTicket& t = taken.ticket;
    const core::QueueService* service = ctx.queue.Find(t.service);
    std::string wait = w.unknown;
    if (taken.estimatedWait) wait = std::to_string((taken.estimatedWait->count() + 59) / 60) + " " + w.minutes;
    ep::Document d;
    d.Text(w.title, ep::TextStyle{.bold = true}, ep::Align::Center);
    d.Text(t.label, ep::TextStyle{.bold = true, .doubleWidth = true, .doubleHeight = true}, ep::Align::Center);
    d.Rule();
    Field(d, w.service, service != nullptr ? service->name.In(language) : t.service);
    Field(d, w.taken, core::FormatLocalTime(t.takenAt, ctx.calendar.utcOffset).substr(0, 16));
    Field(d, w.ahead, std::to_string(taken.peopleAhead));
    Field(d, w.wait, wait);
    d.Text(w.note);
    d.Add(ep::Cut{true});
    return d;
}

core::Result<core::PrintRequest> QueueSlipRequest(AppContext& ctx, const core::TakenNumber& taken, Language language,
                                                  const ep::PrinterProfile& profile) {
    auto bytes = ep::Encode(ComposeQueueSlip(ctx, taken, language), profile);
    if (!bytes) return std::unexpected(bytes.error());
    core::PrintRequest request;
    request.kind = core::ReceiptKind::QueueSlip;
    request.language = language;
    request.slipLabel = taken.ticket.label;
    request.slipBytes = std::move(*bytes);
    request.slipTakenAt = taken.ticket.takenAt;
    return request;
}

core::Result<std::int64_t> QueueJobStore::Add(const core::PrintRequest& request) {
    return m_queue.Enqueue(request, m_clock->Now());
}

core::Result<std::optional<drivers::printer::PendingJob>> QueueJobStore::NextPending() {
    auto job = m_queue.NextPending();
    if (!job) return std::unexpected(job.error());
    if (!*job) return std::optional<drivers::printer::PendingJob>{};
    return std::optional<drivers::printer::PendingJob>{drivers::printer::PendingJob{(*job)->id, (*job)->request}};
}

core::Result<void> QueueJobStore::MarkPrinting(std::int64_t id) { return m_queue.MarkPrinting(id, m_clock->Now()); }
core::Result<void> QueueJobStore::MarkPrinted(std::int64_t id) { return m_queue.MarkPrinted(id, m_clock->Now()); }
core::Result<void> QueueJobStore::MarkRetry(std::int64_t id, std::string_view error) {
    return m_queue.MarkRetry(id, error, m_clock->Now());
}
core::Result<void> QueueJobStore::MarkFailed(std::int64_t id, std::string_view error) {
    return m_queue.MarkFailed(id, error, m_clock->Now());
}
core::Result<std::vector<std::int64_t>> QueueJobStore::RecoverInterrupted() {
    return m_queue.RecoverInterrupted(m_clock->Now());
}

}  // namespace kiosk::app
