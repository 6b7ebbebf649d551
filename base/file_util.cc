#include "base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace kgate {

Result<std::string> ReadTextFile(const std::string& path, std::size_t max_bytes,
                                 bool require_utf8) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return Status::BadInput(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::BadInput(fmt::format("{}: is a directory, expected a file", path));
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    return Status::BadInput(fmt::format("{}: {} bytes, larger than the {} bytes allowed", path,
                                        st.st_size, max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::BadInput(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() > max_bytes) {
    return Status::BadInput(
        fmt::format("{}: larger than the {} bytes allowed", path, max_bytes));
  }
  if (require_utf8) {
    std::size_t bad = FindInvalidUtf8(data);
    if (bad != std::string::npos) {
      return Status::BadInput(
          fmt::format("{}: not valid UTF-8 text (bad byte at offset {})", path, bad));
    }
  }
  return data;
}

Result<std::string> ReadFileTail(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::NotFound(fmt::format("{}: cannot open", path));
  std::streamoff size = in.tellg();
  std::streamoff start = size > static_cast<std::streamoff>(max_bytes)
                             ? size - static_cast<std::streamoff>(max_bytes)
                             : 0;
  in.seekg(start);
  std::string data(static_cast<std::size_t>(size - start), '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}

Status WriteFileAtomic(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return Status::Infrastructure(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
    }
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out.flush()) {
      return Status::Infrastructure(fmt::format("{}: write failed: {}", tmp, std::strerror(errno)));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    return Status::Infrastructure(fmt::format("{}: rename failed: {}", path, std::strerror(err)));
  }
  return Status::Ok();
}

std::size_t FindInvalidUtf8(const std::string& data) {
  const auto* s = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    std::size_t len;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      len = 4;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
    }
    ++i;
    i += len - 1;
  }
  return std::string::npos;
}

Status MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return Status::Infrastructure(fmt::format("{}: cannot create directory: {}", path, ec.message()));
  }
  return Status::Ok();
}

std::uint64_t DiskUse(const std::string& dir) {
  namespace fs = std::filesystem;
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) total += it->file_size(ec);
  }
  return total;
}

}  // namespace kgate
