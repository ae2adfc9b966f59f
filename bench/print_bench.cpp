// Receipt printing timings: encoding the standard receipt beside a naive encoder, bytes per receipt
// with native codes and with raster fallbacks, and the emulator's render time.
#include <iconv.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "drivers/emulator/receipt_emulator.hpp"
#include "drivers/escpos/encoder.hpp"
#include "drivers/escpos/text.hpp"

namespace {

using namespace kiosk::drivers;
using SteadyClock = std::chrono::steady_clock;

constexpr double kEncodeTargetUs = 1000;
constexpr std::size_t kNativeTargetBytes = 2048;

[[noreturn]] void Die(const std::string& message) {
    std::fprintf(stderr, "print_bench: %s\n", message.c_str());
    std::exit(1);
}

escpos::PrinterProfile Profile(const char* name) {
    auto profile = escpos::LoadProfileByName(std::string(KIOSK_BENCH_ASSET_DIR) + "/printers", name);
    if (!profile) Die(profile.error().message);
    return *profile;
}

// The customer receipt as the kiosk lays it out (kiosk/app/receipts.cpp), with fixed data.
escpos::Document StandardReceipt(bool chinese) {
    const char* t = "S012-K1-261122-0007";
    escpos::Document d;
    d.Text(chinese ? "售后服务受理单" : "After-sales service receipt", {.bold = true, .doubleHeight = true},
           escpos::Align::Center);
    d.Rule();
    auto field = [&](const char* zh, const char* en, const std::string& value) {
        d.Row({{chinese ? zh : en, 10, escpos::Align::Left}, {value, 0, escpos::Align::Right}});
    };
    field("门店", "Store", "S012 / K1");
    field("打印时间", "Printed", "2026-11-22 14:00");
    d.Text(t, {.bold = true}, escpos::Align::Center);
    d.Add(escpos::Code128{t, 60, 2, false});
    d.Rule();
    field("商品", "Product", chinese ? "星河 Lite 5 手机" : "Xinghe Lite 5 phone");
    field("序列号", "Serial", "SN261106000070");
    field("购买日期", "Purchased", "2026-11-06");
    field("处理方式", "Remedy", chinese ? "免费维修" : "Free repair");
    field("预计完成", "Due by", "2026-12-07 14:00");
    field("手机", "Phone", "137****4675");
    d.Text(chinese ? "依据条款 warranty-repair" : "Clause warranty-repair", {.bold = true});
    d.Text(chinese ? "在三包有效期内出现性能故障，可以免费修理，更换零部件也不收费。"
                   : "A performance fault within the warranty period is repaired free of charge, parts included.",
           {.font = escpos::Font::B});
    d.Rule();
    d.Text(chinese ? "请保留本单据，凭工单号或扫描二维码查询进度。" : "Keep this receipt; track your ticket with the QR code.");
    d.Add(escpos::QrCode{t, 6});
    d.Add(escpos::Cut{true});
    return d;
}

// The naive encoder: every style command before every line, and iconv opened for each character.
std::vector<std::uint8_t> NaiveEncode(const escpos::Document& document) {
    std::vector<std::uint8_t> out{0x1B, '@'};
    auto text = [&](const std::string& utf8, const escpos::TextStyle& s) {
        const std::uint8_t header[] = {0x1B, 'E', static_cast<std::uint8_t>(s.bold), 0x1B, '-', static_cast<std::uint8_t>(s.underline),
                                       0x1D, '!', static_cast<std::uint8_t>((s.doubleWidth ? 0x10 : 0) | (s.doubleHeight ? 1 : 0)),
                                       0x1D, 'B', static_cast<std::uint8_t>(s.inverse)};
        out.insert(out.end(), std::begin(header), std::end(header));
        for (char32_t cp : escpos::DecodeUtf8(utf8)) {
            if (cp < 0x80) {
                out.push_back(static_cast<std::uint8_t>(cp));
                continue;
            }
            iconv_t cd = iconv_open("GB18030", "UTF-8");
            std::string in = escpos::EncodeUtf8({cp});
            char buffer[8];
            char* inPtr = in.data();
            char* outPtr = buffer;
            std::size_t inLeft = in.size(), outLeft = sizeof buffer;
            iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft);
            iconv_close(cd);
            out.push_back(0x1C);
            out.push_back('&');
            out.insert(out.end(), buffer, outPtr);
            out.push_back(0x1C);
            out.push_back('.');
        }
        out.push_back(0x0A);
    };
    for (const auto& element : document.elements) {
        if (const auto* line = std::get_if<escpos::TextLine>(&element)) text(line->text, line->style);
        if (const auto* row = std::get_if<escpos::Columns>(&element)) {
            std::string joined;
            for (const auto& cell : row->cells) joined += cell.text + " ";
            text(joined, row->style);
        }
        if (std::holds_alternative<escpos::Separator>(element)) text(std::string(32, '-'), {});
    }
    return out;
}

