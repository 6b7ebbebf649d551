#include "image/cpio_writer.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include "base/check.h"

namespace kgate {
namespace {

std::string_view Relative(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return path;
}

}  // namespace

void CpioWriter::AddDirectory(std::string_view path, std::uint32_t perm) {
  Entry(path, S_IFDIR | (perm & 07777), {});
}

void CpioWriter::AddFile(std::string_view path, std::string_view data, std::uint32_t perm) {
  Entry(path, S_IFREG | (perm & 07777), data);
}

void CpioWriter::AddSymlink(std::string_view path, std::string_view target) {
  Entry(path, S_IFLNK | 0777, target);
}

void CpioWriter::AddCharDevice(std::string_view path, std::uint32_t major, std::uint32_t minor,
                               std::uint32_t perm) {
  Entry(path, S_IFCHR | (perm & 07777), {}, major, minor);
}

void CpioWriter::Finish() {
  KG_CHECK(!finished_) << "cpio archive finished twice";
  Entry("TRAILER!!!", 0, {});
  finished_ = true;
}

Status CpioWriter::status() const {
  return out_.good() ? Status::Ok() : Status::Infrastructure("writing the cpio archive failed");
}

void CpioWriter::Entry(std::string_view path, std::uint32_t mode, std::string_view data,
                       std::uint32_t rdev_major, std::uint32_t rdev_minor) {
  KG_CHECK(!finished_) << "entry added after the trailer: " << path;
  std::string_view name = path == "TRAILER!!!" ? path : Relative(path);
  KG_CHECK(!name.empty()) << "empty cpio entry name";
  KG_CHECK(data.size() <= 0xffffffffu) << "cpio newc cannot hold files of 4 GiB: " << path;
  bool is_dir = (mode & S_IFMT) == S_IFDIR;
  std::uint32_t inode = mode == 0 ? 0 : next_inode_++;
  std::string header = fmt::format(
      "070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
      inode, mode, 0, 0, is_dir ? 2 : 1, 0, data.size(), 0, 0, rdev_major, rdev_minor,
      name.size() + 1, 0);
  out_.write(header.data(), header.size());
  out_.write(name.data(), name.size());
  out_.put('\0');
  written_ += header.size() + name.size() + 1;
  Pad();
  out_.write(data.data(), data.size());
  written_ += data.size();
  Pad();
}

void CpioWriter::Pad() {
  static const char kZeros[4] = {};
  std::size_t pad = (4 - written_ % 4) % 4;
  out_.write(kZeros, pad);
  written_ += pad;
}

}  // namespace kgate
