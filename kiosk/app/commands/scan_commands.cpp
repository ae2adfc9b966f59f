// `scan IMAGE...` decodes barcodes in pictures; `scanner list|listen` finds USB scanners and prints
// their scans (or a camera's, with --camera). Each scan is one JSON line with what the kiosk would make of it.
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "drivers/barcode/camera_source.hpp"
#include "drivers/barcode/image_decoder.hpp"
#include "drivers/scanner/usb_scanner.hpp"
#include "kiosk/app/commands/commands.hpp"
#include "kiosk/core/scan.hpp"

namespace kiosk::app {
namespace {

std::string Printable(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\x1D') {
            out += "<GS>";
        } else {
            out += c;
        }
    }
    return out;
}

nlohmann::json ElementsJson(const std::vector<core::Gs1Element>& elements) {
    nlohmann::json ais = nlohmann::json::object();
    for (const core::Gs1Element& e : elements) ais[e.ai] = e.value;
    return ais;
}

// The classification and the fields it parsed.
nlohmann::json MeaningJson(const core::ScanMeaning& meaning) {
    nlohmann::json j{{"kind", core::ScanKindName(meaning)}};
    std::visit(
        [&j](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, core::ProductScan>) {
                j["gtin"] = m.gtin.Digits14();
                if (!m.serial.empty()) j["serial"] = m.serial;
                if (!m.batch.empty()) j["batch"] = m.batch;
                if (m.produced) j["produced"] = core::FormatDate(*m.produced);
                if (m.expires) j["expires"] = core::FormatDate(*m.expires);
                if (!m.elements.empty()) j["ais"] = ElementsJson(m.elements);
            } else if constexpr (std::is_same_v<T, core::SerialScan>) {
                j["serial"] = m.serial;
                j["imei"] = m.imei;
            } else if constexpr (std::is_same_v<T, core::SalesReceiptScan>) {
                j["order"] = m.orderNumber;
            } else if constexpr (std::is_same_v<T, core::TicketReceiptScan>) {
                j["ticket"] = m.number.Format();
            } else if constexpr (std::is_same_v<T, core::StaffBadgeScan>) {
                j["badge"] = m.badge;
            } else if constexpr (std::is_same_v<T, core::EnrolmentTokenScan>) {
                j["token"] = m.token;
            } else {
                j["reason"] = m.reason;
            }
        },
        meaning);
    return j;
}

Outcome RunScanImages(const std::vector<std::string>& images) {
    std::size_t failed = 0;
    for (const std::string& path : images) {
        nlohmann::json line{{"image", path}};
        auto image = drivers::LoadImageFile(path);
        auto codes = image ? drivers::DecodeImage(*image) : std::unexpected(image.error());
        if (!codes) {
            ++failed;
            line["error"] = codes.error().message;
            std::cout << line.dump() << "\n";
            continue;
        }
        for (const drivers::DecodedBarcode& code : *codes) {
            nlohmann::json out = line;
            out["format"] = code.format;
            out["text"] = Printable(code.input.text);
            out["symbology"] = code.input.aimId;
            out["meaning"] = MeaningJson(core::ClassifyScan(code.input));
            nlohmann::json corners = nlohmann::json::array();
            for (const drivers::ImagePoint& p : code.corners) corners.push_back({p.x, p.y});
            out["position"] = corners;
            out["orientation"] = code.orientation;
            std::cout << out.dump() << "\n";
        }
    }
    std::cout.flush();
    if (failed > 0) {
        return core::Fail(core::ErrorCode::NotFound,
                          std::to_string(failed) + " of " + std::to_string(images.size()) + " images had no readable code");
    }
    return {};
}

struct ListenOptions {
    std::string device;
    std::string camera;   // a V4L2 device instead of a USB scanner
    int count = 0;        // 0 = until the timeout
    double timeout = 0;   // seconds; 0 = until the count
};

Outcome RunScannerList() {
    auto scanners = drivers::ListUsbScanners();
    if (!scanners) return std::unexpected(scanners.error());
    for (const drivers::UsbScannerInfo& s : *scanners) {
        std::cout << nlohmann::json{{"device", s.id.Format()},
                                    {"bus", s.bus},
                                    {"address", s.address},
                                    {"interface", s.interfaceNumber},
                                    {"kind", s.kind == drivers::UsbScannerKind::HidPos ? "hid-pos" : "keyboard"}}
                         .dump()
                  << "\n";
    }
    return {};
}

