// Files kept with tickets — photos taken at intake, the customer's signature — in a directory beside
// the kiosk database (`<database>.blobs/`), each named by the SHA-256 of its bytes. The event that
// attaches a file carries its hash, so the hash chain covers the file: `verify` rehashes every file an
// event names. A file is written whole or not at all (a temporary file, fsync, rename, fsync of the
// directory): a power cut never leaves half a photo under a hash.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/ticket.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

class BlobStore {
public:
    // `<database>.blobs` beside the database file.
    static std::filesystem::path DirectoryFor(const std::filesystem::path& database);

    explicit BlobStore(std::filesystem::path directory) : m_directory(std::move(directory)) {}

    const std::filesystem::path& Directory() const { return m_directory; }

    // Stores `bytes` under their hash (creating the directory) and returns the attachment naming them.
    // Storing the same bytes again keeps the file there. Fails with InvalidInput when the attachment
    // would not validate (kind, media type, size), Storage when the file cannot be written.
    Result<core::Attachment> Put(std::string_view bytes, std::string_view kind, std::string_view mediaType) const;

    // Where the file of `sha256` is (whether or not it exists).
    std::filesystem::path PathOf(std::string_view sha256) const;

    // The file's bytes, checked against its name: NotFound when it is missing, Corrupt when its bytes
    // no longer hash to its name (edited or swapped on disk).
    Result<std::string> Read(std::string_view sha256) const;

    // The same checks as Read, and the size against the attachment's.
    Result<void> Check(const core::Attachment& attachment) const;

    // Removes a file (a photo dropped before it was attached). A missing file is not an error.
    Result<void> Remove(std::string_view sha256) const;

    // The hashes of the files in the directory, sorted; temporary files are not listed.
    Result<std::vector<std::string>> List() const;

private:
    std::filesystem::path m_directory;
};

}  // namespace kiosk::storage
