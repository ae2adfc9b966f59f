// Helpers for the blob tests: a kiosk database with staff whose tickets get attached files, signed raw
// blob requests, and the check that head office holds each file once, whole and matching its hash.
#pragma once

#include <map>
#include <random>

#include "admin/admin_test_support.hpp"
#include "kiosk/storage/blob_store.hpp"
#include "kiosk/storage/outbox.hpp"
#include "sync/headoffice/blobs.hpp"
#include "sync_test_support.hpp"

namespace kiosk::sync::test {

// Bytes that do not compress, starting like a JPEG.
inline std::string FakePhotoBytes(std::uint64_t seed, std::size_t size) {
    std::mt19937_64 random(seed);
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(random() & 0xff);
    bytes[0] = static_cast<char>(0xff);
    bytes[1] = static_cast<char>(0xd8);
    return bytes;
}

// A kiosk (S012-K1) with staff; Attach files photos to a new repair ticket and keeps their bytes.
struct AttachingKiosk {
    admin_test::AdminFixture fixture;
    std::map<std::string, std::string> files;  // sha256 -> bytes

    std::filesystem::path File() const { return fixture.File(); }
    storage::BlobStore Blobs() const { return storage::BlobStore(storage::BlobStore::DirectoryFor(File())); }

    // A repair with `count` photos of `size` bytes attached in one event; returns the attachments.
    std::vector<core::Attachment> AttachPhotos(int count, std::size_t size, std::uint64_t seed) {
        const core::Timestamp at = storage::test::At("2026-11-22T02:00:00Z");
        const std::string number = fixture.NewRepair(at);
        std::vector<core::Attachment> attached;
        for (int i = 0; i < count; ++i) {
            const std::string bytes = FakePhotoBytes(seed * 1000 + static_cast<std::uint64_t>(i), size);
            attached.push_back(Ok(Blobs().Put(bytes, "photo", "image/jpeg")));
            files[attached.back().sha256] = bytes;
        }
        Ok(fixture.Admin().Attach(storage::test::kClerk, number, attached, "at intake", at));
        return attached;
    }

    // An attached event naming a file the kiosk does not hold: its hash is of `claimed`, `size` bytes.
    core::Attachment AttachUnheld(const std::string& claimed) {
        const core::Timestamp at = storage::test::At("2026-11-22T03:00:00Z");
        const std::string number = fixture.NewRepair(at);
        const core::Attachment a{Sha256Hex(claimed), "photo", "image/jpeg", static_cast<std::int64_t>(claimed.size())};
        Ok(fixture.Admin().Attach(storage::test::kClerk, number, {a}, "", at));
        return a;
    }

    Credentials Enrolled() {
        auto db = Ok(storage::Database::Open(File()));
        auto outbox = Ok(storage::Outbox::Open(std::move(db)));
        return {Ok(outbox.Setting("kiosk")).value_or(""), Ok(outbox.Setting("secret")).value_or(""),
                std::stoll(Ok(outbox.Setting("epoch")).value_or("0"))};
    }
};

// A signed GET (offset < 0) or PUT of one chunk of blob `sha256`.
inline HttpResponse BlobCall(const std::string& url, const Credentials& who, const std::string& sha256, std::int64_t offset,
                             std::string_view body, std::int64_t size, const std::string& chunkSha = "",
                             const std::string& secret = "") {
    const bool put = offset >= 0;
    const std::string target = std::string(kBlobPath) + sha256 + (put ? "?offset=" + std::to_string(offset) : "");
    Headers headers = Ok(SignRequest(put ? "PUT" : "GET", target, who.kiosk, secret.empty() ? who.secret : secret, NowMs(), body));
    if (put) {
        headers.emplace_back(kHeaderBlobSize, std::to_string(size));
        headers.emplace_back(kHeaderChunkSha, chunkSha.empty() ? Sha256Hex(body) : chunkSha);
        headers.emplace_back("Content-Type", "application/octet-stream");
    }
    return Ok(SendHttp(put ? "PUT" : "GET", url + target, headers, put ? body : std::string_view()));
}

// Head office (SQLite at `hoDb`) holds exactly `files`, each once and matching its hash, with no
// upload left half done.
inline void CheckBlobsAtHeadOffice(const std::filesystem::path& hoDb, const std::map<std::string, std::string>& files) {
    auto ho = Ok(storage::Database::Open(hoDb));
    CHECK(Ok(ho.QueryInt("SELECT count(*) FROM blobs")) == static_cast<std::int64_t>(files.size()));
    CHECK(Ok(ho.QueryInt("SELECT count(*) FROM blob_chunks")) == 0);
    CHECK(Ok(ho.QueryInt("SELECT count(*) FROM blob_uploads")) == 0);
    auto rows = Ok(ho.Prepare("SELECT sha256, data, bytes FROM blobs ORDER BY sha256"));
    std::int64_t checked = 0;
    while (Ok(rows.Step())) {
        const std::string sha = rows.Text(0);
        const std::string data = rows.Text(1);
        INFO("blob " << sha);
        REQUIRE(files.contains(sha));
        CHECK(data.size() == files.at(sha).size());
        CHECK(data == files.at(sha));
        CHECK(Sha256Hex(data) == sha);
        CHECK(rows.Int(2) == static_cast<std::int64_t>(data.size()));
        ++checked;
    }
    CHECK(checked == static_cast<std::int64_t>(files.size()));
}

inline std::int64_t HoBlobRows(const std::filesystem::path& hoDb) {
    auto ho = Ok(storage::Database::Open(hoDb));
    return Ok(ho.QueryInt("SELECT (SELECT count(*) FROM blobs) + (SELECT count(*) FROM blob_chunks) + "
                          "(SELECT count(*) FROM blob_uploads)"));
}

}  // namespace kiosk::sync::test
