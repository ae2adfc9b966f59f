// Head office's copies of the files kiosks attach to tickets: each blob stored once by its SHA-256,
// uploads in progress kept chunk by chunk per kiosk (so any server behind the balancer can take the
// next chunk), and the attachments each attached event names (written by the projection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {

// Creates the blob tables when missing, on SQLite and PostgreSQL.
Result<void> EnsureBlobSchema(SqlSession& db);

// Whether `text` is 64 lower-case hex digits (how blobs are named).
bool IsBlobName(std::string_view text);

struct StoredBlob {
    std::string mediaType;
    std::string data;
};

// The blob's bytes as stored; nullopt when head office does not hold it (yet). Fails as the database does.
Result<std::optional<StoredBlob>> ReadStoredBlob(SqlSession& db, std::string_view sha256);

// One file an attached event names, and whether head office holds its bytes.
struct TicketAttachment {
    std::string recordId;  // the attached event's record
    std::string sha256;
    std::string kind;       // photo, signature, signature_strokes
    std::string mediaType;
    std::int64_t bytes = 0;
    bool received = false;
};

// The attachments of a ticket's events in the order they were attached.
Result<std::vector<TicketAttachment>> TicketAttachments(SqlSession& db, std::string_view ticket);

}  // namespace kiosk::sync::headoffice
