#include "base/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace kgate {

Result<FileLock> FileLock::Acquire(const std::string& path,
                                   const std::function<void(const std::string&)>& on_wait) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::Infrastructure(fmt::format("cannot open lock file {}: {}", path, strerror(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK && on_wait) on_wait(path);
    while (flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int err = errno;
      close(fd);
      return Status::Infrastructure(fmt::format("cannot lock {}: {}", path, strerror(err)));
    }
  }
  return FileLock(path, fd);
}

Result<FileLock> FileLock::AcquireShared(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string message = fmt::format("cannot open {}: {}", path, strerror(err));
    return err == ENOENT ? Status::NotFound(message) : Status::Infrastructure(message);
  }
  while (flock(fd, LOCK_SH) != 0) {
    if (errno == EINTR) continue;
    int err = errno;
    close(fd);
    return Status::Infrastructure(fmt::format("cannot lock {}: {}", path, strerror(err)));
  }
  struct stat held, named;
  if (fstat(fd, &held) != 0 || stat(path.c_str(), &named) != 0 || held.st_dev != named.st_dev ||
      held.st_ino != named.st_ino) {
    close(fd);
    return Status::NotFound(fmt::format("{} was removed while kgate waited to use it", path));
  }
  return FileLock(path, fd);
}

std::optional<FileLock> FileLock::TryAcquire(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return std::nullopt;
  }
  return FileLock(path, fd);
}

FileLock::FileLock(FileLock&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace kgate
