// Config bases: what a built kernel's .config starts from
// (`config: {base: ...}` in a build arm, docs/formats.md).
//
//   guest, guest-sched-ext   kgate's own fragments after x86_64_defconfig and
//                            the kernel's kvm_guest.config
//   debian-cloud,            the config Debian ships in its linux-image
//   debian-generic           package of the source's series, then
//                            kernels/configs/debian-rebuild.config
//   defconfig                x86_64_defconfig
//   file:<path>              that file
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "base/status.h"
#include "kbuild/source_tree.h"

namespace kgate {

// guest or guest-sched-ext (the latter builds in a slot of its own).
bool GuestBase(const std::string& base);
bool DebianBase(const std::string& base);
// Bases whose whole .config kgate is given (a file, or Debian's) rather
// than made from x86_64_defconfig.
bool GivenConfigBase(const std::string& base);

// The Debian kernel whose shipped config a debian-cloud or debian-generic
// base starts from, as a kernel reference of the source's series:
// "debian:6.12-cloud" for debian:6.12 (6.12.118-1~deb12u1) with
// debian-cloud, "debian:6.12" (the generic amd64 flavour) with
// debian-generic. BadInput for a git ref that names no version.
Result<std::string> DebianConfigKernel(const std::string& config_base,
                                       const KernelSourceTree& source);

}  // namespace kgate
