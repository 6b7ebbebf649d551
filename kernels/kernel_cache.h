// The kernel cache: Debian kernel packages and people's own builds,
// materialised under <CacheDir()>/kernels/ and never installed into /boot.
//
// Layout of one cached Debian kernel, <cache>/kernels/<package>/:
//   kernel.json                  what Kernel below holds, written last
//   root/boot/vmlinuz-<ver>      as unpacked by dpkg-deb -x
//   root/boot/config-<ver>
//   root/lib/modules/<ver>/      .ko.xz modules plus modules.dep from depmod -b
//   vmlinux                      the uncompressed ELF, for PVH boot
// A fetch unpacks into <cache>/kernels/.tmp-<package>-<pid>/ and renames it into
// place when complete, so a killed fetch leaves no half kernel behind and a
// second fetch of a cached package runs nothing but the registry lookup.
//
// A path: kernel is not copied; <cache>/kernels/path-<hash of path, size,
// mtime>/ holds its kernel.json and extracted vmlinux.
//
// Thread-compatible. Concurrent processes fetching the same package each
// unpack to their own temporary directory; the first rename wins.
#pragma once

#include <string>
#include <vector>

#include "base/process.h"
#include "base/status.h"
#include "kernels/kernel.h"
#include "kernels/kernel_ref.h"

namespace kgate {

class KernelCache : public KernelSource {
 public:
  // cache_dir is the kgate cache (CacheDir()); kernels live in cache_dir/kernels.
  // runner runs apt-cache, apt-get, dpkg-deb, depmod and the decompressors.
  KernelCache(std::string cache_dir, ProcessRunner& runner);

  // Resolves and, unless cached, downloads and unpacks the kernel. Errors:
  // BadInput for a malformed reference, an unknown series/flavour/package
  // (the message lists what exists) or a path: file that is not a bzImage;
  // Infrastructure when the registry cannot be reached or a host tool fails
  // (the message says what to do).
  Result<Kernel> Fetch(const std::string& ref) override;

  // The package a debian: reference means now (asks apt-cache). Errors as Fetch.
  // When apt-cache cannot answer (Infrastructure), Fetch falls back to the
  // newest cached package that matches, so cached kernels work offline.
  Result<std::string> ResolvePackage(const KernelRef& ref);

  // Every cached kernel, by package name. Unreadable entries are skipped.
  Result<std::vector<Kernel>> List() const;

  std::string kernels_dir() const { return cache_dir_ + "/kernels"; }

 private:
  Result<Kernel> FetchDebian(const KernelRef& ref);
  Result<std::string> ResolveCached(const KernelRef& ref) const;
  Result<Kernel> FetchPath(const KernelRef& ref);
  Result<Kernel> Unpack(const std::string& ref, const std::string& package, const std::string& tmp);
  Result<ProcessResult> RunTool(const std::vector<std::string>& argv, const std::string& cwd,
                                int timeout_s);

  std::string cache_dir_;
  ProcessRunner& runner_;
};

// kernel.json (de)serialisation, exposed for tests.
std::string KernelToJson(const Kernel& kernel);
Result<Kernel> KernelFromJson(const std::string& json, const std::string& origin);

}  // namespace kgate
