// Reading and writing files with errors that say what went wrong and where.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"

namespace kgate {

// Files kgate reads as configuration are small; anything larger is refused
// before it is read, so a 50 MB file cannot stall or exhaust the process.
inline constexpr std::size_t kMaxConfigFileBytes = 4 << 20;

// Reads a whole text file. Fails with BadInput when the path does not exist,
// is a directory, is larger than max_bytes, or (when require_utf8) is not
// valid UTF-8 (the message gives the byte offset).
Result<std::string> ReadTextFile(const std::string& path,
                                 std::size_t max_bytes = kMaxConfigFileBytes,
                                 bool require_utf8 = true);

// Reads at most max_bytes from the end of a file; for console tails.
Result<std::string> ReadFileTail(const std::string& path, std::size_t max_bytes);

// Writes data to path atomically (temporary file + rename).
Status WriteFileAtomic(const std::string& path, const std::string& data);

// Returns the offset of the first byte that breaks UTF-8, or npos if valid.
std::size_t FindInvalidUtf8(const std::string& data);

// The bytes of the regular files below dir (links not followed); 0 when it
// cannot be read.
std::uint64_t DiskUse(const std::string& dir);

// Creates a directory and its parents; ok if it exists.
Status MakeDirs(const std::string& path);

}  // namespace kgate
