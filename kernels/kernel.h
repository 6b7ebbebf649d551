// A concrete kernel, ready to boot, and the interface that materialises one
// from a reference (debian:6.12-cloud, path:/boot/vmlinuz-...).
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace kgate {

struct Kernel {
  std::string ref;           // as the user wrote it (the first ref that fetched it)
  std::string package;       // Debian package, or "" for path: kernels
  std::string version;       // uname -r: the lib/modules directory name
  std::string bzimage_path;  // compressed image for -kernel with -M pc/q35
  std::string vmlinux_path;  // uncompressed ELF for -kernel through the PVH entry
  std::string config_path;   // "" when unknown (a path: kernel without .config)
  std::string config_hash;   // sha256 of the config file, "" when unknown
  std::string modules_dir;   // .../lib/modules/<version> with modules.dep; "" if none
  // A kernel kgate built: its tree for out-of-tree modules
  // (make -C build_dir M=...), as a headers package lays it out; "" else.
  std::string build_dir;
  // A kernel kgate built with CONFIG_SCHED_CLASS_EXT: the in-tree BPF
  // schedulers (tools/sched_ext: scx_simple, scx_central, ...) built
  // against it, static, one file each; "" else.
  std::string sched_ext_dir;
  std::string dir;           // the cache directory holding this kernel
  std::uint64_t size_bytes = 0;  // disk use of dir
};

// Where kernels come from: the kernel cache (kernel_cache.h) on a real host,
// a fake in tests. Implementations need not be thread-safe.
class KernelSource {
 public:
  virtual ~KernelSource() = default;
  // BadInput for a malformed or unknown reference (the message lists what
  // exists); Infrastructure when the kernel cannot be had on this host
  // (registry unreachable, a host tool failing).
  virtual Result<Kernel> Fetch(const std::string& ref) = 0;
};

}  // namespace kgate
