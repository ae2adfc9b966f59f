// Files kept with a ticket: the blob store beside the database, the attached event that carries their
// hashes through the hash chain, and verify noticing a swapped event.
#include <catch2/catch.hpp>

#include <fstream>

#include "admin_test_support.hpp"
#include "kiosk/storage/blob_store.hpp"
#include "sync/wire/record_json.hpp"

using namespace kiosk;
using namespace kiosk::admin_test;

namespace {

const core::Timestamp kAttachAt = core::ParseTimestamp("2026-11-22T02:00:00Z").value();

std::string FakeJpeg(char fill, std::size_t size) {
    std::string bytes(size, fill);
    bytes[0] = static_cast<char>(0xff);
    bytes[1] = static_cast<char>(0xd8);
    return bytes;
}

}  // namespace

TEST_CASE("the blob store keeps files under their hash and notices a changed file", "[admin][attachments]") {
    TempDir dir;
    const storage::BlobStore blobs(storage::BlobStore::DirectoryFor(dir.File("kiosk.db")));
    CHECK(blobs.Directory() == dir.File("kiosk.db.blobs"));
    CHECK(Ok(blobs.List()).empty());

    const std::string bytes = FakeJpeg('a', 5000);
    const core::Attachment photo = Ok(blobs.Put(bytes, "photo", "image/jpeg"));
    CHECK(photo.sha256 == Ok(wire::Sha256Hex(bytes)));
    CHECK(photo.bytes == 5000);
    CHECK(Ok(blobs.Read(photo.sha256)) == bytes);
    CHECK(Ok(blobs.Put(bytes, "photo", "image/jpeg")).sha256 == photo.sha256);  // the same bytes again
    CHECK(Ok(blobs.List()) == std::vector<std::string>{photo.sha256});
    Ok(blobs.Check(photo));

    SECTION("bad attachments are refused and nothing is written") {
        CHECK_FALSE(blobs.Put(bytes, "photo", "image/png").has_value());
        CHECK_FALSE(blobs.Put(bytes, "video", "video/mp4").has_value());
        CHECK_FALSE(blobs.Put("", "photo", "image/jpeg").has_value());
        CHECK(Ok(blobs.List()).size() == 1);
    }
    SECTION("a file edited on disk is Corrupt, a missing one NotFound") {
        {
            std::ofstream out(blobs.PathOf(photo.sha256), std::ios::binary | std::ios::trunc);
            out << FakeJpeg('b', 5000);
        }
        auto read = blobs.Read(photo.sha256);
        REQUIRE_FALSE(read.has_value());
        CHECK(read.error().code == core::ErrorCode::Corrupt);
        Ok(blobs.Remove(photo.sha256));
        auto missing = blobs.Check(photo);
        REQUIRE_FALSE(missing.has_value());
        CHECK(missing.error().code == core::ErrorCode::NotFound);
    }
}

TEST_CASE("an attached event carries the files' hashes through the chain and back", "[admin][attachments]") {
    AdminFixture fx;
    const std::string number = fx.NewRepair(kAttachAt);
    const storage::BlobStore blobs(storage::BlobStore::DirectoryFor(fx.File()));
    const core::Attachment photo = Ok(blobs.Put(FakeJpeg('p', 3000), "photo", "image/jpeg"));
    const core::Attachment signature = Ok(blobs.Put(std::string("\x89PNG....", 8), "signature", "image/png"));

    const core::admin::TicketDetail detail =
        Ok(fx.Admin().Attach(kClerk, number, {photo, signature}, "screen scratched at the top", kAttachAt));
    const core::TicketEvent& last = detail.events.back();
    CHECK(last.kind == core::EventKind::Attached);
    REQUIRE(last.attachments.size() == 2);
    CHECK(last.attachments[0].sha256 == photo.sha256);
    CHECK(last.attachments[1].kind == "signature");
    CHECK(last.note == "screen scratched at the top");
    CHECK(detail.ticket.status == "submitted");  // attaching moves nothing

    // The canonical form hashes the files under "attachments"; older kinds keep exactly their fields.
    const wire::EventRow row = wire::ToEventRow(last);
    const wire::Json canonical = wire::CanonicalEvent(row);
    CHECK(canonical.at("attachments").size() == 2);
    CHECK(canonical.at("created").is_null());
    CHECK_FALSE(wire::CanonicalEvent(wire::ToEventRow(detail.events.front())).contains("attachments"));
    CHECK(wire::PayloadFromCanonical(canonical) == row.payload);
    wire::EventRow swapped = row;
    swapped.payload->at(0)["sha256"] = std::string(64, '0');
    CHECK(Ok(wire::ChainHash("", swapped)) != Ok(wire::ChainHash("", row)));

    fx.Reopen();
    CHECK(Ok(fx.Kiosk().Verify()).ok);

    SECTION("a swapped hash in the stored event breaks the chain") {
        {
            storage::Database db = Ok(storage::Database::Open(fx.File()));
            Ok(db.Execute("DROP TRIGGER ticket_events_no_update"));
            Ok(db.Execute("UPDATE ticket_events SET payload = replace(payload, '" + photo.sha256 + "', '" +
                          std::string(64, 'f') + "') WHERE kind = 'attached'"));
        }
        CHECK_FALSE(Ok(fx.Kiosk().Verify()).ok);
    }
    SECTION("no files, too many, or a malformed one are refused") {
        CHECK_FALSE(fx.Admin().Attach(kClerk, number, {}, "", kAttachAt).has_value());
        CHECK_FALSE(fx.Admin().Attach(kClerk, number, std::vector<core::Attachment>(9, photo), "", kAttachAt).has_value());
        core::Attachment bad = photo;
        bad.sha256 = "XYZ";
        CHECK_FALSE(fx.Admin().Attach(kClerk, number, {bad}, "", kAttachAt).has_value());
    }
}
