// The evidence taken at intake as ticket files: photos (JPEG) from a frame source or from files, and
// the customer's signature (its strokes as JSON and their picture as PNG), put into the blob store
// beside the database, ready for one AdminStore::Attach.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "drivers/barcode/frame_source.hpp"
#include "drivers/barcode/photo.hpp"
#include "drivers/escpos/signature.hpp"
#include "kiosk/core/admin_flow/intake_port.hpp"
#include "kiosk/core/ticket.hpp"
#include "kiosk/storage/blob_store.hpp"

namespace kiosk::app {

using core::admin_flow::kMaxIntakePhotos;

// Files put into the blob store by one intake, so that the ones not attached in the end (a dropped
// photo, a failed attach) can be taken out again. Files that were there before are never removed.
class IntakeFiles {
public:
    explicit IntakeFiles(storage::BlobStore blobs) : m_blobs(std::move(blobs)) {}

    // A JPEG as a photo. Fails with InvalidInput when the bytes are not a JPEG that decodes, or are
    // more than core::kMaxAttachmentBytes; Storage when the file cannot be written.
    core::Result<core::Attachment> PutPhoto(std::string_view jpeg);
    // The newest frame of `camera`, as a photo (colour, at most options.maxSide, JPEG).
    core::Result<core::Attachment> TakePhoto(drivers::FrameSource& camera, const drivers::PhotoOptions& options = {});
    // The signature: its picture ("signature", PNG) and its strokes ("signature_strokes", JSON), in
    // that order. InvalidInput for no strokes.
    core::Result<std::vector<core::Attachment>> PutSignature(const std::vector<drivers::escpos::SignatureStroke>& strokes);

    // Takes out a file this intake put in and nothing attached (a dropped photo).
    core::Result<void> Discard(const core::Attachment& attachment);
    // Takes out every file this intake put in (the attach failed): the store is as before.
    void DiscardAll();

    const storage::BlobStore& Blobs() const { return m_blobs; }

private:
    core::Result<core::Attachment> Put(std::string_view bytes, std::string_view kind, std::string_view mediaType);

    storage::BlobStore m_blobs;
    std::vector<std::string> m_added;  // hashes of files that were not there before
};

}  // namespace kiosk::app