template <class F>
double MedianMicros(int runs, F&& body) {
    std::vector<double> samples;
    samples.reserve(static_cast<std::size_t>(runs));
    for (int i = 0; i < runs; ++i) {
        const auto start = SteadyClock::now();
        body();
        samples.push_back(std::chrono::duration<double, std::micro>(SteadyClock::now() - start).count());
    }
    std::nth_element(samples.begin(), samples.begin() + runs / 2, samples.end());
    return samples[static_cast<std::size_t>(runs / 2)];
}

std::vector<std::uint8_t> EncodeOrDie(const escpos::Document& d, const escpos::PrinterProfile& p) {
    auto bytes = escpos::Encode(d, p);
    if (!bytes) Die(bytes.error().message);
    return *bytes;
}

}  // namespace

int main() {
    const auto xp58 = Profile("xprinter-xp58");
    const auto generic80 = Profile("generic-80");
    const auto generic58 = Profile("generic-58");
    const auto chinese = StandardReceipt(true);
    const auto english = StandardReceipt(false);
    constexpr int kRuns = 2000;

    std::printf("%-52s %12s %12s %8s\n", "encode (median of 2000)", "kiosk us", "naive us", "ratio");
    std::size_t sink = 0;
    const double zhUs = MedianMicros(kRuns, [&] { sink += EncodeOrDie(chinese, xp58).size(); });
    const double zhNaive = MedianMicros(kRuns, [&] { sink += NaiveEncode(chinese).size(); });
    std::printf("%-52s %12.1f %12.1f %7.2fx\n", "standard receipt, Chinese, xprinter-xp58 (GB18030)", zhUs, zhNaive, zhNaive / zhUs);
    const double enUs = MedianMicros(kRuns, [&] { sink += EncodeOrDie(english, generic80).size(); });
    const double enNaive = MedianMicros(kRuns, [&] { sink += NaiveEncode(english).size(); });
    std::printf("%-52s %12.1f %12.1f %7.2fx\n", "standard receipt, English, generic-80", enUs, enNaive, enNaive / enUs);
    const double rasterUs = MedianMicros(200, [&] { sink += EncodeOrDie(chinese, generic58).size(); });
    std::printf("%-52s %12.1f %12.1f %7.2fx\n", "standard receipt, Chinese, generic-58 (all raster)", rasterUs, zhNaive,
                zhNaive / rasterUs);
    std::printf("target: < %.0f us with native text and codes: %s\n\n", kEncodeTargetUs,
                std::max(zhUs, enUs) < kEncodeTargetUs ? "met" : "MISSED");

    std::printf("%-52s %12s\n", "bytes per receipt", "bytes");
    const auto nativeZh = EncodeOrDie(chinese, xp58);
    const auto nativeEn = EncodeOrDie(english, generic80);
    const auto rasterEn = EncodeOrDie(english, generic58);
    const auto rasterZh = EncodeOrDie(chinese, generic58);
    std::printf("%-52s %12zu\n", "Chinese, native QR/Code 128 + GB18030 (xprinter-xp58)", nativeZh.size());
    std::printf("%-52s %12zu\n", "English, native QR/Code 128 (generic-80)", nativeEn.size());
    std::printf("%-52s %12zu\n", "English, raster QR/Code 128 (generic-58)", rasterEn.size());
    std::printf("%-52s %12zu\n", "Chinese, everything raster (generic-58)", rasterZh.size());
    std::printf("target: native < %zu bytes: %s\n\n", kNativeTargetBytes,
                std::max(nativeZh.size(), nativeEn.size()) < kNativeTargetBytes ? "met" : "MISSED");

    std::printf("%-52s %12s\n", "emulator render (median of 50)", "ms");
    for (const auto& [label, bytes, dots] : {std::tuple{"Chinese native (384 dots)", nativeZh, 384},
                                             std::tuple{"Chinese raster (384 dots)", rasterZh, 384},
                                             std::tuple{"English native (576 dots)", nativeEn, 576}}) {
        emulator::EmulatorOptions options;
        options.dots = dots;
        const double us = MedianMicros(50, [&] {
            auto printout = emulator::Render(bytes, options);
            if (!printout) Die(printout.error().message);
            sink += printout->lines.size();
        });
        std::printf("%-52s %12.2f\n", label, us / 1000.0);
    }
    return sink == 0 ? 1 : 0;
}
