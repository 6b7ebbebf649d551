// A writer of "newc" cpio archives (the SVR4 format without CRC, magic
// 070701), the format the kernel unpacks as an initramfs.
//
// Each entry is a 110-byte ASCII header of 13 eight-digit hex fields (inode,
// mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor,
// rdevminor, namesize, check), then the NUL-terminated name padded to a
// multiple of 4, then the data padded to a multiple of 4. The archive ends
// with the entry "TRAILER!!!". Archives written here can be concatenated;
// the kernel unpacks them in order and later files replace earlier ones.
//
// Every entry is owned by root with mtime 0, so the same inputs give the same
// bytes. Names are written without a leading "/" as cpio -i expects. Parent
// directories are not implied: callers add them first. Not thread-safe.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kgate {

class CpioWriter {
 public:
  // Writes to out, which must outlive the writer.
  explicit CpioWriter(std::ostream& out) : out_(out) {}

  void AddDirectory(std::string_view path, std::uint32_t perm = 0755);
  void AddFile(std::string_view path, std::string_view data, std::uint32_t perm = 0644);
  void AddSymlink(std::string_view path, std::string_view target);
  void AddCharDevice(std::string_view path, std::uint32_t major, std::uint32_t minor,
                     std::uint32_t perm = 0600);
  // Writes the trailer. Further Add calls are a bug.
  void Finish();

  // Infrastructure if the stream failed (disk full).
  Status status() const;
  std::uint64_t bytes_written() const { return written_; }

 private:
  void Entry(std::string_view path, std::uint32_t mode, std::string_view data,
             std::uint32_t rdev_major = 0, std::uint32_t rdev_minor = 0);
  void Pad();

  std::ostream& out_;
  std::uint32_t next_inode_ = 1;
  std::uint64_t written_ = 0;
  bool finished_ = false;
};

}  // namespace kgate
