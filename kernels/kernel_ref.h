// Kernel references as proposals write them, and the Debian package names
// they resolve to.
//
//   debian:<series>[-<flavour>]   newest linux-image-<series>...-unsigned of
//                                 that flavour: debian:6.12-cloud, debian:6.1-rt,
//                                 debian:6.12 (the generic amd64 flavour)
//   debian:<package>              exactly that package:
//                                 debian:linux-image-6.1.0-56-cloud-amd64-unsigned
//   path:<bzImage>[,modules=<dir>] a kernel someone built; <dir> is the
//                                 lib/modules/<uname -r> directory
//
// Debian names its 6.1 kernels linux-image-6.1.0-<abi>-<flavour>-unsigned and
// its 6.12 kernels linux-image-6.12.<patch>+deb12-<flavour>-unsigned; both are
// ordered here by the numbers in the version part, which is what "newest"
// means for either scheme.
//
// Pure functions, no I/O; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace kgate {

struct KernelRef {
  enum class Kind { kDebianSeries, kDebianPackage, kPath };
  Kind kind = Kind::kDebianSeries;
  std::string text;         // the reference as written
  std::string series;       // kDebianSeries: "6.12"
  std::string flavour;      // kDebianSeries: "cloud-amd64", "rt-amd64", "amd64"
  std::string package;      // kDebianPackage
  std::string bzimage;      // kPath
  std::string modules_dir;  // kPath, optional
};

// Parses a reference. BadInput names what was expected, e.g. for "debian:6.12-clod":
// "kernel 'debian:6.12-clod': unknown flavour 'clod' (expected cloud, rt or none; did you mean 'cloud'?)".
Result<KernelRef> ParseKernelRef(const std::string& text);

// One linux-image-*-unsigned package name taken apart.
struct DebianKernelPackage {
  std::string name;     // linux-image-6.12.117+deb12-cloud-amd64-unsigned
  std::string kver;     // 6.12.117+deb12
  std::string series;   // 6.12
  std::string flavour;  // cloud-amd64
};

// nullopt for names that are not linux-image-<kver>-<flavour>-unsigned.
std::optional<DebianKernelPackage> ParseDebianKernelPackage(const std::string& name);

// True when a's kernel version is older than b's (numeric, piecewise).
bool KernelVersionLess(const std::string& a, const std::string& b);

// Picks the package a reference means from the names the registry offers.
// kDebianSeries: the newest of that series and flavour; kDebianPackage: that
// name if offered. BadInput lists what exists (the series and flavours on
// offer, or the closest package name).
Result<std::string> SelectDebianPackage(const KernelRef& ref,
                                        const std::vector<std::string>& available);

}  // namespace kgate
