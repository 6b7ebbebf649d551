// Debian kernel headers unpacked into the kgate cache, ready for building
// out-of-tree modules with `make -C <build_dir> M=<module copy> modules`.
//
// A debian: reference resolves (through KernelCache::ResolvePackage) to a
// linux-image-<kver>-<flavour>-unsigned package; its headers are
// linux-headers-<kver>-<flavour>, which Depends on linux-headers-<kver>-common
// (the arch-independent tree its Makefile includes) and linux-kbuild-*
// (scripts/ and tools/, which both trees reach through symlinks). Those three
// are downloaded with `apt-get download` and unpacked with `dpkg-deb -x` into
// one root per kernel, never installed into the system:
//   <cache>/headers/<version>/            version = uname -r, e.g. 6.1.0-56-cloud-amd64
//     root/usr/src/linux-headers-<version>/        the build_dir (Makefile, .config,
//                                                  Module.symvers, scripts -> kbuild)
//     root/usr/src/linux-headers-<kver>-common/
//     root/usr/lib/linux-kbuild-<series>/
//     headers.json   {"ref", "package", "version", "packages": [...]}, written last
// The packages are built for an installed system: absolute symlinks
// (lib/modules/<v>/build -> /usr/src/...) and the one-line Makefile
// `include /usr/src/linux-headers-<kver>-common/Makefile`. FixUpHeadersTree
// rewrites both to point inside the root, relative to where they sit, so the
// directory still works after the rename from its temporary name.
//
// A fetch unpacks into <cache>/headers/.tmp-<version>-<pid>/ and renames it
// into place, as the kernel cache does: a killed fetch leaves no half tree,
// concurrent fetches each use their own and the first rename wins.
#pragma once

#include <string>
#include <vector>

#include "base/process.h"
#include "base/status.h"
#include "kernels/kernel.h"
#include "kernels/kernel_ref.h"

namespace kgate {

struct KernelHeaders {
  std::string ref;        // as the user wrote it
  std::string package;    // linux-headers-6.1.0-56-cloud-amd64
  std::string version;    // uname -r of the kernel: 6.1.0-56-cloud-amd64
  std::vector<std::string> packages;  // every package unpacked, "name=version"
  std::string dir;        // <cache>/headers/<version>
  std::string build_dir;  // dir/root/usr/src/linux-headers-<version>
  std::string symvers;    // build_dir/Module.symvers: what the kernel exports
  // The folder under <cache>/module-builds/ that keeps modules built against
  // these headers: the version, and for a kernel kgate built the package too
  // (its baseline and candidate share a version, not an ABI).
  std::string BuildsName() const {
    return package.rfind("kgate-build-", 0) == 0 ? version + "-" + package : version;
  }
};

// The cached headers of ref, fetching them first when absent. BadInput for a
// malformed or unknown reference and for path: references (their headers are
// the user's build tree, not a package); Infrastructure when apt-get or
// dpkg-deb fail (the message names the command). When the registry cannot be
// asked, cached headers that match the reference are used.
Result<KernelHeaders> EnsureKernelHeaders(const std::string& ref, const std::string& cache_dir,
                                          ProcessRunner& runner);

// The headers of a kernel kgate built (kernel.build_dir, kbuild/), named
// by ref ("build:<arm>"). BadInput when the kernel has none (built without
// CONFIG_MODULES) or its tree lacks Module.symvers.
Result<KernelHeaders> HeadersOfBuiltKernel(const std::string& ref, const Kernel& kernel);

// "linux-image-6.12.117+deb12-cloud-amd64-unsigned" ->
// "linux-headers-6.12.117+deb12-cloud-amd64"; "" for other names.
std::string HeadersPackageFor(const std::string& image_package);

// Makes an unpacked headers root self-contained: every symlink below root
// whose target is absolute is re-pointed, relatively, at that path inside
// root; every usr/src/*/Makefile line `include /abs/path` becomes an include
// of that path inside root relative to the Makefile's directory. Returns the
// number of symlinks and Makefiles changed in *changed (may be null).
Status FixUpHeadersTree(const std::string& root, int* changed = nullptr);

}  // namespace kgate
