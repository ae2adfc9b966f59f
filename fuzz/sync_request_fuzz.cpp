// Head office's request handling: the sync request body and headers. Half the inputs are signed
// properly by an enrolled kiosk (so the body parser behind the signature is reached), half bring
// their own headers; the wire-format parsers run on the same bytes.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "fuzz_input.hpp"
#include "sync/codec.hpp"
#include "sync/headoffice/ingest_service.hpp"
#include "sync/protocol.hpp"

namespace wire = kiosk::sync;
namespace ho = kiosk::sync::headoffice;

namespace {

// Lives until the process ends: the service and its writer thread are never torn down while libFuzzer
// exits (static destructors would run in an order nothing here controls); only the files go.
struct Enrolled {
    std::string path;
    std::unique_ptr<ho::IngestService> service;
    std::string kiosk;
    std::string secret;
};

Enrolled* g_office = nullptr;

void RemoveOfficeFiles() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((g_office->path + suffix).c_str());
}

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One head office per fuzzing process, on a temporary SQLite file, with one kiosk enrolled.
Enrolled& HeadOffice() {
    if (g_office != nullptr) return *g_office;
    g_office = new Enrolled;
    Enrolled& e = *g_office;
    e.path = (std::filesystem::temp_directory_path() / "kiosk-fuzz-ho-XXXXXX").string();
    const int fd = mkstemp(e.path.data());
    if (fd < 0) std::abort();
    close(fd);
    std::atexit(RemoveOfficeFiles);
    ho::ServiceLimits limits;
    limits.requestsPerSecond = 1e9;
    limits.burst = 1e9;
    auto service = ho::IngestService::Open("sqlite:" + e.path, limits);
    if (!service) std::abort();
    e.service = std::move(*service);
    auto token = e.service->AddKiosk("S012", "K1");
    if (!token) std::abort();
    ho::Request enrol{"POST", std::string(wire::kEnrolPath), [](std::string_view) { return std::string(); },
                      wire::EncodeEnrolRequest({*token, "00000000-0000-4000-8000-000000000000", 0})};
    auto reply = wire::ParseEnrolReply(e.service->HandleEnrol(enrol).body);
    if (!reply) std::abort();
    e.kiosk = reply->kiosk;
    e.secret = reply->secret;
    return e;
}

// "Name: value" lines up to an empty line; the rest is the body.
void SplitRaw(std::string_view text, wire::Headers& headers, std::string& body) {
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.empty()) break;
        const std::size_t colon = line.find(':');
        headers.emplace_back(std::string(line.substr(0, colon)),
                             colon == std::string_view::npos ? std::string() : std::string(line.substr(colon + 1)));
    }
    body = std::string(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Enrolled& office = HeadOffice();
    kiosk::fuzz::FuzzInput input(data, size);
    const std::uint8_t mode = input.Byte();
    const std::string_view text = input.RestText();

    wire::ParseEnrolRequest(text);
    wire::ParseDownstreamRequest(text);
    wire::ParseKioskStatus(text);
    wire::ParseAck(text);
    wire::ParseError(text);
    wire::ZstdDecompress(text, 1 << 20);

    const std::string_view paths[] = {wire::kBatchPath, wire::kDownstreamPath, wire::kEnrolPath};
    const std::string_view path = paths[(mode >> 2) % 3];
    wire::Headers headers;
    std::string body;
    if ((mode & 1) != 0) {
        SplitRaw(text, headers, body);
    } else {
        body = std::string(text);
        if ((mode & 2) != 0) {
            auto packed = wire::ZstdCompress(body);
            if (!packed) std::abort();
            body = std::move(*packed);
            headers.emplace_back("Content-Encoding", "zstd");
        }
        auto signature = wire::SignRequest("POST", path, office.kiosk, office.secret, NowMs(), body);
        if (!signature) std::abort();
        headers.insert(headers.end(), signature->begin(), signature->end());
        headers.emplace_back(std::string(wire::kHeaderIdempotencyKey), "fuzz-" + std::to_string(size));
    }
    ho::Request request{"POST", std::string(path),
                        [&headers](std::string_view name) {
                            for (const auto& [key, value] : headers) {
                                if (key.size() == name.size() &&
                                    std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                                        return std::tolower(static_cast<unsigned char>(a)) ==
                                               std::tolower(static_cast<unsigned char>(b));
                                    })) {
                                    return value;
                                }
                            }
                            return std::string();
                        },
                        body};
    ho::Reply reply = path == wire::kBatchPath       ? office.service->HandleBatch(request)
                      : path == wire::kDownstreamPath ? office.service->HandleDownstream(request)
                                                      : office.service->HandleEnrol(request);
    if (reply.status < 200 || reply.status > 599) std::abort();
    return 0;
}
