// A lock on a file, held for the life of the object. Exclusive locks keep two
// kgate processes from building into the same kernel tree or writing the same
// cache entry at once; shared locks mark a cached file as in use, so that
// another process's eviction leaves it alone. flock(2) locks die with their
// process, so a killed kgate leaves nothing to clean up.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/status.h"

namespace kgate {

class FileLock {
 public:
  // Locks path (created when missing). When another process holds it,
  // calls on_wait once with the path, then waits. Infrastructure when the
  // file cannot be created or locked.
  static Result<FileLock> Acquire(const std::string& path,
                                  const std::function<void(const std::string&)>& on_wait = {});

  // A shared lock on the file at path, which must exist: any number of
  // holders, never beside an exclusive one (waits for it). Returns the lock
  // only when path still names the locked file once the lock is held, so a
  // file deleted by an exclusive holder in the meantime is NotFound, as is a
  // missing one.
  static Result<FileLock> AcquireShared(const std::string& path);

  // An exclusive lock on the existing file at path if nobody holds any lock
  // on it now; nullopt otherwise (held, missing or unreadable). Never waits.
  static std::optional<FileLock> TryAcquire(const std::string& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  const std::string& path() const { return path_; }

 private:
  FileLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

}  // namespace kgate
