// The kiosk database schema, versioned with PRAGMA user_version and brought up to date step by step.
#pragma once

#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

// The schema version this program writes. A database at a higher version came from a newer program.
inline constexpr int kSchemaVersion = 10;

// Applies every migration step above the database's version, each in its own transaction, and
// returns the version now in force (kSchemaVersion). Running it again changes nothing. Fails with
// Conflict when the database is newer than this program, Busy when another connection holds the
// write lock, or the mapped SQLite error of the failing step (whose changes are rolled back).
Result<int> Migrate(Database& db);

// The database's schema version (0 for a new, empty file).
Result<int> SchemaVersion(Database& db);

}  // namespace kiosk::storage
