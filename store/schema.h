// The store's schema and its migrations (schema.cc describes every table).
//
// The schema version lives in PRAGMA user_version. Each migration step takes
// the file from version N-1 to N in its own BEGIN IMMEDIATE transaction, so a
// crash mid-upgrade leaves the file at N-1, and two processes upgrading the
// same file at once apply each step exactly once.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "store/sqlite.h"

namespace kgate {

// 'kgat': marks a SQLite file as a kgate store (PRAGMA application_id).
inline constexpr std::int32_t kStoreApplicationId = 0x6B676174;

// The schema version this build writes and understands.
int LatestSchemaVersion();

// Applies the migration steps after the file's current version up to and
// including target_version (LatestSchemaVersion() in production; tests pass
// smaller targets to build files as older kgate versions left them). Sets
// application_id with the first step. The connection must have foreign_keys
// configured already (the pragma is ignored inside a transaction).
Status MigrateSchema(Db& db, int target_version);

}  // namespace kgate
