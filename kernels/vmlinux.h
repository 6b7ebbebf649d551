// The uncompressed kernel inside a bzImage, for booting through its PVH entry.
//
// QEMU boots an ELF vmlinux directly at its PVH note (-kernel vmlinux), which
// skips the real-mode setup and the in-guest decompression: about 1 s less
// per boot under TCG (docs/tiers.md: 2.60 s vs 3.36 s to the agent). The payload's place is
// read from the x86 boot protocol header (setup_sects, payload_offset,
// payload_length) rather than by scanning for magic bytes as
// scripts/extract-vmlinux does, because compressed data can contain any magic
// by chance; the format is then told by the payload's own magic.
#pragma once

#include <string>

#include "base/process.h"
#include "base/status.h"

namespace kgate {

// Reads the boot header of a bzImage. BadInput when the file is not a bzImage
// (no "HdrS" signature, protocol older than 2.08, payload out of bounds).
struct BzImageInfo {
  std::string version;      // uname -r, the first word of the kernel_version string
  std::size_t payload_offset = 0;  // from the start of the file
  std::size_t payload_length = 0;
  std::string compression;  // "zstd", "xz", "gzip", "lz4", "bzip2", "lzma", or "" if unknown
};
Result<BzImageInfo> ReadBzImageInfo(const std::string& bzimage_path);

// Decompresses the payload with the matching host tool (zstd, xz, gzip, lz4,
// bzip2) run through runner, checks the result is an x86-64 ELF, and writes it
// to out_path atomically. BadInput for a file that is not a bzImage or whose
// payload does not decompress to an ELF; Infrastructure when the tool is missing.
Status ExtractVmlinux(ProcessRunner& runner, const std::string& bzimage_path,
                      const std::string& out_path);

}  // namespace kgate
