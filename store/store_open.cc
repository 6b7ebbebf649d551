// Store::Open: decides whether a path holds a kgate store this build can use
// before anything is written to it. Every refusal is one line naming the path
// and what was expected, and leaves the file's bytes untouched: the checks
// below only read, and the pragmas that write (journal_mode, migrations) run
// after all of them passed.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "store/schema.h"
#include "store/sqlite.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace kgate {
namespace {

constexpr const char* kMemory = ":memory:";

bool IsReadOnly(Store::Mode mode) { return mode != Store::Mode::kReadWrite; }

bool Exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

// "file:" URI of path with immutable=1 (RFC 3986 escaping of the characters
// SQLite's URI parser gives a meaning to).
std::string ImmutableUri(const std::string& path) {
  std::string uri = "file:";
  for (char c : std::filesystem::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      uri += buf;
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

std::string Hex(std::int64_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(v));
  return buf;
}

// Checks the path itself: SQLite would report these as a bare "unable to
// open database file".
Status CheckPath(const std::string& path, Store::Mode mode) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return Status::BadInput(path + ": is a directory, expected a kgate database file");
    }
    // Write bits are checked as well as access(): root may write anything,
    // but a file someone made read-only is not one kgate should change.
    bool writable = access(path.c_str(), W_OK) == 0 && (st.st_mode & 0222) != 0;
    if (!IsReadOnly(mode) && !writable) {
      return Status::Infrastructure(path +
                                    ": file is read-only, expected a writable kgate "
                                    "database (make it writable or open it read-only)");
    }
    return Status::Ok();
  }
  if (IsReadOnly(mode)) {
    return Status::BadInput(path + ": no such file, expected an existing kgate database");
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec)) {
    return Status::Infrastructure(path + ": directory " + parent.string() +
                                  " does not exist, expected it to hold the kgate database");
  }
  return Status::Ok();
}

// Reads the header pragmas (read-only) and refuses files that are not kgate
// stores or are newer than this build. Returns the file's schema version.
Result<int> InspectFile(Db& db, const std::string& path, Store::Mode mode);

// The header is read in one read transaction: read piecemeal, a file another
// process is creating could show no application_id yet but its tables
// already, and be refused as another application's.
Result<int> InspectFileConsistently(Db& db, const std::string& path, Store::Mode mode) {
  KG_RETURN_IF_ERROR(db.Exec("BEGIN").Prefixed(path));
  Result<int> version = InspectFile(db, path, mode);
  Status ended = db.Exec("COMMIT");
  if (version.ok() && !ended.ok()) return ended.Prefixed(path);
  return version;
}

Result<int> InspectFile(Db& db, const std::string& path, Store::Mode mode) {
  auto app_id = db.QueryInt("PRAGMA application_id");
  if (!app_id.ok()) {
    int code = db.ErrorCode() & 0xff;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
      return Status::BadInput(path + ": is not a kgate database (SQLite: " + db.ErrorMessage() +
                              "), expected a SQLite file made by kgate");
    }
    return app_id.status().Prefixed(path);
  }
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status().Prefixed(path);
  auto objects = db.QueryInt("SELECT count(*) FROM sqlite_schema");
  if (!objects.ok()) return objects.status().Prefixed(path);

  bool empty = *app_id == 0 && *version == 0 && *objects == 0;
  if (!empty && *app_id != kStoreApplicationId) {
    return Status::BadInput(
        path + ": is a SQLite database of another application (application_id " + Hex(*app_id) +
        "), expected a kgate store (" + Hex(kStoreApplicationId) + ")");
  }
  if (*version > LatestSchemaVersion()) {
    return Status::BadInput(path + ": made by a newer kgate (schema " + std::to_string(*version) +
                            ", this kgate knows " + std::to_string(LatestSchemaVersion()) + ")");
  }
  if (IsReadOnly(mode) && *version < LatestSchemaVersion()) {
    return Status::BadInput(path + ": has schema " + std::to_string(*version) + ", expected " +
                            std::to_string(LatestSchemaVersion()) +
                            " (open it once read-write to upgrade it)");
  }
  return static_cast<int>(*version);
}

}  // namespace

namespace {

Result<std::unique_ptr<Store>> OpenOnce(const std::string& path, Store::Mode mode) {
  using Mode = Store::Mode;
  bool memory = path == kMemory;
  if (!memory) KG_RETURN_IF_ERROR(CheckPath(path, mode));
  int flags =
      IsReadOnly(mode) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  std::string target = path;
  if (mode == Mode::kReadOnlyNoTrace && !memory && !Exists(path + "-wal") &&
      !Exists(path + "-shm")) {
    target = ImmutableUri(path);
    flags |= SQLITE_OPEN_URI;
  }
  KG_ASSIGN_OR_RETURN(auto db, Db::Open(target, flags));
  Db& conn = *db;
  KG_RETURN_IF_ERROR(conn.Exec("PRAGMA busy_timeout = 5000").Prefixed(path));

  KG_RETURN_IF_ERROR(InspectFileConsistently(conn, path, mode).status());

  KG_RETURN_IF_ERROR(conn.Exec("PRAGMA foreign_keys = ON").Prefixed(path));
  if (mode == Mode::kReadWrite) {
    if (!memory) KG_RETURN_IF_ERROR(conn.Exec("PRAGMA journal_mode = WAL").Prefixed(path));
    KG_RETURN_IF_ERROR(conn.Exec("PRAGMA synchronous = NORMAL").Prefixed(path));
    KG_RETURN_IF_ERROR(MigrateSchema(conn, LatestSchemaVersion()).Prefixed(path));
  }
  return std::unique_ptr<Store>(new SqliteStore(std::move(db), LatestSchemaVersion()));
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, Mode mode) {
  // Two processes opening a new file race to switch it to WAL and migrate
  // it; SQLite answers some of those lock upgrades with "database is locked"
  // at once instead of waiting in the busy handler. Nothing was written by
  // the loser, so it tries again (bounded: ~5 s, as busy_timeout).
  for (int attempt = 0;; ++attempt) {
    auto store = OpenOnce(path, mode);
    if (store.ok() || attempt == 100 ||
        store.status().message().find("database is locked") == std::string::npos) {
      return store;
    }
    usleep(50 * 1000);
  }
}

}  // namespace kgate
