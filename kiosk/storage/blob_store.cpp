#include "kiosk/storage/blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "sync/wire/record_json.hpp"

namespace kiosk::storage {

using core::ErrorCode;

namespace {

core::Error BlobIoError(std::string_view what, const std::filesystem::path& path, int error) {
    return core::Error{ErrorCode::Storage, std::string(what) + " " + path.string() + ": " + std::strerror(error)};
}

// Writes the whole buffer and flushes it to the disk; closes the descriptor either way.
Result<void> WriteAndSync(int fd, std::string_view bytes, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(fd);
            return std::unexpected(BlobIoError("cannot write", path, error));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        return std::unexpected(BlobIoError("cannot flush", path, error));
    }
    if (::close(fd) != 0) return std::unexpected(BlobIoError("cannot close", path, errno));
    return {};
}

Result<void> SyncDirectory(const std::filesystem::path& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return std::unexpected(BlobIoError("cannot open", directory, errno));
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) return std::unexpected(BlobIoError("cannot flush", directory, error));
    return {};
}

bool IsBlobName(std::string_view name) {
    return name.size() == 64 &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::filesystem::path BlobStore::DirectoryFor(const std::filesystem::path& database) {
    std::filesystem::path directory = database;
    directory += ".blobs";
    return directory;
}

std::filesystem::path BlobStore::PathOf(std::string_view sha256) const { return m_directory / std::string(sha256); }

Result<core::Attachment> BlobStore::Put(std::string_view bytes, std::string_view kind, std::string_view mediaType) const {
    auto hash = wire::Sha256Hex(bytes);
    if (!hash) return std::unexpected(std::move(hash.error()));
    core::Attachment attachment{*hash, std::string(kind), std::string(mediaType), static_cast<std::int64_t>(bytes.size())};
    if (auto ok = core::ValidateAttachment(attachment); !ok) return std::unexpected(std::move(ok.error()));

    std::error_code ec;
    std::filesystem::create_directories(m_directory, ec);
    if (ec) return core::Fail(ErrorCode::Storage, "cannot create " + m_directory.string() + ": " + ec.message());
    const std::filesystem::path final = PathOf(*hash);
    if (auto existing = Read(*hash); existing) return attachment;  // the same bytes are already there

    std::filesystem::path partial = m_directory / (*hash + ".partial-XXXXXX");
    std::string name = partial.string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return std::unexpected(BlobIoError("cannot create", partial, errno));
    partial = name;
    if (auto ok = WriteAndSync(fd, bytes, partial); !ok) {
        std::filesystem::remove(partial, ec);
        return std::unexpected(std::move(ok.error()));
    }
    std::filesystem::rename(partial, final, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        return core::Fail(ErrorCode::Storage, "cannot rename " + partial.string() + ": " + ec.message());
    }
    if (auto ok = SyncDirectory(m_directory); !ok) return std::unexpected(std::move(ok.error()));
    return attachment;
}

Result<std::string> BlobStore::Read(std::string_view sha256) const {
    const std::filesystem::path path = PathOf(sha256);
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::Fail(ErrorCode::NotFound, "attachment file " + path.string() + " is missing");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return core::Fail(ErrorCode::Storage, "cannot read " + path.string());
    auto hash = wire::Sha256Hex(bytes);
    if (!hash) return std::unexpected(std::move(hash.error()));
    if (*hash != sha256) {
        return core::Fail(ErrorCode::Corrupt, "attachment file " + path.string() + " has changed: its bytes hash to " +
                                                  *hash);
    }
    return bytes;
}

Result<void> BlobStore::Check(const core::Attachment& attachment) const {
    auto bytes = Read(attachment.sha256);
    if (!bytes) return std::unexpected(std::move(bytes.error()));
    if (static_cast<std::int64_t>(bytes->size()) != attachment.bytes) {
        return core::Fail(ErrorCode::Corrupt, "attachment file " + PathOf(attachment.sha256).string() + " has " +
                                                  std::to_string(bytes->size()) + " bytes, its event says " +
                                                  std::to_string(attachment.bytes));
    }
    return {};
}

Result<void> BlobStore::Remove(std::string_view sha256) const {
    std::error_code ec;
    std::filesystem::remove(PathOf(sha256), ec);
    if (ec) return core::Fail(ErrorCode::Storage, "cannot remove " + PathOf(sha256).string() + ": " + ec.message());
    return {};
}

Result<std::vector<std::string>> BlobStore::List() const {
    std::vector<std::string> out;
    std::error_code ec;
    if (!std::filesystem::exists(m_directory, ec)) return out;
    for (std::filesystem::directory_iterator it(m_directory, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (IsBlobName(name)) out.push_back(name);
    }
    if (ec) return core::Fail(ErrorCode::Storage, "cannot list " + m_directory.string() + ": " + ec.message());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace kiosk::storage
