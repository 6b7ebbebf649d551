#include "kernels/vmlinux.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"

namespace kgate {
namespace {

// Offsets in the x86 boot protocol header (Documentation/arch/x86/boot.rst).
constexpr std::size_t kSetupSects = 0x1f1;
constexpr std::size_t kHeaderMagic = 0x202;
constexpr std::size_t kProtocolVersion = 0x206;
constexpr std::size_t kKernelVersion = 0x20e;
constexpr std::size_t kPayloadOffset = 0x248;
constexpr std::size_t kPayloadLength = 0x24c;
constexpr std::size_t kMaxBzImageBytes = 256u << 20;

std::uint32_t Le(const std::string& d, std::size_t off, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(d[off + i]);
  return v;
}

std::string Compression(std::string_view p) {
  auto starts = [&](std::string_view magic) { return p.substr(0, magic.size()) == magic; };
  if (starts("\x28\xb5\x2f\xfd")) return "zstd";
  if (starts(std::string_view("\xfd" "7zXZ\0", 6))) return "xz";
  if (starts("\x1f\x8b")) return "gzip";
  if (starts("\x02\x21\x4c\x18")) return "lz4";
  if (starts("BZh")) return "bzip2";
  if (starts(std::string_view("\x5d\0\0", 3))) return "lzma";
  return "";
}

std::vector<std::string> DecompressCommand(const std::string& compression, const std::string& file) {
  if (compression == "zstd") return {"zstd", "-d", "-c", "-q", file};
  if (compression == "xz") return {"xz", "-d", "-c", "-q", file};
  if (compression == "lzma") return {"xz", "--format=lzma", "-d", "-c", "-q", file};
  if (compression == "gzip") return {"gzip", "-d", "-c", "-q", file};
  if (compression == "lz4") return {"lz4", "-d", "-c", "-q", file};
  return {"bzip2", "-d", "-c", "-q", file};
}

Result<std::string> ReadBinary(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::BadInput(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::ostringstream data;
  data << in.rdbuf();
  std::string out = std::move(data).str();
  if (out.size() > max_bytes) return Status::BadInput(fmt::format("{}: larger than {} bytes", path, max_bytes));
  return out;
}

Result<BzImageInfo> ParseHeader(const std::string& path, const std::string& d) {
  auto bad = [&](const std::string& why) {
    return Status::BadInput(fmt::format("{}: not a bzImage: {}", path, why));
  };
  if (d.size() < kPayloadLength + 4) return bad("file too short for a boot header");
  if (d.compare(kHeaderMagic, 4, "HdrS") != 0) return bad("no HdrS signature at offset 0x202");
  if (Le(d, kProtocolVersion, 2) < 0x208) return bad("boot protocol older than 2.08 has no payload fields");
  std::size_t sects = static_cast<unsigned char>(d[kSetupSects]);
  if (sects == 0) sects = 4;
  BzImageInfo info;
  info.payload_offset = (sects + 1) * 512 + Le(d, kPayloadOffset, 4);
  info.payload_length = Le(d, kPayloadLength, 4);
  if (info.payload_offset + info.payload_length > d.size()) return bad("payload runs past the end");
  std::size_t version_at = Le(d, kKernelVersion, 2) + 0x200;
  if (version_at < d.size()) {
    std::size_t end = d.find_first_of(std::string(" \0", 2), version_at);
    info.version = d.substr(version_at, end == std::string::npos ? 0 : end - version_at);
  }
  info.compression = Compression(std::string_view(d).substr(info.payload_offset, 8));
  return info;
}

}  // namespace

Result<BzImageInfo> ReadBzImageInfo(const std::string& bzimage_path) {
  Result<std::string> data = ReadBinary(bzimage_path, kMaxBzImageBytes);
  if (!data.ok()) return data.status();
  return ParseHeader(bzimage_path, *data);
}

Status ExtractVmlinux(ProcessRunner& runner, const std::string& bzimage_path,
                      const std::string& out_path) {
  Result<std::string> data = ReadBinary(bzimage_path, kMaxBzImageBytes);
  if (!data.ok()) return data.status();
  Result<BzImageInfo> info = ParseHeader(bzimage_path, *data);
  if (!info.ok()) return info.status();
  if (info->compression.empty()) {
    return Status::BadInput(fmt::format("{}: payload compression not recognised", bzimage_path));
  }
  std::string payload_path = out_path + ".payload";
  KG_RETURN_IF_ERROR(WriteFileAtomic(
      payload_path, data->substr(info->payload_offset, info->payload_length)));
  ProcessOptions options;
  options.max_output_bytes = std::size_t{1} << 30;
  Result<ProcessResult> run = runner.Run(DecompressCommand(info->compression, payload_path), options);
  std::remove(payload_path.c_str());
  if (!run.ok()) {
    return run.status().Prefixed(fmt::format("decompressing {} ({})", bzimage_path, info->compression));
  }
  // The build appends the uncompressed size after the stream, which the tools
  // report as trailing garbage with a non-zero exit: the ELF check decides.
  const std::string& elf = run->out;
  if (elf.size() < 64 || elf.compare(0, 4, "\x7f" "ELF") != 0 || elf[4] != 2) {
    return Status::BadInput(fmt::format("{}: {} payload did not decompress to a 64-bit ELF ({}: {})",
                                        bzimage_path, info->compression, run->Describe(),
                                        Trim(run->err)));
  }
  return WriteFileAtomic(out_path, elf);
}

}  // namespace kgate