// The scanner to listen to: a camera when one is named, else a USB scanner (one VID:PID or the first).
core::Result<std::unique_ptr<core::BarcodeSource>> MakeSource(const ListenOptions& options) {
    if (!options.camera.empty()) {
        if (!options.device.empty()) {
            return core::Fail(core::ErrorCode::InvalidInput, "give --device or --camera, not both");
        }
        drivers::CameraOptions camera;
        camera.device = options.camera;
        return std::make_unique<drivers::CameraSource>(camera);
    }
    drivers::UsbScannerOptions usb;
    if (!options.device.empty()) {
        auto id = drivers::ParseVidPid(options.device);
        if (!id) return std::unexpected(id.error());
        usb.device = *id;
    }
    return std::make_unique<drivers::UsbScannerSource>(usb);
}

Outcome RunScannerListen(const ListenOptions& options) {
    auto made = MakeSource(options);
    if (!made) return std::unexpected(made.error());
    core::BarcodeSource& source = **made;
    std::mutex mutex;
    std::condition_variable done;
    int seen = 0;
    auto started = source.Start([&](const core::ScanEvent& event) {
        std::lock_guard lock(mutex);
        nlohmann::json line{{"source", event.source},
                            {"at", core::FormatTimestamp(event.at)},
                            {"text", Printable(event.input.text)},
                            {"symbology", event.input.aimId},
                            {"meaning", MeaningJson(core::ClassifyScan(event.input))}};
        std::cout << line.dump() << std::endl;
        ++seen;
        done.notify_all();
    });
    if (!started) return started;
    std::unique_lock lock(mutex);
    auto enough = [&] { return options.count > 0 && seen >= options.count; };
    if (options.timeout > 0) {
        done.wait_for(lock, std::chrono::duration<double>(options.timeout), enough);
    } else {
        done.wait(lock, enough);
    }
    lock.unlock();
    source.Stop();
    if (options.count > 0 && seen < options.count) {
        return core::Fail(core::ErrorCode::Unavailable, "received " + std::to_string(seen) + " of " +
                                                            std::to_string(options.count) + " scans before the timeout");
    }
    return {};
}

}  // namespace

void AddScanCommands(CLI::App& cli, CommandEnv& env) {
    CLI::App* scan = cli.add_subcommand("scan", "Decode the barcodes in image files (PNG, JPEG): one JSON line each");
    auto images = std::make_shared<std::vector<std::string>>();
    scan->add_option("images", *images, "Image files")->required();
    scan->callback([&env, images] { env.Finish(RunScanImages(*images)); });

    CLI::App* scanner = cli.add_subcommand("scanner", "USB barcode scanners");
    scanner->require_subcommand(1);
    CLI::App* list = scanner->add_subcommand("list", "List the attached USB scanners (JSON lines)");
    list->callback([&env] { env.Finish(RunScannerList()); });
    CLI::App* listen = scanner->add_subcommand("listen", "Print scans as they arrive (JSON lines)");
    auto listenOptions = std::make_shared<ListenOptions>();
    listen->add_option("--device", listenOptions->device, "Only this scanner, VID:PID in hex (e.g. 05e0:1200)");
    listen->add_option("--camera", listenOptions->camera, "Read codes from this V4L2 camera (e.g. /dev/video0)");
    listen->add_option("--count", listenOptions->count, "Stop after N scans")->check(CLI::NonNegativeNumber);
    listen->add_option("--timeout", listenOptions->timeout, "Stop after S seconds")->check(CLI::NonNegativeNumber);
    listen->callback([&env, listenOptions] {
        if (listenOptions->count == 0 && listenOptions->timeout <= 0) {
            env.Finish(core::Fail(core::ErrorCode::InvalidInput, "give --count or --timeout"));
            return;
        }
        env.Finish(RunScannerListen(*listenOptions));
    });
}

}  // namespace kiosk::app
