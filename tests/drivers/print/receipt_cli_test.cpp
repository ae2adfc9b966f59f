// kioskctl receipt and printer commands end to end: a real database, the receipt drawn to a PNG and
// its QR code read back, the intake slip with the customer's signature, and clear failures for unknown
// tickets, profiles and unreachable printers.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>

#include <stb/stb_image.h>

#include "drivers/escpos/signature.hpp"
#include "drivers/print/print_test_support.hpp"
#include "support/temp_dir.hpp"

namespace kt = kiosk::testing;

namespace {

struct RunResult {
    int exitCode = -1;
    std::string output;  // stdout and stderr
};

class Box {
public:
    RunResult Run(const std::string& args) const {
        const std::string command = std::string(KIOSKCTL_PATH) + " --db '" + (m_dir.Path() / "kiosk.db").string() +
                                    "' --now 2026-11-22T06:00:00Z " + args + " 2>&1";
        RunResult result;
        FILE* pipe = ::popen(command.c_str(), "r");
        REQUIRE(pipe != nullptr);
        std::array<char, 4096> buffer{};
        std::size_t n = 0;
        while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
        const int status = ::pclose(pipe);
        result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return result;
    }
    RunResult Ok(const std::string& args) const {
        RunResult r = Run(args);
        INFO(args << "\n" << r.output);
        REQUIRE(r.exitCode == 0);
        return r;
    }
    std::string Path(const std::string& name) const { return (m_dir.Path() / name).string(); }

    // A database with the demo data and one ticket, S001-K1-261122-0001.
    void InitWithTicket() const {
        Ok("init --store S001 --kiosk K1");
        for (const char* kind : {"catalog", "sales", "staff"}) {
            Ok(std::string("import ") + kind + " " + KIOSK_TEST_ASSET_DIR + "/demo/" + kind + ".csv");
        }
        Ok("ticket create --order SO-S001-20261106-00007 --serial SN261106000070 --phone 13769344675");
    }

private:
    kt::TempDir m_dir{"receipt-cli"};
};

constexpr const char* kFiledTicket = "S001-K1-261122-0001";

kiosk::drivers::escpos::Bitmap LoadPng(const std::string& file) {
    int w = 0, h = 0, channels = 0;
    unsigned char* pixels = stbi_load(file.c_str(), &w, &h, &channels, 1);
    REQUIRE(pixels != nullptr);
    kiosk::drivers::escpos::Bitmap out(w, h);
    std::copy(pixels, pixels + static_cast<std::ptrdiff_t>(w) * h, out.pixels.begin());
    stbi_image_free(pixels);
    return out;
}

}  // namespace

TEST_CASE("kioskctl receipt render draws a receipt whose QR code reads back as the ticket number") {
    Box box;
    box.InitWithTicket();
    for (const char* profile : {"generic-80", "generic-58", "xprinter-xp58", "generic-80-big5"}) {
        for (const char* lang : {"zh-Hans", "zh-Hant", "en"}) {
            CAPTURE(profile, lang);
            const std::string png = box.Path(std::string(profile) + "-" + lang + ".png");
            box.Ok(std::string("receipt render ") + kFiledTicket + " --out " + png + " --profile " + profile + " --lang " + lang);
            CHECK(kt::ReadQrCodes(LoadPng(png)) == std::vector<std::string>{kFiledTicket});
        }
    }
    const std::string slip = box.Path("slip.png");
    box.Ok(std::string("receipt render ") + kFiledTicket + " --out " + slip + " --slip");
    CHECK(kt::ReadCode128(LoadPng(slip)) == std::vector<std::string>{kFiledTicket});
}

TEST_CASE("kioskctl receipt print queues the job and prints it once to a file or the emulator") {
    Box box;
    box.InitWithTicket();
    const std::string bin = box.Path("printer.bin");
    box.Ok(std::string("receipt print ") + kFiledTicket + " --printer file://" + bin);
    const auto once = kt::ReadBytes(bin);
    REQUIRE(once.size() > 100);
    box.Ok(std::string("receipt print ") + kFiledTicket + " --printer emulator://" + box.Path("paper"));
    CHECK(std::filesystem::exists(box.Path("paper") + "/" + kFiledTicket + "-job2.png"));
    // Printing again does not repeat job 1: only the new job's bytes are added.
    box.Ok(std::string("receipt print ") + kFiledTicket + " --reprint --printer file://" + bin);
    CHECK(kt::ReadBytes(bin).size() > once.size());
    CHECK(kt::ReadBytes(bin).size() < 3 * once.size());
}

