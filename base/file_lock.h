// An exclusive lock on a file, held for the life of the object: two kgate
// processes never build into the same kernel tree or write the same cache
// entry at once. flock(2) locks die with their process, so a killed kgate
// leaves nothing to clean up.
#pragma once

#include <functional>
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
