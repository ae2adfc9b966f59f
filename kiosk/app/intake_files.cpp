// Intake photos and signatures into the blob store, remembering what this intake added.
#include "kiosk/app/intake_files.hpp"

#include <algorithm>
#include <filesystem>

#include "sync/wire/record_json.hpp"

namespace kiosk::app {

core::Result<core::Attachment> IntakeFiles::Put(std::string_view bytes, std::string_view kind, std::string_view mediaType) {
    auto hash = wire::Sha256Hex(bytes);
    if (!hash) return std::unexpected(std::move(hash.error()));
    std::error_code ec;
    const bool existed = std::filesystem::exists(m_blobs.PathOf(*hash), ec);
    auto attachment = m_blobs.Put(bytes, kind, mediaType);
    if (!attachment) return attachment;
    if (!existed && std::find(m_added.begin(), m_added.end(), attachment->sha256) == m_added.end()) {
        m_added.push_back(attachment->sha256);
    }
    return attachment;
}

core::Result<core::Attachment> IntakeFiles::PutPhoto(std::string_view jpeg) {
    if (static_cast<std::int64_t>(jpeg.size()) > core::kMaxAttachmentBytes) {
        return core::Fail(core::ErrorCode::InvalidInput, "the photo has " + std::to_string(jpeg.size()) +
                                                             " bytes; a photo has at most " +
                                                             std::to_string(core::kMaxAttachmentBytes));
    }
    if (auto decoded = drivers::DecodeJpeg(jpeg); !decoded) return std::unexpected(std::move(decoded.error()));
    return Put(jpeg, "photo", "image/jpeg");
}

core::Result<core::Attachment> IntakeFiles::TakePhoto(drivers::FrameSource& camera, const drivers::PhotoOptions& options) {
    auto frame = camera.LatestFrame();
    if (!frame) return std::unexpected(std::move(frame.error()));
    auto jpeg = drivers::PhotoFromFrame(frame->View(), options);
    if (!jpeg) return std::unexpected(std::move(jpeg.error()));
    return PutPhoto(*jpeg);
}

core::Result<std::vector<core::Attachment>> IntakeFiles::PutSignature(
    const std::vector<drivers::escpos::SignatureStroke>& strokes) {
    if (strokes.empty()) return core::Fail(core::ErrorCode::InvalidInput, "the customer has not signed");
    auto png = drivers::escpos::EncodeGreyPng(drivers::escpos::RenderSignature(strokes));
    if (!png) return std::unexpected(std::move(png.error()));
    auto picture = Put(*png, "signature", "image/png");
    if (!picture) return std::unexpected(std::move(picture.error()));
    auto path = Put(drivers::escpos::SignatureStrokesToJson(strokes), "signature_strokes", "application/json");
    if (!path) return std::unexpected(std::move(path.error()));
    return std::vector<core::Attachment>{*picture, *path};
}

core::Result<void> IntakeFiles::Discard(const core::Attachment& attachment) {
    auto it = std::find(m_added.begin(), m_added.end(), attachment.sha256);
    if (it == m_added.end()) return {};
    m_added.erase(it);
    return m_blobs.Remove(attachment.sha256);
}

void IntakeFiles::DiscardAll() {
    for (const std::string& hash : m_added) (void)m_blobs.Remove(hash);
    m_added.clear();
}

}  // namespace kiosk::app