TEST_CASE("kioskctl receipt and printer commands fail clearly") {
    Box box;
    box.InitWithTicket();
    RunResult unknownTicket = box.Run("receipt render S001-K1-261122-0099 --out " + box.Path("x.png"));
    CHECK(unknownTicket.exitCode != 0);
    CHECK_THAT(unknownTicket.output, Catch::Contains("no ticket S001-K1-261122-0099"));
    CHECK(!std::filesystem::exists(box.Path("x.png")));

    RunResult unknownProfile = box.Run(std::string("receipt render ") + kFiledTicket + " --out x.png --profile tm-nope");
    CHECK(unknownProfile.exitCode != 0);
    CHECK_THAT(unknownProfile.output, Catch::Contains("unknown printer profile \"tm-nope\""));

    RunResult unreachable = box.Run(std::string("receipt print ") + kFiledTicket + " --printer tcp://127.0.0.1:1");
    CHECK(unreachable.exitCode != 0);
    CHECK_THAT(unreachable.output, Catch::Contains("stays queued"));
    CHECK_THAT(unreachable.output, Catch::Contains("tcp://127.0.0.1:1"));

    RunResult status = box.Run("printer status tcp://127.0.0.1:1");
    CHECK(status.exitCode != 0);
    RunResult badUri = box.Run("printer test bogus");
    CHECK(badUri.exitCode != 0);
    CHECK_THAT(badUri.output, Catch::Contains("expected usb://auto"));
    RunResult list = box.Ok("printer list");
    CHECK_THAT(list.output, Catch::Contains("xprinter-xp58"));
}

TEST_CASE("kioskctl prints the intake slip with the condition, the photo count and the customer's signature") {
    Box box;
    box.InitWithTicket();
    box.Ok(std::string("ticket transition ") + kFiledTicket + " received --staff E1004");
    const std::string frames = std::string(KIOSK_TEST_ASSET_DIR) + "/demo/frames/";
    const std::string strokesFile = std::string(KIOSK_TEST_DATA_DIR) + "/signature/strokes.json";
    const std::string plain = box.Path("plain.png");
    box.Ok(std::string("receipt render ") + kFiledTicket + " --slip --lang en --out " + plain);
    box.Ok(std::string("ticket attach ") + kFiledTicket + " --photo " + frames + "counter-1.jpg --photo " + frames +
           "counter-3.jpg --signature-strokes " + strokesFile + " --note 'scuffed corner' --staff E1004");
    const std::string signed_ = box.Path("signed.png");
    box.Ok(std::string("receipt render ") + kFiledTicket + " --slip --lang en --out " + signed_);
    const std::string bin = box.Path("slip.bin");
    box.Ok(std::string("receipt print ") + kFiledTicket + " --slip --lang en --printer file://" + bin);
    const auto bytes = kt::ReadBytes(bin);
    // The signature is a 384 × 128 raster: 6 KB of dots; the rest of the slip stays small.
    CHECK(bytes.size() > 384 / 8 * 128);
    CHECK(bytes.size() < 12 * 1024);

    const auto before = LoadPng(plain);
    const auto after = LoadPng(signed_);
    CHECK(after.height > before.height + 128);

    // The signature drawn from its strokes, as the slip prints it, is found in the emulator's picture.
    std::ifstream in(strokesFile);
    const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    namespace ep = kiosk::drivers::escpos;
    const ep::Bitmap expected = ep::FitWidth(ep::RenderSignature(ep::SignatureStrokesFromJson(json).value()), 384);
    REQUIRE(expected.width == 384);
    int inked = 0;
    for (int y = 0; y < expected.height; ++y) {
        for (int x = 0; x < expected.width; ++x) inked += expected.At(x, y) < 128 ? 1 : 0;
    }
    REQUIRE(inked > 500);
    // Centred on the paper.
    const int left = (after.width - expected.width) / 2;
    int bestMismatch = expected.width * expected.height;
    for (int top = 0; top + expected.height <= after.height; ++top) {
        int mismatch = 0;
        for (int y = 0; y < expected.height && mismatch < bestMismatch; ++y) {
            for (int x = 0; x < expected.width; ++x) {
                mismatch += (expected.At(x, y) < 128) != (after.At(left + x, top + y) < 128) ? 1 : 0;
            }
        }
        bestMismatch = std::min(bestMismatch, mismatch);
    }
    CHECK(bestMismatch < inked / 50);
}
